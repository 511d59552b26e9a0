"""``tinyarms-lint merge REPORT...``: one report from the JSON or SARIF reports of CI shards."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("merge")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "sarif", "text", "github"]),
    help="Output format (default: the inputs' own; text and github need JSON inputs).",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to FILE instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Exit 1 only for findings at or above this severity (default: fail_on in config, else warning).",
)
def command(reports: tuple[Path, ...], output_format: str | None, output: Path | None, fail_on: str | None) -> None:
    """Combine shard REPORTS (all JSON or all SARIF) into one; exit 1 when it holds findings at or above
    fail_on, as `check` would."""
    from ..errors import UsageError
    from ..reporters import REPORTERS
    from ..reporters.merge import load_report, merge_json, merge_sarif, result_from_json, severities
    from ..severity import blocks

    loaded = [load_report(path) for path in reports]
    kinds = {kind for kind, _ in loaded}
    if len(kinds) > 1:
        raise UsageError("merge takes reports of one kind: all JSON (--format json) or all SARIF")
    kind = kinds.pop()
    wanted = output_format or kind
    documents = [document for _, document in loaded]
    if kind == "sarif":
        if wanted != "sarif":
            raise UsageError(f"SARIF reports merge into SARIF only; merge the JSON reports for --format {wanted}")
        merged = merge_sarif(documents)
        text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    else:
        merged = merge_json(documents)
        if wanted == "json":
            text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
        elif wanted == "sarif":
            raise UsageError("JSON reports merge into json, text or github; merge the shards' SARIF logs for SARIF")
        else:
            text = REPORTERS[wanted](result_from_json(merged))
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    threshold = fail_on or _configured_fail_on()
    sys.exit(1 if any(blocks(severity, threshold) for severity in severities(kind, merged)) else 0)


def _configured_fail_on() -> str:
    """``fail_on`` of the configuration where the merge runs (the repository's), else the default."""
    from .. import git
    from ..config import load_config
    from ..errors import TinyarmsError

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    return load_config(root).fail_on
