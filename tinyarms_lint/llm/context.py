"""Which code a question shows: a window of lines around candidates, and model-sized units of a region.

Windows are small on purpose: every shown token costs prompt-processing time (about 20 ms per token
for a 1.5B model on 2 CPU cores), and nearby candidates share one window so it is evaluated once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..regions import REGION_TYPES, changed_regions
from ..types import Region
from .prompts import Window

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..types import Candidate

LINES_BEFORE = 6
LINES_AFTER = 3
MAX_WINDOW_LINES = 24
MAX_LINE_CHARS = 200
# A region longer than this is judged in parts (its top-level statements or members).
MAX_UNIT_LINES = 60
# Pieces shorter than this (imports, one-line constants) are merged with their small neighbours.
SMALL_UNIT_LINES = 5
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "lambda"})


def _clip(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 1] + "…"


def window(file: SourceFile, first: int, last: int) -> Window:
    """Lines ``first..last`` of ``file`` (clipped to the file), with the enclosing definition's first line
    as a header when the window starts inside a larger function or class."""
    first = max(1, first)
    last = min(file.line_count, max(first, last))
    lines = tuple(_clip(file.line_text(n)) for n in range(first, last + 1))
    header: str | None = None
    header_line = 0
    enclosing = changed_regions(file, frozenset({first}))
    if enclosing and enclosing[0].kind != "file" and enclosing[0].span.line < first:
        header_line = enclosing[0].span.line
        header = _clip(file.line_text(header_line))
    return Window(file.path, file.language, first, last, lines, header, header_line)


def candidate_windows(file: SourceFile, candidates: list[Candidate]) -> list[tuple[Window, list[int]]]:
    """Windows covering ``candidates`` with the indexes of the candidates each one serves, in source
    order. Nearby candidates share one window of up to ``MAX_WINDOW_LINES`` lines: the window is
    evaluated once and each further question about it only adds its last line and question (about
    40 tokens instead of 150-250 for a window of its own)."""
    order = sorted(range(len(candidates)), key=lambda i: (candidates[i].span.line, candidates[i].span.column))
    groups: list[tuple[int, int, list[int]]] = []  # (first, last, members)
    for index in order:
        span = candidates[index].span
        end = span.line + LINES_AFTER if span.end_line - span.line > LINES_AFTER else span.end_line + LINES_AFTER
        if groups:
            first, last, members = groups[-1]
            if span.line <= last or max(last, end) - first + 1 <= MAX_WINDOW_LINES:
                groups[-1] = (first, max(last, end), [*members, index])
                continue
        groups.append((span.line - LINES_BEFORE, end, [index]))
    return [(window(file, first, last), members) for first, last, members in groups]


def model_units(file: SourceFile, regions: list[Region], max_lines: int = MAX_UNIT_LINES) -> list[Region]:
    """The units a rule without a detector is asked about, in source order.

    A changed region up to ``max_lines`` long is one unit. The whole file, or a longer region, is split
    into its top-level statements and members (split further while still too long). A definition
    (function, class, component) is always a unit of its own, so a finding lands on the definition that
    breaks the rule; neighbouring small statements (imports, one-line constants: fewer than
    ``SMALL_UNIT_LINES`` lines) are merged so that one question covers them.
    """
    pieces: list[tuple[int, int]] = []
    root = file.tree.root_node
    for region in regions:
        if region.kind != "file" and region.span.end_line - region.span.line + 1 <= max_lines:
            pieces.append((region.span.start_byte, region.span.end_byte))
            continue
        if region.kind == "file":
            for child in root.named_children:
                if child.type != "comment" and child.end_byte > child.start_byte:
                    _split(child, max_lines, pieces)
            continue
        node = _node_at(file, region.span.start_byte, region.span.end_byte)
        if node is None:
            pieces.append((region.span.start_byte, region.span.end_byte))
            continue
        _split(node, max_lines, pieces)
    units: list[tuple[int, int]] = []
    merging = False
    for start, end in sorted(set(pieces)):
        mergeable = _lines(file, start, end) < SMALL_UNIT_LINES and not _is_definition(file, start, end)
        if units and mergeable and merging and _lines(file, units[-1][0], end) <= max_lines:
            units[-1] = (units[-1][0], max(units[-1][1], end))
            continue
        units.append((start, end))
        merging = mergeable
    language = regions[0].language if regions else file.language
    return [_region(file, start, end, language) for start, end in units]


def _node_at(file: SourceFile, start: int, end: int) -> tree_sitter.Node | None:
    """The outermost node spanning exactly ``start..end`` (or the smallest one around it)."""
    node = file.tree.root_node.descendant_for_byte_range(start, end)
    while (
        node is not None
        and node.parent is not None
        and (node.parent.start_byte == start and node.parent.end_byte == end)
    ):
        node = node.parent
    return node


def _is_definition(file: SourceFile, start: int, end: int) -> bool:
    """True for a function, class or component definition (also exported, or an arrow function bound
    to a name), which is always asked about on its own."""
    kinds = REGION_TYPES.get(file.language, frozenset())
    node = _node_at(file, start, end)
    if node is None:
        return False
    pending = [node]
    depth = 0
    while pending and depth < 4:  # export_statement > lexical_declaration > variable_declarator > arrow_function
        next_level: list[tree_sitter.Node] = []
        for current in pending:
            if current.type in kinds or current.type in _FUNCTION_VALUES:
                return True
            next_level.extend(c for c in current.named_children if c.type != "comment")
        pending = next_level
        depth += 1
    return False


def _lines(file: SourceFile, start: int, end: int) -> int:
    first, _ = file.position(start)
    last, _ = file.position(max(start, end - 1))
    return last - first + 1


def _split(node: tree_sitter.Node, max_lines: int, out: list[tuple[int, int]]) -> None:
    children = [c for c in node.named_children if c.end_byte > c.start_byte and c.type != "comment"]
    if node.end_point[0] - node.start_point[0] + 1 <= max_lines or not children:
        out.append((node.start_byte, node.end_byte))
        return
    for child in children:
        _split(child, max_lines, out)


def _region(file: SourceFile, start: int, end: int, language: str) -> Region:
    return Region("part", file.span(start, end), file.slice(start, end), language)
