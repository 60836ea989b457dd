#!/usr/bin/env bash
# Make sure Debian's pgbouncer is installed: the scale-out test (tests/faults/test_scale_out.py)
# starts its own PgBouncer in transaction pooling mode on a free loopback port. Installs it when
# missing and we are root; the package's own service is not needed (nothing is started here).
set -euo pipefail
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2
else
  echo "error: pgbouncer is not installed (apt-get install pgbouncer)" >&2
  exit 1
fi
