"""The language server, driven over stdio by a real LSP client (pytest-lsp, on pygls's client)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="needs the lsp extras: pip install -e '.[dev]'")
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import git

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "tinyarms_lint", "lsp"])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            initialization_options={"model": False},
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def project(repo: Path) -> Path:
    """A repository with a committed design-token file and a committed stylesheet."""
    (repo / "tokens.css").write_text(":root { --brand-red: #ff0000; }\n")
    (repo / "card.css").write_text(".card {\n  margin: 0;\n}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    return repo


async def diagnostics_for(
    client: LanguageClient,
    uri: str,
    until: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True,
    timeout: float = 20.0,
) -> Sequence[types.Diagnostic]:
    """Wait until the server has published diagnostics for ``uri`` that satisfy ``until``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if uri in client.diagnostics and until(client.diagnostics[uri]):
            return client.diagnostics[uri]
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(f"no matching diagnostics for {uri}; last: {client.diagnostics.get(uri)}")
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), remaining)
        except asyncio.TimeoutError:
            continue


@asynccontextmanager
async def started(
    config: ClientServerConfig,
    options: dict[str, object],
    capabilities: types.ClientCapabilities | None = None,
    before_initialize: Callable[[LanguageClient], None] = lambda client: None,
) -> AsyncIterator[LanguageClient]:
    """A server started and initialized outside the fixture (other settings or capabilities); it is
    shut down even when the test fails, so stopping the client never waits for a live server."""
    client = await config.start()
    assert isinstance(client, LanguageClient)
    before_initialize(client)
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities or types.ClientCapabilities(), initialization_options=options
            )
        )
        yield client
    finally:
        try:
            await asyncio.wait_for(client.shutdown_session(), 30)
        finally:
            await client.stop()


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    language = {".css": "css", ".tsx": "typescriptreact", ".py": "python"}.get(path.suffix, "plaintext")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)
        )
    )
    return uri


def change_document(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits (ASCII text, so UTF-16 columns are characters) the way an editor does."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    out = text
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        out = out[: offset(edit.range.start)] + edit.new_text + out[offset(edit.range.end) :]
    return out


@pytest.mark.asyncio
async def test_open_publishes_static_findings_with_the_document_version(client: LanguageClient, repo: Path) -> None:
    path = repo / "button.css"  # untracked: every line is new to the index
    uri = open_document(client, path, ".button {\n  color: #123456;\n}\n", version=7)
    found = await diagnostics_for(client, uri, lambda d: len(d) > 0)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [("hardcoded-colors", 1, 9)]
    assert found[0].severity == types.DiagnosticSeverity.Warning
    assert found[0].source == "tinyarms"


@pytest.mark.asyncio
async def test_only_lines_that_differ_from_the_index_are_judged(client: LanguageClient, project: Path) -> None:
    (project / "card.css").write_text(".card { color: #123456; }\n")
    git(project, "add", "card.css")
    git(project, "commit", "-q", "-m", "a colour that is already committed")
    unsaved = ".card { color: #123456; }\n.badge { background: #abcdef; }\n"
    uri = open_document(client, project / "card.css", unsaved)
    found = await diagnostics_for(client, uri, lambda d: len(d) > 0)
    assert [(d.code, d.range.start.line) for d in found] == [("hardcoded-colors", 1)]
    # staged, the same text has no changed line left: the hook would judge nothing
    (project / "card.css").write_text(unsaved)
    git(project, "add", "card.css")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert list(await diagnostics_for(client, uri, lambda d: len(d) == 0)) == []
    # configured to judge whole files, the same buffer shows both colours again
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tinyarms": {"scope": "file", "model": False}})
    )
    whole = await diagnostics_for(client, uri, lambda d: len(d) == 2)
    assert [d.range.start.line for d in whole] == [0, 1]


