"""regions.py with real tree-sitter parses: the region around a changed line, positions in characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyarms_lint.regions import SourceFile, changed_regions

from .conftest import git, run_cli

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


def test_every_statement_on_a_changed_line_gives_a_region() -> None:
    py = SourceFile.parse("a.py", "python", b"import os; x = y * 1.19\n")
    assert [r.kind for r in changed_regions(py, frozenset({1}))] == ["import_statement", "expression_statement"]
    css = SourceFile.parse("a.css", "css", b".a { margin: 0; } .b { color: #ff0000; }\n")
    assert [r.text for r in changed_regions(css, frozenset({1}))] == [".a { margin: 0; }", ".b { color: #ff0000; }"]
    ts = SourceFile.parse("a.ts", "typescript", b"export const a = 1; export const b = 2;\n")
    assert [r.text for r in changed_regions(ts, frozenset({1}))] == ["export const a = 1;", "export const b = 2;"]


def test_punctuation_after_the_first_statement_is_not_a_region() -> None:
    # the trailing comma of a JSON pair belongs to the object; it must not widen the region to it
    json_file = SourceFile.parse("hu.json", "json", b'{\n  "a": "x", "b": "y",\n  "c": "z"\n}\n')
    assert [r.text for r in changed_regions(json_file, frozenset({2}))] == ['"a": "x"', '"b": "y"']
    py = SourceFile.parse("a.py", "python", b"a = 1;\nb = 2\n")
    assert [r.text for r in changed_regions(py, frozenset({1}))] == ["a = 1"]


def test_a_statement_that_starts_on_an_earlier_line_and_one_that_follows() -> None:
    py = SourceFile.parse("a.py", "python", b"call(\n    1,\n    2); z = 3\n\nw = 4\n")
    regions = changed_regions(py, frozenset({3}))
    assert [(r.span.line, r.span.end_line) for r in regions] == [(1, 3), (3, 3)]
    assert regions[1].text == "z = 3"


def test_a_statement_inside_a_region_does_not_repeat_it() -> None:
    file = SourceFile.parse("a.py", "python", PY)
    assert [r.kind for r in changed_regions(file, frozenset({5, 6}))] == ["function_definition"]


def test_trailing_comment_is_its_own_region() -> None:
    yaml = SourceFile.parse("a.yaml", "yaml", b"title: Hello  # a comment\nname: x\n")
    texts = [r.text for r in changed_regions(yaml, frozenset({1}))]
    assert texts[-1] == "# a comment" and all("name" not in t for t in texts)


# One line holding two statements (rules, components, pairs) per language; the finding is in the second.
MULTI_STATEMENT_LINES = [
    ("a.py", "import os; x = y * 1.19\n", "magic-numbers", 20),
    ("a.js", "const a = 1; const b = y * 1.19;\n", "magic-numbers", 28),
    ("a.ts", "export const a = 1; export const b = y * 1.19;\n", "magic-numbers", 42),
    (
        "a.tsx",
        'export const A = () => <p className="a">{x}</p>; export const B = () => <div style={{ color: "#ff0000" }} />;\n',
        "hardcoded-colors",
        95,
    ),
    (
        "a.jsx",
        'export const A = () => <p>{x}</p>; export const B = () => <button title="Save your changes">{x}</button>;\n',
        "i18n-hardcoded-strings",
        73,
    ),
    ("a.css", ".a { margin: 0; } .b { color: #ff0000; }\n", "hardcoded-colors", 31),
    ("a.scss", "$gap: 4px; .b { color: #ff0000; }\n", "hardcoded-colors", 24),
    ("a.html", "<p>Hello</p> <!-- Ez a gomb elküldi az űrlapot a szerverre, ha kész -->\n", "comment-language", 14),
    ("a.yaml", "title: Hello  # Ez a kulcs tartalmazza az oldal címét mindig\n", "comment-language", 15),
    (
        "locales/hu/app.json",
        '{\n  "greeting": "Szia", "farewell": "See you again soon, my dear friend"\n}\n',
        "i18n-locale-consistency",
        23,
    ),
]


@pytest.mark.parametrize(("name", "content", "rule", "column"), MULTI_STATEMENT_LINES)
def test_staged_mode_checks_every_statement_on_a_line(
    repo: Path, name: str, content: str, rule: str, column: int
) -> None:
    (repo / "locales" / "en").mkdir(parents=True)
    (repo / "locales" / "en" / "app.json").write_text(
        '{"greeting": "Hello", "farewell": "See you again soon, my dear friend"}\n'
    )
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(".json"):  # a changed line in a committed file (a new file's first line `{` is the object)
        (repo / name).write_text('{\n  "greeting": "Szia"\n}\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "source locale")
    (repo / name).write_text(content)
    git(repo, "add", name)
    staged = run_cli("--staged", "--no-llm", "--format", "json", cwd=repo)
    whole = run_cli(name, "--no-llm", "--format", "json", cwd=repo)
    found = [(f["path"], f["rule"], f["column"]) for f in json.loads(staged.stdout)["findings"]]
    assert (name, rule, column) in found, staged.stdout + staged.stderr
    # the staged run sees what a whole-file run of the same file sees
    assert found == [(f["path"], f["rule"], f["column"]) for f in json.loads(whole.stdout)["findings"]]
    assert staged.code == 1


def test_a_minified_line_is_one_region_not_thousands() -> None:
    line = b"".join(b"var a%d=%d;" % (i, i) for i in range(20000)) + b"\n"
    file = SourceFile.parse("bundle.min.js", "javascript", b"// header\n" + line)
    regions = changed_regions(file, frozenset({2}))
    assert len(regions) == 1 and regions[0].span.line <= 2 and regions[0].span.end_line >= 2
    assert regions[0].text.rstrip().endswith("var a19999=19999;")
    few = SourceFile.parse("a.js", "javascript", b"var a=1; var b=2; var c=3;\n")
    assert len(changed_regions(few, frozenset({1}))) == 3
