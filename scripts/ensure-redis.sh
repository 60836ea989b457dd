#!/usr/bin/env bash
# Make sure a Redis answers on 127.0.0.1:6379 (port: REDIS_PORT): the tests of rate limits
# shared across processes keep their counters there. Starts an installed redis-server (no persistence) if none answers;
# installs it first when missing and we are root (Debian's package).
set -euo pipefail
host=127.0.0.1 port=${REDIS_PORT:-6379}
answering() {
  { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  local reply=""
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}
answering && exit 0
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
  else
    echo "error: redis-server is not installed (apt-get install redis-server)" >&2
    exit 1
  fi
fi
answering || redis-server --daemonize yes --bind "$host" --port "$port" --save "" --appendonly no >&2
for _ in $(seq 1 50); do
  answering && exit 0
  sleep 0.1
done
echo "error: Redis did not answer on $host:$port" >&2
exit 1
