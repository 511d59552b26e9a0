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
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from team_rules_accuracy import RULES, Score


def model_judged(mode: str) -> set[str]:
    """Rules whose verdicts come from the model in ``mode`` (in plain mode, every rule)."""
    names = {p.stem for p in RULES.glob("*.md")}
    if mode == "plain":
        return names
    return {n for n in names if "decides: true" not in (RULES / f"{n}.md").read_text(encoding="utf-8")}


def score(rows: list[dict[str, object]], blocking: bool) -> Score:
    counted = Score()
    for row in rows:
        counted.add(bool(row["flagged"]) and (not blocking or row["severity"] in ("warning", "error")), bool(row["label"]))
    return counted


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
                s = score(rows, blocking)
                name = f"{run['mode']}, {run['model']}"
                print(f"| {name} | {scope} | {label} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
