#!/usr/bin/env bash
# Provisions libtorch (PyTorch 2.11, the version tch 0.24 binds) for the GPU worker, idempotently.
#
# - With LIBTORCH_USE_PYTORCH=1 and an importable `torch` 2.11, nothing is downloaded: tch's build
#   finds that PyTorch itself.
# - With LIBTORCH already pointing at a libtorch folder, that folder is used.
# - Otherwise the PyPI wheel is unpacked into $GONKA_CACHE/libtorch. PyPI has no CPU-only torch, so
#   we take the CUDA wheel's include/ and its CPU libraries, drop libtorch.so's link to
#   libtorch_cuda.so (patchelf), and add the two small CUDA runtime libraries libtorch_cpu still
#   names. The same worker binary runs on CUDA when it is linked against a full libtorch instead.
#
# Prints the folder to use as LIBTORCH on its last line.
set -euo pipefail

GONKA_CACHE="${GONKA_CACHE:-$HOME/.cache/gonka}"
DEST="$GONKA_CACHE/libtorch"
TORCH_VERSION="2.11.0"
CUDART_VERSION="13.0.96"
CUPTI_VERSION="13.0.85"

if [ "${LIBTORCH_USE_PYTORCH:-0}" = "1" ]; then
	python3 -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.11') else 1)" || {
		echo "LIBTORCH_USE_PYTORCH=1 but python3 has no torch 2.11 (tch 0.24 needs PyTorch 2.11)" >&2
		exit 1
	}
	echo "pytorch"
	exit 0
fi

if [ -n "${LIBTORCH:-}" ] && [ "${LIBTORCH}" != "$DEST" ]; then
	[ -f "$LIBTORCH/lib/libtorch_cpu.so" ] || { echo "LIBTORCH=$LIBTORCH has no lib/libtorch_cpu.so" >&2; exit 1; }
	echo "$LIBTORCH"
	exit 0
fi

if [ -f "$DEST/.ready-$TORCH_VERSION" ]; then
	echo "$DEST"
	exit 0
fi

command -v patchelf >/dev/null || {
	echo "patchelf is missing: run scripts/setup.sh (it installs the system packages)" >&2
	exit 1
}

DL="$GONKA_CACHE/downloads"
mkdir -p "$DL"
echo "==> downloading torch $TORCH_VERSION and the CUDA runtime stubs from PyPI (~545 MB, once)" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
	--platform manylinux_2_28_x86_64 --platform manylinux_2_25_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d "$DL" \
	"torch==$TORCH_VERSION" "nvidia-cuda-runtime==$CUDART_VERSION" "nvidia-cuda-cupti==$CUPTI_VERSION" >&2

TMP="$(mktemp -d "$GONKA_CACHE/libtorch-unpack.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
echo "==> unpacking libtorch into $DEST" >&2
python3 - "$DL" "$TMP" "$TORCH_VERSION" <<'PY'
import glob, os, sys, zipfile
dl, out, version = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(os.path.join(out, "lib"), exist_ok=True)
wanted_libs = {"libtorch_cpu.so", "libc10.so", "libgomp.so.1", "libtorch.so", "libshm.so"}
torch_whl = glob.glob(os.path.join(dl, f"torch-{version}-*.whl"))[0]
with zipfile.ZipFile(torch_whl) as z:
    for name in z.namelist():
        if name.startswith("torch/include/"):
            z.extract(name, out)
        elif name.startswith("torch/lib/") and os.path.basename(name) in wanted_libs:
            target = os.path.join(out, "lib", os.path.basename(name))
            with z.open(name) as src, open(target, "wb") as dst:
                dst.write(src.read())
        elif name.startswith("torch/share/cmake/"):
            z.extract(name, out)
for pattern in ("nvidia_cuda_runtime-*.whl", "nvidia_cuda_cupti-*.whl"):
    whl = glob.glob(os.path.join(dl, pattern))[0]
    with zipfile.ZipFile(whl) as z:
        for name in z.namelist():
            base = os.path.basename(name)
            if "/lib/" in name and (base.startswith("libcudart.so") or base.startswith("libcupti.so")):
                target = os.path.join(out, "lib", base)
                with z.open(name) as src, open(target, "wb") as dst:
                    dst.write(src.read())
os.rename(os.path.join(out, "torch", "include"), os.path.join(out, "include"))
if os.path.isdir(os.path.join(out, "torch", "share")):
    os.rename(os.path.join(out, "torch", "share"), os.path.join(out, "share"))
PY
# libtorch.so names libtorch_cuda.so, which the CPU build never calls; drop the link.
if patchelf --print-needed "$TMP/lib/libtorch.so" | grep -q libtorch_cuda.so; then
	patchelf --remove-needed libtorch_cuda.so "$TMP/lib/libtorch.so"
fi
# The CPU libraries find their siblings through $ORIGIN.
for lib in "$TMP"/lib/*.so*; do
	patchelf --set-rpath '$ORIGIN' "$lib" 2>/dev/null || true
done
touch "$TMP/.ready-$TORCH_VERSION"
rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT
echo "$DEST"
