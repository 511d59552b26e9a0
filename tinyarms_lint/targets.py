"""Which files a run checks and which of their lines changed, for each way the CLI is invoked.

Hook mode reads content from the index so partially staged files are linted as committed; the
other modes read the working tree. Nothing here writes to the index or the working tree.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import git, languages
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


class _StagedBatches:
    """Staged content of the hook's files, read from the index a chunk of files per git process.

    A chunk is read when one of its files is first asked for, so memory holds one chunk at a time
    and a small commit costs one ``git cat-file --batch`` instead of one ``git show`` per file.
    """

    CHUNK = 100

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: list[str] = []
        self.chunk_of: dict[str, int] = {}
        self.loaded_chunk = -1
        self.loaded: dict[str, bytes] = {}

    def reader(self, path: str) -> Callable[[], bytes]:
        if languages.language_for_path(path) is None:  # never read by a rule: not fetched with the others
            return lambda: git.staged_content(self.root, path)
        self.chunk_of[path] = len(self.paths) // self.CHUNK
        self.paths.append(path)
        return lambda: self.read(path)

    def read(self, path: str) -> bytes:
        chunk = self.chunk_of[path]
        if chunk != self.loaded_chunk:
            start = chunk * self.CHUNK
            self.loaded = git.staged_contents(self.root, self.paths[start : start + self.CHUNK])
            self.loaded_chunk = chunk
        data = self.loaded.get(path)
        return data if data is not None else git.staged_content(self.root, path)  # git says what is wrong


def printable_path(path: str) -> str:
    """``path`` as shown to the user and stored in reports and caches.

    Names come from git and the file system decoded with ``surrogateescape``; a name whose bytes
    are not UTF-8 (``caf\\xe9.css`` in Latin-1) is shown with ``\\xNN`` escapes instead of breaking
    every later encode (output, JSON, sqlite). The file itself is still read by its real name.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def link_problem(root: Path, path: str, real_dirs: dict[str, str] | None = None) -> str | None:
    """Why the file at ``path`` is not read through a symlink, or None when it can be read.

    A symlink (or a path through a symlinked folder) is followed only when its target is inside
    the repository: content from outside must never reach snippets, caches or SARIF uploads.
    ``real_dirs`` remembers resolved folders between calls (one ``lstat`` per file, not one per
    path component: ``--all`` asks for every tracked file).
    """
    cache = real_dirs if real_dirs is not None else {}
    full = os.path.normpath(os.path.join(os.path.abspath(root), path))
    folder, name = os.path.split(full)
    real_folder = cache.get(folder)
    if real_folder is None:
        real_folder = cache[folder] = os.path.realpath(folder)
    try:
        is_link = stat.S_ISLNK(os.lstat(full).st_mode)
    except OSError:
        return None  # no such file: the caller says so as for any missing file
    real = os.path.realpath(full) if is_link else os.path.join(real_folder, name)
    if real == full:
        return None  # no symlink on the way
    top = cache.get("\0root")
    if top is None:
        top = cache["\0root"] = os.path.realpath(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        return "symlink to a file outside the repository, not followed"
    if not os.path.exists(real):
        return "broken symlink"
    return None


def to_repo_path(root: Path, given: str, cwd: Path) -> str:
    """A user-given path as a root-relative path with forward slashes."""
    absolute = (cwd / given).absolute()
    try:
        return Path(os.path.normpath(absolute)).relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.normpath(absolute)).as_posix()


def _expand(root: Path, cwd: Path, given: str) -> list[tuple[str, bool]]:
    """A path argument as repository paths, each with whether the user named it; a directory
    expands to the files under it."""
    absolute = cwd / given
    if absolute.is_dir():
        found = []
        for folder, dirs, files in os.walk(absolute):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                found.append((to_repo_path(root, os.path.join(folder, name), cwd), False))
        return found
    return [(to_repo_path(root, given, cwd), True)]


class _Collector:
    """Targets with printable names, and a note for each file that is left out (symlinks)."""

    def __init__(self, root: Path, notes: list[str]) -> None:
        self.root = root
        self.notes = notes
        self.targets: list[Target] = []
        self.real_dirs: dict[str, str] = {}

    def readable(self, path: str) -> bool:
        """False (with a note for files a rule could check) when ``path`` must not be read."""
        problem = link_problem(self.root, path, self.real_dirs)
        if problem is None:
            return True
        if languages.language_for_path(path) is not None:
            self.notes.append(f"{printable_path(path)}: skipped, {problem}")
        return False

    def add(self, path: str, read: Callable[[], bytes], changed_lines: frozenset[int] | None) -> None:
        self.targets.append(Target(printable_path(path), read, changed_lines))


def select_targets(
    root: Path, selection: Selection, cwd: Path, in_git: bool, notes: list[str] | None = None
) -> list[Target]:
    """Resolve a Selection to Targets; UsageError for combinations that make no sense.

    Files left out for a reason the user should know (a symlink leading outside the repository, a
    broken one, a merge conflict) get a line in ``notes``.
    """
    given = [item for name in selection.paths for item in _expand(root, cwd, name)]
    paths = [p for p, _ in given]
    if (selection.all_files or selection.staged or selection.diff_base or selection.from_ref) and not in_git:
        raise UsageError(f"not a git repository: {cwd} (needed for --all, --staged or --diff-base)")
    out = _Collector(root, notes if notes is not None else [])
    if selection.from_ref and selection.to_ref:
        changes = git.changes_between(root, selection.from_ref, selection.to_ref)
        for p in paths or sorted(changes):
            if (root / p).is_file() and out.readable(p):
                out.add(p, _reader(root / p), changes.get(p))
        return out.targets
    if selection.staged:
        staged = git.staged_changes(root)
        index = _StagedBatches(root)
        for p in paths or sorted(staged):
            if p in staged and not (root / p).is_symlink():
                out.add(p, index.reader(p), staged[p])
            elif (p in staged or (root / p).is_file()) and out.readable(p):
                # a symlink inside the repository is checked as its target's content, like --all does;
                # a file not staged is checked whole (pre-commit run --all-files)
                out.add(p, _reader(root / p), None)
        return out.targets
    if selection.diff_base:
        changes = git.changes_since(root, selection.diff_base)
        for p in paths or sorted(changes):
            if p in changes and (root / p).is_file() and out.readable(p):
                out.add(p, _reader(root / p), changes[p])
        return out.targets
    if selection.all_files:
        tracked = git.tracked_files(root)
        if paths:
            wanted = set(paths)
            tracked = [p for p in tracked if p in wanted or any(p.startswith(w.rstrip("/") + "/") for w in wanted)]
        unmerged = set(git.unmerged_files(root))
        for p in tracked:
            if out.readable(p) and (root / p).is_file():
                if p in unmerged and languages.language_for_path(p) is not None:
                    out.notes.append(
                        f"{printable_path(p)}: merge conflict not resolved; checked as in the working tree"
                    )
                out.add(p, _reader(root / p), None)
        return out.targets
    if not paths:
        raise UsageError("no files given (pass files, --all, --staged or --diff-base REF)")
    for p, named in given:
        full = root / p if not Path(p).is_absolute() else Path(p)
        if not out.readable(p):
            continue
        if full.is_file():
            out.add(p, _reader(full), None)
        elif named:
            raise UsageError(f"{printable_path(p)}: no such file")
    return out.targets
