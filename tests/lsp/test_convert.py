"""Positions between the engine (character columns) and LSP (UTF-16 by default, UTF-8 or UTF-32 if agreed)."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tinyarms_lint.lsp.convert import Positions, contains
from tinyarms_lint.types import Finding

TEXT = 'x = "😀é" + "#123456"\nsecond\n'  # character column 14 lies after the emoji and the é


@pytest.mark.parametrize(
    ("encoding", "character"),
    [
        (types.PositionEncodingKind.Utf16, 14),  # the emoji is two UTF-16 units
        (types.PositionEncodingKind.Utf8, 17),  # four bytes for the emoji, two for é
        (types.PositionEncodingKind.Utf32, 13),
        ("utf-8", 17),
        (None, 14),
    ],
)
def test_round_trip_in_each_encoding(encoding: types.PositionEncodingKind | str | None, character: int) -> None:
    positions = Positions(TEXT, encoding)
    assert positions.to_lsp(1, 14) == types.Position(line=0, character=character)
    assert positions.from_lsp(types.Position(line=0, character=character)) == (1, 14)


def test_positions_past_the_end_stay_in_range() -> None:
    positions = Positions("ab\n", "utf-16")
    assert positions.from_lsp(types.Position(line=0, character=99)) == (1, 3)
    assert positions.to_lsp(5, 1) == types.Position(line=2, character=0)


def test_contains_includes_the_end_for_the_cursor() -> None:
    finding = Finding("a.py", 1, 14, 1, 23, "hardcoded-colors", "warning", "m", "static")
    assert contains(finding, 1, 14) and contains(finding, 1, 23)
    assert not contains(finding, 1, 13) and not contains(finding, 2, 14)
