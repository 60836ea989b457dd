"""national scale: composite list indexes (filter, sort, id), trigram search on PostgreSQL

Revision ID: 0008_scale
Revises: 0003_forumday
Create Date: 2026-12-01 20:50:00

The single-column indexes of the list's filters and sorts are replaced by composites that end
with the default sort and the id, so a filtered, sorted page (and each keyset page after it)
reads only the rows it shows. On PostgreSQL, pg_trgm GIN indexes serve substring search in
titles and descriptions, English and Khmer alike; SQLite keeps its LIKE scan.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_scale'
down_revision = '0008_public'
branch_labels = None
depends_on = None

SORTS = {'created_at': 'ix_cases_created_at_id', 'updated_at': 'ix_cases_updated_at_id',
         'due_at': 'ix_cases_due_at_id'}
FILTERS = ('state', 'category', 'province', 'agency_id', 'owner_id', 'forum_id',
           'organisation_id')
REPLACED = ('created_at', 'due_at', *FILTERS)
TRIGRAM = {'ix_cases_title_trgm': 'title', 'ix_cases_description_trgm': 'description'}


def upgrade():
    for column in REPLACED:
        op.drop_index(f'ix_cases_{column}', table_name='cases')
    for column, name in SORTS.items():
        op.create_index(name, 'cases', [column, 'id'])
    for column in FILTERS:
        op.create_index(f'ix_cases_{column}_created_at', 'cases', [column, 'created_at', 'id'])
    op.drop_index('ix_referrals_agency_id', table_name='referrals')
    op.create_index('ix_referrals_agency_id_case_id', 'referrals', ['agency_id', 'case_id'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        # JIT compiling costs ~1 s on the report queries over a million rows and gains nothing
        # at this size: off for this database's new sessions (PgBouncer-safe, unlike SET).
        op.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', "
                   "current_database()); END $$")
        for name, column in TRIGRAM.items():
            op.execute(f'CREATE INDEX {name} ON cases USING gin ({column} gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET jit', "
                   "current_database()); END $$")
        for name in TRIGRAM:
            op.execute(f'DROP INDEX IF EXISTS {name}')
    op.drop_index('ix_referrals_agency_id_case_id', table_name='referrals')
    op.create_index('ix_referrals_agency_id', 'referrals', ['agency_id'])
    for column in FILTERS:
        op.drop_index(f'ix_cases_{column}_created_at', table_name='cases')
    for name in SORTS.values():
        op.drop_index(name, table_name='cases')
    for column in REPLACED:
        op.create_index(f'ix_cases_{column}', 'cases', [column])
