"""Text and GitHub reporters on hand-built findings (pure formatting, no model, no git)."""

from __future__ import annotations

from tinyarms_lint.reporters import github, text
from tinyarms_lint.types import Finding, RunResult, RunStats


def _result(*findings: Finding) -> RunResult:
    return RunResult(list(findings), RunStats(files=2, elapsed_ms=7), [])


def _finding(message: str = "hardcoded color #fff", path: str = "src/a b.css") -> Finding:
    return Finding(path, 3, 10, 3, 14, "hardcoded-colors", "warning", message, "static")


def test_text_lines_and_summary() -> None:
    out = text.render(_result(_finding(), _finding(path="z.css")))
    assert out.splitlines() == [
        "src/a b.css:3:10: hardcoded-colors hardcoded color #fff",
        "z.css:3:10: hardcoded-colors hardcoded color #fff",
        "2 findings in 2 files [7 ms]",
    ]


def test_github_escapes_properties_and_data() -> None:
    out = github.render(_result(_finding(message="50% of it,\nagain", path="a,b:c.css")))
    assert out == (
        "::warning file=a%2Cb%3Ac.css,line=3,col=10,endLine=3,endColumn=14,title=hardcoded-colors"
        "::hardcoded-colors: 50%25 of it,%0Aagain\n"
    )
