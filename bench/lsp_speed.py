"""Language server speed: didSave -> first static diagnostics on a warm server, for a ~500-line TSX file.

The file is real code: src/routes/regions/region-create/components/create-region-form/create-region-form.tsx
(507 lines; 4 static findings in the bench repository) from the pinned npm package @medusajs/dashboard@2.5.0 (`npm pack`, cached in bench/.work).
A git repository holds it, committed. `tinyarms-lint lsp` is started once and warmed by one lint; then
each round edits one line (didChange) and saves (didSave), and the time from sending didSave to
receiving publishDiagnostics for that document version is recorded, with pygls's own client.
Two scopes: "file" (every line judged) and "changed" (the default: lines that differ from the index).
`--model` adds a row with the model tier on (an LLM-only team rule, the 1.5B model loaded in the server).
The named baseline, measured in the same run: the CLI on the same text, `tinyarms-lint --no-llm
--stdin-filename PATH` (a whole process per save, what editors did before the server).
"""

from __future__ import annotations

import asyncio
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from common import LINT, WORK, fresh_repo, git, machine, measure, table

PACKAGE = "@medusajs/dashboard@2.5.0"
MEMBER = "package/src/routes/regions/region-create/components/create-region-form/create-region-form.tsx"
RELATIVE = "src/create-region-form.tsx"
TARGET_MS = 100.0
MODEL = Path(
    os.environ.get("TINYARMS_CODE_MODEL") or "~/.cache/tinyarms-test-models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
).expanduser()
# An LLM-only team rule, so every save gives the model tier work (the region around the edited line).
TEAM_RULE = """---
id: no-inline-handlers
title: Event handlers are named functions, not inline arrows
severity: warning
languages: [tsx, jsx]
role: code
detector: none
---

Pass a named handler (`onClick={handleSave}`), not an inline arrow function, so it can be tested.

## Bad

```tsx
<Button onClick={() => save(form)}>Save</Button>
```

## Good

```tsx
<Button onClick={handleSave}>Save</Button>
```
"""


def source_file() -> str:
    work = WORK / "lsp"
    work.mkdir(parents=True, exist_ok=True)
    tarball = work / "medusajs-dashboard-2.5.0.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, check=True, capture_output=True)
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        assert member is not None
        return member.read().decode("utf-8")


