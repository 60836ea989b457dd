#!/usr/bin/env bash
# Make sure Debian's zbar-tools (zbarimg) is installed: the slip tests decode QR codes with it.
set -euo pipefail
if command -v zbarimg >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then exit 1; fi
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools >&2
