"""Lines of an editor buffer that differ from the git index, checked against git's own diff."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tinyarms_lint import git as tgit
from tinyarms_lint.lsp.changed_lines import MAX_DIFF_LINES, IndexReader, changed_lines, index_file


def test_matches_git_diff_on_the_same_edit(repo: Path) -> None:
    before = "".join(f"line {i}\n" for i in range(1, 41))
    lines = before.splitlines(keepends=True)
    lines[4] = "changed 5\n"
    lines[19:21] = []  # two deleted lines
    lines.insert(30, "inserted\n")
    lines.append("appended\n")
    after = "".join(lines)
    (repo / "f.txt").write_text(before)
    git(repo, "add", "f.txt")
    (repo / "f.txt").write_text(after)
    expected = tgit.parse_diff(git(repo, "diff", "-U0", "--no-prefix", "f.txt").encode())["f.txt"]
    assert changed_lines(before.encode(), after.encode()) == expected == frozenset({5, 31, 40})


def test_identical_text_has_no_changed_line() -> None:
    assert changed_lines(b"a\nb\n", b"a\nb\n") == frozenset()


def test_a_huge_middle_counts_as_changed_without_a_line_diff() -> None:
    old = b"head\n" + b"".join(b"old %d\n" % i for i in range(MAX_DIFF_LINES + 10)) + b"tail\n"
    new = b"head\n" + b"".join(b"new %d\n" % i for i in range(MAX_DIFF_LINES + 10)) + b"tail\n"
    assert changed_lines(old, new) == frozenset(range(2, MAX_DIFF_LINES + 12))


def test_index_reader_whole_file_when_not_staged(repo: Path) -> None:
    reader = IndexReader()
    (repo / "a.py").write_text("x = 1\n")
    assert reader.changed_lines(repo, "a.py", b"x = 1\ny = 2\n") is None
    git(repo, "add", "a.py")
    assert reader.changed_lines(repo, "a.py", b"x = 1\ny = 2\n") == frozenset({2})


def test_index_reader_asks_git_again_only_when_the_index_changes(repo: Path) -> None:
    reader = IndexReader()
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    for _ in range(3):
        assert reader.changed_lines(repo, "a.py", b"x = 1\ny = 2\n") == frozenset({2})
    assert reader.git_lookups == 1
    (repo / "a.py").write_text("x = 1\ny = 2\n")
    git(repo, "add", "a.py")
    assert reader.changed_lines(repo, "a.py", b"x = 1\ny = 2\n") == frozenset()
    assert reader.git_lookups == 2


def test_index_file_of_a_linked_worktree(repo: Path, tmp_path: Path) -> None:
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    git(repo, "commit", "-q", "-m", "init")
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", str(linked))
    found = index_file(linked)
    assert found is not None and found.is_file()
    assert found == Path(git(linked, "rev-parse", "--path-format=absolute", "--git-path", "index").strip())
