#!/usr/bin/env bash
# Regenerates the committed chain specs in chain-spec/ from the runtime's genesis presets.
# `cargo test -p gonka-node --test chain_specs` fails when they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --locked --workspace --tests
NODE="$CARGO_TARGET_DIR/debug/gonka-node"
"$NODE" build-spec --chain dev --disable-default-bootnode 2>/dev/null > chain-spec/gonka-dev.json
"$NODE" build-spec --chain local --disable-default-bootnode 2>/dev/null > chain-spec/gonka-local.json
echo "wrote chain-spec/gonka-dev.json chain-spec/gonka-local.json"