@pytest.mark.asyncio
async def test_code_actions_fix_suppress_and_fix_all(client: LanguageClient, project: Path) -> None:
    text = ".card {\n  color: #ff0000;\n  border-color: #ff0000;\n  background: #123456;\n}\n"
    uri = open_document(client, project / "card.css", text)
    found = await diagnostics_for(client, uri, lambda d: len(d) == 3)
    assert [d.code for d in found] == ["design-tokens", "design-tokens", "hardcoded-colors"]

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=[found[0]]),
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    fix = next(a for t, a in by_title.items() if t.startswith("Fix design-tokens"))
    assert fix.edit is not None and fix.edit.changes is not None
    assert apply(text, fix.edit.changes[uri]).split("\n")[1] == "  color: var(--brand-red);"
    line = by_title["Suppress design-tokens on this line"]
    assert line.edit is not None and line.edit.changes is not None
    assert apply(text, line.edit.changes[uri]).split("\n")[1] == "  color: #ff0000;  /* tinyarms: ignore[design-tokens] */"
    whole = by_title["Suppress design-tokens for this file"]
    assert whole.edit is not None and whole.edit.changes is not None
    assert apply(text, whole.edit.changes[uri]).startswith("/* tinyarms: ignore-file[design-tokens] */\n.card {")

    fix_all = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.tinyarms"]),
        )
    )
    assert fix_all is not None and len(fix_all) == 1
    action = fix_all[0]
    assert isinstance(action, types.CodeAction) and action.edit is not None and action.edit.changes is not None
    fixed = apply(text, action.edit.changes[uri])
    assert fixed == ".card {\n  color: var(--brand-red);\n  border-color: var(--brand-red);\n  background: #123456;\n}\n"

    # the suppressed text, linted again, no longer reports that line
    change_document(client, uri, apply(text, line.edit.changes[uri]), version=2)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    again = await diagnostics_for(client, uri, lambda d: len(d) == 2)
    assert [d.range.start.line for d in again] == [2, 3]


@pytest.mark.asyncio
async def test_code_actions_on_edits_not_yet_saved(client: LanguageClient, repo: Path) -> None:
    uri = open_document(client, repo / "a.py", "x = 1\n")
    await diagnostics_for(client, uri)
    edited = 'x = 1\nCOLOR = "#123456"\n'
    change_document(client, uri, edited, version=2)  # "onSave" mode: no lint, no diagnostics yet
    line = types.Range(start=types.Position(line=1, character=9), end=types.Position(line=1, character=9))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=line,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None
    titles = [a.title for a in actions]
    assert titles == ["Suppress hardcoded-colors on this line", "Suppress hardcoded-colors for this file"]
    action = actions[0]
    assert isinstance(action, types.CodeAction) and action.edit is not None and action.edit.changes is not None
    assert apply(edited, action.edit.changes[uri]) == 'x = 1\nCOLOR = "#123456"  # tinyarms: ignore[hardcoded-colors]\n'


@pytest.mark.asyncio
async def test_hover_shows_the_rule_text(client: LanguageClient, repo: Path) -> None:
    uri = open_document(client, repo / "a.css", ".a { color: #123456; }\n")
    found = await diagnostics_for(client, uri, lambda d: len(d) > 0)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=found[0].range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    assert text.startswith("**hardcoded-colors**: Colors come from design tokens")
    assert "## Why it matters" in text and "## Bad" in text and "## Good" in text
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=0)
        )
    )
    assert nothing is None


@pytest.mark.asyncio
async def test_broken_config_is_one_diagnostic_and_a_fixed_config_is_reloaded(
    client: LanguageClient, repo: Path
) -> None:
    config = repo / ".tinyarms.toml"
    config.write_text("selct = ['hardcoded-colors']\n")
    uri = open_document(client, repo / "a.css", ".a { color: #123456; }\n")
    found = await diagnostics_for(client, uri, lambda d: len(d) > 0)
    assert len(found) == 1
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert found[0].message == "tinyarms-lint: .tinyarms.toml: unknown key 'selct'"
    if not client.messages:
        await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), 10)
    assert [m.message for m in client.messages] == [found[0].message]

    config.write_text("[rules.hardcoded-colors]\nseverity = 'error'\n")
    config_uri = config.as_uri()
    open_document(client, config, config.read_text())
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config_uri))
    )
    reloaded = await diagnostics_for(client, uri, lambda d: len(d) == 1 and d[0].code == "hardcoded-colors")
    assert reloaded[0].severity == types.DiagnosticSeverity.Error


@pytest.mark.asyncio
async def test_a_new_rule_file_is_picked_up_without_restart(client: LanguageClient, repo: Path) -> None:
    uri = open_document(client, repo / "a.css", ".a { color: #123456; }\n")
    await diagnostics_for(client, uri, lambda d: len(d) == 1)
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    bundled = Path(__file__).resolve().parents[2] / "rules" / "hardcoded-colors.md"
    (rules / "hardcoded-colors.md").write_text(bundled.read_text().replace("severity: warning", "severity: info", 1))
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    found = await diagnostics_for(client, uri, lambda d: d[0].severity == types.DiagnosticSeverity.Information)
    assert [d.code for d in found] == ["hardcoded-colors"]


@pytest.mark.asyncio
async def test_typing_is_linted_after_the_debounce_and_results_carry_the_last_version(repo: Path) -> None:
    options: dict[str, object] = {"run": "onType", "debounceMs": 200, "model": False}
    async with started(SERVER, options) as client:
        uri = open_document(client, repo / "a.css", ".a { margin: 0; }\n")
        await diagnostics_for(client, uri)
        published: list[types.PublishDiagnosticsParams] = []
        client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = lambda p: published.append(p)
        for version in range(2, 7):  # five quick edits: one lint after the last, none for the others
            change_document(client, uri, f".a {{ color: #12345{version}; }}\n", version)
        await asyncio.sleep(2.0)
        assert [p.version for p in published] == [6]
        assert [d.message.split("`")[1] for d in published[0].diagnostics] == ["#123456"]


