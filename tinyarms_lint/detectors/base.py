"""The one interface every deterministic detector implements, and what it may know besides the file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..regions import SourceFile
    from ..rules import Rule
    from ..types import Candidate


class RepositoryView(Protocol):
    """Read-only access to the repository's other files, for rules that compare across files
    (design tokens, duplicated code). The engine provides it; detectors never call git themselves."""

    def files(self) -> dict[str, str]:
        """Every tracked path mapped to a content id (the git blob id, or a hash outside git)."""
        ...

    def read(self, path: str) -> bytes:
        """The content of ``path`` as this run sees it (index in hook mode, else working tree)."""
        ...


@dataclass(frozen=True)
class DetectContext:
    """What a detector may know besides the file: the repository and the project settings.

    ``is_token_file`` and ``is_test_file`` are decided by the engine from configured globs.
    ``project`` is a per-run dict where a detector family keeps data it loads once (tokens,
    aliases, the duplicate index), keyed by the family's name.
    """

    root: Path
    is_token_file: bool = False
    is_test_file: bool = False
    project: dict[str, Any] = field(default_factory=dict)
    repository: RepositoryView | None = None
    token_files: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # the run's excludes, for rules that read other files
    cache_dir: str | None = None  # the configured cache directory (Config.cache_dir)
    # The rules of this run by id, for rules that coordinate (hardcoded-colors leaves colors
    # that equal a design token to design-tokens when that rule runs too).
    rules: Mapping[str, Rule] = field(default_factory=dict)


class Detector(Protocol):
    """Find candidates for ``rule`` anywhere in ``file``; the engine keeps those in changed regions."""

    def __call__(self, file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]: ...


class Preparer(Protocol):
    """Build what ``rule`` needs of the whole repository before any file is checked, over ``jobs`` processes."""

    def __call__(self, rule: Rule, ctx: DetectContext, jobs: int) -> None: ...
