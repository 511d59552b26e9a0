#!/usr/bin/env bash
# Copies fixtures/demo into a fresh git repository in a temp dir and lints it, the way CI would.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lint=${TINYARMS_LINT:-"$here/.venv/bin/tinyarms-lint"}
work=$(mktemp -d "${TMPDIR:-/tmp}/tinyarms-demo.XXXXXX")
cp -R "$here/fixtures/demo/." "$work/"
cd "$work"
git init -q -b main
git add -A
git -c user.name=demo -c user.email=demo@example.com commit -qm "demo shop" --no-verify
echo "\$ tinyarms-lint --all --no-llm    (in $work)"
set +e
"$lint" --all --no-llm
code=$?
set -e
echo "exit code: $code (0 clean, 1 findings, 2 error)"
[ "$code" -le 1 ]
