"""days off announced at short notice

Revision ID: 0003_deadlines
Revises: 0002_notifications
Create Date: 2026-12-01 17:50:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0003_deadlines"
down_revision = "0002_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "days_off",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_days_off_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_days_off")),
    )


def downgrade():
    op.drop_table("days_off")
