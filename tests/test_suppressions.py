"""Suppression comments with real parses: per line, line above, per file, unknown rules, strings."""

from __future__ import annotations

from pathlib import Path

from tinyarms_lint.regions import SourceFile
from tinyarms_lint.suppressions import INVALID_SUPPRESSION, find_suppressions
from tinyarms_lint.types import Finding

from .conftest import run_cli

KNOWN = {"hardcoded-colors", "magic-numbers"}


def _finding(line: int, rule: str = "hardcoded-colors") -> Finding:
    return Finding("a", line, 1, line, 2, rule, "warning", "m", "static")


def test_same_line_and_line_above_in_python() -> None:
    src = (
        b"a = '#fff'  # tinyarms: ignore[hardcoded-colors]\n"
        b"# tinyarms: ignore[magic-numbers]\n"
        b"b = 42\n"
        b"c = 7  # tinyarms: ignore\n"
        b"d = 8\n"
    )
    sup = find_suppressions(SourceFile.parse("a.py", "python", src), KNOWN)
    assert sup.silences(_finding(1))
    assert not sup.silences(_finding(1, "magic-numbers"))
    assert sup.silences(_finding(3, "magic-numbers"))
    assert not sup.silences(_finding(3))
    assert sup.silences(_finding(4, "magic-numbers")) and sup.silences(_finding(4))
    # a trailing comment does not reach the next line
    assert not sup.silences(_finding(5, "magic-numbers"))


def test_comment_syntaxes_css_tsx_and_file_level() -> None:
    css = b"/* tinyarms: ignore-file[hardcoded-colors] */\n.a { color: red; }\n"
    sup = find_suppressions(SourceFile.parse("a.css", "css", css), KNOWN)
    assert sup.silences(_finding(2)) and not sup.silences(_finding(2, "magic-numbers"))
    tsx = b"const A = () => (\n  <div>\n    {/* tinyarms: ignore[hardcoded-colors] */}\n    <p style={{color: 'red'}} />\n  </div>\n);\n"
    sup = find_suppressions(SourceFile.parse("a.tsx", "tsx", tsx), KNOWN)
    assert sup.silences(_finding(4))


def test_text_in_a_string_is_not_a_suppression() -> None:
    src = b"msg = 'tinyarms: ignore'\nx = 1\n"
    sup = find_suppressions(SourceFile.parse("a.py", "python", src), KNOWN)
    assert not sup.silences(_finding(1)) and sup.problems == []


def test_unknown_rule_in_suppression_is_reported() -> None:
    src = b"x = 3  # tinyarms: ignore[magic-number]\n"
    sup = find_suppressions(SourceFile.parse("a.py", "python", src), KNOWN)
    (problem,) = sup.problems
    assert problem.rule == INVALID_SUPPRESSION and "'magic-number'" in problem.message
    assert (problem.line, problem.column) == (1, 10)


def test_cli_honours_suppressions(repo: Path) -> None:
    (repo / "a.css").write_text(
        ".a {\n  color: #ff0000; /* tinyarms: ignore[hardcoded-colors] */\n}\n"
        ".b {\n  /* tinyarms: ignore[hardcoded-color] */\n  color: #00ff00;\n}\n"
    )
    result = run_cli("a.css", cwd=repo)
    lines = result.stdout.splitlines()
    assert result.code == 1
    assert any(line.startswith("a.css:5:6: invalid-suppression") for line in lines), lines
    assert any(line.startswith("a.css:6:10: hardcoded-colors") for line in lines), lines
    assert not any(line.startswith("a.css:2:") for line in lines)
