"""Which files a run checks and which of their lines changed, for each way the CLI is invoked.

Hook mode reads content from the index so partially staged files are linted as committed; the
other modes read the working tree. Nothing here writes to the index or the working tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import git
from .engine import Target
from .errors import UsageError

_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "dist", "build"})


@dataclass(frozen=True)
class Selection:
    """How the user asked for files: explicit paths plus the mode flags."""

    paths: tuple[str, ...] = ()
    all_files: bool = False
    staged: bool = False
    diff_base: str | None = None
    from_ref: str | None = None
    to_ref: str | None = None


def _reader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _index_reader(root: Path, path: str) -> Callable[[], bytes]:
    return lambda: git.staged_content(root, path)


def to_repo_path(root: Path, given: str, cwd: Path) -> str:
    """A user-given path as a root-relative path with forward slashes."""
    absolute = (cwd / given).absolute()
    try:
        return Path(os.path.normpath(absolute)).relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.normpath(absolute)).as_posix()


def _expand(root: Path, cwd: Path, given: str) -> list[str]:
    """A path argument as repository paths; a directory expands to the files under it."""
    absolute = cwd / given
    if absolute.is_dir():
        found = []
        for folder, dirs, files in os.walk(absolute):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                found.append(to_repo_path(root, os.path.join(folder, name), cwd))
        return found
    return [to_repo_path(root, given, cwd)]


def select_targets(root: Path, selection: Selection, cwd: Path, in_git: bool) -> list[Target]:
    """Resolve a Selection to Targets; UsageError for combinations that make no sense."""
    paths = [p for given in selection.paths for p in _expand(root, cwd, given)]
    if (selection.all_files or selection.staged or selection.diff_base or selection.from_ref) and not in_git:
        raise UsageError(f"not a git repository: {cwd} (needed for --all, --staged or --diff-base)")
    if selection.from_ref and selection.to_ref:
        changes = git.changes_between(root, selection.from_ref, selection.to_ref)
        chosen = paths or sorted(changes)
        return [Target(p, _reader(root / p), changes.get(p)) for p in chosen if (root / p).is_file()]
    if selection.staged:
        staged = git.staged_changes(root)
        chosen = paths or sorted(staged)
        targets = []
        for p in chosen:
            if p in staged:
                targets.append(Target(p, _index_reader(root, p), staged[p]))
            elif (root / p).is_file():
                targets.append(Target(p, _reader(root / p), None))  # pre-commit run --all-files
        return targets
    if selection.diff_base:
        changes = git.changes_since(root, selection.diff_base)
        chosen = paths or sorted(changes)
        return [Target(p, _reader(root / p), changes[p]) for p in chosen if p in changes and (root / p).is_file()]
    if selection.all_files:
        tracked = git.tracked_files(root)
        if paths:
            wanted = set(paths)
            tracked = [p for p in tracked if p in wanted or any(p.startswith(w.rstrip("/") + "/") for w in wanted)]
        return [Target(p, _reader(root / p), None) for p in tracked if (root / p).is_file()]
    if not paths:
        raise UsageError("no files given (pass files, --all, --staged or --diff-base REF)")
    targets = []
    for p in paths:
        full = root / p if not Path(p).is_absolute() else Path(p)
        if not full.is_file():
            raise UsageError(f"{p}: no such file")
        targets.append(Target(p, _reader(full), None))
    return targets
