#!/usr/bin/env bash
# Make sure Debian's chromium and a Khmer font are installed (browser tests need both).
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi khmer; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then exit 1; fi
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-khmeros >&2