async def save_latencies(
    repo: Path, text: str, scope: str, rounds: int, model: bool = False
) -> tuple[list[float], int, float | None]:
    """Milliseconds from didSave to the first (static) diagnostics of each version; the findings count;
    with ``model``, the seconds from the last didSave to the model's diagnostics for that version."""
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    counts: dict[int, int] = {}
    model_arrived: dict[int, float] = {}
    publishes: dict[int, int] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            counts.setdefault(params.version, len(params.diagnostics))
            publishes[params.version] = publishes.get(params.version, 0) + 1
            if publishes[params.version] == 2:  # the model pass publishes again, with or without a finding
                model_arrived.setdefault(params.version, time.perf_counter())
            event.set()

    env = None
    if model:
        env = {**os.environ, "TINYARMS_CODE_MODEL": str(MODEL), "TINYARMS_LANGUAGE_MODEL": ""}
        env["TINYARMS_CACHE_DIR"] = str(WORK / "lsp-model-cache")
        shutil.rmtree(env["TINYARMS_CACHE_DIR"], ignore_errors=True)
    await client.start_io(*LINT, "lsp", cwd=str(repo), env=env)
    try:
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), initialization_options={"model": model, "scope": scope}
            )
        )
        client.initialized(types.InitializedParams())
        uri = (repo / RELATIVE).as_uri()
        document = types.TextDocumentItem(uri=uri, language_id="typescriptreact", version=0, text=text)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=document))
        while 0 not in arrived:  # the warm-up lint: imports, grammar, rules
            event.clear()
            await asyncio.wait_for(event.wait(), 60)
        lines = text.split("\n")
        latencies = []
        for version in range(1, rounds + 1):
            edited = list(lines)
            edited[40] = edited[40] + f" // edit {version}"
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n".join(edited))],
                )
            )
            sent = time.perf_counter()
            client.text_document_did_save(
                types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            while version not in arrived:
                event.clear()
                await asyncio.wait_for(event.wait(), 60)
            latencies.append((arrived[version] - sent) * 1000)
        model_seconds = None
        if model:
            deadline = time.perf_counter() + 600
            while rounds not in model_arrived and time.perf_counter() < deadline:
                event.clear()
                try:
                    await asyncio.wait_for(event.wait(), 10)
                except asyncio.TimeoutError:
                    continue
            if rounds in model_arrived:
                model_seconds = model_arrived[rounds] - sent
        await client.shutdown_async(None)
        client.exit(None)
        return latencies, counts[rounds], model_seconds
    finally:
        await client.stop()


def main(rounds: int = 21, with_model: bool = False, model_rounds: int = 5) -> str:
    text = source_file()
    repo = fresh_repo(WORK / "lsp-repo")
    (repo / "src").mkdir()
    (repo / RELATIVE).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "tsx")
    stdin = repo / "stdin.tsx"
    shutil.copyfile(repo / RELATIVE, stdin)
    cli = measure(
        "CLI `--no-llm --stdin-filename` (baseline)",
        ["sh", "-c", f"{' '.join(LINT)} --no-llm --format json --stdin-filename {RELATIVE} < stdin.tsx"],
        repo,
        runs=9,
    )
    rows = []
    for scope in ("file", "changed"):
        latencies, findings, _ = asyncio.run(save_latencies(repo, text, scope, rounds))
        median = statistics.median(latencies)
        p90 = sorted(latencies)[int(0.9 * (len(latencies) - 1))]
        rows.append(
            [
                f'server, scope "{scope}", didSave -> diagnostics',
                f"{median:.0f} ms",
                f"{p90:.0f} ms",
                f"{cli.median_s * 1000 / median:.1f}x faster",
                str(findings),
            ]
        )
    model_note = "Model row: not measured (`--model` measures it, with the 1.5B code model)."
    if with_model and not MODEL.is_file():
        model_note = f"Model row skipped: {MODEL} not found."
    if with_model and MODEL.is_file():
        rules = repo / ".tinyarms" / "rules"
        rules.mkdir(parents=True, exist_ok=True)
        (rules / "no-inline-handlers.md").write_text(TEAM_RULE)
        latencies, findings, model_seconds = asyncio.run(
            save_latencies(repo, text, "changed", model_rounds, model=True)
        )
        median = statistics.median(latencies)
        p90 = sorted(latencies)[int(0.9 * (len(latencies) - 1))]
        rows.append(
            [
                'server with the model tier on, scope "changed", didSave -> static diagnostics',
                f"{median:.0f} ms",
                f"{p90:.0f} ms",
                f"{cli.median_s * 1000 / median:.1f}x faster",
                str(findings),
            ]
        )
        shutil.rmtree(rules.parent)
        model_note = (
            f"Model row: {MODEL.name} loaded in the server, an LLM-only team rule (tsx) judged on the region "
            "around each edited line while the next saves come in; the static diagnostics do not wait for it. "
            + (
                f"The model's diagnostics for the last save followed {model_seconds:.1f} s after it."
                if model_seconds is not None
                else "The model's diagnostics for the last save did not arrive within 600 s."
            )
        )
    rows.insert(0, [cli.label, f"{cli.median_s * 1000:.0f} ms", "", "1.0x", ""])
    file_median = float(rows[1][1].split()[0])
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {machine()}.",
        "",
        (
            f"File: {MEMBER.removeprefix('package/')} from {PACKAGE}, {text.count(chr(10))} lines, "
            f"one line edited per round; {rounds} rounds per scope after one warm-up lint; the CLI row is the "
            "median of 9 whole-process runs on the same text. Static tier only, except the model row."
        ),
        "",
        table(["what", "median", "p90", "vs baseline", "findings"], rows),
        "",
        model_note,
        "",
        (
            f"Target: first static diagnostics within {TARGET_MS:.0f} ms of didSave on a warm server. Measured: "
            f"{file_median:.0f} ms median for the whole file ({'met' if file_median < TARGET_MS else 'NOT met'}; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run)."
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main(with_model="--model" in sys.argv[1:]))
