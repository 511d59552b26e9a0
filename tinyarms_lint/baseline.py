"""Baselines: record today's findings so a team can adopt the linter on an old codebase.

An entry is a finding's path, rule id and a hash of its normalized snippet (never its line number),
so entries survive edits above them. Matching counts copies: two baselined copies hide two findings.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .types import Finding

BASELINE_VERSION = 1


def fingerprint(finding: Finding) -> str:
    """Rule id plus a hash of the snippet with white space folded."""
    normalized = " ".join(finding.snippet.split())
    return hashlib.sha256(f"{finding.rule}\0{normalized}".encode()).hexdigest()[:24]


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.path, finding.rule, fingerprint(finding))


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Write ``findings`` as a baseline file; returns the number of entries."""
    counts = Counter(_key(f) for f in findings)
    snippets = {_key(f): f.snippet for f in findings}
    entries = [
        {"path": p, "rule": r, "fingerprint": fp, "count": n, "snippet": snippets[(p, r, fp)][:200]}
        for (p, r, fp), n in sorted(counts.items())
    ]
    document = {"version": BASELINE_VERSION, "tool": "tinyarms-lint", "entries": entries}
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write baseline ({exc.strerror})") from exc
    return len(entries)


@dataclass(frozen=True)
class BaselineResult:
    """Findings left after the baseline, how many it hid, and entries that no longer occur."""

    findings: list[Finding]
    hidden: int
    stale: list[str]


def read_baseline(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"{path}: baseline file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a tinyarms-lint baseline ({exc.__class__.__name__})") from exc
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise UsageError(f"{path}: not a tinyarms-lint baseline (version {BASELINE_VERSION} expected)")
    counts: Counter[tuple[str, str, str]] = Counter()
    try:
        for entry in document["entries"]:
            counts[(entry["path"], entry["rule"], entry["fingerprint"])] += int(entry.get("count", 1))
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path}: malformed baseline entry ({exc.__class__.__name__})") from exc
    return counts


def apply_baseline(path: Path, findings: list[Finding], whole_files: set[str]) -> BaselineResult:
    """Hide baselined findings. Entries of files checked whole that matched nothing are stale."""
    remaining = read_baseline(path)
    kept: list[Finding] = []
    hidden = 0
    for finding in findings:
        key = _key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            hidden += 1
        else:
            kept.append(finding)
    stale = [
        f"{p}: baseline entry for {r} no longer occurs ({n}x)"
        for (p, r, _), n in sorted(remaining.items())
        if n > 0 and p in whole_files
    ]
    return BaselineResult(kept, hidden, stale)
