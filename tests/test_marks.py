"""marks.py: expect/ok marks, and stripping them from what a model reads."""

from __future__ import annotations

from tinyarms_lint.marks import parse_marks


def test_strip_marks_cuts_only_the_mark_comment_and_keeps_line_numbers() -> None:
    from tinyarms_lint.marks import strip_marks

    text = (
        'ax.bar(x, y, color="#1f77b4")  # expect: hardcoded-colors\n'
        "  <div>{/* ok: magic-numbers */}</div>\n"
        "color: red; /* expect: hardcoded-colors */\n"
        "timeout = 30  # seconds\n"
        "<p>hi</p> <!-- ok: i18n-hardcoded-strings -->"
    )
    stripped = strip_marks(text)
    assert stripped.split("\n") == [
        'ax.bar(x, y, color="#1f77b4")',
        "  <div> </div>",
        "color: red;",
        "timeout = 30  # seconds",
        "<p>hi</p>",
    ]
    assert parse_marks(stripped).rules() == set()
