"""workflows: a case on hold keeps the state and working days to return to

Revision ID: 0003_workflows
Revises: 0003_accounts
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_workflows'
down_revision = '0003_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_state', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('held_working_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('held_working_days')
        batch_op.drop_column('held_state')
