#!/usr/bin/env bash
# The REST API against its own contract: starts `dark8 serve` (the binary given, default the
# release build) on a free loopback port with a fresh home and workspace, validates
# /api/openapi.json as OpenAPI 3.1, then lets schemathesis fuzz every operation (no 5xx, every
# status code, content type and body as documented). The event stream is left out: it never
# ends by design; the Rust API tests cover it. Tools come from PyPI into a cached venv.
set -euo pipefail
DARK8="$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/dark8}")"
VENV="${DARK8_API_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dark8-api-contract-venv}"
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q 4.32.5; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet schemathesis==4.32.5 openapi-spec-validator==0.9.0
fi
home=$(mktemp -d)
workspace=$(mktemp -d)
log="$home/serve.log"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$workspace" && DARK8_HOME="$home" DARK8_LLM__PROVIDER=none exec "$DARK8" serve --port "$port") >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; cat "$log" >&2; rm -rf "$home" "$workspace"' EXIT
for _ in $(seq 1 100); do
    [ -s "$home/data/api-token" ] && grep -q "DARK8 API" "$log" && break
    sleep 0.1
done
token=$(cat "$home/data/api-token")
base="http://127.0.0.1:$port"
curl -sf -H "Authorization: Bearer $token" "$base/api/openapi.json" >"$home/openapi.json"
"$VENV/bin/openapi-spec-validator" "$home/openapi.json"
# The two endless streams (events over SSE, the browser's live frames) never end a response, so a
# fuzzer's read would only time out; their framing is tested by the server and front-end suites.
# The token rotation would lock the fuzzer out after its first call; the server's API tests and
# the dashboard E2E cover it.
"$VENV/bin/schemathesis" run "$base/api/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --phases examples,coverage,fuzzing --max-examples 50 --seed 1 \
    --exclude-path /api/v1/events --exclude-path /api/v1/browser/frames \
    --exclude-path /api/v1/server/token
