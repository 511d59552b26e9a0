"""Precision and recall of team-rule runs (``team_rules_accuracy.py --out``), counting every finding and
counting only the findings that block a commit (``warning`` or ``error``; ``fail_on`` defaults to
``warning``): a rule the model does not calibrate on its own examples reports at ``info``.

Scored twice: over the rules a model judges in the run's mode, and over every rule.

Usage: ``python bench/team_rules_blocking.py RUN.json [RUN.json ...]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE / "team_rules"


def model_judged(mode: str) -> set[str]:
    """Rules whose verdicts come from the model in ``mode`` (in plain mode, every rule)."""
    names = {p.stem for p in RULES.glob("*.md")}
    if mode == "plain":
        return names
    return {n for n in names if "decides: true" not in (RULES / f"{n}.md").read_text(encoding="utf-8")}


def score(rows: list[dict[str, object]], blocking: bool) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for row in rows:
        flagged = bool(row["flagged"]) and (not blocking or row["severity"] in ("warning", "error"))
        if flagged and row["label"]:
            tp += 1
        elif flagged:
            fp += 1
        elif row["label"]:
            fn += 1
    return tp, fp, fn


def main(paths: list[str]) -> None:
    print("| run | rules | findings counted | TP | FP | FN | P | R |")
    print("|---|---|---|---|---|---|---|---|")
    for path in paths:
        run = json.loads(Path(path).read_text(encoding="utf-8"))
        judged = model_judged(run["mode"])
        for scope, rows in (
            ("model-judged", [r for r in run["rows"] if r["rule"] in judged]),
            ("all", run["rows"]),
        ):
            for label, blocking in (("all", False), ("blocking only", True)):
                tp, fp, fn = score(rows, blocking)
                precision = tp / (tp + fp) if tp + fp else 1.0
                recall = tp / (tp + fn) if tp + fn else 1.0
                name = f"{run['mode']}, {run['model']}"
                print(f"| {name} | {scope} | {label} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
