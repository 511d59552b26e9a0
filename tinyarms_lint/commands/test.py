"""``tinyarms-lint test``: run each rule on its own examples and annotated fixtures, per tier."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError

if TYPE_CHECKING:
    from ..rules import Rule
    from ..testing import MarginCases


def _default_fixtures(root: Path) -> Path | None:
    for candidate in (root / ".tinyarms" / "fixtures", root / "fixtures"):
        if candidate.is_dir():
            return candidate
    return None


def _calibrate(rule: Rule, judge: Any, margins: MarginCases) -> str:
    """Write the best threshold for ``rule`` and the judge's model into the rule's calibration.lock."""
    from ..llm.calibration import lock_path, write_threshold
    from ..testing import best_threshold

    backend = getattr(judge, "backends", {}).get(rule.role)
    if backend is None or not margins.judged:
        return f"calibrate {rule.id}: no model-judged labeled cases; threshold unchanged"
    floor = rule.min_precision or 0.0
    best = best_threshold(margins, floor)
    if best is None:
        return f"calibrate {rule.id}: no threshold reaches precision {floor}; threshold unchanged"
    threshold, precision, recall = best
    path = lock_path(rule)
    if path is None:
        return f"calibrate {rule.id}: nowhere to write a lock file"
    cases = len(margins.judged)
    write_threshold(
        path, rule, backend.identity(), threshold, precision=round(precision, 4), recall=round(recall, 4), cases=cases
    )
    return (
        f"calibrate {rule.id}: threshold {threshold:.3f} (precision {precision:.2f}, recall {recall:.2f}, "
        f"{cases} model-judged cases) written to {path}"
    )


def _example_calibrations(rules: list[Rule], judge: Any) -> list[dict[str, Any]]:
    """Each model-judged team rule's threshold for the judge's model: from calibration.lock, the rule's
    ``threshold:``, or its own Bad/Good examples (judged now at first use, then cached)."""
    if judge is None or not hasattr(judge, "calibration"):
        return []
    out = []
    for rule in rules:
        if rule.detector is not None or rule.decides or not rule.llm:
            continue
        backend = judge.backends.get(rule.role)
        if backend is None:
            continue
        found = judge.calibration(rule, backend)
        out.append({"rule": rule.id, "model": backend.identity(), **found.to_json()})
    return out


def _describe(entry: dict[str, Any]) -> str:
    def margins(values: list[float]) -> str:
        return "[" + ", ".join(f"{v:+.2f}" for v in values) + "]"

    text = f"calibration {entry['rule']}: threshold {entry['threshold']:+.3f} from {entry['source']}"
    if entry["source"] == "examples":
        neutral = entry["neutral"]
        text += f" (neutral input {neutral:+.2f}, Bad {margins(entry['bad'])}, Good {margins(entry['good'])})"
    text += ", calibrated" if entry["calibrated"] else ", NOT calibrated: model findings reported at info"
    if entry.get("note"):
        text += f"; {entry['note']}"
    return text


@click.command("test")
@click.argument("rule_ids", nargs=-1)
@click.option(
    "--fixtures",
    "fixtures_dir",
    type=click.Path(path_type=Path),
    help="Annotated fixtures (default: .tinyarms/fixtures or fixtures/ at the repository root).",
)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-llm", is_flag=True, help="Static tier only.")
@click.option(
    "--calibrate",
    is_flag=True,
    help="Pick each model-judged rule's threshold from the labeled fixtures and write it to calibration.lock "
    "(without fixtures: show the thresholds set from each team rule's own examples).",
)
@click.option(
    "--model-cases",
    is_flag=True,
    help="Score the static tier on the model-tier cases (fixtures/_llm) too, to compare the tiers on the same cases.",
)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def command(
    rule_ids: tuple[str, ...],
    fixtures_dir: Path | None,
    output_format: str,
    no_llm: bool,
    calibrate: bool,
    model_cases: bool,
    config_path: Path | None,
    debug: bool,
) -> None:
    """Measure rules (all, or RULE_IDS): TP, FP, FN, TN, precision and recall per tier.

    Exit 1 when a rule falls below its min_precision or min_recall, 0 otherwise.
    """
    from .. import git
    from ..config import load_config
    from ..errors import TinyarmsError
    from ..rules import load_rules
    from ..testing import MarginCases, below_floor, evaluate

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    config = load_config(root, config_path)
    all_rules = load_rules(config.rule_directories(), config.frontmatter_cache())
    for rule_id in rule_ids:
        if rule_id not in all_rules:
            raise UsageError(f"unknown rule {rule_id!r} (see `tinyarms-lint rules list`)")
    if fixtures_dir is not None and not fixtures_dir.is_dir():
        raise UsageError(f"{fixtures_dir}: fixtures directory not found")
    fixtures = fixtures_dir if fixtures_dir is not None else _default_fixtures(root)
    rules = [all_rules[r] for r in (rule_ids or sorted(all_rules))]

    judge = None
    notes: list[str] = []
    model_rules = [r for r in rules if r.detector is None or r.llm]
    if not no_llm and config.llm != "off" and model_rules:
        from ..llm.factory import build_judge

        judge, notes = build_judge(config, model_rules)

    if calibrate and (no_llm or judge is None):
        raise UsageError(
            "--calibrate needs the model tier: " + ("; ".join(notes) or "it is off (--no-llm or llm = off)")
        )
    for rule in rules:  # a team rule's match: compiles for each of its languages, or exit 2 naming the file
        if rule.selector is not None:
            from ..selectors import check_selector

            check_selector(rule.selector, rule.languages)
    scores = []
    failures: list[str] = []
    calibrated: list[str] = []
    for rule in rules:
        tiers: list[tuple[str, object]] = []
        if rule.detector is not None or rule.decides:  # a team rule decided by its match: is static
            tiers.append(("static", None))
        if judge is not None and not rule.decides and (rule.detector is None or rule.llm):
            tiers.append(("llm", judge))
        for tier, tier_judge in tiers:
            margins = MarginCases() if calibrate and fixtures is not None and tier == "llm" else None
            score = evaluate(
                rule,
                fixtures,
                tier_judge,  # type: ignore[arg-type]
                tier,
                root,
                set(all_rules),
                margins,
                True if model_cases else None,
            )
            scores.append(score)
            if margins is not None:
                calibrated.append(_calibrate(rule, judge, margins))
            for problem in below_floor(rule, score):
                failures.append(f"{rule.id} ({tier}): {problem}")

    example_calibrations = _example_calibrations(rules, judge)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "version": 1,
                    "fixtures": str(fixtures) if fixtures else None,
                    "scores": [s.to_json() for s in scores],
                    "failures": failures,
                    "calibrated": calibrated,
                    "calibrations": example_calibrations,
                    "notes": notes,
                },
                indent=2,
            )
        )
    else:
        header = f"{'rule':<28} {'tier':<6} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}  precision  recall  model verdicts  undecided"
        click.echo(header)
        for s in scores:
            verdicts = str(s.model_questions) if s.tier == "llm" else "-"
            click.echo(
                f"{s.rule:<28} {s.tier:<6} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.tn:>4}  {s.precision:>9.2f}  {s.recall:>6.2f}"
                f"  {verdicts:>14}  {s.undecided:>9}"
            )
            for miss in s.misses:
                click.echo(f"    {miss}")
        for line in calibrated:
            click.echo(line)
        for entry in example_calibrations:
            click.echo(_describe(entry))
        for line in notes:
            click.echo(f"note: {line}", err=True)
        for line in failures:
            click.echo(f"below floor: {line}", err=True)
    sys.exit(1 if failures else 0)
