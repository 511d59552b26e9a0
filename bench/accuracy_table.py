"""The README's accuracy table, produced by ``tinyarms-lint test``: per rule, static only, with the
0.5B and with the 1.5B test model standing in for both model roles.

Runs ``tinyarms-lint test --fixtures fixtures --format json`` once with ``--no-llm`` and once per
model (TINYARMS_CODE_MODEL and TINYARMS_LANGUAGE_MODEL set to the file), with the example team rules
of fixtures/_llm/rules added, and prints one markdown table. Rules with ``llm: false`` have no model
tier: their model columns repeat the static tier (the model is never asked). Thresholds are the ones
the rules ship with (calibration lock, frontmatter, else 0).

  python bench/accuracy_table.py [--models 0.5b,1.5b]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import LINT, PROJECT, machine, table

sys.path.insert(0, str(PROJECT))

from accuracy_llm import MODELS, model_path

TEAM_RULES = PROJECT / "fixtures" / "_llm" / "rules"


def run_test(model: Path | None, work: Path) -> dict[str, dict[str, object]]:
    """``tinyarms-lint test`` scores by rule: the model tier's when a model is given, else the static tier's."""
    config = work / "tinyarms.toml"
    config.write_text(f'rule_dirs = ["{TEAM_RULES}"]\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TINYARMS_CACHE_DIR"] = str(work / "cache")  # no verdict from an earlier run
    args = [*LINT, "test", "--fixtures", "fixtures", "--config", str(config), "--format", "json"]
    if model is None:
        args += ["--no-llm", "--model-cases"]  # the static tier on the same cases as the model tier
    else:
        env["TINYARMS_CODE_MODEL"] = env["TINYARMS_LANGUAGE_MODEL"] = str(model)
    done = subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"tinyarms-lint test failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    scores: dict[str, dict[str, object]] = {}
    for score in json.loads(done.stdout)["scores"]:
        if model is None or score["tier"] == "llm" or score["rule"] not in scores:
            scores[str(score["rule"])] = score
    return scores


def cell(score: dict[str, object] | None) -> str:
    if score is None:
        return "-"
    tp, fp, fn = (int(score[k]) for k in ("tp", "fp", "fn"))  # type: ignore[call-overload]
    text = f"{float(score['precision']):.2f} / {float(score['recall']):.2f} ({tp}/{fp}/{fn})"  # type: ignore[arg-type]
    return text if score["tier"] == "llm" else f"{text}, no model tier"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        columns = [("static only", run_test(None, work))]
        files = []
        for name in [m for m in args.models.split(",") if m]:
            path = model_path(name)
            if path is None:
                print(f"Skipped {name}: {MODELS[name]} not found (../shared/models/fetch-test-models all).")
                continue
            files.append(f"{path.name} ({path.stat().st_size / 1e6:.0f} MB)")
            columns.append((f"with {name}", run_test(path, work)))
    rules = sorted({rule for _, scores in columns for rule in scores})
    rows = []
    for rule in rules:
        static = columns[0][1].get(rule)
        row = [rule, "no detector" if static is None else cell(static).replace(", no model tier", "")]
        for _, scores in columns[1:]:
            score = scores.get(rule)
            row.append(cell(score) if score is not None and score["tier"] == "llm" else "model tier off (llm: false)")
        rows.append(row)
    print(
        f"Measured {datetime.date.today().isoformat()} on {machine()}; models: {', '.join(files) or 'none'}.\n"
        "Each cell: precision / recall (TP/FP/FN) over the rule's Bad/Good examples and its annotated fixtures,\n"
        "fixtures/<rule>/ and the model-tier cases fixtures/_llm/<rule>/, the same cases in every column. Reproduce: `python bench/accuracy_table.py`.\n"
    )
    print(table(["rule", *[label for label, _ in columns]], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
