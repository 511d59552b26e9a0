"""The language server (``tinyarms-lint lsp``): diagnostics, code actions and hover over stdio, on pygls.

Each lint is ``Engine.run`` on the editor's text. The static tier runs first, on one worker thread,
and its diagnostics go out at once; when a rule may ask a model, the same text is linted again on a
second worker thread with the model (loaded in this process, or through `tinyarms-lint serve`), and
those diagnostics replace the static ones when they arrive. Every result carries the document
version it was computed for; a result for text the editor no longer holds is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..config import DEFAULT_TOKEN_FILES
from ..errors import TinyarmsError
from ..project import Broken, Project, Projects, is_config_or_rule_file
from ..types import Finding
from . import convert, edits
from .changed_lines import IndexReader

log = logging.getLogger("tinyarms_lint.lsp")

FIX_ALL_KIND = "source.fixAll.tinyarms"
# files whose change on disk means: reload the project or its detector data, and lint open documents again
WATCHED_GLOBS = ("**/.tinyarms.toml", "**/pyproject.toml", "**/.tinyarms/rules/*.md", *DEFAULT_TOKEN_FILES)


@dataclass
class Settings:
    """Client settings (``initializationOptions``, or ``tinyarms`` in ``workspace/didChangeConfiguration``)."""

    run_on_change: bool = False  # "run": "onType" lints while typing (debounced), "onSave" (default) does not
    debounce_ms: int = 300
    whole_file: bool = False  # "scope": "file" lints every line; "changed" (default) lines differing from the index
    model: bool = True  # false: static tier only, never load a model

    def update(self, options: Any) -> None:
        if not isinstance(options, dict):
            return
        options = options.get("tinyarms", options)
        if not isinstance(options, dict):
            return
        if options.get("run") in ("onType", "onSave"):
            self.run_on_change = options["run"] == "onType"
        if isinstance(options.get("debounceMs"), int) and options["debounceMs"] >= 0:
            self.debounce_ms = options["debounceMs"]
        if options.get("scope") in ("file", "changed"):
            self.whole_file = options["scope"] == "file"
        if isinstance(options.get("model"), bool):
            self.model = options["model"]


@dataclass
class Linted:
    """One lint of one document text: what was linted, and what was found."""

    uri: str
    version: int | None
    text: str
    project: Project | None
    path: str = ""
    changed_lines: frozenset[int] | None = None
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one-line errors and skipped-file notes
    error: bool = False  # problems[0] is an error (broken config, internal error), not a note


class Outdated(Exception):
    """The text a model pass is judging is no longer what the editor holds: the pass stops."""


class StopWhenOutdated:
    """A Judge that asks ``still_current`` before each model question and raises Outdated when the text
    has changed, so a long model pass for an old save never delays the pass for the new one."""

    def __init__(self, judge: Any) -> None:
        self.judge = judge
        self.still_current: Callable[[], bool] = lambda: True

    @property
    def calls(self) -> int:
        return int(self.judge.calls)

    @calls.setter
    def calls(self, value: int) -> None:
        self.judge.calls = value

    @property
    def cache_hits(self) -> int:
        return int(self.judge.cache_hits)

    @cache_hits.setter
    def cache_hits(self, value: int) -> None:
        self.judge.cache_hits = value

    @property
    def notes(self) -> list[str]:
        notes: list[str] = self.judge.notes
        return notes

    @notes.setter
    def notes(self, value: list[str]) -> None:
        self.judge.notes = value

    def _check(self) -> None:
        if not self.still_current():
            raise Outdated

    def judge_candidates(self, rule: Any, file: Any, candidates: Any) -> Any:
        self._check()
        return self.judge.judge_candidates(rule, file, candidates)

    def judge_region(self, rule: Any, file: Any, region: Any) -> Any:
        self._check()
        return self.judge.judge_region(rule, file, region)

    def translate(self, rule: Any, file: Any, candidate: Any) -> Any:
        self._check()
        return self.judge.translate(rule, file, candidate)

    def close(self) -> None:
        self.judge.close()


@dataclass
class ModelEngine:
    """The model tier of one loaded project: its judge (None: no model usable) and a warm engine."""

    project: Project
    judge: StopWhenOutdated | None
    engine: Any = None
    generation: int = -1


class TinyarmsServer(LanguageServer):
    """The pygls server plus the state of open documents, projects and the two worker threads."""

    def __init__(self) -> None:
        super().__init__("tinyarms-lint", __version__)
        self.settings = Settings()
        self.projects = Projects()
        self.index = IndexReader()
        self.static_pool = ThreadPoolExecutor(1, thread_name_prefix="tinyarms-static")
        self.model_pool = ThreadPoolExecutor(1, thread_name_prefix="tinyarms-model")
        self.published: dict[str, Linted] = {}
        self.model_results: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.shown_errors: set[str] = set()
        self.model_engines: dict[Path, ModelEngine] = {}  # by project root; model thread only
        self.model_notes: set[str] = set()

    # -- linting (worker threads) ----------------------------------------------------------------

    def lint_static(self, uri: str, version: int | None, text: str) -> Linted:
        """Static tier for ``text``; runs on the static worker thread."""
        fs_path = Path(to_fs_path(uri) or uri)
        found = self.projects.get(fs_path.parent, self._workspace_folder(fs_path))
        if isinstance(found, Broken):
            return Linted(uri, version, text, None, problems=[f"tinyarms-lint: {found.error}"], error=True)
        project = found
        path = project.relative(fs_path)
        data = text.encode("utf-8")
        changed: frozenset[int] | None = None
        if project.in_git and not self.settings.whole_file:
            try:
                changed = self.index.changed_lines(project.root, path, data)
            except TinyarmsError as exc:
                log.warning("%s: linting the whole file, cannot read the index (%s)", path, exc)
        result = project.lint(path, data, changed)
        self._log_notes(result.stats.notes)
        skipped = [f"tinyarms-lint: {note}" for note in result.stats.skipped if note.startswith(f"{path}:")]
        return Linted(uri, version, text, project, path, changed, result.findings, skipped)

    def _workspace_folder(self, path: Path) -> Path | None:
        """The innermost workspace folder holding ``path`` (the project root outside git)."""
        folders = [Path(to_fs_path(f.uri) or f.uri) for f in self.workspace.folders.values()]
        if not folders and self.workspace.root_path:
            folders = [Path(self.workspace.root_path)]
        holding = [f for f in folders if f == path or f in path.parents]
        return max(holding, key=lambda f: len(f.parts)) if holding else None

    def _log_notes(self, notes: list[str]) -> None:
        """Notes of a run (degraded detectors, model tier skipped) go to the editor's log, once each."""
        for note in notes:
            if note not in self.model_notes:
                self.model_notes.add(note)
                log.info("%s", note)

    def lint_model(self, static: Linted) -> Linted | None:
        """Static and model tiers for the same text; runs on the model worker thread.

        None when the text is outdated by the time this runs, or no model can be used."""
        project = static.project
        if project is None or not self._is_current(static.uri, static.text):
            return None
        engine = self._model_engine(project)
        if engine is None:
            return None
        engine.judge.still_current = lambda: self._is_current(static.uri, static.text)
        try:
            result = project.lint(static.path, static.text.encode("utf-8"), static.changed_lines, engine)
        except Outdated:
            return None
        self._log_notes(result.stats.notes)
        return Linted(
            static.uri, static.version, static.text, project, static.path, static.changed_lines,
            result.findings, static.problems,
        )  # fmt: skip

    def _model_engine(self, project: Project) -> Any:
        """The engine with a judge for ``project`` (None: no model can be used); the judge is built once
        per loaded project and kept, the engine is renewed when the project's detector data is."""
        from ..llm.factory import build_judge

        entry = self.model_engines.get(project.root)
        if entry is not None and entry.project is not project:
            if entry.judge is not None:
                entry.judge.close()  # the config or rules changed: the models may have too
            entry = None
        if entry is None:
            try:
                judge, notes = build_judge(project.config, project.rules)
            except TinyarmsError as exc:
                notes, judge = [str(exc)], None
            self._log_notes(notes)
            entry = ModelEngine(project, StopWhenOutdated(judge) if judge is not None else None)
            self.model_engines[project.root] = entry
        if entry.judge is None:
            return None
        if entry.engine is None or entry.generation != project.generation:
            entry.engine, entry.generation = project.engine(entry.judge), project.generation
        return entry.engine

    def close_models(self) -> None:
        for entry in self.model_engines.values():
            if entry.judge is not None:
                entry.judge.close()
        self.model_engines.clear()

    # -- publishing (event loop) -----------------------------------------------------------------

    def _is_current(self, uri: str, text: str) -> bool:
        document = self.workspace.text_documents.get(uri)
        return document is not None and document.source == text

    def publish(self, linted: Linted) -> None:
        """Send ``linted``'s diagnostics unless the document has changed since (then they are dropped)."""
        if not self._is_current(linted.uri, linted.text):
            return
        model = self.model_results.get(linted.uri)
        if (
            model is not None
            and model.text == linted.text
            and model.changed_lines == linted.changed_lines
            and model.project is linted.project
        ):
            linted = model  # the model pass already covered this exact text: it includes the static findings
        self.published[linted.uri] = linted
        positions = convert.Positions(linted.text, self.workspace.position_encoding)
        diagnostics = [convert.diagnostic(f, positions) for f in linted.findings]
        severity = types.DiagnosticSeverity.Error if linted.error else types.DiagnosticSeverity.Information
        diagnostics[:0] = [convert.problem_diagnostic(p, severity) for p in linted.problems]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=linted.uri, version=linted.version, diagnostics=diagnostics)
        )
        if linted.error and linted.problems[0] not in self.shown_errors:
            self.shown_errors.add(linted.problems[0])
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=linted.problems[0]))

    async def lint(self, uri: str) -> None:
        """Lint the open document ``uri``: static diagnostics now, model diagnostics when they come."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return
        version, text = document.version, document.source
        loop = asyncio.get_running_loop()
        try:
            linted = await loop.run_in_executor(self.static_pool, self.lint_static, uri, version, text)
        except Exception as exc:
            log.exception("lint failed for %s", uri)
            message = f"tinyarms-lint: internal error: {exc.__class__.__name__}: {exc}"
            linted = Linted(uri, version, text, None, problems=[message], error=True)
        self.publish(linted)
        if linted.project is not None and self.settings.model and linted.project.wants_model():
            asyncio.ensure_future(self._model_pass(linted))

    async def _model_pass(self, static: Linted) -> None:
        loop = asyncio.get_running_loop()
        try:
            linted = await loop.run_in_executor(self.model_pool, self.lint_model, static)
        except Exception:
            log.exception("model pass failed for %s", static.uri)
            return
        if linted is not None:
            self.model_results[linted.uri] = linted
            self.publish(linted)

    def schedule(self, uri: str, delay_ms: int) -> None:
        """Lint ``uri`` after ``delay_ms``, replacing a lint of it still waiting (the debounce)."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()

        async def later() -> None:
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            self.pending.pop(uri, None)
            await self.lint(uri)

        self.pending[uri] = asyncio.ensure_future(later())

    async def watch_files(self) -> None:
        """Ask the client to report changes of config, rule and token files (``WATCHED_GLOBS``)."""
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        )
        registration = types.Registration(
            id="tinyarms-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except JsonRpcException:  # a client that refuses: reloads still happen on the next lint
            log.warning("the client did not accept a file watcher; config changes are seen on the next lint")

    def relint_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    async def current(self, uri: str) -> Linted | None:
        """The lint of the document's text as the editor holds it now: the published one if it still
        matches, else a static lint made for this request (edits since the last save, in "onSave" mode)."""
        linted = self.published.get(uri)
        if linted is not None and self._is_current(uri, linted.text):
            return linted
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        loop = asyncio.get_running_loop()
        version, text = document.version, document.source
        return await loop.run_in_executor(self.static_pool, self.lint_static, uri, version, text)


def make_server() -> TinyarmsServer:
    """A server with every feature registered."""
    server = TinyarmsServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: TinyarmsServer, params: types.InitializeParams) -> None:
        ls.settings.update(params.initialization_options)

    @server.feature(types.INITIALIZED)
    def initialized(ls: TinyarmsServer, params: types.InitializedParams) -> None:
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is not None and watched.dynamic_registration:
            # not awaited here: the answer is read by the loop this handler would block
            asyncio.ensure_future(ls.watch_files())

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: TinyarmsServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: TinyarmsServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.settings.run_on_change:
            ls.schedule(params.text_document.uri, ls.settings.debounce_ms)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: TinyarmsServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = Path(to_fs_path(uri) or uri)
        if is_config_or_rule_file(path):
            ls.relint_all()
            return
        for project in ls.projects.loaded():
            if isinstance(project, Project) and project.config.is_token_file(project.relative(path)):
                project.forget_project_data()  # the design-token index is read again on the next lint
                ls.relint_all()
                return
        ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TinyarmsServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.published.pop(uri, None)
        ls.model_results.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: TinyarmsServer, params: types.DidChangeWatchedFilesParams) -> None:
        for project in ls.projects.loaded():
            if isinstance(project, Project):
                project.forget_project_data()
        ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: TinyarmsServer, params: types.DidChangeConfigurationParams) -> None:
        ls.settings.update(params.settings)
        ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: TinyarmsServer, params: types.HoverParams) -> types.Hover | None:
        linted = await ls.current(params.text_document.uri)
        if linted is None or linted.project is None:
            return None
        positions = convert.Positions(linted.text, ls.workspace.position_encoding)
        line, column = positions.from_lsp(params.position)
        hits = [f for f in linted.findings if convert.contains(f, line, column)]
        if not hits:
            return None
        texts = [convert.hover_text(f, linted.project.all_rules.get(f.rule)) for f in hits]
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(texts)),
            range=positions.finding_range(hits[0]),
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: TinyarmsServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        linted = await ls.current(params.text_document.uri)
        if linted is None or linted.project is None:
            return None
        return code_actions(linted, params, ls.workspace.position_encoding)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: TinyarmsServer, params: None) -> None:
        ls.model_pool.submit(ls.close_models).result(timeout=30)
        ls.static_pool.shutdown(wait=False)
        ls.model_pool.shutdown(wait=False)

    return server


