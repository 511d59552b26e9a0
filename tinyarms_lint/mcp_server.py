"""``tinyarms-lint mcp``: the linter as an MCP server over stdio, for coding agents (needs the ``mcp`` extra).

Tools: ``lint_code`` (code text and its path -> findings, the ``--format json`` document),
``lint_changes`` (the repository's staged or uncommitted changes -> findings), ``list_rules`` and
``explain_rule`` (the constitution, so an agent can read it before it writes code). Every lint is
``Engine.run``; the project is reloaded when its config or rule files change. Named ``mcp_server``,
not ``mcp``, so it never shadows the SDK.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .errors import TinyarmsError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .engine import Engine
    from .project import Project
    from .types import RunResult

INSTALL_HINT = "pip install 'tinyarms-lint[mcp]'"
INSTRUCTIONS = (
    "tinyarms-lint enforces this repository's written rules (its constitution). Read them with list_rules and "
    "explain_rule before writing code; check each file you write with lint_code (the text and its path), and "
    "everything you changed with lint_changes before you commit. Findings use the `tinyarms-lint --format json` "
    "schema; a finding with a `fix` says what to write instead."
)
T = TypeVar("T")


class LintToolError(TinyarmsError):
    """A tool call the linter cannot answer (bad arguments, broken config): the agent sees this line."""


class Linter:
    """The tools' implementation, independent of the MCP SDK; every call runs on one worker thread."""

    def __init__(self, directory: Path, use_model: bool = True) -> None:
        from .project import Projects

        self.directory = directory
        self.use_model = use_model
        self.projects = Projects()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="tinyarms-mcp")
        # the loaded project's Judge (None: no model usable) and the model tier's notes
        self._judge: tuple[Project, Any, list[str]] | None = None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self.pool.submit(fn, *args))

    def project(self) -> Project:
        from .project import Broken

        found = self.projects.get(self.directory)
        if isinstance(found, Broken):
            raise LintToolError(found.error)
        return found

    def _engine(self, project: Project, from_index: bool = False) -> Engine:
        judge = None
        if self.use_model and project.wants_model():
            if self._judge is None or self._judge[0] is not project:
                from .llm.factory import build_judge

                if self._judge is not None and self._judge[1] is not None:
                    self._judge[1].close()  # the config or rules changed: the models may have too
                self._judge = (project, *build_judge(project.config, project.rules))
            judge = self._judge[1]
        return project.engine(judge, from_index=from_index)

    def _report(self, result: RunResult, notes: list[str]) -> dict[str, Any]:
        from .reporters import REPORTERS
        from .types import RunResult

        if self._judge is not None and (self._judge[1] is not None or result.stats.unjudged):
            # as on the command line: the model tier's notes when something was asked of a model
            model_notes = self._judge[2]
            if self._judge[1] is None and model_notes:
                model_notes = [f"{result.stats.unjudged} ambiguous cases left undecided", *model_notes]
            result.stats.notes[:0] = model_notes
        result.stats.notes.extend(notes)
        document: dict[str, Any] = json.loads(REPORTERS["json"](RunResult(result.findings, result.stats, result.rules)))
        return document

    def lint_code(self, code: str, path: str, changed_lines: list[int] | None = None) -> dict[str, Any]:
        from . import languages
        from .engine import Target

        project = self.project()
        if not path.strip():
            raise LintToolError("path is empty: give the file's path in the repository, e.g. src/app.tsx")
        given = Path(path)
        if given.is_absolute():
            try:
                given.resolve().relative_to(project.root.resolve())
            except ValueError:
                raise LintToolError(f"{path}: outside the repository at {project.root}") from None
            relative = project.relative(given)
        else:
            if ".." in given.parts:
                raise LintToolError(f"{path}: give the path inside the repository, without '..'")
            relative = given.as_posix()
        if changed_lines is not None and any(line < 1 for line in changed_lines):
            raise LintToolError("changed_lines are 1-based line numbers")
        notes = []
        if languages.language_for_path(relative) is None:
            notes.append(f"{relative}: not checked, tinyarms-lint does not parse this file type")
        data = code.encode("utf-8")
        lines = frozenset(changed_lines) if changed_lines is not None else None
        result = self._engine(project).run([Target(relative, lambda: data, lines)])
        return self._report(result, notes)

    def lint_changes(self, staged: bool = False) -> dict[str, Any]:
        from . import git
        from .engine import Target
        from .targets import Selection, select_targets

        project = self.project()
        if not project.in_git:
            raise LintToolError(f"not a git repository: {project.root}")
        if staged:
            targets = select_targets(project.root, Selection(staged=True), project.root, True)
        else:
            if not git.has_head(project.root):
                raise LintToolError("the repository has no commit yet: use staged=true to lint the index")
            targets = select_targets(project.root, Selection(diff_base="HEAD"), project.root, True)
            seen = {t.path for t in targets}
            for path in git.untracked_files(project.root):
                if path not in seen and (project.root / path).is_file():
                    targets.append(Target(path, (project.root / path).read_bytes, None))
        result = self._engine(project, from_index=staged).run(targets)
        return self._report(result, [])

    def list_rules(self) -> dict[str, Any]:
        project = self.project()
        active = {r.id: r for r in project.rules}
        rules = []
        for rule_id, rule in sorted(project.all_rules.items()):
            shown = active.get(rule_id, rule)
            rules.append(
                {
                    "id": rule_id,
                    "title": shown.title,
                    "severity": shown.severity,
                    "tier": shown.tier,
                    "languages": sorted(shown.languages),
                    "active": rule_id in active,
                    "source": shown.source,
                }
            )
        return {"rules": rules}

    def explain_rule(self, rule_id: str) -> str:
        project = self.project()
        rule = next((r for r in project.rules if r.id == rule_id), project.all_rules.get(rule_id))
        if rule is None:
            known = ", ".join(sorted(project.all_rules))
            raise LintToolError(f"unknown rule {rule_id!r} (known: {known})")
        head = [
            f"# {rule.id}: {rule.title}",
            f"severity: {rule.severity}; tier: {rule.tier}; languages: {', '.join(sorted(rule.languages))}",
        ]
        if rule.options:
            head.append("options: " + ", ".join(f"{k}={v!r}" for k, v in rule.options.items()))
        return "\n".join(head) + "\n\n" + rule.body + "\n"

    def close(self) -> None:
        def close_judges() -> None:
            if self._judge is not None and self._judge[1] is not None:
                self._judge[1].close()

        self.pool.submit(close_judges).result(timeout=30)
        self.pool.shutdown()


