"""git.py against real repositories: diffs, renames, odd paths, no HEAD, detached HEAD."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint import git as tgit
from tinyarms_lint.errors import GitError

from .conftest import git


def commit_all(repo: Path, message: str = "c") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_parse_diff_collects_new_side_lines() -> None:
    diff = (
        b"diff --git a.py a.py\n--- a.py\n+++ a.py\n@@ -1,0 +2,3 @@\n+x\n+y\n+z\n@@ -9 +12 @@\n-a\n+b\n"
        b"diff --git gone.py gone.py\n--- gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    assert tgit.parse_diff(diff) == {"a.py": frozenset({2, 3, 4, 12})}


def test_parse_diff_pure_deletion_hunk_has_no_lines() -> None:
    diff = b"diff --git a.py a.py\n--- a.py\n+++ a.py\n@@ -3,2 +2,0 @@\n-x\n-y\n"
    assert tgit.parse_diff(diff) == {"a.py": frozenset()}


def test_first_commit_has_no_head_and_everything_is_new(repo: Path) -> None:
    (repo / "a.py").write_text("x = 1\ny = 2\n")
    git(repo, "add", "a.py")
    assert not tgit.has_head(repo)
    assert tgit.staged_changes(repo) == {"a.py": frozenset({1, 2})}


def test_staged_changes_only_index_lines(repo: Path) -> None:
    (repo / "a.py").write_text("a = 1\nb = 2\nc = 3\n")
    commit_all(repo)
    (repo / "a.py").write_text("a = 1\nb = 20\nc = 3\nd = 4\n")
    git(repo, "add", "a.py")
    (repo / "a.py").write_text("a = 100\nb = 20\nc = 3\nd = 4\n")  # unstaged edit
    assert tgit.staged_changes(repo) == {"a.py": frozenset({2, 4})}
    assert tgit.staged_content(repo, "a.py") == b"a = 1\nb = 20\nc = 3\nd = 4\n"


def test_paths_with_spaces_and_non_ascii(repo: Path) -> None:
    (repo / "my dir").mkdir()
    (repo / "my dir" / "été ő.css").write_text("a { color: red; }\n")
    git(repo, "add", "-A")
    assert tgit.staged_changes(repo) == {"my dir/été ő.css": frozenset({1})}
    assert tgit.staged_content(repo, "my dir/été ő.css").startswith(b"a {")


def test_staged_contents_reads_many_paths_in_one_batch(repo: Path) -> None:
    (repo / "my dir").mkdir()
    (repo / "my dir" / "été ő.css").write_text("a { color: red; }\n")
    (repo / "a missing").write_text("x = 1\n")  # a name that ends like cat-file's "missing" answer
    (repo / "empty.py").write_text("")
    (repo / "binary.bin").write_bytes(b"\0\n\n\xff")
    git(repo, "add", "-A")
    (repo / "a missing").write_text("x = 2\n")  # unstaged: the index still holds x = 1
    asked = ["my dir/été ő.css", "not staged.py", "a missing", "empty.py", "binary.bin", "sub/none"]
    assert tgit.staged_contents(repo, asked) == {
        "my dir/été ő.css": b"a { color: red; }\n",
        "a missing": b"x = 1\n",
        "empty.py": b"",
        "binary.bin": b"\0\n\n\xff",
    }
    assert tgit.staged_contents(repo, []) == {}


def test_renamed_and_deleted_files(repo: Path) -> None:
    body = "".join(f"line{i} = {i}\n" for i in range(20))
    (repo / "old.py").write_text(body)
    (repo / "gone.py").write_text("x = 1\n")
    commit_all(repo)
    git(repo, "mv", "old.py", "new.py")
    (repo / "new.py").write_text(body + "extra = 1\n")
    git(repo, "rm", "-q", "gone.py")
    git(repo, "add", "-A")
    assert tgit.staged_changes(repo) == {"new.py": frozenset({21})}


def test_detached_head(repo: Path) -> None:
    (repo / "a.py").write_text("a = 1\n")
    commit_all(repo)
    git(repo, "checkout", "-q", "--detach")
    (repo / "a.py").write_text("a = 2\n")
    git(repo, "add", "a.py")
    assert tgit.staged_changes(repo) == {"a.py": frozenset({1})}


def test_changes_between_refs_and_since_base(repo: Path) -> None:
    (repo / "a.py").write_text("a = 1\n")
    commit_all(repo)
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "a.py").write_text("a = 1\nb = 2\n")
    commit_all(repo)
    assert tgit.changes_between(repo, base, "HEAD") == {"a.py": frozenset({2})}
    (repo / "a.py").write_text("a = 1\nb = 2\nc = 3\n")
    assert tgit.changes_since(repo, base) == {"a.py": frozenset({2, 3})}


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository"):
        tgit.repo_root(tmp_path)


def test_bad_ref_is_a_git_error(repo: Path) -> None:
    (repo / "a.py").write_text("a = 1\n")
    commit_all(repo)
    with pytest.raises(GitError, match="no-such-ref"):
        tgit.changes_since(repo, "no-such-ref")


def test_tracked_files_and_blob_ids(repo: Path) -> None:
    (repo / "a.py").write_text("a = 1\n")
    (repo / "b c.py").write_text("b = 1\n")
    git(repo, "add", "-A")
    assert tgit.tracked_files(repo) == ["a.py", "b c.py"]
    ids = tgit.blob_ids(repo, ["."])
    assert set(ids) == {"a.py", "b c.py"}
    assert ids["a.py"] == git(repo, "hash-object", "a.py").strip()
