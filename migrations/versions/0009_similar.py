"""related and duplicate cases: links between cases, a duplicate merged into another

Revision ID: 0009_similar
Revises: 0009_raisers
Create Date: 2026-12-01 23:50:00

Similar concerns need no index of their own: they use the pg_trgm GIN indexes of 0008_scale.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_similar'
down_revision = '0009_account'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_cases_merged_into_id_cases'), 'cases', ['merged_into_id'], ['id']
        )
        batch_op.create_index(batch_op.f('ix_cases_merged_into_id'), ['merged_into_id'])
    op.create_table(
        'case_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('low_case_id', sa.Integer(), nullable=False),
        sa.Column('high_case_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            'low_case_id < high_case_id', name=op.f('ck_case_links_ordered_pair')
        ),
        sa.ForeignKeyConstraint(
            ['low_case_id'], ['cases.id'], name=op.f('fk_case_links_low_case_id_cases')
        ),
        sa.ForeignKeyConstraint(
            ['high_case_id'], ['cases.id'], name=op.f('fk_case_links_high_case_id_cases')
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'], name=op.f('fk_case_links_created_by_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_links')),
    )
    with op.batch_alter_table('case_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_links_high_case_id'), ['high_case_id'])
        batch_op.create_index('uq_case_links_pair', ['low_case_id', 'high_case_id'], unique=True)


def downgrade():
    op.drop_table('case_links')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_merged_into_id'))
        batch_op.drop_constraint(batch_op.f('fk_cases_merged_into_id_cases'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')
