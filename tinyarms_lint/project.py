"""A project loaded once for long-lived servers (the language server, the MCP server).

Holds the configuration, the rules in force and a warm engine; lints one text as one path with
given changed lines through ``Engine.run`` (the run order stays in engine.py). ``Projects`` reloads
a project when its config or rule files change on disk, so no server needs a restart for that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import TinyarmsError

if TYPE_CHECKING:
    from .config import Config
    from .engine import Engine
    from .llm.base import Judge
    from .rules import Rule
    from .types import RunResult

CONFIG_FILES = (".tinyarms.toml", "pyproject.toml")
DEFAULT_RULE_DIRS = (".tinyarms/rules",)

Fingerprint = tuple[tuple[str, int, int], ...]


def find_root(directory: Path) -> tuple[Path, bool]:
    """The git work tree holding ``directory`` (and True), or ``directory`` itself outside git."""
    from . import git

    try:
        return git.repo_root(directory), True
    except TinyarmsError:
        return directory, False


def fingerprint(root: Path, rule_dirs: tuple[str, ...]) -> Fingerprint:
    """Size and mtime of every file whose change means a reload: config files and rule files."""
    seen: list[tuple[str, int, int]] = []
    paths = [root / name for name in CONFIG_FILES]
    for folder in dict.fromkeys((*DEFAULT_RULE_DIRS, *rule_dirs)):
        directory = root / folder
        try:
            paths.extend(sorted(p for p in directory.iterdir() if p.suffix == ".md"))
        except OSError:
            continue
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        seen.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(seen)


@dataclass
class Project:
    """One repository's configuration, rules and a static engine kept warm between lints."""

    root: Path
    in_git: bool
    config: Config
    all_rules: dict[str, Rule]
    rules: list[Rule]
    fingerprint: Fingerprint
    generation: int = 0  # goes up each time detector project data is dropped
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, judge: Judge | None = None, from_index: bool = False) -> Engine:
        """A new engine for this project (its detector caches start empty); ``from_index``: other files
        are read from the git index, as in a hook run."""
        from .detectors.base import RepositoryView
        from .engine import Engine
        from .repository import DirectoryRepository, GitRepository

        repository: RepositoryView = (
            GitRepository(self.root, from_index=from_index) if self.in_git else DirectoryRepository(self.root)
        )
        return Engine(self.config, self.rules, judge, repository, known_rules=set(self.all_rules))

    def static_engine(self) -> Engine:
        """The warm static engine (detector project data, such as the design-token index, kept)."""
        if self._engine is None:
            self._engine = self.engine()
        return self._engine

    def forget_project_data(self) -> None:
        """Drop what detectors remember about other files (a token file or the index changed)."""
        self._engine = None
        self.generation += 1

    def relative(self, path: Path) -> str:
        """``path`` as the engine names it: relative to the root, forward slashes."""
        from .engine import relative_path

        return relative_path(self.root, path)

    def lint(
        self, path: str, data: bytes, changed_lines: frozenset[int] | None, engine: Engine | None = None
    ) -> RunResult:
        """Lint ``data`` as the file ``path`` (root-relative); ``changed_lines`` None means the whole file."""
        from .engine import Target

        runner = engine if engine is not None else self.static_engine()
        return runner.run([Target(path, lambda: data, changed_lines)])

    def wants_model(self) -> bool:
        """True when some rule in force may ask a model and the config does not turn models off."""
        if self.config.llm == "off":
            return False
        return any(r.detector is None or r.llm for r in self.rules)


def load_project(root: Path, in_git: bool) -> Project:
    """Read the config and rules of ``root``; TinyarmsError (naming the file) when one is broken."""
    from .config import load_config
    from .engine import active_rules
    from .rules import load_rules

    config = load_config(root)
    all_rules = load_rules(config.rule_directories(), config.frontmatter_cache())
    rules = active_rules(all_rules, config)
    return Project(root, in_git, config, all_rules, rules, fingerprint(root, config.rule_dirs))


@dataclass
class Broken:
    """A project whose config or rules cannot be loaded: the one-line error, kept until files change."""

    root: Path
    error: str
    fingerprint: Fingerprint
    rule_dirs: tuple[str, ...] = DEFAULT_RULE_DIRS


class Projects:
    """Projects by root, reloaded when their config or rule files change (checked on each lookup)."""

    def __init__(self) -> None:
        self._roots: dict[Path, tuple[Path, bool]] = {}
        self._loaded: dict[Path, Project | Broken] = {}
        self.reloads = 0  # loads after the first one for a root (for tests and logs)

    def root_for(self, directory: Path, outside_git: Path | None = None) -> tuple[Path, bool]:
        """The git work tree holding ``directory``; outside git, ``outside_git`` (an editor's workspace
        folder) when given, else the directory itself."""
        if directory not in self._roots:
            root, in_git = find_root(directory)
            self._roots[directory] = (root, in_git) if in_git or outside_git is None else (outside_git, False)
        return self._roots[directory]

    def get(self, directory: Path, outside_git: Path | None = None) -> Project | Broken:
        """The project holding ``directory``: loaded, reloaded if its files changed, or Broken."""
        root, in_git = self.root_for(directory, outside_git)
        current = self._loaded.get(root)
        if current is not None:
            dirs = current.config.rule_dirs if isinstance(current, Project) else current.rule_dirs
            if fingerprint(root, dirs) == current.fingerprint:
                return current
            self.reloads += 1
        try:
            loaded: Project | Broken = load_project(root, in_git)
        except TinyarmsError as exc:
            dirs = current.config.rule_dirs if isinstance(current, Project) else DEFAULT_RULE_DIRS
            loaded = Broken(root, str(exc), fingerprint(root, dirs), dirs)
        self._loaded[root] = loaded
        return loaded

    def loaded(self) -> list[Project | Broken]:
        return list(self._loaded.values())


def is_config_or_rule_file(path: Path) -> bool:
    """True for a file whose edit may change the rules in force (a reload trigger)."""
    return path.name in CONFIG_FILES or (path.suffix == ".md" and os.sep + ".tinyarms" + os.sep in str(path))
