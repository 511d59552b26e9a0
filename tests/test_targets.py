"""targets.py through real git repositories and the real CLI: odd file names, symlinks, merge conflicts."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tinyarms_lint import targets
from tinyarms_lint.targets import Selection, link_problem, printable_path, select_targets

from .conftest import git, run_cli

RED = b".a {\n  color: #ff0000;\n}\n"


def _findings(stdout: str) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["rule"]) for f in json.loads(stdout)["findings"]]


def _no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr


def test_printable_path_escapes_bytes_that_are_not_utf8() -> None:
    name = os.fsdecode(b"caf\xe9.css")
    assert printable_path(name) == "caf\\xe9.css"
    assert printable_path("café.css") == "café.css"


def test_a_staged_file_whose_name_is_not_utf8_is_checked(repo: Path) -> None:
    (repo / os.fsdecode(b"caf\xe9.css")).write_bytes(RED)
    git(repo, "add", "-A")
    for args in (["--staged"], ["--all"], [os.fsdecode(b"caf\xe9.css")], ["."]):
        result = run_cli(*args, "--no-llm", "--format", "json", cwd=repo)
        _no_traceback(result.stderr)
        assert result.code == 1, (args, result.stderr)
        assert _findings(result.stdout) == [("caf\\xe9.css", 2, "hardcoded-colors")], args
    text = run_cli("--staged", "--no-llm", cwd=repo)
    assert text.stdout.startswith("caf\\xe9.css:2:10: hardcoded-colors")


def test_a_dangling_symlink_next_to_the_file_outside_git(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_bytes(RED)
    (tmp_path / "gone.css").symlink_to("nowhere.css")
    named = run_cli("a.css", "--no-llm", cwd=tmp_path)
    _no_traceback(named.stderr)
    assert named.code == 1 and named.stdout.startswith("a.css:2:10: hardcoded-colors")
    folder = run_cli(".", "--no-llm", cwd=tmp_path)
    _no_traceback(folder.stderr)
    assert folder.code == 1
    assert "note: gone.css: skipped, broken symlink" in folder.stderr


def test_a_merge_conflict_reports_each_finding_once(repo: Path) -> None:
    (repo / "a.css").write_text(".keep {\n  color: #123456;\n}\n\n.b {\n  margin: 0;\n}\n")
    git(repo, "add", "a.css")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-q", "-b", "other")
    (repo / "a.css").write_text(".keep {\n  color: #123456;\n}\n\n.b {\n  margin: 1px;\n}\n")
    git(repo, "commit", "-qam", "other")
    git(repo, "checkout", "-q", "main")
    (repo / "a.css").write_text(".keep {\n  color: #123456;\n}\n\n.b {\n  margin: 2px;\n}\n")
    git(repo, "commit", "-qam", "main")
    merged = subprocess.run(["git", "merge", "other"], cwd=repo, capture_output=True, text=True, check=False)
    assert merged.returncode == 1 and "CONFLICT" in merged.stdout
    assert git(repo, "ls-files", "--stage").count("a.css") == 3  # one entry per stage
    result = run_cli("--all", "--no-llm", "--format", "json", cwd=repo)
    _no_traceback(result.stderr)
    assert _findings(result.stdout) == [("a.css", 2, "hardcoded-colors")]
    summary = json.loads(result.stdout)["summary"]
    assert "a.css: merge conflict not resolved; checked as in the working tree" in summary["skipped"]


def test_a_symlink_leading_outside_the_repository_is_not_followed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text(".s { color: #abcdef; } /* TOP SECRET */\n")
    (repo / "leak.css").symlink_to(outside / "secret.css")
    (repo / "sub").mkdir()
    (repo / "sub" / "in.css").write_bytes(RED)
    (repo / "inside.css").symlink_to("sub/in.css")
    git(repo, "add", "-A")
    staged = run_cli("--staged", "--no-llm", cwd=repo)
    assert "note: leak.css: skipped, symlink to a file outside the repository, not followed" in staged.stderr
    assert "SECRET" not in staged.stdout and "abcdef" not in staged.stdout
    git(repo, "commit", "-qm", "links")
    for args in (["--all", "--format", "sarif"], ["--all", "--format", "json"], ["leak.css", "--format", "json"]):
        result = run_cli(*args, "--no-llm", cwd=repo)
        _no_traceback(result.stderr)
        assert "SECRET" not in result.stdout and "abcdef" not in result.stdout, args
    text = run_cli("--all", "--no-llm", cwd=repo)
    assert "note: leak.css: skipped, symlink to a file outside the repository, not followed" in text.stderr
    # a link whose target is inside the repository is checked as its target
    assert "inside.css:2:10: hardcoded-colors" in text.stdout and "sub/in.css:2:10" in text.stdout


def test_link_problem(tmp_path: Path) -> None:
    (tmp_path / "real.css").write_text("")
    (tmp_path / "in.css").symlink_to("real.css")
    (tmp_path / "out.css").symlink_to("/etc/hostname")
    (tmp_path / "dead.css").symlink_to("missing.css")
    (tmp_path / "linked").symlink_to("/etc")
    assert link_problem(tmp_path, "real.css") is None and link_problem(tmp_path, "in.css") is None
    assert link_problem(tmp_path, "out.css") == "symlink to a file outside the repository, not followed"
    assert link_problem(tmp_path, "linked/hostname") == "symlink to a file outside the repository, not followed"
    assert link_problem(tmp_path, "dead.css") == "broken symlink"


def test_selection_notes_are_returned_not_printed(repo: Path, tmp_path: Path) -> None:
    (repo / "out.css").symlink_to(tmp_path)
    (repo / "a.css").write_bytes(RED)
    git(repo, "add", "-A")
    notes: list[str] = []
    targets = select_targets(repo, Selection(all_files=True), repo, True, notes)
    assert [t.path for t in targets] == ["a.css"]
    assert notes == ["out.css: skipped, symlink to a file outside the repository, not followed"]


def test_staged_targets_read_the_index_a_chunk_at_a_time(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets._StagedBatches, "CHUNK", 2)
    for i in range(5):
        (repo / f"f{i}.css").write_bytes(b".a { color: #%06d; }\n" % i)
    (repo / "notes.txt").write_text("not a language\n")
    git(repo, "add", "-A")
    for i in range(5):
        (repo / f"f{i}.css").write_text("/* unstaged edit */\n")  # the index copy is what counts
    chosen = select_targets(repo, Selection(staged=True), repo, True)
    assert [t.path for t in chosen] == ["f0.css", "f1.css", "f2.css", "f3.css", "f4.css", "notes.txt"]
    assert [t.read() for t in reversed(chosen)] == [
        b"not a language\n",
        *(b".a { color: #%06d; }\n" % i for i in reversed(range(5))),
    ]
