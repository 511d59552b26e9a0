"""``tinyarms-lint cache stats`` and ``cache clear``: inspect or empty the verdict cache."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..cache import VerdictCache


def _open_cache(config_path: Path | None) -> VerdictCache:
    from .. import git
    from ..cache import VerdictCache, default_cache_dir
    from ..config import load_config
    from ..errors import TinyarmsError

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    config = load_config(root, config_path)
    return VerdictCache(default_cache_dir(config.cache_dir, root))


def _echo_warnings(cache: VerdictCache) -> None:
    for line in cache.warnings:
        click.echo(f"warning: {line}", err=True)


def _size(size_bytes: int) -> str:
    size = float(size_bytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size_bytes} B"  # pragma: no cover - the loop always returns


@click.group("cache")
def command() -> None:
    """Inspect or clear the cache of model verdicts."""


@command.command("stats")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as one JSON object.")
def stats(config_path: Path | None, as_json: bool) -> None:
    """Entries, size on disk and the hit rate of the last runs."""
    cache = _open_cache(config_path)
    try:
        numbers = cache.stats()
    finally:
        cache.close()
    _echo_warnings(cache)
    if as_json:
        import json

        click.echo(json.dumps(numbers, indent=2))
        return
    click.echo(f"directory: {numbers['directory']}")
    click.echo(f"entries:   {numbers['entries']}")
    click.echo(f"size:      {_size(numbers['size_bytes'])} ({numbers['size_bytes']} bytes)")
    if numbers["hit_rate"] is None:
        click.echo("hit rate:  no recorded runs yet")
    else:
        since = time.strftime("%Y-%m-%d %H:%M", time.localtime(numbers["recent_runs"][-1]["finished_at"]))
        runs = "the last run" if numbers["runs"] == 1 else f"the last {numbers['runs']} runs"
        click.echo(
            f"hit rate:  {numbers['hit_rate']:.1%} over {runs} since {since}"
            f" ({numbers['hits']} hits, {numbers['misses']} misses)"
        )


@command.command("clear")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
def clear(config_path: Path | None) -> None:
    """Remove every cached verdict and the run history."""
    cache = _open_cache(config_path)
    try:
        removed = cache.clear()
    finally:
        cache.close()
    _echo_warnings(cache)
    click.echo(f"removed {removed} {'entry' if removed == 1 else 'entries'} from {cache.directory}")
