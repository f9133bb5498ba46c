#!/usr/bin/env bash
# The dashboard's JavaScript dependencies (dashboard/package-lock.json), installed with `npm ci`
# when node_modules is missing or older than the lockfile; idempotent. Chromium for its browser
# test comes from Debian (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../dashboard"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "==> npm ci (dashboard)"
	npm ci --no-audit --no-fund --loglevel=error
fi
