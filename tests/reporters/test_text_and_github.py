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
        "2 findings in 2 files: 0 errors, 2 warnings, 0 info (2 failing at fail_on = warning) [7 ms]",
    ]


def test_text_marks_what_does_not_fail_the_run() -> None:
    """Below ``fail_on`` a finding shows its severity; undecided candidates and model verdicts say so."""
    undecided = Finding("a.py", 4, 16, 4, 18, "magic-numbers", "info", "magic number 15", "static", undecided=True)
    model = Finding("a.py", 8, 1, 9, 1, "no-prints", "info", "print() left in", "llm", confidence=0.8123, margin=1.5)
    error = Finding("b.py", 1, 1, 1, 2, "no-prints", "error", "print() left in", "llm", confidence=0.97)
    lines = text.render(RunResult([undecided, model, error], RunStats(files=2, elapsed_ms=3), [], "error")).splitlines()
    assert lines == [
        "a.py:4:16: magic-numbers magic number 15 [info, undecided]",
        "a.py:8:1: no-prints print() left in [info, model, confidence 0.81]",
        "b.py:1:1: no-prints print() left in [model, confidence 0.97]",
        "3 findings in 2 files: 1 error, 0 warnings, 2 info (1 failing at fail_on = error) [3 ms]",
    ]
    at_info = text.render(RunResult([undecided], RunStats(files=1), [], "info")).splitlines()
    assert at_info[0].endswith("magic number 15 [undecided]") and "(1 failing at fail_on = info)" in at_info[1]
    assert text.render(RunResult([], RunStats(files=1), [])).splitlines() == ["0 findings in 1 file [0 ms]"]


def test_github_escapes_properties_and_data() -> None:
    out = github.render(_result(_finding(message="50% of it,\nagain", path="a,b:c.css")))
    assert out == (
        "::warning file=a%2Cb%3Ac.css,line=3,col=10,endLine=3,endColumn=14,title=hardcoded-colors"
        "::hardcoded-colors: 50%25 of it,%0Aagain\n"
    )


def test_github_levels_follow_severity_and_say_who_decided() -> None:
    undecided = Finding("a.py", 4, 16, 4, 18, "magic-numbers", "info", "magic number 15", "static", undecided=True)
    model = Finding("a.py", 8, 1, 9, 1, "no-prints", "warning", "print() left in", "llm", confidence=0.9)
    first, second = github.render(_result(undecided, model)).splitlines()
    assert first == "::notice file=a.py,line=4,col=16,endLine=4,endColumn=18,title=magic-numbers" + (
        "::magic-numbers: magic number 15 [undecided]"
    )
    assert second == "::warning file=a.py,line=8,col=1,endLine=9,endColumn=1,title=no-prints" + (
        "::no-prints: print() left in [model, confidence 0.90]"
    )
