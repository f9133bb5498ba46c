#!/usr/bin/env bash
# The side-by-side inference benchmark: our engine and its peers on the same machine, model file
# and shapes, one after another in one invocation, then one table with ratios.
#
#   engines: gonka-inference in each of $DTYPES (default "f32 native"), Hugging Face transformers
#            eager in f32 and bf16, llama.cpp (llama-cpp-python) on the GGUF as shipped
#   shapes:  batch $BATCHES (1,4,8) x prompt $PROMPTS (128,512 tokens), $DECODE (64) greedy
#            decode steps, median of $REPEATS (3); $THREADS (2) threads for everyone
#
# Usage: scripts/bench/inference.sh            (~15 min on 2 cores; first run also builds the
#        peers' venv, ~10 min, and the release bench binary, ~5 min)
# Writes the raw JSON lines to $OUT (default ~/.cache/gonka/bench/inference-<time>.jsonl) and
# prints the Markdown report (scripts/bench/inference_report.py) at the end.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
# shellcheck source=../env.sh
source "$ROOT/scripts/env.sh"

MODEL="${MODEL:-$("$ROOT/scripts/setup-python.sh" | tail -1)}"
PY="$("$SCRIPT_DIR/setup-peers.sh" | tail -1)"
THREADS="${THREADS:-2}"
DTYPES="${DTYPES:-f32 native}"
SHAPES=(--threads "$THREADS" --batches "${BATCHES:-1,4,8}" --prompts "${PROMPTS:-128,512}"
	--decode "${DECODE:-64}" --repeats "${REPEATS:-3}")
mkdir -p "$GONKA_CACHE/bench"
OUT="${OUT:-$GONKA_CACHE/bench/inference-$(date -u +%Y%m%d-%H%M%S).jsonl}"

# A release build in its own target dir: the workspace's shared one holds debug builds.
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$GONKA_CACHE/target-inference}"
(cd "$ROOT" && cargo build --release --locked -p gonka-inference --example bench)
BENCH="$CARGO_TARGET_DIR/release/examples/bench"

# OpenMP's wait policy (libtorch's and llama.cpp's thread pools): libgomp's default spins
# between operations, which is what an idle machine (the benchmark's condition) and a dedicated
# host run: at batch 1 it doubles our decode over PASSIVE (70 against 38 tok/s) and llama.cpp's
# (128 against 52; docs/benchmarks.md, 2026-12-05). On a
# machine busy with other work, OMP_WAIT_POLICY=PASSIVE keeps two spinning threads from stalling
# each other; the report prints the policy used.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-ACTIVE}"
load() { printf '{"load_avg":"%s","date":"%s","host_cpu":"%s","omp_wait_policy":"%s"}\n' \
	"$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)" \
	"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$OMP_WAIT_POLICY"; }
: >"$OUT"
load | tee -a "$OUT"
for d in $DTYPES; do
	echo "==> gonka-inference --dtype $d" >&2
	"$BENCH" "$MODEL" --dtype "$d" "${SHAPES[@]}" | tee -a "$OUT"
done
for d in f32 bf16; do
	echo "==> transformers $d" >&2
	"$PY" "$SCRIPT_DIR/inference_peers.py" transformers "$MODEL" --dtype "$d" "${SHAPES[@]}" 2>/dev/null | tee -a "$OUT"
done
echo "==> llama.cpp" >&2
"$PY" "$SCRIPT_DIR/inference_peers.py" llamacpp "$MODEL" "${SHAPES[@]}" 2>/dev/null | tee -a "$OUT"
load | tee -a "$OUT"
echo "raw results: $OUT" >&2
python3 "$SCRIPT_DIR/inference_report.py" "$OUT"
