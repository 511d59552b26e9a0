"""What blocks a commit: the order of severities, ``fail_on``, and how sure each tier's findings are.

A finding blocks (exit 1) when its severity is at or above ``fail_on``; softer findings are shown and
exit 0, the way ESLint treats warnings. Ambiguous candidates no model decided are reported at the
rule's ``undecided`` severity (default ``info``) or dropped when the rule says ``undecided = "drop"``;
a model verdict whose rule was not calibrated is reported at most at ``info``.
"""

from __future__ import annotations

from typing import Literal, cast

SEVERITIES = ("error", "warning", "info")
_RANK = {"info": 0, "warning": 1, "error": 2}
DEFAULT_FAIL_ON = "warning"  # every bundled rule is a warning: they block; info (undecided, unsure model) does not

UNDECIDED_CHOICES = ("info", "warning", "error", "drop")
DEFAULT_UNDECIDED = "info"

UNCALIBRATED_MODEL_CAP = "info"  # a model verdict without calibration that met the rule's floors never blocks

# JSON ``confidence`` of static findings: a detector's clear call, and an ambiguous candidate nobody decided
STATIC_CLEAR_CONFIDENCE = 1.0
UNDECIDED_CONFIDENCE = 0.5

SeverityName = Literal["error", "warning", "info"]


def blocks(severity: str, fail_on: str) -> bool:
    """True when a finding of ``severity`` fails the run under ``fail_on``."""
    return _RANK[severity] >= _RANK[fail_on]


def at_most(severity: str, cap: str) -> SeverityName:
    """``severity``, lowered to ``cap`` when it is above it."""
    return cast(SeverityName, severity if _RANK[severity] <= _RANK[cap] else cap)


def count_by_severity(severities: list[str]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n}``, every key present, in that order."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for severity in severities:
        counts[severity] += 1
    return counts


def sarif_rank(confidence: float | None) -> float | None:
    """SARIF ``rank`` (0-100, higher: more likely a true problem) from a 0-1 confidence."""
    if confidence is None:
        return None
    return round(max(0.0, min(1.0, confidence)) * 100, 1)
