"""Command line: parses options and wires the stages; the one place that turns errors into exit 2."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

# Start-up allocates many objects that live as long as the process (modules, classes, compiled
# patterns) and makes few cycles: a young-generation collection every 700 allocations cost a hook
# run 5-10 ms (bench/README.md, "Hook vs ESLint + stylelint"). Long-running servers still collect.
gc.set_threshold(50_000)  # before importing click, so that its import benefits too

import click

from . import __version__
from .errors import TinyarmsError, UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT (and pre-commit exits)


# sub-commands that live in their own modules, imported only when used (start-up time matters)
_LAZY_COMMANDS = {
    "test": "tinyarms_lint.commands.test",
    "cache": "tinyarms_lint.commands.cache",
    "models": "tinyarms_lint.commands.models",
    "serve": "tinyarms_lint.commands.serve",
    "lsp": "tinyarms_lint.lsp.command",
    "mcp": "tinyarms_lint.mcp_server",
    "merge": "tinyarms_lint.commands.merge",
}


class _DefaultToCheck(click.Group):
    """A group whose default command is ``check``: ``tinyarms-lint a.py`` means ``check a.py``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = set(self.commands) | set(_LAZY_COMMANDS)
        if not args or (args[0] not in known and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        import importlib.util

        lazy = [name for name, module in _LAZY_COMMANDS.items() if importlib.util.find_spec(module) is not None]
        return sorted({*self.commands, *lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            try:
                module = importlib.import_module(_LAZY_COMMANDS[cmd_name])
            except ModuleNotFoundError:
                return None
            command: click.Command = module.command
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tinyarms-lint")
def main() -> None:
    """A constitutional linter: your team's rules, checked on every commit.

    Run `tinyarms-lint FILE...` (or `tinyarms-lint check ...`), `tinyarms-lint --all` in CI.
    """


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@main.command("check")
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--all", "all_files", is_flag=True, help="Check every tracked file (git ls-files).")
@click.option("--staged", is_flag=True, help="Check only lines staged in the index (automatic under pre-commit).")
@click.option("--diff-base", metavar="REF", help="Check only lines changed since REF (pull-request CI).")
@click.option("--stdin-filename", metavar="PATH", help="Read content from stdin and report it as PATH.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
)
@click.option("--no-llm", is_flag=True, help="Static tier only; never load a model.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
@click.option("--select", multiple=True, metavar="RULE,...", help="Only these rules.")
@click.option("--ignore", multiple=True, metavar="RULE,...", help="Skip these rules.")
@click.option("--fix", is_flag=True, help="Apply the fixes rules offer to the files checked (never the index).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Hide findings recorded in FILE.")
@click.option(
    "--write-baseline", "write_baseline_path", type=click.Path(path_type=Path), help="Record current findings in FILE."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes for the static tier (0: one per core). Used with 20 files or more and no model in play.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Exit 1 only for findings at or above this severity (default: fail_on in config, else warning).",
)
@click.option("--shard", metavar="I/N", help="Check only shard I of N of the selected files (CI matrix jobs).")
@click.option(
    "--warm",
    is_flag=True,
    help="Start `tinyarms-lint serve` in the background when none runs, so that later checks start warm.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks and timing details.")
def check(
    files: tuple[str, ...],
    all_files: bool,
    staged: bool,
    diff_base: str | None,
    stdin_filename: str | None,
    output_format: str,
    no_llm: bool,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    baseline_path: Path | None,
    write_baseline_path: Path | None,
    jobs: int,
    fail_on: str | None,
    shard: str | None,
    warm: bool,
    debug: bool,
) -> None:
    """Lint FILES (or the staged change, or the whole repository)."""
    del warm  # read by launcher.py, which starts the server before this runs
    from . import git
    from .config import load_config
    from .engine import Engine, Target, active_rules
    from .reporters import REPORTERS
    from .rules import load_rules
    from .severity import blocks
    from .targets import Selection, printable_path, select_targets, to_repo_path
    from .types import RunResult

    cwd = Path.cwd()
    try:
        root = git.repo_root(cwd)
        in_git = True
    except TinyarmsError:
        root, in_git = cwd, False
    config = load_config(root, config_path)
    all_rules = load_rules(config.rule_directories(), config.frontmatter_cache())
    rules = active_rules(all_rules, config, _split(select), _split(ignore))

    target_notes: list[str] = []  # files left out by the selection (symlinks), shown as skipped
    if stdin_filename is not None:
        if files or all_files or staged or diff_base:
            raise UsageError("--stdin-filename takes no files and no --all, --staged or --diff-base")
        data = sys.stdin.buffer.read()
        targets = [Target(printable_path(to_repo_path(root, stdin_filename, cwd)), lambda: data, None)]
        selection_reads_index = False
    else:
        in_hook = os.environ.get("PRE_COMMIT") == "1"
        from_ref = os.environ.get("PRE_COMMIT_FROM_REF") if in_hook else None
        to_ref = os.environ.get("PRE_COMMIT_TO_REF") if in_hook else None
        selection = Selection(
            paths=files,
            all_files=all_files,
            staged=staged or (in_hook and not all_files and not diff_base and not from_ref),
            diff_base=diff_base,
            from_ref=from_ref if from_ref and to_ref else None,
            to_ref=to_ref if from_ref and to_ref else None,
        )
        if in_hook and not in_git:
            raise UsageError(f"not a git repository: {cwd}")
        targets = select_targets(root, selection, cwd, in_git, target_notes)
        selection_reads_index = selection.staged
    shard_note = None
    if shard is not None:
        from .shards import parse_shard
        from .shards import select as select_shard

        chosen_shard = parse_shard(shard)
        selected = len(targets)
        targets = select_shard(targets, chosen_shard)
        shard_note = f"shard {chosen_shard}: {len(targets)} of {selected} files"

    judge = None
    notes: list[str] = []
    if not no_llm and config.llm != "off":
        from .llm.factory import build_judge

        judge, notes = build_judge(config, rules, fix=fix)
    from .repository import DirectoryRepository, GitRepository

    repository = GitRepository(root, from_index=selection_reads_index) if in_git else DirectoryRepository(root)
    engine = Engine(config, rules, judge, repository, known_rules=set(all_rules), fix=fix)
    progress = _progress_bar(len(targets)) if all_files and output_format == "text" and sys.stderr.isatty() else None
    try:
        result = engine.run(targets, jobs=jobs or (os.cpu_count() or 1), on_file=progress.update if progress else None)
    finally:
        if progress is not None:
            progress.close()
    failure = None
    if judge is not None:
        judge.close()
        if config.llm == "required":  # a model that stopped answering (crash, bad file): exit 2 after the report
            from .llm.factory import model_failure

            failure = model_failure(judge)
    if shard_note is not None:
        result.stats.notes.insert(0, shard_note)
    if judge is not None or result.stats.unjudged:
        # the model tier's notes matter only when something was (or would have been) asked of a model
        if judge is None and notes:
            notes = [f"{result.stats.unjudged} ambiguous cases left undecided", *notes]
        result.stats.notes[:0] = notes
    result.stats.skipped[:0] = target_notes
    if write_baseline_path is not None:
        from .baseline import write_baseline

        count = write_baseline(write_baseline_path, result.findings)
        click.echo(f"wrote {count} baseline entries for {len(result.findings)} findings to {write_baseline_path}")
        sys.exit(EXIT_CLEAN)
    findings = result.findings
    if baseline_path is not None:
        from .baseline import apply_baseline

        filtered = apply_baseline(baseline_path, findings, set(result.stats.whole_files))
        findings = filtered.findings
        result.stats.notes.extend(filtered.stale)
    applied_count = 0
    if fix:
        from .fixes import apply_fixes

        applied, findings, fix_notes = apply_fixes(root, findings, engine.linted)
        applied_count = len(applied)
        result.stats.notes.extend(fix_notes)
        for change in applied:
            click.echo(
                f"fixed {change.path}:{change.line}:{change.column}: {change.rule} {change.old!r} -> {change.new!r}",
                err=True,
            )
    fail_on = fail_on or config.fail_on
    result = RunResult(findings, result.stats, result.rules, fail_on)
    click.echo(REPORTERS[output_format](result), nl=False)
    if output_format == "text":
        for line in [*result.stats.skipped, *result.stats.notes]:
            if failure is None or failure not in line:
                click.echo(f"note: {line}", err=True)
    if failure is not None:
        click.echo(f"tinyarms-lint: error: {failure}", err=True)
        sys.exit(EXIT_ERROR)
    blocking = any(blocks(f.severity, fail_on) for f in findings)
    sys.exit(EXIT_FINDINGS if blocking or applied_count else EXIT_CLEAN)


class _ProgressBar:
    """A rich progress line on stderr (TTY only): files, regions and model calls so far."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("linting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            transient=True,
        )
        self.task = self.progress.add_task("lint", total=total, detail="")
        self.progress.start()

    def update(self, stats: Any) -> None:
        detail = f"{stats.files} files, {stats.regions} regions, {stats.llm_calls} model calls"
        self.progress.update(self.task, completed=stats.processed, detail=detail)

    def close(self) -> None:
        self.progress.stop()


def _progress_bar(total: int) -> _ProgressBar | None:
    try:
        import rich  # noqa: F401
    except ImportError:
        return None
    return _ProgressBar(total)


@main.group("rules")
def rules_group() -> None:
    """Inspect the rules in force."""


def _load_all_rules(config_path: Path | None) -> dict[str, Any]:
    from . import git
    from .config import load_config
    from .rules import load_rules

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    config = load_config(root, config_path)
    return load_rules(config.rule_directories(), config.frontmatter_cache())


@rules_group.command("list")
@click.option("--config", "config_path", type=click.Path(path_type=Path))
def rules_list(config_path: Path | None) -> None:
    """Id, severity, tier, role and source file of every rule."""
    rules = _load_all_rules(config_path)
    rows = [("ID", "SEVERITY", "TIER", "ROLE", "SOURCE")]
    rows += [(r.id, r.severity, r.tier, r.role, r.source) for r in sorted(rules.values(), key=lambda r: r.id)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])


@rules_group.command("show")
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(path_type=Path))
def rules_show(rule_id: str, config_path: Path | None) -> None:
    """Print one rule's description, examples and options."""
    rules = _load_all_rules(config_path)
    if rule_id not in rules:
        raise UsageError(f"unknown rule {rule_id!r} (see `tinyarms-lint rules list`)")
    rule = rules[rule_id]
    click.echo(f"{rule.id}: {rule.title}")
    click.echo(f"severity: {rule.severity}  tier: {rule.tier}  role: {rule.role}  source: {rule.source}")
    click.echo(f"languages: {', '.join(sorted(rule.languages))}")
    if rule.options:
        click.echo("options: " + ", ".join(f"{k}={v!r}" for k, v in rule.options.items()))
    click.echo()
    click.echo(rule.body)


def run(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and maps every error to exit 2 with one line on stderr."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        main.main(args=args, prog_name="tinyarms-lint", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        click.echo(f"tinyarms-lint: error: {exc.format_message()}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("tinyarms-lint: interrupted", err=True)
            return EXIT_INTERRUPTED
        click.echo("tinyarms-lint: aborted", err=True)
        return EXIT_ERROR
    except TinyarmsError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(f"tinyarms-lint: error: {exc}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("tinyarms-lint: interrupted", err=True)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place internal errors become exit 2
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(
            f"tinyarms-lint: internal error: {exc.__class__.__name__}: {exc} (rerun with --debug for a traceback)",
            err=True,
        )
        return EXIT_ERROR
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
