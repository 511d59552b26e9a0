"""regions.py with real tree-sitter parses: the region around a changed line, positions in characters."""

from __future__ import annotations

from tinyarms_lint.regions import SourceFile, changed_regions

PY = b"""import os


def first(a):
    x = a + 1
    return x


class Box:
    def method(self):
        y = 3
        return y

    size = 4


TOP = 5
"""


def test_python_line_in_function_gives_the_function() -> None:
    file = SourceFile.parse("a.py", "python", PY)
    regions = changed_regions(file, frozenset({5}))
    assert [(r.kind, r.span.line, r.span.end_line) for r in regions] == [("function_definition", 4, 6)]
    assert regions[0].text.startswith("def first")


def test_python_method_and_class_body() -> None:
    file = SourceFile.parse("a.py", "python", PY)
    assert [(r.kind, r.span.line) for r in changed_regions(file, frozenset({11}))] == [("function_definition", 10)]
    # a class attribute outside any method belongs to the class
    assert [(r.kind, r.span.line) for r in changed_regions(file, frozenset({14}))] == [("class_definition", 9)]


def test_top_level_statement_and_blank_lines() -> None:
    file = SourceFile.parse("a.py", "python", PY)
    assert [(r.kind, r.span.line) for r in changed_regions(file, frozenset({17}))] == [("expression_statement", 17)]
    assert changed_regions(file, frozenset({2, 3})) == []


def test_nested_regions_are_merged() -> None:
    file = SourceFile.parse("a.py", "python", PY)
    regions = changed_regions(file, frozenset({11, 14}))
    assert [r.kind for r in regions] == ["class_definition"]


def test_whole_file_when_no_line_set() -> None:
    file = SourceFile.parse("a.py", "python", PY)
    (region,) = changed_regions(file, None)
    assert region.kind == "file" and region.span.line == 1 and region.text == PY.decode()


def test_css_rule_and_tsx_component() -> None:
    css = SourceFile.parse("a.css", "css", b".a {\n  color: red;\n}\n\n.b { margin: 0; }\n")
    assert [(r.kind, r.span.line) for r in changed_regions(css, frozenset({2}))] == [("rule_set", 1)]
    tsx = SourceFile.parse(
        "a.tsx",
        "tsx",
        b"export function Card() {\n  return (\n    <div>\n      <span>hi</span>\n    </div>\n  );\n}\n",
    )
    regions = changed_regions(tsx, frozenset({4}))
    # the one-line <span> is too small on its own; the 3-line <div> element holds it
    assert [(r.kind, r.span.line, r.span.end_line) for r in regions] == [("jsx_element", 3, 5)]


def test_columns_are_characters_not_bytes() -> None:
    file = SourceFile.parse("a.py", "python", "s = 'őű'; t = 1\n".encode())
    offset = file.source.index(b"t =")
    assert file.position(offset) == (1, 11)


def test_syntax_errors_still_give_regions() -> None:
    file = SourceFile.parse("a.py", "python", b"def broken(:\n    x = 1\n\ny = 2\n")
    assert changed_regions(file, frozenset({4}))
