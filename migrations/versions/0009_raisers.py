"""several raisers per case: a raisers table; the first raiser's consent on the case

Revision ID: 0009_raisers
Revises: 0008_scale
Create Date: 2026-12-01 23:50:00

The case's raised_by_* columns stay its first raiser; further raisers are rows of `raisers`,
each with their own access code hash. Existing cases need no rows (they have one raiser).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_raisers'
down_revision = '0008_scale'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('consent_share', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table('raisers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=True),
    sa.Column('consent_share', sa.Boolean(), nullable=False),
    sa.Column('access_code_hash', sa.String(length=64), nullable=False),
    sa.Column('people_affected', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_raisers_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_raisers_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_raisers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raisers'))
    )
    with op.batch_alter_table('raisers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raisers_case_id'), ['case_id'], unique=False)
        batch_op.create_index(
            'ix_raisers_organisation_id_case_id', ['organisation_id', 'case_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('raisers', schema=None) as batch_op:
        batch_op.drop_index('ix_raisers_organisation_id_case_id')
        batch_op.drop_index(batch_op.f('ix_raisers_case_id'))
    op.drop_table('raisers')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('consent_share')
