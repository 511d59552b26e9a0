"""``tinyarms-lint test``: run each rule on its own examples and annotated fixtures, per tier."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import UsageError


def _default_fixtures(root: Path) -> Path | None:
    for candidate in (root / ".tinyarms" / "fixtures", root / "fixtures"):
        if candidate.is_dir():
            return candidate
    return None


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
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def command(
    rule_ids: tuple[str, ...],
    fixtures_dir: Path | None,
    output_format: str,
    no_llm: bool,
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
    from ..testing import below_floor, evaluate

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    config = load_config(root, config_path)
    all_rules = load_rules(config.rule_directories())
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

    scores = []
    failures: list[str] = []
    for rule in rules:
        tiers: list[tuple[str, object]] = []
        if rule.detector is not None:
            tiers.append(("static", None))
        if judge is not None and (rule.detector is None or rule.llm):
            tiers.append(("llm", judge))
        for tier, tier_judge in tiers:
            score = evaluate(rule, fixtures, tier_judge, tier, root, set(all_rules))  # type: ignore[arg-type]
            scores.append(score)
            for problem in below_floor(rule, score):
                failures.append(f"{rule.id} ({tier}): {problem}")

    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "version": 1,
                    "fixtures": str(fixtures) if fixtures else None,
                    "scores": [s.to_json() for s in scores],
                    "failures": failures,
                    "notes": notes,
                },
                indent=2,
            )
        )
    else:
        header = f"{'rule':<28} {'tier':<6} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}  precision  recall"
        click.echo(header)
        for s in scores:
            click.echo(
                f"{s.rule:<28} {s.tier:<6} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.tn:>4}  {s.precision:>9.2f}  {s.recall:>6.2f}"
            )
            for miss in s.misses:
                click.echo(f"    {miss}")
        for line in notes:
            click.echo(f"note: {line}", err=True)
        for line in failures:
            click.echo(f"below floor: {line}", err=True)
    sys.exit(1 if failures else 0)
