#!/usr/bin/env bash
# Run the whole suite twice: on SQLite, then on PostgreSQL.
# PostgreSQL comes from TEST_POSTGRES_URL, else the local server on 127.0.0.1:5432 (started if it
# is installed but stopped). Set REQUIRE_POSTGRES=1 (CI does) to fail when none can be had.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0

bash scripts/ensure-browser.sh || echo "warning: no chromium; browser tests will be skipped" >&2

echo "=== test suite on SQLite ==="
$BIN/python -m pytest -n 2 "$@" || status=1

pg_url="${TEST_POSTGRES_URL:-}"
if [ -z "$pg_url" ]; then
  pg_url=$(bash scripts/ensure-postgres.sh) || pg_url=""
fi
if [ -n "$pg_url" ]; then
  echo "=== test suite on PostgreSQL ==="
  TEST_DATABASE_URL="$pg_url" $BIN/python -m pytest -n 2 "$@" || status=1
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "error: PostgreSQL is required but none could be reached or started" >&2
  status=1
else
  echo "warning: no PostgreSQL found; the PostgreSQL run was skipped" >&2
fi
exit $status
