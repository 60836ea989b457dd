"""each person's choice: channel (email or a linked Telegram chat), weekly digest on or off

Revision ID: 0009_account
Revises: 0008_scale
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_account'
down_revision = '0009_agencies'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('notify_channel', sa.String(length=10), server_default='email',
                      nullable=False)
        )
        batch_op.add_column(sa.Column('telegram_chat_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('telegram_link_nonce', sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column('digest_enabled', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_users_telegram_chat_id'), ['telegram_chat_id']
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_telegram_chat_id'), type_='unique')
        batch_op.drop_column('digest_enabled')
        batch_op.drop_column('telegram_link_nonce')
        batch_op.drop_column('telegram_chat_id')
        batch_op.drop_column('notify_channel')
