"""confidential cases: the flag and the officers named on the case (case_team)

Revision ID: 0009_confidential
Revises: 0008_scale
Create Date: 2026-12-01 23:45:00

A confidential case is seen only by the admins and the officers named on it: its owner and the
rows of ``case_team``. Existing cases stay not confidential.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_confidential'
down_revision = '0009_raisers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('confidential', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index('ix_cases_confidential', ['confidential'], unique=False)
    op.create_table(
        'case_team',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name='fk_case_team_case_id_cases'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_case_team_user_id_users'),
        sa.PrimaryKeyConstraint('case_id', 'user_id', name='pk_case_team'),
    )
    op.create_index('ix_case_team_user_id', 'case_team', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_case_team_user_id', table_name='case_team')
    op.drop_table('case_team')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_confidential')
        batch_op.drop_column('confidential')
