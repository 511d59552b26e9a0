"""Between the engine's positions and findings and the LSP's: ranges in the negotiated encoding,
diagnostics, text edits and hover text.

The engine counts 1-based lines and 1-based columns in characters (code points); LSP counts 0-based
lines and columns in UTF-16 code units unless the client agreed on UTF-8 or UTF-32.
"""

from __future__ import annotations

from lsprotocol import types

from ..rules import Rule
from ..types import Finding
from .edits import Edit

SOURCE = "tinyarms"
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8.value:
        return len(text.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32.value:
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class Positions:
    """Position conversion for one text."""

    def __init__(self, text: str, encoding: str | types.PositionEncodingKind | None) -> None:
        self.lines = text.split("\n")
        # the enum's value ("utf-16"), not str() of the member ("PositionEncodingKind.Utf16")
        self.encoding = str(getattr(encoding, "value", encoding) or types.PositionEncodingKind.Utf16.value)

    def to_lsp(self, line: int, column: int) -> types.Position:
        """Engine (1-based line, 1-based character column) to an LSP position."""
        if line > len(self.lines):
            return types.Position(line=len(self.lines), character=0)
        prefix = self.lines[line - 1][: max(0, column - 1)]
        return types.Position(line=line - 1, character=_units(prefix, self.encoding))

    def from_lsp(self, position: types.Position) -> tuple[int, int]:
        """An LSP position to the engine's (1-based line, 1-based character column)."""
        line = position.line + 1
        if line > len(self.lines):
            return line, 1
        text, counted, column = self.lines[line - 1], 0, 0
        while column < len(text) and counted < position.character:
            counted += _units(text[column], self.encoding)
            column += 1
        return line, column + 1

    def range(self, line: int, column: int, end_line: int, end_column: int) -> types.Range:
        return types.Range(start=self.to_lsp(line, column), end=self.to_lsp(end_line, end_column))

    def finding_range(self, finding: Finding) -> types.Range:
        return self.range(finding.line, finding.column, finding.end_line, finding.end_column)

    def text_edit(self, edit: Edit) -> types.TextEdit:
        return types.TextEdit(range=self.range(edit.line, edit.column, edit.end_line, edit.end_column), new_text=edit.text)


def contains(finding: Finding, line: int, column: int) -> bool:
    """True when the engine position lies within the finding (its end included, for the cursor)."""
    if line < finding.line or line > finding.end_line:
        return False
    if line == finding.line and column < finding.column:
        return False
    return not (line == finding.end_line and column > finding.end_column)


def diagnostic(finding: Finding, positions: Positions) -> types.Diagnostic:
    """A finding as an LSP diagnostic; the rule id is its code."""
    data = {"rule": finding.rule, "tier": finding.tier, "fixable": finding.fix is not None}
    return types.Diagnostic(
        range=positions.finding_range(finding),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        source=SOURCE if finding.tier == "static" else f"{SOURCE} (model)",
        data=data,
    )


def problem_diagnostic(message: str, severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Error) -> types.Diagnostic:
    """A diagnostic on the first line for something that is not a finding (a broken config, a skipped file)."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(range=types.Range(start=start, end=start), message=message, severity=severity, source=SOURCE)


def hover_text(finding: Finding, rule: Rule | None) -> str:
    """Markdown for a hover on ``finding``: the message, then the rule's text (what, why, Bad/Good)."""
    head = f"**{finding.rule}**" + (f": {rule.title}" if rule is not None else "")
    parts = [head, finding.message]
    if finding.fix is not None:
        parts.append(f"Fix available: {finding.fix.description or repr(finding.fix.replacement)}")
    if rule is not None:
        parts.extend(["---", rule.body, f"_Rule file: {rule.source}_"])
    return "\n\n".join(parts)
