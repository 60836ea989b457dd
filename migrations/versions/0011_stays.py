"""time in each state at a million cases: the stay a transition ends, stored on its event

Revision ID: 0011_stays
Revises: 0010_reports
Create Date: 2026-12-02 07:00:00

Time in each state paired every transition with the one before it (a window over all of a
table's transitions: 6-8 s at a million cases). Each transition event now keeps the seconds
the case spent in the state it leaves, and a partial index of transitions by that state serves
the sum; the index of open cases by state also holds state_entered_at, for the stays still
going. Existing transitions are filled here from the event before each (created or
transition, as the report paired them).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_stays'
down_revision = '0010_reports'
branch_labels = None
depends_on = None

PREVIOUS = '''
    SELECT id, lag(at) OVER (PARTITION BY case_id ORDER BY at, id) AS entered
    FROM events WHERE kind IN ('created', 'transition') AND to_state IS NOT NULL
'''


def _fill_stays(bind) -> None:
    """Each transition's stay: its time less the time of the event before it."""
    if bind.dialect.name == 'postgresql':
        seconds = 'extract(epoch FROM events.at - previous.entered)'
    else:
        seconds = '(julianday(events.at) - julianday(previous.entered)) * 86400.0'
    bind.execute(sa.text(
        f'UPDATE events SET stay_seconds = {seconds} FROM ({PREVIOUS}) AS previous '
        "WHERE events.id = previous.id AND events.kind = 'transition' "
        'AND previous.entered IS NOT NULL'
    ))


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stay_seconds', sa.Float(), nullable=True))
    _fill_stays(op.get_bind())
    if op.get_bind().dialect.name == 'postgresql':
        # The stays still going (now less state_entered_at) from the index of open cases.
        op.drop_index('ix_cases_state_logged_on', table_name='cases')
        op.create_index(
            'ix_cases_state_logged_on', 'cases', ['state', 'logged_on'],
            postgresql_where=sa.text('confidential IS false'),
            postgresql_include=['state_entered_at'],
        )
    op.create_index(
        'ix_events_transition_stays', 'events', ['from_state', 'case_id', 'stay_seconds'],
        postgresql_where=sa.text("kind = 'transition'"),
        sqlite_where=sa.text("kind = 'transition'"),
    )


def downgrade():
    op.drop_index('ix_events_transition_stays', table_name='events')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_cases_state_logged_on', table_name='cases')
        op.create_index(
            'ix_cases_state_logged_on', 'cases', ['state', 'logged_on'],
            postgresql_where=sa.text('confidential IS false'),
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('stay_seconds')
