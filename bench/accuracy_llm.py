"""Accuracy of the model tier on the labeled cases in fixtures/_llm: static only vs static + each model.

Each folder ``fixtures/_llm/<rule-id>/`` holds realistic files whose lines carry ``expect:``/``ok:``
marks (the marks are stripped before linting, so no model ever reads a label). LLM-only rules come from
``fixtures/_llm/rules/``. A case is a line: flagged lines of the folder's rule are compared with its
``expect:`` lines (an unmarked flagged line is a false positive), as in tests/test_fixtures.py.

Besides precision and recall at the rule's threshold (calibration lock, frontmatter, else 0), it prints
the ROC AUC of the margins over the model-judged cases: how well the margin separates violations from
clean code whatever the threshold.

  python bench/accuracy_llm.py [--models 0.5b,1.5b] [--rules magic-numbers,...] [--cases]
Models are looked up in $TINYARMS_TEST_MODELS or ~/.cache/tinyarms-test-models (fetch them with
../shared/models/fetch-test-models all); a missing one is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import PROJECT, Rates, machine, table

sys.path.insert(0, str(PROJECT))

from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.marks import parse_marks, strip_marks
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rules
from tinyarms_lint.testing import MarginCases, best_threshold

FIXTURES = PROJECT / "fixtures" / "_llm"
MODELS = {
    "0.5b": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "1.5b": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
}


@dataclass
class Score(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    seconds: float = 0.0
    questions: int = 0
    # (label, margin) for every model-judged case
    margins: list[tuple[bool, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    flagged: dict[str, set[int]] = field(default_factory=dict)
    positives: int = 0
    static_tp: int = 0  # of the lines the static tier flags
    static_fp: int = 0


def auc(pairs: list[tuple[bool, float]]) -> float | None:
    """Probability that a random violation gets a larger margin than a random clean case."""
    pos = [m for label, m in pairs if label]
    neg = [m for label, m in pairs if not label]
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def model_path(name: str) -> Path | None:
    folder = Path(os.environ.get("TINYARMS_TEST_MODELS", Path.home() / ".cache" / "tinyarms-test-models"))
    path = folder / MODELS[name]
    return path if path.is_file() else None


def evaluate(
    rule_id: str,
    rules: dict,
    judge: object | None,
    cases_out: list[str] | None,
    static_lines: dict[str, set[int]] | None = None,
) -> Score:
    """Score one rule's folder; with a judge, also collect each model-judged line's margin.

    ``static_lines`` (the static tier's flagged lines per file) lets a judged line be told apart from a
    line the static tier decides anyway. A line with several judged candidates gets their largest margin.
    """
    folder = FIXTURES / rule_id
    rule = rules[rule_id].with_overrides(None, {}, llm=True)  # measured whatever the shipped flag says
    score = Score()
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(root=Path(tmp))
        engine = Engine(config, [rule], judge, DirectoryRepository(folder))  # type: ignore[arg-type]
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and language_for_path(p.name)):
            text = path.read_text(encoding="utf-8")
            marks = parse_marks(text)
            clean = strip_marks(text).encode("utf-8")
            rel = path.relative_to(folder).as_posix()
            started = time.perf_counter()
            trace_start = len(getattr(judge, "trace", []))
            result = engine.run([Target(rel, lambda data=clean: data, None)])
            score.seconds += time.perf_counter() - started
            flagged = {f.line for f in result.findings if f.rule == rule_id}
            score.flagged[rel] = flagged
            expected = set(marks.expected.get(rule_id, frozenset()))
            labeled_ok = set(marks.ok.get(rule_id, frozenset()))
            score.positives += len(expected)
            score.tp += len(flagged & expected)
            score.fp += len(flagged - expected)
            score.fn += len(expected - flagged)
            score.tn += len(labeled_ok - flagged)
            decided = (static_lines or {}).get(rel, set())
            per_line: dict[int, float] = {}
            for _, _, line, margin in getattr(judge, "trace", [])[trace_start:]:
                if line not in decided:
                    per_line[line] = max(margin, per_line.get(line, -1e9))
            score.static_tp += len(decided & expected)
            score.static_fp += len(decided - expected)
            for line, margin in sorted(per_line.items()):
                score.margins.append((line in expected, margin))
                if cases_out is not None:
                    label = "expect" if line in expected else "ok" if line in labeled_ok else "unmarked"
                    cases_out.append(f"{rule_id} {rel}:{line} {label} margin={margin:+.2f}")
            for note in result.stats.notes:
                score.errors.append(note)
    return score


def cross_validated(score: Score, min_precision: float) -> tuple[int, int, int] | None:
    """TP, FP, FN when each judged line is decided by a threshold calibrated on the other lines
    (leave-one-out, as `tinyarms-lint test --calibrate` would pick it), so no line judges itself."""
    if not score.margins:
        return None
    tp, fp = score.static_tp, score.static_fp
    for index, (positive, margin) in enumerate(score.margins):
        rest = MarginCases(
            judged=score.margins[:index] + score.margins[index + 1 :],
            static_tp=score.static_tp,
            static_fp=score.static_fp,
            positives=score.positives - (1 if positive else 0),
        )
        best = best_threshold(rest, min_precision)
        if best is None or margin <= best[0]:
            continue
        tp += positive
        fp += not positive
    return tp, fp, score.positives - tp


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--rules", default="")
    parser.add_argument("--cases", action="store_true", help="print every model-judged case with its margin")
    args = parser.parse_args()

    from tinyarms_lint.llm.judge import ModelJudge
    from tinyarms_lint.llm.llama import LlamaBackend

    rules = load_rules([FIXTURES / "rules"])
    rule_ids = [r for r in args.rules.split(",") if r] or sorted(
        p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name in rules
    )
    configs: list[tuple[str, object | None]] = [("static only", None)]
    missing = []
    for name in [m for m in args.models.split(",") if m]:
        path = model_path(name)
        if path is None:
            missing.append(name)
            continue
        backend = LlamaBackend(path)  # no verdict cache and no prefix store: every question is asked
        configs.append((f"static + {name}", ModelJudge({"code": backend, "language": backend})))

    rows = []
    cases: list[str] = []
    for rule_id in rule_ids:
        static_lines: dict[str, set[int]] = {}
        floor = float(rules[rule_id].min_precision or 0.0)
        for label, judge in configs:
            score = evaluate(rule_id, rules, judge, cases if args.cases else None, static_lines)
            if judge is None:
                static_lines = score.flagged
            area = auc(score.margins)
            cv = cross_validated(score, floor) if judge is not None else None
            if cv is None:
                cv_cells = ["-", "-", "-"]
            else:
                tp, fp, fn = cv
                cv_p = tp / (tp + fp) if tp + fp else 1.0
                cv_r = tp / (tp + fn) if tp + fn else 1.0
                cv_cells = [f"{cv_p:.2f}", f"{cv_r:.2f}", f"{f1(cv_p, cv_r):.2f}"]
            judged = len(score.margins)
            rows.append(
                [
                    rule_id,
                    label,
                    str(score.positives),
                    f"{score.precision:.2f}",
                    f"{score.recall:.2f}",
                    f"{f1(score.precision, score.recall):.2f}",
                    *cv_cells,
                    "-" if area is None else f"{area:.2f}",
                    str(judged) if judge is not None else "-",
                    f"{score.seconds / judged:.2f}" if judged else "-",
                ]
            )
            print(f"{rule_id} {label}: {rows[-1]}", file=sys.stderr, flush=True)
    print(f"Measured on {machine()}.\n")
    print(
        table(
            [
                "rule",
                "tiers",
                "violations",
                "precision",
                "recall",
                "F1",
                "CV precision",
                "CV recall",
                "CV F1",
                "margin AUC",
                "model-judged lines",
                "s per judged line",
            ],
            rows,
        )
    )
    print(
        "\nprecision/recall/F1: at the threshold the rule ships with (calibration lock, frontmatter, else 0). "
        "CV: each judged line decided by the threshold `--calibrate` picks from all the other lines "
        "(leave-one-out), so the numbers do not come from fitting the same cases."
    )
    if missing:
        print(f"\nSkipped (model file not found): {', '.join(missing)}.")
    if cases:
        print("\n```\n" + "\n".join(cases) + "\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
