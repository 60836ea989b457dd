#!/usr/bin/env bash
# Print the URL of a fresh PostgreSQL test database, starting the local server if needed.
set -euo pipefail
host=127.0.0.1 port=5432 user=${PGUSER:-postgres}
dbname=${TEST_POSTGRES_DB:-tracker_test}
ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }
if ! command -v pg_isready >/dev/null; then exit 1; fi
if ! ready && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || exit 1
psql -q -h "$host" -p "$port" -U "$user" -d postgres -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >&2
psql -q -h "$host" -p "$port" -U "$user" -d postgres -c "CREATE DATABASE $dbname" >&2
echo "postgresql+psycopg://$user@$host:$port/$dbname"
