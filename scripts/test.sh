#!/usr/bin/env bash
# The whole test suite: pallet and runtime tests, the worker's tests, and the end-to-end tests
# that start real gonka-node processes. Sets the machine up first (idempotent).
#
#   scripts/test.sh                 # everything
#   scripts/test.sh -p gonka-node   # extra arguments go to `cargo test`
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "==> cargo test (target dir: $CARGO_TARGET_DIR)"
if [ $# -eq 0 ]; then
	set -- --workspace
fi
exec cargo test --locked --no-fail-fast "$@"
