"""The RepositoryView detectors use to see other files: git's index, or a plain directory walk."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from . import git

_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "dist", "build"})


class GitRepository:
    """Tracked files with their index blob ids; content from the index or the working tree."""

    def __init__(self, root: Path, from_index: bool) -> None:
        self.root = root
        self.from_index = from_index

    @functools.cache  # noqa: B019 - one instance per run
    def files(self) -> dict[str, str]:
        return git.blob_ids(self.root, ["."])

    def read(self, path: str) -> bytes:
        if self.from_index:
            return git.staged_content(self.root, path)
        return (self.root / path).read_bytes()

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Many files at once (one git process in index mode); unreadable ones are left out."""
        if not self.from_index:
            return _read_files(self.root, paths)
        ids = self.files()
        blobs = git.blob_contents(self.root, sorted({ids[p] for p in paths if p in ids}))
        return {p: blobs[ids[p]] for p in paths if p in ids and ids[p] in blobs}


class DirectoryRepository:
    """Outside git: every file below ``root`` (hidden and vendored folders skipped)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @functools.cache  # noqa: B019 - one instance per run
    def files(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
            for name in names:
                full = Path(folder) / name
                stat = full.stat()
                rel = full.relative_to(self.root).as_posix()
                found[rel] = hashlib.sha1(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
        return found

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Many files at once; unreadable ones are left out."""
        return _read_files(self.root, paths)


def _read_files(root: Path, paths: list[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for path in paths:
        try:
            found[path] = (root / path).read_bytes()
        except OSError:
            continue
    return found
