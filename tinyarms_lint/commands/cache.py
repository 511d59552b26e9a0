"""``tinyarms-lint cache stats | clear | export | import``: inspect, empty or share the verdict cache."""

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


@command.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
def export(file: Path, config_path: Path | None) -> None:
    """Write every cached verdict to FILE as JSON lines ('-' for stdout)."""
    import contextlib
    import sys
    from typing import TextIO

    from ..cache_transfer import export_lines

    cache = _open_cache(config_path)
    count = -1  # the header line is not a verdict
    try:
        with contextlib.ExitStack() as stack:
            out: TextIO = sys.stdout if str(file) == "-" else stack.enter_context(open(file, "w", encoding="utf-8"))
            for line in export_lines(cache):
                out.write(line + "\n")
                count += 1
    except OSError as exc:
        from ..errors import UsageError

        raise UsageError(f"{file}: cannot write ({exc.strerror or exc})") from exc
    finally:
        cache.close()
    _echo_warnings(cache)
    click.echo(f"exported {count} {'verdict' if count == 1 else 'verdicts'} to {file}", err=str(file) == "-")
    sys.stdout.flush()


@command.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
def import_(file: Path, config_path: Path | None) -> None:
    """Add the verdicts of FILE (from `cache export`) that are not cached yet; malformed lines are skipped."""
    import sys

    from ..cache_transfer import import_lines
    from ..errors import UsageError

    cache = _open_cache(config_path)
    try:
        if str(file) == "-":
            counts = import_lines(cache, sys.stdin)
        else:
            with open(file, encoding="utf-8", errors="replace") as handle:
                counts = import_lines(cache, handle)
    except OSError as exc:
        raise UsageError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    finally:
        cache.close()
    _echo_warnings(cache)
    if not cache.enabled:
        raise UsageError(f"verdict cache {cache.directory} is not usable; nothing imported")
    message = f"imported {counts.added} verdicts into {cache.directory} ({counts.present} already cached"
    message += f", {counts.malformed} malformed lines skipped)" if counts.malformed else ")"
    click.echo(message)

