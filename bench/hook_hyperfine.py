"""The warm hook against ESLint + stylelint on the same staged files, timed by hyperfine (Debian's package).

The standard commit (bench/commit/: TSX, SCSS, Python, ~60 changed lines) is staged on fixtures/demo, in
the repository bench/commit_speed.py builds below the peers' node_modules, and the hook runs as pre-commit
runs it (``PRE_COMMIT=1``, the three paths as arguments, the installed console script, bytecode cached,
the rule and dry caches warm after hyperfine's warm-up runs). Baselines in the same hyperfine run: the bare
interpreter start (``python -c pass``) and ESLint + stylelint (bench/peers_speed.py's pinned versions and
configs) on the staged TSX and SCSS, one after the other as a pre-commit run of both hooks does.

  python bench/hook_hyperfine.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from commit_speed import commit_repo
from common import machine, table
from peers_speed import eslint_command, install_peers, load_note, stylelint_command, write_peer_configs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("hyperfine") is None:
        sys.exit("hyperfine is missing: apt-get install hyperfine")
    sys.argv.append("--as-shipped")  # commit_repo: the bundled rules as they ship (model tier off)
    versions = install_peers()
    repo, files, added = commit_repo()
    write_peer_configs(repo)
    lint = Path(sys.executable).with_name("tinyarms-lint")
    tsx = [f for f in files if f.endswith(".tsx")]
    scss = [f for f in files if f.endswith(".scss")]
    cache = tempfile.mkdtemp(prefix="tinyarms-hook-cache-")
    hook = f"env PRE_COMMIT=1 TINYARMS_CACHE_DIR={cache} {lint} --no-llm {' '.join(files)}"
    peers = f"{shlex.join(eslint_command(tsx))} >/dev/null; {shlex.join(stylelint_command(scss))} >/dev/null"
    commands = {
        "python -c pass (interpreter start)": f"{sys.executable} -c pass",
        "tinyarms-lint hook, 3 staged files, --no-llm": hook,
        "ESLint + stylelint on the staged TSX + SCSS": peers,
    }
    out = Path(tempfile.mkdtemp()) / "hyperfine.json"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PRE_COMMIT")}
    cmd = ["hyperfine", "--warmup", "3", "--runs", str(args.runs), "--ignore-failure", "--export-json", str(out)]
    for name, command in commands.items():
        cmd += ["--command-name", name, command]
    load_before = load_note()
    subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True)
    results = {r["command"]: r for r in json.loads(out.read_text())["results"]}
    ours = results["tinyarms-lint hook, 3 staged files, --no-llm"]
    rows = []
    for name, result in results.items():
        ratio = result["median"] / ours["median"]
        rows.append(
            [
                name,
                f"{result['median'] * 1000:.0f} ms",
                f"{result['mean'] * 1000:.0f} ± {result['stddev'] * 1000:.0f} ms",
                f"{result['user'] * 1000:.0f} ms",
                f"{ratio:.2f}x",
            ]
        )
    print(
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} with hyperfine {_version()}, {args.runs} runs after 3 warm-up "
        f"runs; {load_before} before. Commit: {len(files)} files, {added} added/changed lines. Peers: "
        + ", ".join(f"{k} {v}" for k, v in sorted(versions.items()) if k in ("eslint", "stylelint"))
        + ".\n"
    )
    print(table(["command", "median wall", "mean ± σ", "user CPU (mean)", "vs the hook"], rows))
    shutil.rmtree(cache, ignore_errors=True)


def _version() -> str:
    done = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().split()[-1] if done.stdout else "?"


if __name__ == "__main__":
    main()
