"""Baselines through the CLI: write, hide, survive line moves, report stale entries, bad files."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli

CSS = ".a {\n  color: #ff0000;\n}\n.b {\n  color: #00ff00;\n}\n"


def test_write_then_hide_then_new_findings_show(repo: Path) -> None:
    (repo / "a.css").write_text(CSS)
    written = run_cli("a.css", "--write-baseline", "base.json", cwd=repo)
    assert written.code == 0 and "wrote 2 baseline entries" in written.stdout
    entries = json.loads((repo / "base.json").read_text())["entries"]
    assert {e["rule"] for e in entries} == {"hardcoded-colors"} and all("line" not in e for e in entries)

    assert run_cli("a.css", "--baseline", "base.json", cwd=repo).code == 0
    # lines move: still hidden
    (repo / "a.css").write_text("/* header */\n\n" + CSS)
    assert run_cli("a.css", "--baseline", "base.json", cwd=repo).code == 0
    # a new color shows, the old ones stay hidden
    (repo / "a.css").write_text(CSS + ".c {\n  color: #0000ff;\n}\n")
    result = run_cli("a.css", "--baseline", "base.json", "--format", "json", cwd=repo)
    assert [f["line"] for f in json.loads(result.stdout)["findings"]] == [8]


def test_stale_entries_are_reported(repo: Path) -> None:
    (repo / "a.css").write_text(CSS)
    run_cli("a.css", "--write-baseline", "base.json", cwd=repo)
    (repo / "a.css").write_text(".a {\n  color: var(--x);\n}\n.b {\n  color: #00ff00;\n}\n")
    result = run_cli("a.css", "--baseline", "base.json", cwd=repo)
    assert result.code == 0
    assert "a.css: baseline entry for hardcoded-colors no longer occurs (1x)" in result.stderr


def test_bad_baseline_file_is_exit_2(repo: Path) -> None:
    (repo / "a.css").write_text(CSS)
    (repo / "bad.json").write_text("{not json")
    result = run_cli("a.css", "--baseline", "bad.json", cwd=repo)
    assert result.code == 2 and "bad.json: not a tinyarms-lint baseline" in result.stderr
    missing = run_cli("a.css", "--baseline", "nope.json", cwd=repo)
    assert missing.code == 2 and "nope.json: baseline file not found" in missing.stderr
