#!/usr/bin/env bash
# The embedded-engine tests with the real small model: fetches it (cached outside the repo),
# then runs the agent's, the CLI's and the core's tests built with the `embedded-llm` feature
# (needs cmake and libclang: `apt-get install cmake libclang-dev`).
set -euo pipefail
cd "$(dirname "$0")/.."
DARK8_TEST_MODEL="$(scripts/fetch-test-model.sh)"
export DARK8_TEST_MODEL
cargo test -p dark8-agent --features embedded-llm --test embedded_model
cargo test -p dark8-cli --features embedded-llm --test embedded
cargo test -p dark8-core --features embedded-llm --test model_examples
