"""Plain data that flows through a run: changes, regions, candidates, verdicts and findings.

Positions are 1-based lines and 1-based columns counted in characters (like ruff and ESLint);
``end_column`` is exclusive. Byte offsets are kept beside them for slicing the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Tier = Literal["static", "llm"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Span:
    """A range of source text: 1-based lines and character columns, plus byte offsets."""

    line: int
    column: int
    end_line: int
    end_column: int
    start_byte: int
    end_byte: int

    def overlaps_lines(self, first: int, last: int) -> bool:
        """True when any line of this span lies within ``first..last`` (inclusive)."""
        return self.line <= last and self.end_line >= first


@dataclass(frozen=True)
class Change:
    """A file to check and which of its lines changed (``None`` means: check the whole file)."""

    path: str
    changed_lines: frozenset[int] | None


@dataclass(frozen=True)
class Region:
    """A syntactic unit (function, class, CSS rule, JSX element, statement) holding changed lines."""

    kind: str
    span: Span
    text: str
    language: str


@dataclass(frozen=True)
class Fix:
    """A replacement of the text at ``span`` by ``replacement``; only ``--fix`` applies it."""

    span: Span
    replacement: str
    description: str = ""


@dataclass(frozen=True)
class Candidate:
    """A detector's hit: where, what it saw, and whether the static tier can decide it alone.

    ``clear`` candidates become findings without a model; ambiguous ones go to the model tier
    when one is available, and are otherwise reported as undecided (the rule's ``undecided`` option).
    """

    rule_id: str
    span: Span
    snippet: str
    message: str
    clear: bool = True
    fix: Fix | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """A decision on a candidate or a region, and who made it.

    ``confidence`` 0.0 means nobody decided (no model for the rule's role): the engine reports the
    candidate as undecided instead of treating it as fine.
    """

    violation: bool
    confidence: float
    decided_by: Tier
    cached: bool = False
    message: str | None = None
    margin: float | None = None  # model verdicts: log-odds of "yes" over "no", before the threshold
    calibrated: bool = False  # model verdicts: the threshold was calibrated and met the rule's floors

    @property
    def unanswered(self) -> bool:
        """True for the stand-in verdict of a question no model answered (confidence 0)."""
        return self.confidence <= 0.0


@dataclass(frozen=True)
class Finding:
    """What the user sees: one violation of one rule at one place."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    tier: Tier
    snippet: str = ""
    fix: Fix | None = None
    confidence: float | None = None  # 0-1: how sure the deciding tier is (None: not stated)
    margin: float | None = None  # model verdicts only: the yes/no log-odds margin
    undecided: bool = False  # an ambiguous candidate no tier decided (reported at the rule's ``undecided``)
    # Other places the finding is about, as (path, line, end_line): every other copy of a duplicate, where
    # the message names only the first few.
    related: tuple[tuple[str, int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The finding in the public JSON schema (see README, "JSON output")."""
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "tier": self.tier,
            "snippet": self.snippet,
        }
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.margin is not None:
            out["margin"] = self.margin
        if self.undecided:
            out["undecided"] = True
        if self.fix is not None:
            out["fix"] = {"replacement": self.fix.replacement, "description": self.fix.description}
        if self.related:
            out["related"] = [{"path": path, "line": line, "end_line": end} for path, line, end in self.related]
        return out


@dataclass
class RunStats:
    """Counters for the summary line and the JSON ``summary`` object."""

    files: int = 0
    regions: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    elapsed_ms: int = 0
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    whole_files: list[str] = field(default_factory=list)
    processed: int = 0  # targets looked at, parsed or not (progress display)
    unjudged: int = 0  # ambiguous candidates and model-only regions left undecided (no model)
    unjudged_rules: dict[str, int] = field(default_factory=dict)  # rule without a detector -> regions no model judged
    dropped: dict[str, int] = field(default_factory=dict)  # rule -> undecided candidates dropped (undecided = "drop")

    def add_unjudged_regions(self, rule_id: str, count: int) -> None:
        """Count ``count`` parts of code of a model-only rule that no model judged (reported as a note)."""
        if count:
            self.unjudged += count
            self.unjudged_rules[rule_id] = self.unjudged_rules.get(rule_id, 0) + count


@dataclass(frozen=True)
class RunResult:
    """Everything a reporter needs: findings (sorted), stats and the rules that ran."""

    findings: list[Finding]
    stats: RunStats
    rules: list[Any]
    fail_on: str = "warning"  # findings at or above this severity fail the run (see severity.py)
