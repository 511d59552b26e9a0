#!/usr/bin/env bash
# Runs the whole test suite. Fetches the small real GGUF test model for the model-tier tests
# (TINYARMS_TEST_MODEL); in CI (CI=true) a missing model is an error, elsewhere those tests skip.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bin=${VENV:-.venv}/bin
fetch=${FETCH_MODELS:-../shared/models/fetch-test-models}
if [ -z "${TINYARMS_TEST_MODEL:-}" ]; then
  if [ -x "$fetch" ]; then
    line=$("$bin/python" "$fetch" qwen2.5-coder-0.5b | tail -n 1)
    export TINYARMS_TEST_MODEL="${line#*$'\t'}"
    echo "test model: $TINYARMS_TEST_MODEL"
  elif [ "${CI:-}" = "true" ]; then
    echo "scripts/test.sh: $fetch not found; CI needs the test model" >&2
    exit 2
  else
    echo "note: no test model (set TINYARMS_TEST_MODEL=/path/to.gguf); model-tier tests will skip" >&2
  fi
fi
if [ "${CI:-}" = "true" ]; then
  export TINYARMS_REQUIRE_MODEL_TESTS=1
fi
exec "$bin/pytest" -q "$@"
