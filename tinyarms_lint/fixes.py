"""Applying the fixes rules offer (``--fix`` only): edits files in place, never the index.

A file is only rewritten when its working-tree content is exactly what was linted, so a fix
computed on staged content never lands on top of different unstaged edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .types import Finding


@dataclass(frozen=True)
class AppliedFix:
    """One replacement written to disk, for the report."""

    path: str
    line: int
    column: int
    rule: str
    old: str
    new: str


def apply_fixes(
    root: Path, findings: list[Finding], linted: dict[str, bytes]
) -> tuple[list[AppliedFix], list[Finding], list[str]]:
    """Write every non-overlapping fix; returns (applied, findings left unfixed, notes)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.fix is not None:
            by_path.setdefault(finding.path, []).append(finding)
    applied: list[AppliedFix] = []
    fixed_ids: set[int] = set()
    notes: list[str] = []
    for path, fixable in sorted(by_path.items()):
        target = root / path
        original = linted.get(path)
        try:
            current = target.read_bytes()
        except OSError:
            notes.append(f"{path}: not fixed, cannot read the file")
            continue
        if original is None or current != original:
            notes.append(f"{path}: not fixed, the file differs from what was linted (unstaged changes?)")
            continue
        data = bytearray(current)
        last_start = len(data) + 1
        for finding in sorted(fixable, key=lambda f: f.fix.span.start_byte if f.fix else 0, reverse=True):
            fix = finding.fix
            assert fix is not None
            if fix.span.end_byte > last_start:
                continue  # overlaps a fix already applied; the next run picks it up
            old = bytes(data[fix.span.start_byte : fix.span.end_byte]).decode("utf-8", "replace")
            data[fix.span.start_byte : fix.span.end_byte] = fix.replacement.encode("utf-8")
            last_start = fix.span.start_byte
            fixed_ids.add(id(finding))
            applied.append(AppliedFix(path, finding.line, finding.column, finding.rule, old, fix.replacement))
        target.write_bytes(bytes(data))
    left = [f for f in findings if id(f) not in fixed_ids]
    applied.sort(key=lambda a: (a.path, a.line, a.column))
    return applied, left, notes
