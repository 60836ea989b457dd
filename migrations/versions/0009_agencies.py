"""several agencies at once: reminder marks per open referral

Revision ID: 0009_agencies
Revises: 0008_scale
Create Date: 2026-12-01 23:50:00

A case referred to several agencies is reminded of each late referral on its own: the
reminder mark's key gains the referral (0 for a reminder about the case itself, so the key
stays unique on PostgreSQL, where NULLs would never collide).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_agencies'
down_revision = '0009_confidential'
branch_labels = None
depends_on = None

OLD_KEY = ['case_id', 'state', 'state_entered_at', 'kind', 'period']


def upgrade():
    with op.batch_alter_table('reminder_marks', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('referral_id', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.drop_constraint('uq_reminder_marks_key', type_='unique')
        batch_op.create_unique_constraint('uq_reminder_marks_key', [*OLD_KEY, 'referral_id'])


def downgrade():
    op.execute("DELETE FROM reminder_marks WHERE referral_id <> 0")
    with op.batch_alter_table('reminder_marks', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reminder_marks_key', type_='unique')
        batch_op.create_unique_constraint('uq_reminder_marks_key', OLD_KEY)
        batch_op.drop_column('referral_id')
