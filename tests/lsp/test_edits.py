"""Code-action edits on real parses: each suppression is in the file's comment syntax and really silences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.lsp import edits
from tinyarms_lint.project import Project, load_project
from tinyarms_lint.types import Finding


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return load_project(tmp_path, in_git=False)


def only_finding(project: Project, path: str, text: str) -> Finding:
    findings = project.lint(path, text.encode(), None).findings
    assert len(findings) == 1, findings
    return findings[0]


def relint(project: Project, path: str, text: str) -> list[str]:
    return [f.rule for f in project.lint(path, text.encode(), None).findings]


@pytest.mark.parametrize(
    ("path", "text", "expected_line"),
    [
        ("a.py", 'COLOR = "#123456"\n', 'COLOR = "#123456"  # tinyarms: ignore[hardcoded-colors]'),
        ("a.scss", ".a { color: #123456; }\n", ".a { color: #123456; }  // tinyarms: ignore[hardcoded-colors]"),
        ("a.css", ".a { color: #123456; }\n", ".a { color: #123456; }  /* tinyarms: ignore[hardcoded-colors] */"),
        (
            # a `//` after JSX children is text, not a comment: the JSX form is chosen
            "a.tsx",
            'export const A = ({ n }) => (\n  <p>\n    <b style={{ color: "#123456" }}>{n}</b>\n  </p>\n);\n',
            '    <b style={{ color: "#123456" }}>{n}</b>  {/* tinyarms: ignore[hardcoded-colors] */}',
        ),
        (
            # an existing directive on the line gets the rule added to its list
            "b.css",
            ".a { color: #123456; } /* tinyarms: ignore[magic-numbers] */\n",
            ".a { color: #123456; } /* tinyarms: ignore[magic-numbers, hardcoded-colors] */",
        ),
    ],
)
def test_suppress_on_this_line(project: Project, path: str, text: str, expected_line: str) -> None:
    finding = only_finding(project, path, text)
    edit = edits.suppress_line_edit(text, path, finding, set(project.all_rules))
    assert edit is not None
    edited = edits.apply_edits(text, [edit])
    assert edited.split("\n")[finding.line - 1] == expected_line
    assert relint(project, path, edited) == []


def test_suppress_for_the_file_goes_below_a_shebang(project: Project) -> None:
    text = '#!/usr/bin/env python3\nCOLOR = "#123456"\n'
    finding = only_finding(project, "tool.py", text)
    edit = edits.suppress_file_edit(text, "tool.py", finding, set(project.all_rules))
    assert edit is not None
    edited = edits.apply_edits(text, [edit])
    assert edited == '#!/usr/bin/env python3\n# tinyarms: ignore-file[hardcoded-colors]\nCOLOR = "#123456"\n'
    assert relint(project, "tool.py", edited) == []


def test_no_suppression_is_offered_where_no_comment_works(project: Project) -> None:
    finding = Finding("a.json", 1, 11, 1, 18, "hardcoded-colors", "warning", "m", "static")
    text = '{"color": "#123456"}\n'
    assert edits.suppress_line_edit(text, "a.json", finding, {"hardcoded-colors"}) is None
    assert edits.suppress_file_edit(text, "a.json", finding, {"hardcoded-colors"}) is None


def test_fix_all_applies_every_fix_once(tmp_path: Path) -> None:
    (tmp_path / "tokens.css").write_text(":root { --brand-red: #ff0000; }\n")
    project = load_project(tmp_path, in_git=False)
    text = ".a { color: #ff0000; border-color: #ff0000; }\n.b { color: #123456; }\n"
    findings = project.lint("a.css", text.encode(), None).findings
    assert [f.rule for f in findings] == ["design-tokens", "design-tokens", "hardcoded-colors"]
    fixed = edits.apply_edits(text, edits.fix_all_edits(findings + findings))  # duplicates overlap: skipped
    assert fixed == ".a { color: var(--brand-red); border-color: var(--brand-red); }\n.b { color: #123456; }\n"


def test_apply_edits_counts_characters_not_bytes() -> None:
    text = "é = 'x'\nb = 1\n"
    assert edits.apply_edits(text, [edits.Edit(1, 5, 1, 8, '"y"')]) == 'é = "y"\nb = 1\n'
