"""Text edits behind the code actions: a rule's fix, suppress on a line, suppress for the file, fix all.

Positions are the engine's (1-based lines, 1-based character columns, exclusive end). A suppression
is written in the file's own comment syntax and kept only when re-parsing the edited text shows that
it really silences the finding (``suppressions.find_suppressions``) without adding a syntax error:
a ``//`` comment inside JSX, for example, is text, so the JSX form ``{/* ... */}`` is used there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import languages
from ..regions import SourceFile
from ..suppressions import find_suppressions
from ..types import Finding

# comment forms per language, tried in order: (opening, closing)
COMMENT_STYLES: dict[str, tuple[tuple[str, str], ...]] = {
    "python": (("# ", ""),),
    "yaml": (("# ", ""),),
    "javascript": (("// ", ""), ("/* ", " */")),
    "typescript": (("// ", ""), ("/* ", " */")),
    "jsx": (("// ", ""), ("{/* ", " */}"), ("/* ", " */")),
    "tsx": (("// ", ""), ("{/* ", " */}"), ("/* ", " */")),
    "css": (("/* ", " */"),),
    "scss": (("// ", ""), ("/* ", " */")),
    "html": (("<!-- ", " -->"),),
}
_LINE_DIRECTIVE = re.compile(r"tinyarms:\s*ignore\[([^\]\n]*)\]")


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, column) to (end_line, end_column) by ``text`` (insert when equal)."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) + 1 for text in lines[: line - 1]) + column - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (positions refer to the original text)."""
    lines = text.split("\n")
    spans = sorted((_offset(lines, e.line, e.column), _offset(lines, e.end_line, e.end_column), e) for e in edits)
    out, at = [], 0
    for start, end, edit in spans:
        out.append(text[at:start])
        out.append(edit.text)
        at = end
    out.append(text[at:])
    return "".join(out)


def fix_edit(finding: Finding) -> Edit | None:
    """The rule's own fix for ``finding`` as an edit, if it offers one."""
    if finding.fix is None:
        return None
    span = finding.fix.span
    return Edit(span.line, span.column, span.end_line, span.end_column, finding.fix.replacement)


def fix_all_edits(findings: list[Finding]) -> list[Edit]:
    """Every rule fix among ``findings`` that does not overlap an earlier one (like ``--fix``)."""
    edits: list[Edit] = []
    last_end = -1
    for finding in sorted((f for f in findings if f.fix is not None), key=lambda f: f.fix.span.start_byte):  # type: ignore[union-attr]
        assert finding.fix is not None
        if finding.fix.span.start_byte < last_end:
            continue
        edit = fix_edit(finding)
        if edit is not None:
            edits.append(edit)
            last_end = finding.fix.span.end_byte
    return edits


def _silenced(text: str, path: str, finding: Finding, known_rules: set[str], whole_file: bool) -> bool:
    language = languages.language_for_path(path)
    if language is None:
        return False
    file = SourceFile.parse(path, language, text.encode("utf-8"))
    found = find_suppressions(file, known_rules)
    if whole_file:
        return finding.rule in found.whole_file
    return finding.rule in found.by_line.get(finding.line, frozenset())


def _parses_as_well(before: str, after: str, path: str) -> bool:
    language = languages.language_for_path(path)
    if language is None:
        return False
    had_error = SourceFile.parse(path, language, before.encode("utf-8")).tree.root_node.has_error
    return had_error or not SourceFile.parse(path, language, after.encode("utf-8")).tree.root_node.has_error


def suppress_line_edit(text: str, path: str, finding: Finding, known_rules: set[str]) -> Edit | None:
    """An edit that silences ``finding``'s rule on its line, or None when no comment form works here."""
    language = languages.language_for_path(path)
    lines = text.split("\n")
    if language is None or not 1 <= finding.line <= len(lines):
        return None
    line_text = lines[finding.line - 1].rstrip("\r")
    tries: list[tuple[Edit, int]] = []  # (edit, how far the finding's line moves)
    existing = _LINE_DIRECTIVE.search(line_text)
    if existing is not None:
        names = [n.strip() for n in existing.group(1).split(",") if n.strip()]
        if finding.rule in names:
            return None
        column = existing.end(1) + 1
        tries.append((Edit(finding.line, column, finding.line, column, ", " + finding.rule if names else finding.rule), 0))
    directive = f"tinyarms: ignore[{finding.rule}]"
    indent = line_text[: len(line_text) - len(line_text.lstrip())]
    end = len(line_text) + 1
    for opening, closing in COMMENT_STYLES.get(language, ()):
        tries.append((Edit(finding.line, end, finding.line, end, f"  {opening}{directive}{closing}"), 0))
    for opening, closing in COMMENT_STYLES.get(language, ()):
        above = f"{indent}{opening}{directive}{closing}\n"
        tries.append((Edit(finding.line, 1, finding.line, 1, above), 1))
    for edit, shift in tries:
        edited = apply_edits(text, [edit])
        moved = replace(finding, line=finding.line + shift)
        if _silenced(edited, path, moved, known_rules, False) and _parses_as_well(text, edited, path):
            return edit
    return None


def suppress_file_edit(text: str, path: str, finding: Finding, known_rules: set[str]) -> Edit | None:
    """An edit that silences ``finding``'s rule for the whole file (a comment near the top)."""
    language = languages.language_for_path(path)
    if language is None:
        return None
    lines = text.split("\n")
    line = 1
    while line <= len(lines) and line <= 2 and lines[line - 1].startswith(("#!", "# -*-", "<?xml", "<!DOCTYPE")):
        line += 1
    directive = f"tinyarms: ignore-file[{finding.rule}]"
    for opening, closing in COMMENT_STYLES.get(language, ()):
        edit = Edit(line, 1, line, 1, f"{opening}{directive}{closing}\n")
        edited = apply_edits(text, [edit])
        if _silenced(edited, path, finding, known_rules, True) and _parses_as_well(text, edited, path):
            return edit
    return None