def build_server(linter: Linter) -> Any:
    """The MCPServer with the four tools."""
    from mcp.server import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    from . import __version__

    server = MCPServer("tinyarms-lint", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    async def run(fn: Callable[..., T], *args: Any) -> T:
        try:
            return await linter.call(fn, *args)
        except TinyarmsError as exc:
            raise ToolError(str(exc)) from exc

    @server.tool()
    async def lint_code(code: str, path: str, changed_lines: list[int] | None = None) -> dict[str, Any]:
        """Lint code text as the file at `path` (repository-relative, e.g. src/Button.tsx; the extension picks
        the language and the path picks config globs). `changed_lines` (1-based) limits the check to the
        regions holding those lines, as the commit hook does; omit it to check the whole text. Returns the
        `tinyarms-lint --format json` document: {"version", "findings": [...], "summary": {...}}."""
        return await run(linter.lint_code, code, path, changed_lines)

    @server.tool()
    async def lint_changes(staged: bool = False) -> dict[str, Any]:
        """Lint what changed in the repository: with `staged` true, the index exactly as the commit hook
        will (content read from the index); otherwise every uncommitted change in the working tree against
        HEAD, new untracked files included (whole). Returns the `--format json` document."""
        return await run(linter.lint_changes, staged)

    @server.tool()
    async def list_rules() -> dict[str, Any]:
        """Every rule of this repository's constitution: id, title, severity, tier (static, static+llm or
        llm), languages, whether the config turns it on (`active`) and its source file."""
        return await run(linter.list_rules)

    @server.tool()
    async def explain_rule(rule_id: str) -> str:
        """One rule's full text (markdown): what it flags, why, a Bad and a Good example, its options and
        what it deliberately does not flag. Read it before writing code the rule governs."""
        return await run(linter.explain_rule, rule_id)

    return server


@click.command("mcp")
@click.option("--no-llm", is_flag=True, help="Static tier only; never load a model.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The repository to serve (default: the current directory).",
)
def command(no_llm: bool, root: Path | None) -> None:
    """Run the MCP server over stdio: lint_code, lint_changes, list_rules, explain_rule for coding agents."""
    try:
        import mcp.server  # noqa: F401
    except ImportError as exc:
        raise UsageError(f"the MCP server needs the mcp package, which is not installed: {INSTALL_HINT}") from exc
    directory = (root or Path.cwd()).resolve()
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such directory")
    linter = Linter(directory, use_model=not no_llm)
    try:
        build_server(linter).run("stdio")
    finally:
        linter.close()
