"""The calibrations of the team rules that ask a model, as the runs of team_rules_accuracy.py stored them.

For each model and mode: the margin of the content-free inputs (the question's bias), of the rule's Bad
and Good examples, the threshold set from them and whether the rule counts as calibrated. Read from
the runs' verdict cache (bench/.work/team-cache); a calibration not stored yet is computed (the model
is loaded then).

Usage: ``.venv/bin/python bench/team_calibrations.py --model PATH.gguf [--model PATH.gguf] [--mode selector|plain]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import table
from team_rules_accuracy import RULES, load_rule

from tinyarms_lint.cache import VerdictCache


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, action="append", required=True)
    parser.add_argument("--mode", choices=("selector", "plain"), default="selector")
    args = parser.parse_args()
    from tinyarms_lint.llm.judge import ModelJudge
    from tinyarms_lint.llm.llama import LlamaBackend

    rules = [load_rule(p, args.mode) for p in sorted(RULES.glob("*.md"))]
    rows = []
    for model in args.model:
        backend = LlamaBackend(model, threads=2)
        judge = ModelJudge({"code": backend}, VerdictCache(HERE / ".work" / "team-cache"))
        for rule in rules:
            if rule.tier == "static":
                continue
            found = judge.calibration(rule, backend)

            def shown(values: tuple[float, ...]) -> str:
                return ", ".join(f"{v:+.2f}" for v in values)

            rows.append(
                [
                    model.name.split("-instruct")[0],
                    args.mode,
                    rule.id,
                    f"{found.neutral:+.2f}" if found.neutral is not None else "",
                    shown(found.bad),
                    shown(found.good),
                    f"{found.threshold:+.2f}",
                    "yes" if found.calibrated else "no",
                ]
            )
        judge.close()
    print(table(["model", "mode", "rule", "neutral", "Bad", "Good", "threshold", "calibrated"], rows))


if __name__ == "__main__":
    main()
