"""Which lines of an editor buffer differ from the git index, so a buffer is judged as the hook will.

The index content comes from git.py (one ``ls-files --stage`` per lint, the blob read once per id);
the comparison is a line diff in Python, new-side line numbers like ``git diff -U0``.
"""

from __future__ import annotations

import difflib
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


class IndexReader:
    """Index content of files, read through git and remembered by blob id."""

    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}

    def content(self, root: Path, path: str) -> bytes | None:
        """The staged content of ``path`` (root-relative), or None when the index does not hold it."""
        blob = git.blob_ids(root, [path]).get(path)
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
