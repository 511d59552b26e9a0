"""The warm hook against ESLint + stylelint on the same staged files, timed by hyperfine (Debian's package).

The standard commit (bench/commit/: TSX, SCSS, Python, ~60 changed lines) is staged on fixtures/demo, in
the repository bench/commit_speed.py builds below the peers' node_modules, and the hook runs as pre-commit
runs it (``PRE_COMMIT=1``, the three paths as arguments, the console script of a regular, non-editable
install in its own virtualenv as pre-commit makes one, bytecode cached, the rule and dry caches warm after
hyperfine's warm-up runs), twice: in its own process (``TINYARMS_NO_SERVER=1``) and handed to a warm
``tinyarms-lint serve`` started from the same install (what ``--warm`` starts). Baselines in the same
hyperfine run: the bare interpreter start (``python -c pass``) and ESLint + stylelint (bench/peers_speed.py's
pinned versions and configs) on the staged TSX and SCSS, one after the other as a pre-commit run of both
hooks does.

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
from typing import Any

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
    venv = hook_venv()
    lint = venv / "bin" / "tinyarms-lint"
    tsx = [f for f in files if f.endswith(".tsx")]
    scss = [f for f in files if f.endswith(".scss")]
    cache = tempfile.mkdtemp(prefix="tinyarms-hook-cache-")
    hook = f"env PRE_COMMIT=1 TINYARMS_CACHE_DIR={cache} {lint} check --no-llm -- {' '.join(files)}"
    peers = f"{shlex.join(eslint_command(tsx))} >/dev/null; {shlex.join(stylelint_command(scss))} >/dev/null"
    commands = {
        "python -c pass (interpreter start)": f"{venv / 'bin' / 'python'} -c pass",
        HERE: f"env TINYARMS_NO_SERVER=1 {hook}",
        SERVED: hook,
        "ESLint + stylelint on the staged TSX + SCSS": peers,
    }
    serve_env = {**os.environ, "TINYARMS_CACHE_DIR": cache}
    subprocess.run([str(lint), "serve"], cwd=repo, env=serve_env, check=True, capture_output=True)
    out = Path(tempfile.mkdtemp()) / "hyperfine.json"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PRE_COMMIT")}
    cmd = ["hyperfine", "--warmup", "3", "--runs", str(args.runs), "--ignore-failure", "--export-json", str(out)]
    for name, command in commands.items():
        cmd += ["--command-name", name, command]
    load_before = load_note()
    server_pid = _status(lint, repo, serve_env).get("pid")
    children_before = _children_cpu(server_pid)
    try:
        subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True)
        children_cpu = _children_cpu(server_pid) - children_before
        runs = _status(lint, repo, serve_env).get("runs")
        server_rss = _rss_mb(server_pid)
    finally:
        subprocess.run([str(lint), "serve", "--stop"], check=False, cwd=repo, env=serve_env, capture_output=True)
    results = {r["command"]: r for r in json.loads(out.read_text())["results"]}
    rows = []
    for name, result in results.items():
        rows.append(
            [
                name,
                f"{result['median'] * 1000:.0f} ms",
                f"{result['mean'] * 1000:.0f} ± {result['stddev'] * 1000:.0f} ms",
                f"{result['user'] * 1000:.0f} ms",
                f"{result['median'] / results[HERE]['median']:.2f}x",
                f"{result['median'] / results[SERVED]['median']:.2f}x",
            ]
        )
    print(
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} with hyperfine {_version()}, {args.runs} runs after 3 warm-up "
        f"runs; {load_before} before. Commit: {len(files)} files, {added} added/changed lines. Peers: "
        + ", ".join(f"{k} {v}" for k, v in sorted(versions.items()) if k in ("eslint", "stylelint"))
        + ".\n"
    )
    headers = ["command", "median wall", "mean ± σ", "user CPU (mean, this process)", "vs hook here", "vs hook served"]
    print(table(headers, rows))
    served = 3 + args.runs
    print(
        f"\nThe server ran {runs} checks (hyperfine's warm-up and timed runs of the served hook: {served}); "
        f"their processes (forked by the server, so not in hyperfine's CPU column) used "
        f"{children_cpu / served * 1000:.0f} ms of CPU (user + system) per check. The server's resident memory "
        f"(no model loaded): {server_rss} MB."
    )
    shutil.rmtree(cache, ignore_errors=True)


def _status(lint: Path, repo: Path, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [str(lint), "serve", "--status", "--json"], check=False, cwd=repo, env=env, capture_output=True, text=True
    )
    found: dict[str, Any] = json.loads(done.stdout) if done.returncode == 0 else {}
    return found


def _children_cpu(pid: object) -> float:
    """CPU seconds (user + system) of the reaped children of process ``pid`` (its forked checks)."""
    if not isinstance(pid, int):
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


def _rss_mb(pid: object) -> str:
    if not isinstance(pid, int):
        return "?"
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return f"{int(line.split()[1]) / 1024:.0f}"
    return "?"


HERE = "tinyarms-lint hook, 3 staged files, --no-llm, in its own process"
SERVED = "same, handed to a warm `tinyarms-lint serve`"


def hook_venv() -> Path:
    """A virtualenv with tinyarms-lint installed as pre-commit installs a hook (``pip install .``, not
    editable: an editable install's import hook alone costs ~15 ms at every start); its dependencies are
    the running interpreter's, seen through a .pth file."""
    venv = HOOK_VENV
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    own = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "zz_dependencies.pth").write_text("\n".join(own) + "\n", encoding="utf-8")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(PROJECT)]
    subprocess.run(pip, check=True, capture_output=True)
    return venv


HOOK_VENV = Path(__file__).resolve().parent / ".work" / "hook-venv"
PROJECT = Path(__file__).resolve().parent.parent


def _version() -> str:
    done = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().split()[-1] if done.stdout else "?"


if __name__ == "__main__":
    main()
