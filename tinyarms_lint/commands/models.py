"""``tinyarms-lint models list`` and ``models pull [ROLE]``: where each role's model is, and fetching it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..config import Config


def _config(config_path: Path | None) -> Config:
    from .. import git
    from ..config import load_config
    from ..errors import TinyarmsError

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    return load_config(root, config_path)


def _size(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return "-"
    return f"{size / 1e9:.2f} GB" if size >= 1e8 else f"{size / 1e6:.1f} MB"


@click.group("models")
def command() -> None:
    """The models of the model tier: one per role (code, language)."""


@command.command("list")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
def list_models(config_path: Path | None) -> None:
    """Each role's model file, its size, whether it is present, and where the setting comes from."""
    from ..llm.models import DEFAULTS, ROLES, locate
    from ..llm.openai import base_url

    config = _config(config_path)
    models = config.models
    rows: list[tuple[str, ...]]
    if models.get("backend") == "openai":
        url = str(models.get("url") or "")
        rows = [("ROLE", "MODEL", "SERVER")]
        rows += [
            (role, str(models.get(f"{role}_model_name") or models.get(role) or role), base_url(url)) for role in ROLES
        ]
    else:
        rows = [("ROLE", "FILE", "SIZE", "PRESENT", "SOURCE")]
        for role in ROLES:
            location = locate(role, models, config.root)
            present = location.present
            size = _size(location.path) if present else f"({DEFAULTS[role].approx_size})" if location.repo else "-"
            rows.append((role, str(location.path), size, "yes" if present else "no", location.source))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


@command.command("pull")
@click.argument("role", required=False, type=click.Choice(["code", "language"]))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
def pull_models(role: str | None, config_path: Path | None) -> None:
    """Download ROLE's model from the Hugging Face hub (default: every role the rules in force use)."""
    from ..engine import active_rules
    from ..llm.models import locate, pull
    from ..rules import load_rules

    config = _config(config_path)
    if role is not None:
        roles = [role]
    else:
        rules = active_rules(load_rules(config.rule_directories(), config.frontmatter_cache()), config)
        roles = sorted({r.role for r in rules if r.detector is None or r.llm}) or ["code"]
    for name in roles:
        location = locate(name, config.models, config.root)
        if location.present:
            click.echo(f"{name}: {location.path} is already present ({_size(location.path)})")
            continue
        click.echo(f"{name}: downloading {location.repo}/{location.filename} to {location.path.parent} ...", err=True)
        path = pull(location)
        click.echo(f"{name}: {path} ({_size(path)})")
