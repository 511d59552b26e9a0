"""Model questions while something else keeps a core busy: threads fixed to the core count vs "auto".

A pre-commit hook often runs beside a compiler or a test suite. llama.cpp's threads wait for each other
after every operation, so a thread the kernel preempts stalls the rest (llm/threads.py). This measures
the narrow team-rule question (cached rule prefix, one selected span) with the model loaded in this
process, three ways in one run: on an idle machine with threads = cores (the baseline), and with
``--busy`` processes spinning at the same priority, once with threads = cores and once with the default
``threads`` unset (auto: the cores nobody else is running on, read before each question).

Usage: ``.venv/bin/python bench/threads_under_load.py [--model PATH.gguf] [--questions N] [--busy N]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import machine, table

from tinyarms_lint.llm import prompts
from tinyarms_lint.llm.threads import usable_cores
from tinyarms_lint.rules import load_rule_file

MODEL = Path("~/.cache/tinyarms-test-models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").expanduser()
RULE = HERE / "team_rules" / "py-no-print.md"
SPANS = [f'print("step {n}", amount * {n})' for n in range(40)]


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        pass


def _ask_all(model: Path, threads: int | None, count: int) -> list[float]:
    from tinyarms_lint.llm.llama import LlamaBackend

    rule = load_rule_file(RULE)
    backend = LlamaBackend(model, threads=threads)
    backend.margin(*prompts.selected_prompt(rule, "x = 1", "python"))  # warm: the prefix is evaluated
    walls = []
    for span in SPANS[:count]:
        started = time.perf_counter()
        backend.margin(*prompts.selected_prompt(rule, span, "python"))
        walls.append(time.perf_counter() - started)
    backend.close()
    return walls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--busy", type=int, default=1, help="processes spinning beside the model")
    args = parser.parse_args()
    cores = usable_cores()
    rows = []
    baseline = statistics.median(_ask_all(args.model, cores, args.questions))
    rows.append([f"idle machine, threads = {cores} (baseline)", f"{baseline:.2f}", "1.00x"])
    stop = multiprocessing.Event()
    spinners = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(args.busy)]
    for proc in spinners:
        proc.start()
    try:
        for label, threads in ((f"threads = {cores} (fixed)", cores), ("threads unset (auto)", None)):
            walls = _ask_all(args.model, threads, args.questions)
            median = statistics.median(walls)
            rows.append([f"{args.busy} busy process(es), {label}", f"{median:.2f}", f"{median / baseline:.2f}x"])
    finally:
        stop.set()
        for proc in spinners:
            proc.join()
    print(f"### Model threads under load ({time.strftime('%Y-%m-%d')}, {machine()}, model {args.model.name})\n")
    print(table(["questions asked", "wall s per question (median)", "vs baseline"], rows))
    print(f"\n{args.questions} narrow questions each (rule py-no-print, one selected span each); load average "
          f"after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
