"""One shared inference server vs a model in every linter process: verdicts per second, 1, 2 and 4 clients.

A repository of generated Python modules and one team rule that only a model can judge (``detector:
none``) is linted with ``--all`` by 1, 2 or 4 concurrent linter processes (``--shard I/N``, as CI matrix
jobs would), each with an empty verdict cache:

- baseline, "in-process": every process loads the GGUF itself (``backend = "llama"``);
- "shared server": every process asks one llama-cpp-python server (``python -m llama_cpp.server``,
  started and loaded before the timing), through ``backend = "openai"``.

Verdicts per second = model questions answered (the processes' ``llm_calls``) / wall time of the batch.

  python bench/server_speed.py [--model 0.5b|1.5b] [--functions 24]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import LINT, WORK, fresh_repo, git, machine, table

MODELS = {
    "0.5b": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "1.5b": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
}
RULE = """\
---
id: no-debug-prints
title: No print() calls left in code
severity: error
languages: [python]
role: code
detector: none
---

Use the logging module; a `print()` call is a debugging leftover that writes to the server's stdout.

## Bad

```python
def total(items):
    print("DEBUG", items)
    return sum(items)
```

## Good

```python
def total(items):
    log.debug("items %s", items)
    return sum(items)
```
"""


def model_file(name: str) -> Path:
    folder = Path(os.environ.get("TINYARMS_TEST_MODELS", Path.home() / ".cache" / "tinyarms-test-models"))
    path = folder / MODELS[name]
    if not path.is_file():
        sys.exit(f"{path} is missing: run ../shared/models/fetch-test-models qwen2.5-coder-{name}")
    return path


def build_repo(functions: int) -> Path:
    repo = fresh_repo(WORK / "server-speed")
    (repo / ".tinyarms" / "rules").mkdir(parents=True)
    (repo / ".tinyarms" / "rules" / "no-debug-prints.md").write_text(RULE)
    (repo / "shop").mkdir()
    for index in range(functions):
        body = '    print("DEBUG", order)\n' if index % 3 == 0 else '    log.debug("order %s", order)\n'
        (repo / "shop" / f"step_{index}.py").write_text(
            f"import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
            f"def step_{index}(order, rate):\n{body}    return order.total * (1 - rate) + {index}\n"
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "functions", "--no-verify")
    return repo


def run_clients(repo: Path, clients: int, env: dict[str, str], tag: str) -> tuple[float, int]:
    """Wall seconds and model questions of ``clients`` concurrent shard runs, each with a fresh cache."""
    processes = []
    started = time.perf_counter()
    for index in range(1, clients + 1):
        cache = WORK / "server-speed-cache" / f"{tag}-{clients}-{index}-{time.time_ns()}"
        processes.append(
            subprocess.Popen(
                [*LINT, "--all", "--format", "json", "--shard", f"{index}/{clients}"],
                cwd=repo,
                env={**os.environ, **env, "TINYARMS_CACHE_DIR": str(cache)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    questions = 0
    for process in processes:
        out, err = process.communicate()
        if process.returncode not in (0, 1):
            sys.exit(f"linter failed: {err}")
        questions += json.loads(out)["summary"]["llm_calls"]
    return time.perf_counter() - started, questions


def start_server(model: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1"]
        + ["--port", str(port), "--n_ctx", "4096", "--model_alias", "bench-model"]
        # all cores for every token (the server's default is half of them for generation) and its prompt
        # cache, which keeps a rule's evaluated prefix between requests: measured 2026-12-07, without
        # them the shared server was 0.56-0.80x of a model per process, with them 0.51-1.24x
        + ["--n_threads", str(os.cpu_count() or 1), "--cache", "true"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/v1/models", timeout=2):
                return process, f"{url}/v1"
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit("llama_cpp.server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=sorted(MODELS), default="0.5b")
    parser.add_argument("--functions", type=int, default=24)
    args = parser.parse_args()
    model = model_file(args.model)
    repo = build_repo(args.functions)
    config = repo / ".tinyarms.toml"
    rows = []
    base: dict[int, float] = {}
    config.write_text("")
    local_env = {"TINYARMS_CODE_MODEL": str(model), "TINYARMS_LANGUAGE_MODEL": ""}
    for clients in (1, 2, 4):
        wall, questions = run_clients(repo, clients, local_env, "local")
        base[clients] = questions / wall
        rows.append(
            [
                f"in-process model (baseline), {clients} client(s)",
                f"{questions}",
                f"{wall:.1f} s",
                f"{questions / wall:.2f}",
                "1.00x",
            ]
        )
    server, url = start_server(model)
    try:
        config.write_text(f'[models]\nbackend = "openai"\nurl = "{url}"\ncode = "bench-model"\n')
        for clients in (1, 2, 4):
            wall, questions = run_clients(repo, clients, {}, "server")
            rate = questions / wall
            rows.append(
                [
                    f"one shared llama_cpp.server, {clients} client(s)",
                    f"{questions}",
                    f"{wall:.1f} s",
                    f"{rate:.2f}",
                    f"{rate / base[clients]:.2f}x",
                ]
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; model {model.name}; load average before: "
        f"{os.getloadavg()[0]:.1f}; {args.functions} files with one function each, team rule `no-debug-prints`, "
        "`--all`, empty verdict caches.\n"
    )
    print(table(["setup", "model questions", "wall", "verdicts/s", "vs in-process, same clients"], rows))


if __name__ == "__main__":
    main()
