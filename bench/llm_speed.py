"""Model tier speed and memory, with a real GGUF (the 1.5B by default).

1. Per judged candidate: the ambiguous magic-number candidates of fixtures/_llm/magic-numbers, asked
   again with the model loaded and the rule prefix already evaluated (no verdict cache).
2. The same commit judged tinyArms-style (whole changed file + the whole constitution in one prompt,
   asking for a JSON list of violations) vs this tool (only ambiguous candidates, small windows, the rule
   prefix evaluated once): prompt tokens processed and wall time, as ratios, in one run.
3. Peak RSS of a process that loads the model and answers one question, against the model file size.

  python bench/llm_speed.py [--model 1.5b|0.5b] [--generate 256]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from common import PROJECT, machine, table

sys.path.insert(0, str(PROJECT))

from accuracy_llm import FIXTURES, MODELS, model_path, strip_marks

from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.llm.judge import ModelJudge
from tinyarms_lint.llm.llama import LlamaBackend
from tinyarms_lint.rules import load_rules

# The commit: these fixture files change (whole files, as in a commit that adds them).
COMMIT = ["app/security.py", "src/components/OrderTable.tsx", "src/api/client.ts"]


def _targets(folder: Path, paths: list[str]) -> list[Target]:
    out = []
    for rel in paths:
        data = strip_marks((folder / rel).read_text(encoding="utf-8")).encode("utf-8")
        out.append(Target(rel, lambda data=data: data, None))
    return out


def per_candidate(backend: LlamaBackend, rules: dict) -> dict[str, float]:
    folder = FIXTURES / "magic-numbers"
    paths = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if language_for_path(p.name))
    rule = rules["magic-numbers"].with_overrides(None, {}, llm=True)  # measured whatever the shipped flag says
    warm = ModelJudge({"code": backend})
    started = time.perf_counter()
    Engine(Config(root=folder), [rule], warm).run(_targets(folder, paths))
    cold = time.perf_counter() - started
    tokens_before = backend.prompt_tokens
    judge = ModelJudge({"code": backend})
    started = time.perf_counter()
    Engine(Config(root=folder), [rule], judge).run(_targets(folder, paths))
    warm_seconds = time.perf_counter() - started
    n = judge.calls
    return {
        "candidates": n,
        "cold_run_s": cold,
        "per_candidate_s": warm_seconds / n,
        "tokens_per_candidate": (backend.prompt_tokens - tokens_before) / n,
        "question_s": judge.seconds / n,
    }


def explanation(backend: LlamaBackend, rules: dict) -> dict[str, float]:
    """The optional message of one confirmed finding: JSON under a grammar, rule prefix already cached."""
    from tinyarms_lint.llm import prompts
    from tinyarms_lint.llm.context import window
    from tinyarms_lint.regions import SourceFile

    folder = FIXTURES / "magic-numbers"
    text = strip_marks((folder / "app" / "security.py").read_text(encoding="utf-8"))
    file = SourceFile.parse("app/security.py", "python", text.encode("utf-8"))
    prompt = prompts.rule_prefix(rules["magic-numbers"]) + prompts.message_suffix(window(file, 8, 17), 14)
    before = backend.generated_tokens
    started = time.perf_counter()
    answer = backend.generate_json(prompt, prompts.MESSAGE_SCHEMA, prompts.MESSAGE_MAX_TOKENS)
    return {
        "seconds": time.perf_counter() - started,
        "tokens": backend.generated_tokens - before,
        "valid": float(answer is not None),
    }


def constitution(rules: dict) -> str:
    parts = []
    for rule in sorted(rules.values(), key=lambda r: r.id):
        parts.append(f"## {rule.id}: {rule.title}\n\n{rule.body}")
    return "\n\n".join(parts)


def tinyarms_style(backend: LlamaBackend, rules: dict, generate: int) -> dict[str, float]:
    """One prompt per changed file: the constitution, the whole file, and a request for a JSON list."""
    folder = FIXTURES / "magic-numbers"
    text = constitution(rules)
    tokens = 0
    started = time.perf_counter()
    generated = 0
    for rel in COMMIT:
        code = strip_marks((folder / rel).read_text(encoding="utf-8"))
        prompt = (
            "<|im_start|>system\nYou are a code reviewer enforcing the team's constitution.<|im_end|>\n"
            f"<|im_start|>user\nConstitution:\n\n{text}\n\nFile `{rel}`:\n```\n{code}\n```\n"
            'List every violation as JSON: [{"rule": ..., "line": ..., "message": ...}].<|im_end|>\n'
            "<|im_start|>assistant\n"
        )
        ids = backend.tokens(prompt)
        tokens += len(ids)
        backend.llm.n_tokens = 0  # nothing shared between files except what a cold start would have
        result = backend.llm.create_completion(ids, max_tokens=generate, temperature=0.0)
        generated += int(result["usage"]["completion_tokens"])  # type: ignore[index]
    return {"prompt_tokens": tokens, "seconds": time.perf_counter() - started, "generated": generated}


def ours(model: Path, rules: dict) -> dict[str, float]:
    """This tool on the same commit: a fresh backend (cold prefix), no verdict cache, every rule in force."""
    folder = FIXTURES / "magic-numbers"
    backend = LlamaBackend(model, n_ctx=4096)
    backend.load()  # loading is not part of either side's time
    judge = ModelJudge({"code": backend, "language": backend})
    engine = Engine(Config(root=folder), list(rules.values()), judge)
    started = time.perf_counter()
    engine.run(_targets(folder, COMMIT))
    seconds = time.perf_counter() - started
    result = {"prompt_tokens": backend.prompt_tokens, "seconds": seconds, "questions": judge.calls}
    backend.close()
    return result


PEAK = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from tinyarms_lint.llm.llama import LlamaBackend
    started = time.perf_counter()
    backend = LlamaBackend(Path(sys.argv[1]))
    backend.load()
    loaded = time.perf_counter() - started
    backend.margin("<|im_start|>system\\nYou review code.<|im_end|>\\n<|im_start|>user\\n" + "Rule text. " * 300,
                   "x = 3000<|im_end|>\\n<|im_start|>assistant\\nAnswer:")
    print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "load_s": loaded}))
    """
)


