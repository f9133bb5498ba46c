#!/usr/bin/env bash
# Regenerates every measured weight of the runtime in one command: runs each pallet's benchmarks
# with `gonka-bencher pallet` (the standard frame-benchmarking-cli command) against the runtime's
# `runtime-benchmarks` WASM, and writes
#   - pallets/<ours>/src/weights.rs          (trait + measured impls, scripts/bench/pallet-weights.hbs)
#   - runtime/src/weights/<frame pallet>.rs  (frame-benchmarking-cli's standard runtime template)
#   - $OUT/<pallet>.json                      (raw results, rendered again with weights-table.hbs;
#                                              weights_table.py prints docs/benchmarks.md's table)
#
# Usage: scripts/bench/weights.sh [pallet ...]     (default: every pallet below)
#   STEPS (50) and REPEAT (20) as in polkadot-sdk's own runs; STEPS=10 REPEAT=5 for a quick pass.
# Run it on an idle machine: the execution times are the measurement.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
# shellcheck source=../env.sh
source "$ROOT/scripts/env.sh"

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
OUT="${OUT:-$GONKA_CACHE/bench/weights-$(date -u +%Y%m%d-%H%M%S)}"

# Our pallets: their weights.rs carries the WeightInfo trait, so it is written from our template.
declare -A OURS=(
	[pallet_gonka_hosts]=pallets/hosts
	[pallet_gonka_sprint]=pallets/sprint
	[pallet_gonka_emission]=pallets/emission
	[pallet_gonka_inference]=pallets/inference
	[pallet_gonka_compute_voting]=pallets/compute-voting
)
# FRAME and Cumulus pallets the runtime configures with runtime/src/weights/<pallet>.rs.
FRAME=(frame_system frame_system_extensions pallet_balances pallet_session pallet_timestamp
	pallet_message_queue pallet_utility pallet_collator_selection cumulus_pallet_parachain_system
	cumulus_pallet_xcmp_queue cumulus_pallet_weight_reclaim pallet_scheduler pallet_preimage
	pallet_referenda pallet_parameters pallet_treasury pallet_transaction_payment)

if [ $# -gt 0 ]; then PALLETS=("$@"); else PALLETS=("${!OURS[@]}" "${FRAME[@]}"); fi

# A release bencher in its own target dir: the runtime's storage calls run in the host's trie
# code, which a debug build slows by an order of magnitude (the measured times would be its).
# First build ~1 h on 2 cores (the client stack in release), then seconds.
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$GONKA_CACHE/target-bench}"
(cd "$ROOT" && cargo build --release --locked -p gonka-runtime-bench --bin gonka-bencher)
BENCHER="$CARGO_TARGET_DIR/release/gonka-bencher"
mkdir -p "$OUT" "$ROOT/runtime/src/weights"
HEADER="$SCRIPT_DIR/weights-header.txt"

for pallet in "${PALLETS[@]}"; do
	if [ -n "${OURS[$pallet]:-}" ]; then
		output="$ROOT/${OURS[$pallet]}/src/weights.rs"
		template=(--template "$SCRIPT_DIR/pallet-weights.hbs")
	else
		output="$ROOT/runtime/src/weights/$pallet.rs"
		template=()
	fi
	echo "==> $pallet -> ${output#"$ROOT"/}" >&2
	(cd "$ROOT" && "$BENCHER" pallet --pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled \
		--header "$HEADER" "${template[@]}" --output "$output" \
		--json-file "$OUT/$pallet.json")
	(cd "$ROOT" && "$BENCHER" pallet --json-input "$OUT/$pallet.json" \
		--template "$SCRIPT_DIR/weights-table.hbs" --output "$OUT/$pallet.table.jsonl")
done
echo "raw results: $OUT" >&2
python3 "$SCRIPT_DIR/weights_table.py" "$OUT"/*.table.jsonl
