#!/usr/bin/env bash
# Regenerates every measured weight of the runtime in one command: runs each pallet's benchmarks
# with `gonka-bencher pallet` (the standard frame-benchmarking-cli command) against the runtime's
# `runtime-benchmarks` WASM, and writes
#   - pallets/<ours>/src/weights.rs          (trait + measured impls, scripts/bench/pallet-weights.hbs)
#   - runtime/src/weights/<frame pallet>.rs  (frame-benchmarking-cli's standard runtime template)
#   - $OUT/<pallet>.json                      (raw results)
# and prints docs/benchmarks.md's weights table (scripts/bench/weights_table.py, from the files).
#
# Usage: scripts/bench/weights.sh [pallet ...]     (default: every pallet below)
#   STEPS (50) and REPEAT (20) as in polkadot-sdk's own runs; STEPS=10 REPEAT=5 for a quick pass.
#   MIN_DURATION (10): seconds each benchmark repeats for at least; 0 runs exactly STEPS x REPEAT.
# Run it on an idle machine: the execution times are the measurement.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
# shellcheck source=../env.sh
source "$ROOT/scripts/env.sh"

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
MIN_DURATION="${MIN_DURATION:-10}"
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
	pallet_parameters pallet_transaction_payment pallet_referenda pallet_treasury)
# The genesis each pallet is measured on (default: the runtime's `development` preset).
# Referenda's benchmarks need a prepare period longer than the dev clock's one block.
declare -A PRESET=([pallet_referenda]=production_clock_benchmark)

if [ $# -gt 0 ]; then PALLETS=("$@"); else PALLETS=("${!OURS[@]}" "${FRAME[@]}"); fi

# A release bencher in its own target dir: the runtime's storage calls run in the host's trie
# code, which a debug build slows by an order of magnitude (the measured times would be its).
# First build ~1 h on 2 cores (the client stack in release), then seconds.
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$GONKA_CACHE/target-bench}"
(cd "$ROOT" && cargo build --release --locked -p gonka-runtime-bench --bin gonka-bencher)
# On PATH rather than by its path, so that the files' "Executed command" reads the same anywhere.
export PATH="$CARGO_TARGET_DIR/release:$PATH"
mkdir -p "$OUT" "$ROOT/runtime/src/weights"
cd "$ROOT"

for pallet in "${PALLETS[@]}"; do
	if [ -n "${OURS[$pallet]:-}" ]; then
		output="${OURS[$pallet]}/src/weights.rs"
		template=(--template scripts/bench/pallet-weights.hbs)
	else
		output="runtime/src/weights/$pallet.rs"
		template=()
	fi
	preset=()
	if [ -n "${PRESET[$pallet]:-}" ]; then preset=(--genesis-builder-preset "${PRESET[$pallet]}"); fi
	echo "==> $pallet -> $output" >&2
	gonka-bencher pallet --pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" --min-duration "$MIN_DURATION" \
		--wasm-execution compiled --header scripts/bench/weights-header.txt "${template[@]}" \
		"${preset[@]}" --output "$output" --json-file "$OUT/$pallet.json"
	# The raw results' path, as it would read on any machine.
	sed -i "s|$HOME/|~/|g" "$output"
done
echo "raw results: $OUT" >&2
python3 scripts/bench/weights_table.py pallets/*/src/weights.rs runtime/src/weights/*.rs
