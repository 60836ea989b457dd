"""pages: a user may read numbers and dates in Khmer digits

Revision ID: 0008_pages
Revises: 0003_forumday
Create Date: 2026-12-01 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_pages'
down_revision = '0008_channels'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('khmer_digits', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('khmer_digits')
