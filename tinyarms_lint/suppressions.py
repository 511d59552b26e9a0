"""Inline suppressions: ``tinyarms: ignore[rule-id]`` comments, per line or per file.

- ``tinyarms: ignore[rule-a, rule-b]`` (or bare ``tinyarms: ignore``) in a comment on a line silences
  those rules (or all rules) for findings that start on that line.
- The same comment alone on its line silences the line below it too.
- ``tinyarms: ignore-file[rule-a]`` (or bare ``tinyarms: ignore-file``) anywhere in a comment silences
  the rules for the whole file.

Only real comment nodes count (never a string that happens to contain the words). A suppression
that names an unknown rule is itself reported, as rule ``invalid-suppression``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .regions import SourceFile
from .types import Finding

INVALID_SUPPRESSION = "invalid-suppression"
_DIRECTIVE = re.compile(rb"tinyarms:\s*ignore(-file)?(?:\[([^\]\n]*)\])?")
_ALL = "*"


@dataclass(frozen=True)
class Suppressions:
    """Which rules are silenced on which lines, and for the whole file."""

    by_line: dict[int, frozenset[str]]
    whole_file: frozenset[str]
    problems: list[Finding]

    def silences(self, finding: Finding) -> bool:
        if _ALL in self.whole_file or finding.rule in self.whole_file:
            return True
        rules = self.by_line.get(finding.line, frozenset())
        return _ALL in rules or finding.rule in rules


def _in_comment(file: SourceFile, offset: int) -> bool:
    node = file.tree.root_node.descendant_for_byte_range(offset, offset + 1)
    while node is not None:
        if "comment" in node.type:
            return True
        node = node.parent
    return False


def _comment_only_line(file: SourceFile, line: int) -> bool:
    text = file.line_text(line).strip()
    return text.startswith(("#", "//", "/*", "<!--", "{/*", "*"))


def find_suppressions(file: SourceFile, known_rules: set[str]) -> Suppressions:
    """Parse every suppression comment of ``file``; unknown rule names become findings."""
    by_line: dict[int, set[str]] = {}
    whole: set[str] = set()
    problems: list[Finding] = []
    if b"tinyarms:" not in file.source:
        return Suppressions({}, frozenset(), [])
    for match in _DIRECTIVE.finditer(file.source):
        if not _in_comment(file, match.start()):
            continue
        names = (
            [n.strip() for n in match.group(2).decode("utf-8", "replace").split(",") if n.strip()]
            if match.group(2) is not None
            else [_ALL]
        )
        span = file.span(match.start(), match.end())
        for name in names:
            if name != _ALL and name not in known_rules:
                problems.append(
                    Finding(
                        file.path,
                        span.line,
                        span.column,
                        span.end_line,
                        span.end_column,
                        INVALID_SUPPRESSION,
                        "warning",
                        f"suppression names unknown rule {name!r}",
                        "static",
                        snippet=match.group(0).decode("utf-8", "replace"),
                    )
                )
        valid = {n for n in names if n == _ALL or n in known_rules}
        if match.group(1):
            whole |= valid
            continue
        by_line.setdefault(span.line, set()).update(valid)
        if _comment_only_line(file, span.line):
            by_line.setdefault(span.line + 1, set()).update(valid)
    return Suppressions({k: frozenset(v) for k, v in by_line.items()}, frozenset(whole), problems)
