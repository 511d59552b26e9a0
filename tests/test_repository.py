"""repository.py: the view detectors get of other files never reaches outside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tinyarms_lint.repository import DirectoryRepository, GitRepository

from .conftest import git


def _layout(root: Path, outside: Path) -> None:
    outside.mkdir()
    (outside / "secret.css").write_text("/* TOP SECRET */\n")
    (root / "a.css").write_text(".a {}\n")
    (root / "leak.css").symlink_to(outside / "secret.css")
    (root / "gone.css").symlink_to("missing.css")
    (root / os.fsdecode(b"caf\xe9.css")).write_text(".c {}\n")


def test_directory_view_skips_outside_and_broken_links(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    _layout(root, tmp_path / "outside")
    view = DirectoryRepository(root)
    assert sorted(view.files()) == ["a.css", "caf\\xe9.css"]
    assert view.read("caf\\xe9.css") == b".c {}\n"
    assert view.read_many(["leak.css", "a.css"]) == {"a.css": b".a {}\n"}
    with pytest.raises(OSError):
        view.read("leak.css")


def test_git_view_skips_outside_links_in_the_working_tree(repo: Path, tmp_path: Path) -> None:
    _layout(repo, tmp_path / "outside")
    git(repo, "add", "-A")
    view = GitRepository(repo, from_index=False)
    assert sorted(view.files()) == ["a.css", "caf\\xe9.css"]
    assert view.read_many(["leak.css", "caf\\xe9.css"]) == {"caf\\xe9.css": b".c {}\n"}
    with pytest.raises(OSError):
        view.read("leak.css")
    # from the index a link is its blob: the target's name, never the target's content
    staged = GitRepository(repo, from_index=True)
    assert b"SECRET" not in staged.read("leak.css") and staged.read("caf\\xe9.css") == b".c {}\n"
