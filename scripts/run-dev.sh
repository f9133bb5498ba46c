#!/usr/bin/env bash
# The main job: builds gonka-node (with its embedded runtime) and starts a local development
# network on this machine. Ctrl-C stops it.
#
#   scripts/run-dev.sh                 # RPC on ws://127.0.0.1:9944
#   RPC_PORT=9955 scripts/run-dev.sh   # another port
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
RPC_PORT="${RPC_PORT:-9944}"
BLOCK_TIME_MS="${BLOCK_TIME_MS:-3000}"

echo "==> building gonka-node (first build: about an hour on 2 cores; then seconds)"
cargo build --locked --workspace --tests
NODE="$CARGO_TARGET_DIR/debug/gonka-node"

cat <<MSG

==> starting the Gonka dev network (one collator, block every ${BLOCK_TIME_MS} ms)
    RPC endpoint:     ws://127.0.0.1:${RPC_PORT}
    Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}#/explorer
    Dev accounts (Alice, Bob, ...) hold 1,000,000 GNK each. Ctrl-C stops the node.
    Epochs run every 20 blocks; Alice and Bob are the genesis hosts. A host's standing:
      $CARGO_TARGET_DIR/debug/gonka-worker status --url ws://127.0.0.1:${RPC_PORT} \
          --host 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY

MSG
exec "$NODE" --dev --dev-block-time "$BLOCK_TIME_MS" --rpc-port "$RPC_PORT" --rpc-cors all \
	--no-telemetry --no-hardware-benchmarks --tmp
