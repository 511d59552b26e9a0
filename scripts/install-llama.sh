#!/usr/bin/env bash
# Installs the tested llama-cpp-python into the venv ($VENV, default .venv), built so that it runs on
# this CPU and on any CPU with the same instruction set: no native detection, no AMX, AVX-512 only where
# this CPU has it (tinyarms_lint/llm/install.py picks the flags), and never from pip's wheel cache (a
# natively built wheel reused on another CPU dies with SIGILL). LLAMA_REINSTALL=1 rebuilds an installed one.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${VENV:-$here/.venv}/bin
flags="$here/tinyarms_lint/llm/install.py"
version=$("$bin/python" "$flags" --version)
if [ "${LLAMA_REINSTALL:-}" != "1" ] && "$bin/python" - "$version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("llama-cpp-python") == sys.argv[1] else 1)
PY
then
  echo "llama-cpp-python $version is installed (LLAMA_REINSTALL=1 rebuilds it)"
  exit 0
fi
CMAKE_ARGS=$("$bin/python" "$flags")
export CMAKE_ARGS
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}
echo "building llama-cpp-python $version (~5-8 min on 2 cores) with CMAKE_ARGS=$CMAKE_ARGS"
reinstall=()
[ "${LLAMA_REINSTALL:-}" = "1" ] && reinstall=(--force-reinstall --no-deps)
"$bin/python" -m pip install -q --no-cache-dir "${reinstall[@]}" "llama-cpp-python==$version"
