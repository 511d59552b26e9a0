"""Which code a model question shows: candidate windows and the units of detector-less rules."""

from __future__ import annotations

from tinyarms_lint.llm.context import MAX_UNIT_LINES, MAX_WINDOW_LINES, candidate_windows, model_units
from tinyarms_lint.regions import changed_regions
from tinyarms_lint.types import Candidate

from .helpers import LLM_FIXTURES, source


def _candidate(file, needle: bytes, occurrence: int = 0) -> Candidate:  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(occurrence + 1):
        start = file.source.index(needle, start + 1)
    span = file.span(start, start + len(needle))
    return Candidate("magic-numbers", span, file.line_text(span.line).strip(), "m", False)


def test_nearby_candidates_share_a_window_and_far_ones_do_not() -> None:
    lines = [f"value_{n} = compute({n * 1000 + 7})" for n in range(40)]
    file = source("app/batch.py", "\n".join(lines) + "\n")
    candidates = [_candidate(file, b"3007"), _candidate(file, b"5007"), _candidate(file, b"30007")]
    groups = candidate_windows(file, candidates)
    assert [members for _, members in groups] == [[0, 1], [2]]
    first, _ = groups[0]
    assert (first.first, first.last) == (1, 9)  # clipped at the top; three lines after line 6
    assert groups[1][0].first == 31 - 6


def test_a_shared_window_grows_to_its_limit_then_a_new_one_starts() -> None:
    lines = [f"value_{n} = compute({n * 1000 + 7})" for n in range(80)]
    file = source("app/batch.py", "\n".join(lines) + "\n")
    every_fifth = [_candidate(file, f"({n * 1000 + 7})".encode()) for n in range(20, 60, 5)]
    groups = candidate_windows(file, every_fifth)
    assert [index for _, members in groups for index in members] == list(range(len(every_fifth)))
    assert len(groups) > 1
    for shown, members in groups:
        assert shown.last - shown.first + 1 <= MAX_WINDOW_LINES
        for index in members:
            assert shown.first <= every_fifth[index].span.line <= shown.last


def test_window_order_is_source_order_whatever_the_candidate_order() -> None:
    lines = [f"x{n} = f({n}7)" for n in range(60)]
    file = source("app/order.py", "\n".join(lines) + "\n")
    late, early = _candidate(file, b"f(507)"), _candidate(file, b"f(37)")
    groups = candidate_windows(file, [late, early])
    assert [members for _, members in groups] == [[1], [0]]


def test_each_definition_is_its_own_unit_and_imports_are_merged() -> None:
    path = LLM_FIXTURES / "no-business-logic-in-components" / "src" / "components" / "Pricing.tsx"
    file = source("src/components/Pricing.tsx", path.read_text(encoding="utf-8"))
    units = model_units(file, [file.whole_file_region()])
    starts = [u.span.line for u in units]
    definitions = [n for n, line in enumerate(file.text.splitlines(), 1) if line.startswith("export function")]
    assert starts == [1, *definitions]  # the three imports are one unit
    assert units[0].span.end_line == 3


def test_short_functions_stay_separate_units() -> None:
    text = "import os\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return os.environ['B']\n"
    file = source("app/short.py", text)
    assert [u.span.line for u in model_units(file, [file.whole_file_region()])] == [1, 4, 8]


def test_long_region_is_split_into_parts_under_the_limit() -> None:
    body = "\n".join(f"    total += item_{n}.price" for n in range(150))
    file = source("app/long.py", f"def summarize(items):\n    total = 0\n{body}\n    return total\n")
    regions = changed_regions(file, frozenset({40}))
    assert regions[0].span.end_line - regions[0].span.line + 1 > MAX_UNIT_LINES
    units = model_units(file, regions)
    assert len(units) > 1
    assert all(u.span.end_line - u.span.line + 1 <= MAX_UNIT_LINES for u in units)
    assert units[0].span.line == 1 and units[-1].span.end_line == 153


def test_changed_region_within_limit_is_one_unit() -> None:
    text = "def a():\n    x = 1\n    y = 2\n    return x + y\n\n\nVALUE = 3\n"
    file = source("app/one.py", text)
    regions = changed_regions(file, frozenset({3}))
    assert [(u.span.line, u.span.end_line) for u in model_units(file, regions)] == [(1, 4)]
