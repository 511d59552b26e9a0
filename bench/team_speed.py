"""Speed of team rules with a model: narrow questions on selected spans, and a commit with a warm server.

1. In this process, the model loaded and each rule's prefix already evaluated (warm): the narrow
   question about one selected span (a ``match:`` candidate, ``question:`` asked), against the
   baseline measured in the same run: the question about the whole changed region that a rule
   without a selector gets (one per region, the old way of asking). Spans and regions come from the
   labeled real code of bench/team_rules (the lines of the model-judged rules). Wall and process CPU
   seconds (CPU counts the model's threads too, and is less sensitive to a shared machine's load).
2. The 10-function x 5-rule commit: a Python module whose 10 functions are changed, five team rules
   (four asking the model about selected spans, one decided by its match), ``tinyarms-lint serve``
   running with the model loaded and the rules' example calibrations already in the verdict cache;
   the hook run (``--staged``) is timed with every verdict new (the functions' literals changed), the
   baseline is the same commit with ``--no-llm``.

Usage: ``.venv/bin/python bench/team_speed.py [--model PATH.gguf] [--questions N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import LINT, fresh_repo, git, machine, run_once, table
from team_rules_accuracy import LABELS, REPOS, RULES, load_rule

from tinyarms_lint.llm import prompts
from tinyarms_lint.llm.context import window
from tinyarms_lint.regions import SourceFile, changed_regions
from tinyarms_lint.selectors import selector_candidates

MODEL = Path("~/.cache/tinyarms-test-models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").expanduser()
MODEL_RULES = ("py-no-print", "py-open-encoding", "py-no-assert", "py-hardcoded-secret")
COMMIT_RULES = (*MODEL_RULES, "py-requests-timeout")


def narrow_questions(model: Path, count: int) -> list[list[str]]:
    from tinyarms_lint.llm.llama import LlamaBackend

    backend = LlamaBackend(model, threads=2)
    backend.load()
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rules = {rid: load_rule(RULES / f"{rid}.md", "selector") for rid in MODEL_RULES}
    spans: list[tuple[str, str, str]] = []  # (rule id, selected code, language)
    regions: list[tuple[str, prompts.Window]] = []
    for item in labels:
        if item["rule"] not in rules:
            continue
        rule = rules[item["rule"]]
        assert rule.selector is not None
        file = SourceFile.parse(item["path"], "python", (REPOS / item["codebase"] / item["path"]).read_bytes())
        around = changed_regions(file, frozenset(item["lines"]))
        for candidate in selector_candidates(rule, rule.selector, file, clear=False):
            if any(candidate.span.overlaps_lines(r.span.line, r.span.end_line) for r in around):
                spans.append((rule.id, file.slice(candidate.span.start_byte, candidate.span.end_byte), "python"))
        for region in around:
            last = min(region.span.end_line, region.span.line + 59)  # a model unit is at most 60 lines
            regions.append((rule.id, window(file, region.span.line, last)))
    spans = spans[:count]
    regions = regions[: max(3, count // 4)]
    for rid in MODEL_RULES:  # warm: every rule prefix (and question) evaluated once before timing
        backend.margin(*prompts.selected_prompt(rules[rid], "x = 1", "python"))

    def timed(asks: list[tuple[str, str]]) -> tuple[list[float], list[float], list[int]]:
        walls, cpus, tokens = [], [], []
        for prefix, suffix in asks:
            before_tokens = backend.prompt_tokens
            wall, cpu = time.perf_counter(), time.process_time()
            backend.margin(prefix, suffix)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            tokens.append(backend.prompt_tokens - before_tokens)
        return walls, cpus, tokens

    narrow = timed([prompts.selected_prompt(rules[rid], code, lang) for rid, code, lang in spans])
    region = timed(
        [(prompts.rule_prefix(rules[rid]), prompts.region_suffix(shown, rules[rid].title)) for rid, shown in regions]
    )
    backend.close()
    rows = []
    for label, (walls, cpus, tokens) in (
        ("narrow question on a selected span", narrow),
        ("region question (baseline)", region),
    ):
        rows.append(
            [
                label,
                str(len(walls)),
                f"{statistics.median(tokens):.0f}",
                f"{statistics.median(walls):.2f}",
                f"{statistics.median(cpus):.2f}",
            ]
        )
    ratio = statistics.median(region[0]) / statistics.median(narrow[0])
    rows.append(["ratio baseline / narrow (wall)", "", "", f"{ratio:.1f}x", ""])
    return rows


COMMIT_MODULE = """\
import logging
import os
import requests

