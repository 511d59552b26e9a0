"""Team rules measured on labeled lines of real code: with their ``match:`` selector and without it.

The rules are bench/team_rules/*.md, written the way a team would (from ruff/bandit, ESLint,
typescript-eslint and stylelint rule docs). The labels are bench/team_rules/labels.jsonl: lines of
pinned codebases (bench/wild_code.py) picked by bench/team_labels_extract.py and labeled by reading
each line against the rule's text before any tool output was seen; every third line is held out.

For each labeled line the rule runs alone on the real file with that line as the change (as in a
commit touching it). The line counts as flagged when a finding of the rule covers one of its lines
(``lines``: a statement spanning several lines). Modes:

- ``selector``: the rule as written; ``decides: true`` rules need no model;
- ``plain``: the same rule with ``match``, ``decides`` and ``question`` removed: the model is asked
  about the changed region and, after a "yes", points at a line.

``flag-everything`` is the baseline: every labeled line flagged.

Usage: ``.venv/bin/python bench/team_rules_accuracy.py --mode selector --model PATH.gguf [--set held-out]
[--limit N] [--out results.json]``. Verdicts and example calibrations are cached in
bench/.work/team-cache (a rerun asks nothing again).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from common import Rates, table

from tinyarms_lint.cache import VerdictCache
from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.rules import Rule, parse_rule

RULES = HERE / "team_rules"
LABELS = RULES / "labels.jsonl"
REPOS = HERE / ".work" / "wild" / "repos"
_TEAM_KEYS = re.compile(r"^(match|decides|question|uncertain):.*?(?=^\S|\Z)", re.DOTALL | re.MULTILINE)


@dataclass
class Score(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    asked: int = 0

    def add(self, flagged: bool, label: bool) -> None:
        """Count one labeled line: flagged or not, a violation or not."""
        if flagged and label:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif label:
            self.fn += 1
        else:
            self.tn += 1


def score_rows(rules: dict[str, Rule], scores: dict[str, Score], questions: bool) -> tuple[list[list[str]], int]:
    """The table rows (each rule, the total, flag-everything; with ``questions``, a model questions
    column) and the number of labeled lines scored."""

    def row(name: str, tier: str, s: Score) -> list[str]:
        cells = [name, tier, str(s.tp), str(s.fp), str(s.fn), str(s.tn), f"{s.precision:.2f}", f"{s.recall:.2f}"]
        return [*cells, str(s.asked)] if questions else cells

    total = Score()
    for score in scores.values():
        for name in ("tp", "fp", "fn", "tn", "asked"):
            setattr(total, name, getattr(total, name) + getattr(score, name))
    rows = [row(rid, rules[rid].tier, s) for rid, s in sorted(scores.items())]
    rows.append(row("total", "", total))
    positives = total.tp + total.fn
    lines_scored = positives + total.fp + total.tn
    everything = [
        "flag-everything",
        "",
        str(positives),
        str(lines_scored - positives),
        "0",
        "0",
        f"{positives / lines_scored:.2f}" if lines_scored else "-",
        "1.00",
    ]
    rows.append([*everything, "0"] if questions else everything)
    return rows, lines_scored


def load_rule(path: Path, mode: str) -> Rule:
    text = path.read_text(encoding="utf-8")
    if mode == "plain":
        head, _, body = text[4:].partition("\n---\n")
        head = _TEAM_KEYS.sub("", head + "\n").rstrip("\n")
        text = "---\n" + head + "\n---\n" + body
    return parse_rule(text, str(path))


_LOG_LINE = re.compile(r"^(\S+) (\S+):(\d+) label=(True|False) flagged=(True|False)$")


def score_log(path: Path, mode: str) -> None:
    """The table for the labeled lines a run has finished, from its per-line log."""
    rules = {p.stem: load_rule(p, mode) for p in sorted(RULES.glob("*.md"))}
    scores: dict[str, Score] = defaultdict(Score)
    for line in path.read_text(encoding="utf-8").splitlines():
        found = _LOG_LINE.match(line)
        if found is None:
            continue
        scores[found.group(1)].add(found.group(5) == "True", found.group(4) == "True")
    rows, n = score_rows(rules, scores, questions=False)
    print(table(["rule", "tier", "TP", "FP", "FN", "TN", "P", "R"], rows))
    print(f"\n{mode}: {n} labeled lines scored from {path.name}")


def prepare_codebases(labels: list[dict[str, object]]) -> None:
    """Fetch and unpack every pinned codebase the labels come from (once; bench/wild_code.py), and check
    that each labeled line still reads as it did when it was labeled."""
    from wild_code import codebase_named, prepare

    for name in sorted({str(item["codebase"]) for item in labels}):
        prepare(codebase_named(name))
    for item in labels:
        lines = (REPOS / str(item["codebase"]) / str(item["path"])).read_text(encoding="utf-8").splitlines()
        if lines[int(str(item["line"])) - 1].strip() != str(item["text"]).strip():
            raise SystemExit(f"{item['codebase']}/{item['path']}:{item['line']} no longer reads as labeled")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("selector", "plain"), required=True)
    parser.add_argument("--model", type=Path, help="GGUF file; without it, only rules that decide by match run")
    parser.add_argument("--set", dest="subset", choices=("all", "tuning", "held-out"), default="all")
    parser.add_argument("--limit", type=int, default=0, help="at most N labeled lines per rule")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--score-log", type=Path, help="score the per-line log (stderr) of a run, finished or not")
    args = parser.parse_args()
    if args.score_log is not None:
        score_log(args.score_log, args.mode)
        return

    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    prepare_codebases(labels)
    if args.subset != "all":
        labels = [item for item in labels if item["set"] == args.subset]
    if args.limit:
        kept: dict[str, int] = defaultdict(int)
        chosen = []
        for item in labels:
            if kept[item["rule"]] < args.limit:
                kept[item["rule"]] += 1
                chosen.append(item)
        labels = chosen
    rules = {p.stem: load_rule(p, args.mode) for p in sorted(RULES.glob("*.md"))}
    judge = None
    if args.model is not None:
        from tinyarms_lint.llm.judge import ModelJudge
        from tinyarms_lint.llm.llama import LlamaBackend

        cache_dir = HERE / ".work" / "team-cache"
        cache_dir.mkdir(parents=True, exist_ok=True)
        judge = ModelJudge({"code": LlamaBackend(args.model, threads=args.threads)}, VerdictCache(cache_dir))
    scores: dict[str, Score] = defaultdict(Score)
    rows_out = []
    started = time.perf_counter()
    for item in labels:
        rule = rules[item["rule"]]
        if judge is None and rule.tier != "static":
            continue
        repo = REPOS / item["codebase"]
        data = (repo / item["path"]).read_bytes()
        engine = Engine(Config(root=repo), [rule], judge)
        before = judge.calls if judge is not None else 0
        traced = len(judge.trace) if judge is not None else 0
        result = engine.run([Target(item["path"], functools.partial(bytes, data), frozenset(item["lines"]))])
        lines = set(item["lines"])
        hits = [f for f in result.findings if f.rule == rule.id and any(f.line <= n <= f.end_line for n in lines)]
        flagged = bool(hits)
        score = scores[rule.id]
        score.asked += (judge.calls - before) if judge is not None else 0
        score.add(flagged, bool(item["label"]))
        rows_out.append(
            {
                **{k: item[k] for k in ("rule", "codebase", "path", "line", "label", "set")},
                "flagged": flagged,
                "severity": hits[0].severity if hits else None,
                "confidence": hits[0].confidence if hits else None,
                "spans": [[f.line, f.end_line] for f in hits],  # on the line itself, or on a wider region
                # the largest model margin asked (or cached) for this line's candidates: for ranking (AUC)
                "margin": max((t[3] for t in judge.trace[traced:]), default=None) if judge is not None else None,
            }
        )
        print(
            f"{rule.id} {item['path']}:{item['line']} label={item['label']} flagged={flagged}",
            file=sys.stderr,
            flush=True,
        )
    elapsed = time.perf_counter() - started
    rows, lines_scored = score_rows(rules, scores, questions=True)
    print(table(["rule", "tier", "TP", "FP", "FN", "TN", "P", "R", "model questions"], rows))
    model = args.model.name if args.model is not None else "no model"
    print(f"\n{args.mode}, {model}, set {args.subset}: {lines_scored} labeled lines, {elapsed:.0f} s")
    if judge is not None:
        notes = [n for n in judge.notes]
        for note in notes:
            print(f"- note: {note}")
        judge.close()
    if args.out is not None:
        args.out.write_text(
            json.dumps(
                {"mode": args.mode, "model": model, "set": args.subset, "rows": rows_out, "elapsed_s": elapsed},
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
