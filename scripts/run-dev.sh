#!/usr/bin/env bash
# The main job: builds gonka-node and gonka-worker, then runs a whole local network on this
# machine: a dev node and two CPU workers for the genesis hosts Alice and Bob, which sprint,
# commit, validate each other and claim GNK every 20-block epoch. A status line per host shows
# weights and balances growing. Ctrl-C stops everything.
#
#   scripts/run-dev.sh                   # RPC on ws://127.0.0.1:9944, workers on :8080 and :8081
#   RPC_PORT=9955 scripts/run-dev.sh     # another RPC port
#   WORKERS=0 scripts/run-dev.sh         # the node alone
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
RPC_PORT="${RPC_PORT:-9944}"
BLOCK_TIME_MS="${BLOCK_TIME_MS:-3000}"
WORKERS="${WORKERS:-2}"
URL="ws://127.0.0.1:${RPC_PORT}"
ALICE=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
BOB=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty

echo "==> building gonka-node and gonka-worker (first build: about an hour on 2 cores; then seconds)"
cargo build --locked --workspace --tests
NODE="$CARGO_TARGET_DIR/debug/gonka-node"
WORKER="$CARGO_TARGET_DIR/debug/gonka-worker"

if [ "$WORKERS" = 0 ]; then
	exec "$NODE" --dev --dev-block-time "$BLOCK_TIME_MS" --rpc-port "$RPC_PORT" --rpc-cors all \
		--no-telemetry --no-hardware-benchmarks --tmp
fi

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gonka-dev.XXXXXX")"
PIDS=()
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "==> stopping (logs kept in $RUN_DIR)"
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$NODE" --dev --dev-block-time "$BLOCK_TIME_MS" --rpc-port "$RPC_PORT" --rpc-cors all \
	--no-telemetry --no-hardware-benchmarks --tmp >"$RUN_DIR/node.log" 2>&1 &
PIDS+=($!)

cat <<MSG

==> Gonka dev network starting (one collator, a block every ${BLOCK_TIME_MS} ms, epochs of 20 blocks)
    RPC endpoint:     $URL
    Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}#/explorer
    Logs:             $RUN_DIR/{node,alice,bob}.log
    Dev accounts (Alice, Bob, ...) hold 1,000,000 GNK each; Alice and Bob are the genesis hosts.
    The first start after a build compiles the runtime: the first block comes within ~1-3 min.

MSG

echo "==> waiting for the node"
until "$WORKER" status --url "$URL" --host "$ALICE" >/dev/null 2>&1; do
	if ! kill -0 "${PIDS[0]}" 2>/dev/null; then
		echo "the node stopped; its log:"; tail -n 30 "$RUN_DIR/node.log"; exit 1
	fi
	sleep 2
done

umask 077
start_worker() { # name host worker-uri host-uri port
	printf '%s' "$3" >"$RUN_DIR/$1.worker-key"
	printf '%s' "$4" >"$RUN_DIR/$1.host-key"
	"$WORKER" run --url "$URL" --host "$2" --worker-key-file "$RUN_DIR/$1.worker-key" \
		--host-key-file "$RUN_DIR/$1.host-key" --listen "127.0.0.1:$5" \
		--state-dir "$RUN_DIR/$1-state" --device cpu >"$RUN_DIR/$1.log" 2>&1 &
	PIDS+=($!)
}
start_worker alice "$ALICE" "//Alice//worker" "//Alice" 8080
start_worker bob "$BOB" "//Bob//worker" "//Bob" 8081
echo "==> workers running (proofs and /metrics on http://127.0.0.1:8080 and :8081); Ctrl-C stops all"
echo
"$WORKER" status --url "$URL" --host "$ALICE" --host "$BOB" --watch 6
