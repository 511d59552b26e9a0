"""The RepositoryView detectors use to see other files: git's index, or a plain directory walk.

Paths are the printable names targets use (``targets.printable_path``); files behind a symlink that
leads outside the repository (or nowhere) are not part of the view, so their content never reaches
a detector.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from . import git
from .targets import link_problem, printable_path

_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "dist", "build"})


class GitRepository:
    """Tracked files with their index blob ids; content from the index or the working tree."""

    def __init__(self, root: Path, from_index: bool) -> None:
        self.root = root
        self.from_index = from_index
        self.real_names: dict[str, str] = {}  # printable name -> name on disk, where they differ
        self.real_dirs: dict[str, str] = {}  # for link_problem

    @functools.cache  # noqa: B019 - one instance per run
    def files(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, blob in git.blob_ids(self.root, ["."]).items():
            if not self.from_index and link_problem(self.root, name, self.real_dirs) is not None:
                continue
            shown = printable_path(name)
            if shown != name:
                self.real_names[shown] = name
            found[shown] = blob
        return found

    def read(self, path: str) -> bytes:
        self.files()
        real = self.real_names.get(path, path)
        if self.from_index:
            return git.staged_content(self.root, real)
        if link_problem(self.root, real, self.real_dirs) is not None:
            raise FileNotFoundError(f"{path}: not in the repository")
        return (self.root / real).read_bytes()

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Many files at once (one git process in index mode); unreadable ones are left out."""
        if not self.from_index:
            self.files()
            return _read_files(self.root, paths, self.real_names, self.real_dirs)
        ids = self.files()
        blobs = git.blob_contents(self.root, sorted({ids[p] for p in paths if p in ids}))
        return {p: blobs[ids[p]] for p in paths if p in ids and ids[p] in blobs}


class DirectoryRepository:
    """Outside git: every file below ``root`` (hidden and vendored folders skipped)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_names: dict[str, str] = {}  # printable name -> name on disk, where they differ
        self.real_dirs: dict[str, str] = {}  # for link_problem

    @functools.cache  # noqa: B019 - one instance per run
    def files(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
            for name in names:
                full = Path(folder) / name
                rel = full.relative_to(self.root).as_posix()
                if link_problem(self.root, rel, self.real_dirs) is not None:
                    continue  # a symlink leading outside the folder, or nowhere
                try:
                    stat = full.stat()
                except OSError:
                    continue  # gone since the walk, or unreadable
                shown = printable_path(rel)
                if shown != rel:
                    self.real_names[shown] = rel
                found[shown] = hashlib.sha1(f"{shown}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
        return found

    def read(self, path: str) -> bytes:
        self.files()
        real = self.real_names.get(path, path)
        if link_problem(self.root, real, self.real_dirs) is not None:
            raise FileNotFoundError(f"{path}: not in the folder")
        return (self.root / real).read_bytes()

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Many files at once; unreadable ones are left out."""
        self.files()
        return _read_files(self.root, paths, self.real_names, self.real_dirs)


def _read_files(
    root: Path, paths: list[str], real_names: dict[str, str], real_dirs: dict[str, str]
) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for path in paths:
        real = real_names.get(path, path)
        if link_problem(root, real, real_dirs) is not None:
            continue
        try:
            found[path] = (root / real).read_bytes()
        except OSError:
            continue
    return found