def _wants(only: list[str] | None, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def code_actions(
    linted: Linted, params: types.CodeActionParams, encoding: str | types.PositionEncodingKind | None
) -> list[types.CodeAction]:
    """Quick fixes for the findings in the requested range, and ``source.fixAll.tinyarms``."""
    assert linted.project is not None
    uri, text, path = linted.uri, linted.text, linted.path
    positions = convert.Positions(text, encoding)
    only = [str(k) for k in params.context.only] if params.context.only else None
    known = set(linted.project.all_rules)
    start = positions.from_lsp(params.range.start)
    end = positions.from_lsp(params.range.end)
    actions: list[types.CodeAction] = []

    def action(title: str, kind: str, edit_list: list[edits.Edit], finding: Finding | None) -> types.CodeAction:
        return types.CodeAction(
            title=title,
            kind=kind,
            diagnostics=[convert.diagnostic(finding, positions)] if finding is not None else None,
            edit=types.WorkspaceEdit(changes={uri: [positions.text_edit(e) for e in edit_list]}),
            is_preferred=True if finding is not None and finding.fix is not None and title.startswith("Fix") else None,
        )

    if _wants(only, types.CodeActionKind.QuickFix):
        for finding in linted.findings:
            if (finding.end_line, finding.end_column) < start or (finding.line, finding.column) > end:
                continue
            fix = edits.fix_edit(finding)
            if fix is not None:
                description = finding.fix.description if finding.fix is not None else ""
                title = f"Fix {finding.rule}: {description or 'apply the rule fix'}"
                actions.append(action(title, types.CodeActionKind.QuickFix, [fix], finding))
            line_edit = edits.suppress_line_edit(text, path, finding, known)
            if line_edit is not None:
                title = f"Suppress {finding.rule} on this line"
                actions.append(action(title, types.CodeActionKind.QuickFix, [line_edit], finding))
            file_edit = edits.suppress_file_edit(text, path, finding, known)
            if file_edit is not None:
                title = f"Suppress {finding.rule} for this file"
                actions.append(action(title, types.CodeActionKind.QuickFix, [file_edit], finding))
    if _wants(only, FIX_ALL_KIND):
        all_edits = edits.fix_all_edits(linted.findings)
        if all_edits:
            actions.append(action("Fix all tinyarms-lint problems", FIX_ALL_KIND, all_edits, None))
    return actions


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.INFO, format="tinyarms-lint lsp: %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)
    make_server().start_io()
