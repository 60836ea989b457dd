"""channels beside email: a channel per outbox row, the raiser's channel, Telegram chats

Revision ID: 0008_channels
Revises: 0003_forumday
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_channels'
down_revision = '0003_forumday'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('channel', sa.String(length=10), server_default='email', nullable=False)
        )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=True))
    op.create_table('telegram_chats',
    sa.Column('chat_id', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('last_update_id', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_telegram_chats'))
    )
    op.create_table('telegram_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_telegram_links_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telegram_links')),
    sa.UniqueConstraint('chat_id', 'case_id', name='uq_telegram_links_chat_case')
    )
    with op.batch_alter_table('telegram_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_telegram_links_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_telegram_links_chat_id'), ['chat_id'], unique=False)


def downgrade():
    with op.batch_alter_table('telegram_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_telegram_links_chat_id'))
        batch_op.drop_index(batch_op.f('ix_telegram_links_case_id'))
    op.drop_table('telegram_links')
    op.drop_table('telegram_chats')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('channel')
