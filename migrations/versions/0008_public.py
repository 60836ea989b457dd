"""participants in the loop: the public answer, the approved public summary, feedback

Revision ID: 0008_public
Revises: 0003_forumday
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_public'
down_revision = '0008_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('resolution_public', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('public_summary', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('public_summary_approved_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('public_summary_approved_by_id', sa.Integer(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_cases_public_summary_approved_by_id_users'),
            'users',
            ['public_summary_approved_by_id'],
            ['id'],
        )
    op.create_table(
        'case_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved', sa.String(length=10), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('appeal_until', sa.Date(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_case_feedback_case_id_cases')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_feedback')),
    )
    with op.batch_alter_table('case_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_feedback_case_id'), ['case_id'], unique=False)
        batch_op.create_index('uq_case_feedback_closing', ['case_id', 'closed_at'], unique=True)


def downgrade():
    op.drop_table('case_feedback')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_cases_public_summary_approved_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('public_summary_approved_by_id')
        batch_op.drop_column('public_summary_approved_at')
        batch_op.drop_column('public_summary')
        batch_op.drop_column('resolution_public')
