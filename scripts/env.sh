# Sourced by every script: one build cache outside the checkout, and libtorch for the worker.
# Usage: source scripts/env.sh   (after scripts/setup.sh has run once)
export GONKA_CACHE="${GONKA_CACHE:-$HOME/.cache/gonka}"
# The runtime's WASM build looks for Cargo.lock upwards from its OUT_DIR, which lives in the
# shared target dir outside the checkout: tell it where the workspace is.
export WASM_BUILD_WORKSPACE_HINT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One target dir for the whole machine, so CI and every command reuse the same build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$GONKA_CACHE/target}"
if [ "${LIBTORCH_USE_PYTORCH:-0}" != "1" ]; then
	export LIBTORCH="${LIBTORCH:-$GONKA_CACHE/libtorch}"
	# Binaries built with tch find libtorch through this path at run time.
	export LD_LIBRARY_PATH="$LIBTORCH/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# Python tools used by tests and benchmarks (numpy/gguf references, the openai client, the
# SmolLM2 model package) live in one venv.
export GONKA_VENV="${GONKA_VENV:-$GONKA_CACHE/venv}"
