"""fixes.py: replacements land only where the linted content is still what is on disk."""

from __future__ import annotations

from pathlib import Path

from tinyarms_lint.fixes import apply_fixes
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.types import Finding, Fix

SRC = b".a {\n  color: #3b82f6;\n  margin: 16px;\n}\n"


def _finding(file: SourceFile, needle: bytes, replacement: str) -> Finding:
    start = file.source.index(needle)
    span = file.span(start, start + len(needle))
    return Finding(
        file.path, span.line, span.column, span.end_line, span.end_column, "design-tokens", "warning", "m",
        "static", needle.decode(), Fix(span, replacement),
    )  # fmt: skip


def test_fixes_applied_back_to_front(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_bytes(SRC)
    file = SourceFile.parse("a.css", "css", SRC)
    findings = [_finding(file, b"#3b82f6", "var(--color-primary)"), _finding(file, b"16px", "var(--space-4)")]
    applied, left, notes = apply_fixes(tmp_path, findings, {"a.css": SRC})
    assert (tmp_path / "a.css").read_text() == ".a {\n  color: var(--color-primary);\n  margin: var(--space-4);\n}\n"
    assert [(a.line, a.old, a.new) for a in applied] == [
        (2, "#3b82f6", "var(--color-primary)"),
        (3, "16px", "var(--space-4)"),
    ]
    assert left == [] and notes == []


def test_changed_file_is_not_touched(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_bytes(SRC + b"/* unstaged edit */\n")
    file = SourceFile.parse("a.css", "css", SRC)
    findings = [_finding(file, b"#3b82f6", "var(--color-primary)")]
    applied, left, notes = apply_fixes(tmp_path, findings, {"a.css": SRC})
    assert applied == [] and left == findings
    assert notes == ["a.css: not fixed, the file differs from what was linted (unstaged changes?)"]
    assert (tmp_path / "a.css").read_bytes() == SRC + b"/* unstaged edit */\n"


def test_overlapping_fixes_keep_the_later_one(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_bytes(SRC)
    file = SourceFile.parse("a.css", "css", SRC)
    outer = _finding(file, b"color: #3b82f6", "color: red")
    inner = _finding(file, b"#3b82f6", "var(--c)")
    applied, left, _ = apply_fixes(tmp_path, [outer, inner], {"a.css": SRC})
    assert len(applied) == 1 and len(left) == 1
