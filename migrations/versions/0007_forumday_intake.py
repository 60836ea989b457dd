"""forum day intake: row fingerprints and external submission ids on cases

Revision ID: 0003_forumday
Revises: 0003_workflows
Create Date: 2026-12-01 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_forumday'
down_revision = '0003_workflows'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_fingerprint', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('external_id', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_cases_external_id'), ['external_id'])
        batch_op.create_index(
            'uq_cases_forum_fingerprint', ['forum_id', 'intake_fingerprint'], unique=True
        )


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('uq_cases_forum_fingerprint')
        batch_op.drop_constraint(batch_op.f('uq_cases_external_id'), type_='unique')
        batch_op.drop_column('external_id')
        batch_op.drop_column('intake_fingerprint')
