"""index cases by raiser email (daily limits per address, first-contact acknowledgements)

Revision ID: 0003_holes
Revises: 0003_deadlines
Create Date: 2026-12-01 18:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003_holes'
down_revision = '0003_deadlines'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_raised_by_email'), ['raised_by_email'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_raised_by_email'))
