"""Parsing a file with tree-sitter and picking the syntactic regions that hold changed lines."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import languages
from .types import Region, Span

if TYPE_CHECKING:
    import tree_sitter

# Node types that make a region, per language. The innermost one around a changed line wins;
# a line outside all of them belongs to its top-level statement.
REGION_TYPES: dict[str, frozenset[str]] = {
    "python": frozenset({"function_definition", "class_definition", "decorated_definition"}),
    "javascript": frozenset(
        {
            "function_declaration",
            "generator_function_declaration",
            "method_definition",
            "class_declaration",
            "jsx_element",
            "jsx_self_closing_element",
        }
    ),
    "css": frozenset({"rule_set", "media_statement", "keyframes_statement", "supports_statement", "at_rule"}),
    "html": frozenset({"element", "script_element", "style_element"}),
    "json": frozenset({"pair"}),
    "yaml": frozenset({"block_mapping_pair"}),
}
REGION_TYPES["jsx"] = REGION_TYPES["typescript"] = REGION_TYPES["tsx"] = REGION_TYPES["javascript"] | {
    "interface_declaration",
    "type_alias_declaration",
    "enum_declaration",
    "abstract_class_declaration",
}
REGION_TYPES["scss"] = REGION_TYPES["css"] | {"mixin_statement", "function_statement", "include_statement"}
# A JSX element or a function this short is a poor unit on its own; the next larger one is used.
_MIN_REGION_LINES = 3
# More statements than this on one line (minified code) make one region around the line.
_MAX_UNITS_PER_LINE = 64
_SMALL_OK = frozenset({"rule_set", "pair", "block_mapping_pair", "function_definition", "method_definition"})


@dataclass
class SourceFile:
    """A parsed file: its path, language, text and tree, with byte-to-position conversion."""

    path: str
    language: str
    source: bytes
    tree: tree_sitter.Tree
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _ascii_rows: dict[int, bool] = field(default_factory=dict, repr=False)  # row -> all ASCII (columns are offsets)

    @classmethod
    def parse(cls, path: str, language: str, source: bytes) -> SourceFile:
        """Parse ``source`` (UTF-8 bytes) with the grammar of ``language``."""
        tree = languages.parser(language).parse(source)
        starts = [0]
        index = source.find(b"\n")
        while index != -1:
            starts.append(index + 1)
            index = source.find(b"\n", index + 1)
        return cls(path, language, source, tree, starts)

    @property
    def text(self) -> str:
        return self.source.decode("utf-8")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its newline."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.source)
        return self.source[start:end].decode("utf-8").rstrip("\r")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based character column of a byte offset."""
        row = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[row]
        ascii_row = self._ascii_rows.get(row)
        if ascii_row is None:  # one look per line: a 1 MB minified line is not decoded once per finding
            end = self._line_starts[row + 1] if row + 1 < len(self._line_starts) else len(self.source)
            ascii_row = self._ascii_rows[row] = self.source[start:end].isascii()
        if ascii_row:
            return row + 1, offset - start + 1
        column = len(self.source[start:offset].decode("utf-8", "replace")) + 1
        return row + 1, column

    def span(self, start_byte: int, end_byte: int) -> Span:
        """The Span of a byte range."""
        line, column = self.position(start_byte)
        end_line, end_column = self.position(end_byte)
        return Span(line, column, end_line, end_column, start_byte, end_byte)

    def node_span(self, node: tree_sitter.Node) -> Span:
        return self.span(node.start_byte, node.end_byte)

    def slice(self, start_byte: int, end_byte: int) -> str:
        return self.source[start_byte:end_byte].decode("utf-8", "replace")

    def node_text(self, node: tree_sitter.Node) -> str:
        return self.slice(node.start_byte, node.end_byte)

    def whole_file_region(self) -> Region:
        return Region("file", self.span(0, len(self.source)), self.text, self.language)


def _enclosing_region(file: SourceFile, node: tree_sitter.Node, kinds: frozenset[str]) -> tree_sitter.Node:
    root = file.tree.root_node
    current: tree_sitter.Node | None = node
    top = node
    while current is not None and current != root:
        if current.type in kinds:
            lines = current.end_point[0] - current.start_point[0] + 1
            if lines >= _MIN_REGION_LINES or current.type in _SMALL_OK:
                return current
        top = current
        current = current.parent
    return top


def _line_bytes(file: SourceFile, line: int) -> tuple[int, int]:
    """The byte range of 1-based ``line`` without its line ending."""
    start = file._line_starts[line - 1]
    end = file._line_starts[line] - 1 if line < len(file._line_starts) else len(file.source)
    if end > start and file.source[end - 1 : end] == b"\r":
        end -= 1
    return start, end


def _regions_on_line(file: SourceFile, line: int, kinds: frozenset[str]) -> list[tree_sitter.Node]:
    """The region of every statement, rule or element that has text on ``line``.

    From the first non-blank byte, the region around it is taken, then the scan jumps past that
    region's end to the next non-blank byte still on the line, so ``a(); b()`` gives both statements
    (and ``.a {} .b {}`` both rules) at the cost of one walk per unit, not per token. After the first
    unit, punctuation is skipped and a trailing comment is its own region.
    """
    root = file.tree.root_node
    source = file.source
    position, end = _line_bytes(file, line)
    found: list[tree_sitter.Node] = []
    while position < end:
        if source[position] in b" \t\f\v":
            position += 1
            continue
        node = root.descendant_for_byte_range(position, position)
        if node is None or node == root:
            return [root]  # text no statement holds (an unparsed gap): the whole file
        if found and not node.is_named:
            # punctuation after the line's first unit (``;``, ``,``, ``}``) is no statement of its own;
            # its enclosing region would be the whole statement list or object around it
            position = max(node.end_byte, position + 1)
            continue
        # a trailing comment is a unit of its own; its parent may be the whole mapping or block
        region = node if found and node.is_extra else _enclosing_region(file, node, kinds)
        if region.is_named or region.parent != root:
            found.append(region)
        if len(found) > _MAX_UNITS_PER_LINE:
            # a minified line: one region around the whole line instead of thousands of small ones
            whole = root.descendant_for_byte_range(*_line_bytes(file, line))
            return [root if whole is None or whole == root else _enclosing_region(file, whole, kinds)]
        # a region always ends after ``position`` (it holds the byte there); the guard is belt and braces
        position = max(region.end_byte, node.end_byte, position + 1)
    return found


def changed_regions(file: SourceFile, changed_lines: frozenset[int] | None) -> list[Region]:
    """The regions of ``file`` that hold any of ``changed_lines`` (the whole file when None).

    Every statement on a changed line counts, not only the first (``import os; x = 1.19``).
    Regions are returned in source order without duplicates; a region nested in another
    returned region is dropped.
    """
    if changed_lines is None:
        return [file.whole_file_region()]
    kinds = REGION_TYPES.get(file.language, frozenset())
    found: dict[tuple[int, int], tree_sitter.Node] = {}
    for line in sorted(changed_lines):
        if not 1 <= line <= file.line_count:
            continue
        for region in _regions_on_line(file, line, kinds):
            found[(region.start_byte, region.end_byte)] = region
    ordered = sorted(found.items(), key=lambda item: (item[0][0], -item[0][1]))
    regions: list[Region] = []
    last_end = -1
    for (start, end), node in ordered:
        if start < last_end and end <= last_end:
            continue  # nested in the previous region
        last_end = max(last_end, end)
        regions.append(Region(node.type, file.node_span(node), file.node_text(node), file.language))
    return regions