log = logging.getLogger(__name__)
"""
FUNCTION = """

def step_{n}(path, amount, session):
    assert amount > {n}{salt}, "amount must be above {n}{salt}"
    token = "tok-{n}-{salt}"
    print("step {n}-{salt}", amount)
    with open(path + ".{salt}") as handle:
        data = handle.read()
    return requests.get(session.url + "/{n}/{salt}", timeout={n}) and data
"""
# every selected span of every function carries the salt, so each run's verdicts are all new (a span
# asked before, even in another run, would be a verdict-cache hit)


def commit(model: Path, runs: int) -> list[list[str]]:
    work = Path(tempfile.mkdtemp(prefix="tinyarms-team-commit-"))
    cache = work / "cache"
    repo = fresh_repo(work / "repo")
    rules_dir = repo / ".tinyarms" / "rules"
    rules_dir.mkdir(parents=True)
    for rid in COMMIT_RULES:
        shutil.copy(RULES / f"{rid}.md", rules_dir / f"{rid}.md")
    module = repo / "jobs.py"
    module.write_text(COMMIT_MODULE)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base", "--no-verify")
    env = {
        "TINYARMS_CACHE_DIR": str(cache),
        "TINYARMS_CODE_MODEL": str(model),
        "TINYARMS_LANGUAGE_MODEL": "",
    }
    select = ["--select", ",".join(COMMIT_RULES)]

    def stage(salt: int) -> None:
        module.write_text(COMMIT_MODULE + "".join(FUNCTION.format(n=n, salt=salt) for n in range(10)))
        git(repo, "add", "-A")

    started = run_once([*LINT, "serve", "--idle-timeout", "120"], repo, env)
    if started[2] != 0:
        raise SystemExit(f"tinyarms-lint serve did not start: {started[3]}")
    rows = []
    try:
        stage(0)
        run_once([*LINT, "--staged", *select], repo, env)  # warm-up: model loaded, calibrations cached
        walls, calls = [], []
        for salt in range(1, runs + 1):
            stage(salt)  # every function's text new: every question is asked again
            wall, _, _, out = run_once([*LINT, "--staged", *select, "--format", "json"], repo, env)
            walls.append(wall)
            calls.append(json.loads(out)["summary"].get("llm_calls", 0) if out.strip().startswith("{") else -1)
        static = [run_once([*LINT, "--staged", *select, "--no-llm"], repo, env)[0] for _ in range(runs)]
        rows.append(["hook, warm server, every verdict new", str(runs), f"{statistics.median(walls):.1f}", str(calls)])
        rows.append(["same commit, --no-llm (baseline)", str(runs), f"{statistics.median(static):.2f}", "0"])
    finally:
        run_once([*LINT, "serve", "--stop"], repo, env)
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-commit", action="store_true")
    args = parser.parse_args()
    print(f"### Team rules: speed ({time.strftime('%Y-%m-%d')}, {machine()}, model {args.model.name})\n")
    print(
        table(
            ["question", "n", "prompt tokens (median)", "wall s (median)", "CPU s (median)"],
            narrow_questions(args.model, args.questions),
        )
    )
    if not args.skip_commit:
        print()
        print(
            table(
                ["10 functions x 5 team rules", "runs", "wall s (median)", "model questions"],
                commit(args.model, args.runs),
            )
        )
    print(f"\nload average while measuring: {os.getloadavg()}")


if __name__ == "__main__":
    main()
