#!/usr/bin/env bash
# Run the product on SQLite: migrate, load demo data (prints the logins), start the scheduler
# and the web app on http://127.0.0.1:5000. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export FLASK_APP=wsgi
BIN=.venv/bin
$BIN/flask --app wsgi db upgrade
$BIN/flask --app wsgi demo
if $BIN/flask --app wsgi scheduler --help >/dev/null 2>&1; then
  $BIN/flask --app wsgi scheduler &
  scheduler_pid=$!
  trap 'kill $scheduler_pid 2>/dev/null || true' EXIT
fi
echo "Open http://127.0.0.1:5000/login"
$BIN/gunicorn --config scripts/gunicorn.conf.py wsgi:app  # gthread workers: see the file
