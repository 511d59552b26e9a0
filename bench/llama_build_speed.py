"""llama-cpp-python builds and the model's child process, with a real GGUF (the 1.5B by default).

1. Prompt tokens/s and the time of one judged question (rule prefix already evaluated, ~100 new
   tokens) for two builds of llama-cpp-python 0.3.36 in one run: the portable build this venv uses
   (scripts/install-llama.sh: no native detection, no AMX, AVX-512 where the CPU has it) and a native
   one (``CMAKE_ARGS="-DGGML_NATIVE=ON"``) in another venv. Each build runs in its own process, the
   two alternate round by round, and the ratio native / portable is stated.
2. Per-question time of the model in process (LlamaBackend) against the model in a child process
   (WorkerBackend, what the CLI uses): the cost of the pipe and the JSON, as a ratio.

  python bench/llama_build_speed.py [--model 1.5b] [--native-python /work/wt/native-venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import PROJECT, machine, table

sys.path.insert(0, str(PROJECT))

PROMPT_TOKENS = 256
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "7"))  # the first evaluates the rule prefix too: not counted


def questions() -> tuple[str, list[str]]:
    """A rule prefix and question suffixes over windows of real code (this repository's engine.py)."""
    from tinyarms_lint.llm import prompts
    from tinyarms_lint.rules import load_rules

    prefix = prompts.rule_prefix(load_rules([])["magic-numbers"])
    lines = (PROJECT / "tinyarms_lint" / "engine.py").read_text(encoding="utf-8").splitlines()
    suffixes = []
    for index in range(QUESTIONS):
        window = "\n".join(f"{n + 1} | {lines[n]}" for n in range(100 + index * 12, 110 + index * 12))
        suffixes.append(
            f"File `engine.py`:\n```python\n{window}\n```\nDoes line {105 + index * 12} break the rule?"
            "<|im_end|>\n<|im_start|>assistant\nAnswer:"
        )
    return prefix, suffixes


def child(spec_path: Path) -> None:
    """Runs under the build being measured: raw prompt speed, then per-question time."""
    import llama_cpp

    from tinyarms_lint.llm.llama import LlamaBackend

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    backend = LlamaBackend(Path(spec["model"]))
    started = time.perf_counter()
    backend.load()
    load_s = time.perf_counter() - started
    llm = backend.llm
    text = (PROJECT / "tinyarms_lint" / "engine.py").read_text(encoding="utf-8")
    tokens = llm.tokenize(text.encode("utf-8"), add_bos=False)[:PROMPT_TOKENS]
    walls, cpus = [], []
    for _ in range(spec["repeats"]):
        llm.n_tokens = 0
        wall, cpu = time.perf_counter(), time.process_time()
        llm.eval(tokens)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    per_question = []
    for index, suffix in enumerate(spec["suffixes"]):
        started = time.perf_counter()
        backend.margin(spec["prefix"], suffix)
        if index:
            per_question.append(time.perf_counter() - started)
    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    backend.close()
    print(
        json.dumps(
            {
                "tokens": len(tokens),
                "walls": walls,
                "cpus": cpus,
                "load_s": load_s,
                "question_s": per_question,
                "system_info": info,
                "version": llama_cpp.__version__,
            }
        )
    )


def run_build(python: str, spec_path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [python, str(Path(__file__).resolve()), "--child", str(spec_path)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"},
    )
    if done.returncode != 0:
        raise SystemExit(f"{python}: exit {done.returncode}: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"# {python}: {json.dumps({k: v for k, v in result.items() if k != 'system_info'})}",
        file=sys.stderr,
        flush=True,
    )
    return result


def worker_vs_in_process(model: Path, prefix: str, suffixes: list[str], rounds: int) -> dict[str, list[float]]:
    from tinyarms_lint.llm.llama import LlamaBackend
    from tinyarms_lint.llm.worker import WorkerBackend

    times: dict[str, list[float]] = {"in process": [], "child process": []}
    for _ in range(rounds):
        for label, spent in times.items():
            backend: Any = LlamaBackend(model) if label == "in process" else WorkerBackend(model)
            backend.load()
            for index, suffix in enumerate(suffixes):
                started = time.perf_counter()
                backend.margin(prefix, suffix)
                if index:
                    spent.append(time.perf_counter() - started)
            backend.close()
    return times


def main() -> None:
    from accuracy_llm import MODELS, model_path  # not in the child: the other build's venv has only llama-cpp

    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=Path)
    parser.add_argument("--model", default="1.5b", choices=sorted(MODELS))
    parser.add_argument("--native-python", default="/work/wt/native-venv/bin/python")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    model = model_path(args.model)
    if model is None:
        raise SystemExit(f"model {MODELS[args.model]} not found (see bench/accuracy_llm.py)")
    prefix, suffixes = questions()
    builds = {"portable (this venv)": sys.executable, "native (GGML_NATIVE=ON)": args.native_python}
    results: dict[str, list[dict[str, Any]]] = {label: [] for label in builds}
    with tempfile.TemporaryDirectory() as folder:
        spec_path = Path(folder) / "spec.json"
        spec = {"model": str(model), "prefix": prefix, "suffixes": suffixes, "repeats": args.repeats}
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        for _ in range(args.rounds):  # alternate, so that a load change on the machine hits both builds
            for label, python in builds.items():
                results[label].append(run_build(python, spec_path))
    rows, speed = [], {}
    for label, runs in results.items():
        walls = [w for run in runs for w in run["walls"]]
        cpus = [c for run in runs for c in run["cpus"]]
        questions_s = [q for run in runs for q in run["question_s"]]
        tokens = runs[0]["tokens"]
        speed[label] = (tokens / statistics.median(walls), statistics.median(questions_s))
        rows.append(
            [
                label,
                f"{tokens / statistics.median(walls):.1f}",
                f"{tokens / statistics.median(cpus):.1f}",
                f"{statistics.median(questions_s):.2f}",
                f"{statistics.median(run['load_s'] for run in runs):.1f}",
            ]
        )
    (portable_tps, portable_q), (native_tps, native_q) = speed.values()
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}, model {model.name}.")
    print(f"llama-cpp-python {results['portable (this venv)'][0]['version']}; {args.rounds} alternating rounds.\n")
    headers = ["build", "prompt tok/s (wall)", "prompt tok/s (CPU time)", "per question (s)", "load (s)"]
    print(table(headers, rows))
    print(
        f"\nnative / portable: prompt tok/s x{native_tps / portable_tps:.2f}, per question x{native_q / portable_q:.2f}"
    )
    for label, runs in results.items():
        print(f"{label}: {runs[0]['system_info'].strip()}")
    sys.stdout.flush()
    times = worker_vs_in_process(model, prefix, suffixes, args.rounds)
    rows = [[label, f"{statistics.median(values):.2f}", str(len(values))] for label, values in times.items()]
    print()
    print(table(["model runs", "per question (s), median", "questions"], rows))
    in_process, child_process = (statistics.median(v) for v in times.values())
    print(f"\nchild / in process: per question x{child_process / in_process:.2f}")


if __name__ == "__main__":
    main()
