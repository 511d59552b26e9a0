"""Language server speed: didSave -> first static diagnostics on a warm server, for a ~500-line TSX file.

The file is real code: src/routes/regions/region-create/components/create-region-form/create-region-form.tsx
(507 lines, 6 static findings) from the pinned npm package @medusajs/dashboard@2.5.0 (`npm pack`, cached in bench/.work).
A git repository holds it, committed. `tinyarms-lint lsp` is started once and warmed by one lint; then
each round edits one line (didChange) and saves (didSave), and the time from sending didSave to
receiving publishDiagnostics for that document version is recorded, with pygls's own client.
Two scopes: "file" (every line judged) and "changed" (the default: lines that differ from the index).
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


async def save_latencies(repo: Path, text: str, scope: str, rounds: int) -> tuple[list[float], int]:
    """Milliseconds from didSave to the diagnostics of that version; also the findings count."""
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    counts: dict[int, int] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            counts[params.version] = len(params.diagnostics)
            event.set()

    await client.start_io(*LINT, "lsp", cwd=str(repo))
    try:
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), initialization_options={"model": False, "scope": scope}
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
        await client.shutdown_async(None)
        client.exit(None)
        return latencies, counts[rounds]
    finally:
        await client.stop()


def main(rounds: int = 21) -> str:
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
        latencies, findings = asyncio.run(save_latencies(repo, text, scope, rounds))
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
    rows.insert(0, [cli.label, f"{cli.median_s * 1000:.0f} ms", "", "1.0x", ""])
    file_median = float(rows[1][1].split()[0])
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {machine()}.",
        "",
        (f"File: {MEMBER.removeprefix('package/')} from {PACKAGE}, {text.count(chr(10))} lines, "
        f"one line edited per round; {rounds} rounds per scope after one warm-up lint; the CLI row is the "
        "median of 9 whole-process runs on the same text. Static tier only."),
        "",
        table(["what", "median", "p90", "vs baseline", "findings"], rows),
        "",
        (f"Target: first static diagnostics within {TARGET_MS:.0f} ms of didSave on a warm server. Measured: "
        f"{file_median:.0f} ms median for the whole file ({'met' if file_median < TARGET_MS else 'NOT met'}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run)."),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 21))
