"""What one forward pass costs against how many new tokens it evaluates after a cached prefix.

If a pass of 80 tokens took little more than a pass of 20, several candidates' questions should share
one pass (llama.cpp sequences sharing the rule prefix, logits read at each candidate's last token).
This measures it on the model as the linter loads it (2 threads, batch 512): wall time per pass for
1-160 new tokens after a 300-token prefix, median of 5 passes each.

Usage: ``.venv/bin/python bench/eval_cost.py [--model PATH.gguf] [--threads N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import machine, table

MODEL = Path("~/.cache/tinyarms-test-models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").expanduser()
SIZES = (1, 5, 10, 20, 40, 80, 160)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from llama_cpp import Llama

    llm = Llama(
        model_path=str(args.model),
        n_ctx=2048,
        n_batch=512,
        n_ubatch=512,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        use_mmap=False,
        verbose=False,
    )
    prefix = llm.tokenize(("You are a careful code reviewer. " * 40).encode(), add_bos=False)[:300]
    code = llm.tokenize(("x = compute(value, other) + 1\n" * 40).encode(), add_bos=False)
    llm.eval(prefix)
    rows = []
    single = 0.0
    for size in SIZES:
        walls = []
        for _ in range(5):
            llm.n_tokens = len(prefix)
            started = time.perf_counter()
            llm.eval(code[:size])
            walls.append(time.perf_counter() - started)
        median = statistics.median(walls)
        if size == 20:
            single = median
        per_20 = f"{median / (size / 20) / single:.2f}" if single and size >= 20 else ""
        rows.append([str(size), f"{median * 1000:.0f}", f"{size / median:.0f}", per_20])
    llm.close()
    print(f"### One forward pass against its new tokens ({time.strftime('%Y-%m-%d')}, {machine()}, "
          f"model {args.model.name}, {args.threads} threads)\n")
    print(table(["new tokens", "ms per pass (median of 5)", "tokens/s", "cost per 20 tokens vs one 20-token pass"], rows))


if __name__ == "__main__":
    main()
