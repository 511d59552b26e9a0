"""severity.py: what fails a run under each fail_on, capping, counts and SARIF rank."""

from __future__ import annotations

import pytest

from tinyarms_lint.severity import at_most, blocks, count_by_severity, sarif_rank


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [("error", {"error"}), ("warning", {"error", "warning"}), ("info", {"error", "warning", "info"})],
)
def test_blocks_at_or_above_fail_on(fail_on: str, failing: set[str]) -> None:
    assert {s for s in ("error", "warning", "info") if blocks(s, fail_on)} == failing


def test_at_most_only_lowers() -> None:
    assert [at_most(s, "info") for s in ("error", "warning", "info")] == ["info", "info", "info"]
    assert [at_most(s, "warning") for s in ("error", "warning", "info")] == ["warning", "warning", "info"]


def test_counts_and_rank() -> None:
    assert count_by_severity([]) == {"error": 0, "warning": 0, "info": 0}
    assert count_by_severity(["info", "error", "info"]) == {"error": 1, "warning": 0, "info": 2}
    assert [sarif_rank(c) for c in (None, 0.0, 0.5, 0.81764, 1.0, 1.7)] == [None, 0.0, 50.0, 81.8, 100.0, 100.0]