def peak_rss(model: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(model)], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="1.5b", choices=sorted(MODELS))
    parser.add_argument("--generate", type=int, default=256, help="max tokens of the tinyArms-style JSON answer")
    parser.add_argument(
        "--no-style",
        action="store_true",
        help="skip the tinyArms-style whole-constitution prompts (about 45k prompt tokens: ~20 min with the 1.5B)",
    )
    args = parser.parse_args()
    model = model_path(args.model)
    if model is None:
        print(f"Skipped: model {MODELS[args.model]} not found (../shared/models/fetch-test-models all).")
        return 0
    rules = load_rules([FIXTURES / "rules"])
    size_mb = model.stat().st_size / 1e6
    print(f"Measured on {machine()}, model {model.name} ({size_mb:.0f} MB), threads: llama.cpp defaults.\n")

    memory = peak_rss(model)
    backend = LlamaBackend(model, n_ctx=16384)
    speed = per_candidate(backend, rules)
    message = explanation(backend, rules)
    style = None if args.no_style else tinyarms_style(backend, rules, args.generate)
    backend.close()
    mine = ours(model, rules)

    style_rows: list[list[str]] = [
        [
            "commit, tinyarms-lint: prompt tokens / wall (s)",
            f"{mine['prompt_tokens']:.0f} / {mine['seconds']:.1f}",
            f"{mine['questions']:.0f} questions, all rules in force, cold",
        ]
    ]
    if style is not None:
        style_rows = [
            [
                "commit, tinyArms-style: prompt tokens / wall (s)",
                f"{style['prompt_tokens']:.0f} / {style['seconds']:.1f}",
                f"{len(COMMIT)} files x (constitution + file), {style['generated']:.0f} tokens generated",
            ],
            *style_rows,
            [
                "ratio tinyArms-style / tinyarms-lint",
                (
                    f"{style['prompt_tokens'] / max(1, mine['prompt_tokens']):.1f}x tokens, "
                    f"{style['seconds'] / max(1e-9, mine['seconds']):.1f}x time"
                ),
                "target >= 5x fewer tokens",
            ],
        ]
    rows = [
        ["model load (s)", f"{memory['load_s']:.1f}", ""],
        [
            "per judged candidate, prefix cached (s)",
            f"{speed['per_candidate_s']:.2f}",
            f"{speed['candidates']:.0f} candidates, {speed['tokens_per_candidate']:.0f} prompt tokens each; target < 0.5",
        ],
        ["same candidates, cold (rule prefix evaluated once) (s)", f"{speed['cold_run_s']:.1f}", ""],
        [
            "optional explanation of one confirmed finding (s)",
            f"{message['seconds']:.1f}",
            f"{message['tokens']:.0f} tokens generated under the JSON grammar; off by default",
        ],
        *style_rows,
        [
            "peak RSS with the model loaded (MB)",
            f"{memory['rss_mb']:.0f}",
            f"file {size_mb:.0f} MB + 600 = {size_mb + 600:.0f} MB target",
        ],
    ]
    print(table(["measure", "value", "notes"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