def test_without_pygls_the_command_names_the_extra(tmp_path: Path) -> None:
    import subprocess

    code = "import sys; sys.modules['pygls'] = None; from tinyarms_lint.cli import run; sys.exit(run(['lsp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "tinyarms-lint: error: the language server needs pygls and lsprotocol, which are not installed:"
        + " pip install 'tinyarms-lint[lsp]'"
    ]


MODEL_RULE = """\
---
id: no-debug-prints
title: No print() calls left in code
severity: error
languages: [python]
role: code
detector: none
threshold: -50
---

Use the logging module; a `print()` call is a debugging leftover.

## Bad

```python
def total(items):
    print("DEBUG", items)
    return sum(items)
```

## Good

```python
def total(items):
    log.debug("items %s", items)
    return sum(items)
```
"""


@pytest.mark.llm
@pytest.mark.asyncio
async def test_model_verdicts_follow_the_static_diagnostics(repo: Path, tmp_path: Path, test_model_path: Path) -> None:
    """A real GGUF: the static diagnostics go out first, the model's follow for the same version.
    (The rule's threshold makes every answer a violation, so the outcome does not depend on the model.)"""
    import os

    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "no-debug-prints.md").write_text(MODEL_RULE)
    env = {
        **os.environ,
        "TINYARMS_CODE_MODEL": str(test_model_path),
        "TINYARMS_LANGUAGE_MODEL": "",
        "TINYARMS_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
    }
    config = ClientServerConfig(server_command=SERVER.server_command, server_env=env)
    published: list[types.PublishDiagnosticsParams] = []
    async with started(config, {}) as client:
        client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = lambda p: published.append(p)
        text = 'def total(items):\n    print("DEBUG", items)\n    return sum(items) * 7\n'
        uri = open_document(client, repo / "shop.py", text, version=3)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 300
        while loop.time() < deadline and not any(
            d.source == "tinyarms (model)" for p in published for d in p.diagnostics
        ):
            await asyncio.sleep(0.2)
        assert published, "no diagnostics at all"
        first = published[0]
        assert first.uri == uri and first.version == 3
        assert [d.source for d in first.diagnostics] == ["tinyarms"]  # static: the magic number, at once
        last = published[-1]
        assert last.version == 3
        assert sorted((d.code, d.source) for d in last.diagnostics) == [
            ("magic-numbers", "tinyarms"),
            ("no-debug-prints", "tinyarms (model)"),
        ]


@pytest.mark.asyncio
async def test_config_changed_on_disk_is_seen_through_the_registered_watcher(repo: Path) -> None:
    registered: list[types.RegistrationParams] = []

    def answer_registrations(client: LanguageClient) -> None:
        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            registered.append(params)

    watched = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
    capabilities = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(did_change_watched_files=watched))
    async with started(SERVER, {"model": False}, capabilities, answer_registrations) as client:
        uri = open_document(client, repo / "a.css", ".a { color: #123456; }\n")
        await diagnostics_for(client, uri, lambda d: len(d) == 1)
        assert len(registered) == 1
        registration = registered[0].registrations[0]
        assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = [w["globPattern"] for w in registration.register_options["watchers"]]
        assert "**/.tinyarms.toml" in globs and "**/.tinyarms/rules/*.md" in globs
        (repo / ".tinyarms.toml").write_text("ignore = ['hardcoded-colors']\n")  # e.g. a git checkout
        config_uri = (repo / ".tinyarms.toml").as_uri()
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config_uri, type=types.FileChangeType.Created)]
            )
        )
        assert list(await diagnostics_for(client, uri, lambda d: len(d) == 0)) == []


def test_a_model_pass_for_outdated_text_stops_before_its_next_question() -> None:
    """Routing only (no model): the wrapper asks whether the text is current before each question."""
    from tinyarms_lint.lsp.server import Outdated, StopWhenOutdated

    asked: list[str] = []

    class Recording:
        calls, cache_hits, notes = 0, 0, []

        def judge_region(self, rule: object, file: object, region: str) -> str:
            asked.append(region)
            return "verdict"

    judge = StopWhenOutdated(Recording())
    current = [True]
    judge.still_current = lambda: current[0]
    assert judge.judge_region(None, None, "first") == "verdict"
    current[0] = False
    with pytest.raises(Outdated):
        judge.judge_region(None, None, "second")
    assert asked == ["first"]
