#!/usr/bin/env bash
# The zombienet CLI (npm `@zombienet/cli`, pinned in zombienet/package-lock.json) that starts the
# relay-backed network of zombienet/gonka-local.toml; installed with `npm ci` when node_modules is
# missing or older than the lockfile; idempotent.
#
# `@zombienet/utils` asks for a GitHub fork of the `toml` package, which a machine that reaches
# only the package registries cannot fetch; package.json overrides it with `toml` 3.0.0 from npm
# (zombienet uses it only to parse network definitions such as ours).
set -euo pipefail
cd "$(dirname "$0")/../zombienet"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "==> npm ci (zombienet)"
	npm ci --no-audit --no-fund --loglevel=error
fi
