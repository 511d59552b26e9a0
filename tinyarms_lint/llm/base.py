"""The interface between the engine and the model tier."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..regions import SourceFile
    from ..rules import Rule
    from ..types import Candidate, Region, Verdict


class Judge(Protocol):
    """Decides ambiguous candidates and detector-less rules, and translates comments for ``--fix``.
    Never invents positions."""

    calls: int
    cache_hits: int
    notes: list[str]

    def judge_candidates(self, rule: Rule, file: SourceFile, candidates: list[Candidate]) -> list[Verdict]:
        """One verdict per candidate, in order."""
        ...

    def judge_region(self, rule: Rule, file: SourceFile, region: Region) -> Verdict:
        """One verdict for a rule no detector can express, over a whole region."""
        ...

    def translate(self, rule: Rule, file: SourceFile, candidate: Candidate) -> str | None:
        """The text of a ``translate`` candidate (``data["text"]``) in ``data["target_language"]``, as the
        model wrote it (unchecked), or None when no model can or did answer. Asked only under ``--fix``."""
        ...

    def close(self) -> None:
        """Called once after the run: flush caches, release models."""
        ...
