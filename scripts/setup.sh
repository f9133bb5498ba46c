#!/usr/bin/env bash
# One-time, idempotent machine setup for building and testing Gonka. Called by scripts/run-dev.sh
# and scripts/test.sh, so nobody has to run it by hand (but you may).
#
# - Debian packages: clang/libclang (bindgen for RocksDB), protoc (libp2p), patchelf (libtorch).
# - Rust: the wasm32v1-none target and rust-src (the runtime's WASM build).
# - libtorch 2.11 for the worker (scripts/setup-libtorch.sh).
# - The Python venv with test references and the SmolLM2 model (scripts/setup-python.sh).
# - Node.js, Debian's Chromium and the dashboard's npm packages (scripts/setup-dashboard.sh).
# - The zombienet CLI for the relay-backed network (scripts/setup-zombienet.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v clang >/dev/null || need_pkgs+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang*.so >/dev/null 2>&1 || need_pkgs+=(libclang-dev)
command -v protoc >/dev/null || need_pkgs+=(protobuf-compiler)
command -v patchelf >/dev/null || need_pkgs+=(patchelf)
python3 -c "import venv, ensurepip" 2>/dev/null || need_pkgs+=(python3-venv)
command -v node >/dev/null || need_pkgs+=(nodejs)
command -v npm >/dev/null || need_pkgs+=(npm)
command -v chromium >/dev/null || need_pkgs+=(chromium)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	echo "==> installing system packages: ${need_pkgs[*]}"
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -q '^wasm32v1-none$'; then
	echo "==> rustup target add wasm32v1-none"
	rustup target add wasm32v1-none
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
	echo "==> rustup component add rust-src"
	rustup component add rust-src
fi

bash scripts/setup-libtorch.sh >/dev/null
if [ -f scripts/setup-python.sh ]; then
	bash scripts/setup-python.sh >/dev/null
fi
bash scripts/setup-dashboard.sh
bash scripts/setup-zombienet.sh
