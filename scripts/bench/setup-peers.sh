#!/usr/bin/env bash
# Creates (idempotently) the venv of the inference benchmark's peers, separate from the test venv
# because it is large and slow to build:
#   - torch 2.11 + transformers: the Hugging Face eager baseline (f32 and bf16). PyPI's torch wheel
#     pulls ~3 GB of CUDA libraries; the benchmark only runs it on CPU.
#   - llama-cpp-python: llama.cpp itself, compiled from source by pip once (~10 min on 2 cores).
# Prints the venv's python on its last line.
# Usage: scripts/bench/setup-peers.sh
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../env.sh
source "$SCRIPT_DIR/../env.sh"

VENV="${GONKA_BENCH_VENV:-$GONKA_CACHE/venv-bench}"
STAMP="$VENV/.gonka-bench-v1"
if [ ! -f "$STAMP" ]; then
	[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
	PIP=("$VENV/bin/pip" install --quiet --disable-pip-version-check)
	# The torch wheel is already in the cache when scripts/setup-libtorch.sh downloaded it.
	WHEEL="$(ls "$GONKA_CACHE"/downloads/torch-2.11.0-*.whl 2>/dev/null | head -1 || true)"
	"${PIP[@]}" ${WHEEL:+"$WHEEL"} "torch==2.11.0" "transformers==5.23.0" "accelerate==1.15.0" \
		"gguf==0.19.0" "numpy==2.4.6" "psutil==7.1.3"
	# CMAKE_ARGS: a portable native build; GGML_NATIVE picks this CPU's AVX-512/VNNI kernels.
	CMAKE_ARGS="-DGGML_NATIVE=ON" MAKEFLAGS="-j$(nproc)" "${PIP[@]}" --no-cache-dir "llama-cpp-python==0.3.36"
	touch "$STAMP"
fi
echo "$VENV/bin/python"
