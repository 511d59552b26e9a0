"""Which lines of an editor buffer differ from the git index, so a buffer is judged as the hook will.

The index content comes from git.py (``ls-files --stage``, then the blob, read once per id); while the
index file itself is unchanged (same size, mtime and inode) no git process is started at all. The
comparison is a line diff in Python, new-side line numbers like ``git diff -U0``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .. import git

# Past this many differing lines between the common prefix and suffix, the whole middle counts as
# changed instead of running a line diff (difflib is quadratic in the worst case).
MAX_DIFF_LINES = 4000


def changed_lines(index_text: bytes, buffer_text: bytes) -> frozenset[int]:
    """1-based lines of ``buffer_text`` that are added or modified relative to ``index_text``."""
    old = index_text.split(b"\n")
    new = buffer_text.split(b"\n")
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    old_end, new_end = len(old), len(new)
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    if new_end == start:
        return frozenset()
    if old_end - start > MAX_DIFF_LINES or new_end - start > MAX_DIFF_LINES:
        return frozenset(range(start + 1, new_end + 1))
    matcher = difflib.SequenceMatcher(None, old[start:old_end], new[start:new_end], autojunk=False)
    lines: set[int] = set()
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(start + j1 + 1, start + j2 + 1))
    return frozenset(lines)


def index_file(root: Path) -> Path | None:
    """Where the index of the work tree at ``root`` lives (``.git/index``, a linked worktree's, or
    ``$GIT_INDEX_FILE``); None when it cannot be told without git."""
    configured = os.environ.get("GIT_INDEX_FILE")
    if configured:
        return Path(configured) if os.path.isabs(configured) else root / configured
    dotgit = root / ".git"
    if dotgit.is_dir():
        return dotgit / "index"
    try:
        pointer = dotgit.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not pointer.startswith("gitdir:"):
        return None
    gitdir = Path(pointer[len("gitdir:") :].strip())
    return (gitdir if gitdir.is_absolute() else root / gitdir) / "index"


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


class IndexReader:
    """Index content of files, read through git and remembered by blob id and index file stamp."""

    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}
        self._ids: dict[tuple[Path, str], tuple[tuple[int, int, int], str | None]] = {}
        self.git_lookups = 0  # ``ls-files`` processes started (for tests and benchmarks)

    def _blob_id(self, root: Path, path: str) -> str | None:
        stamp = _stamp(index_file(root))
        known = self._ids.get((root, path))
        if stamp is not None and known is not None and known[0] == stamp:
            return known[1]
        self.git_lookups += 1
        blob = git.blob_ids(root, [path]).get(path)
        if stamp is not None:
            if len(self._ids) > 1024:
                self._ids.clear()
            self._ids[(root, path)] = (stamp, blob)
        return blob

    def content(self, root: Path, path: str) -> bytes | None:
        """The staged content of ``path`` (root-relative), or None when the index does not hold it."""
        blob = self._blob_id(root, path)
        if blob is None:
            return None
        if blob not in self._blobs:
            found = git.blob_contents(root, [blob])
            if blob not in found:
                return None
            if len(self._blobs) > 256:
                self._blobs.clear()
            self._blobs[blob] = found[blob]
        return self._blobs[blob]

    def changed_lines(self, root: Path, path: str, buffer_text: bytes) -> frozenset[int] | None:
        """Lines of the buffer that differ from the index; None (the whole file) when it is not staged."""
        staged = self.content(root, path)
        if staged is None:
            return None
        return changed_lines(staged, buffer_text)
