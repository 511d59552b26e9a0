"""budget.py and the engine's use of it: a detector stuck in a C-level regex is interrupted, the
file is skipped with a note naming the file and the rule, and the run goes on (also in --jobs)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinyarms_lint import detectors
from tinyarms_lint.budget import BudgetExceeded, FileBudget, outside_budget
from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.rules import load_rules

CATASTROPHIC = re.compile(r"(a+)+$")  # exponential on "aaa…ab": runs for hours inside _sre


def stuck_detector(file: object, rule: object, ctx: object) -> list[object]:
    """A detector that never returns on its own: a regex backtracking in C."""
    CATASTROPHIC.search("a" * 64 + "b")
    return []


def index_once(seconds: float) -> None:
    time.sleep(seconds)


@pytest.fixture
def stuck_colors(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """hardcoded-colors hangs on files named stuck*.css and works normally on the others."""
    real = detectors.get_detector("hardcoded-colors")

    def detector(file, rule, ctx):  # type: ignore[no-untyped-def]
        if file.path.startswith("stuck"):
            return stuck_detector(file, rule, ctx)
        return real(file, rule, ctx)

    monkeypatch.setattr(detectors, "get_detector", lambda name: detector)
    monkeypatch.setattr("tinyarms_lint.engine.get_detector", lambda name: detector)
    yield


def _engine(tmp_path: Path, seconds: float) -> Engine:
    config = Config(root=tmp_path, file_time_budget=seconds, select=("hardcoded-colors",))
    return Engine(config, active_rules(load_rules([]), config))


def test_cpython_regex_engine_is_interrupted_by_the_timer() -> None:
    budget = FileBudget(0.3)
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded) as caught, budget.check("some-rule"):
        CATASTROPHIC.search("a" * 64 + "b")
    assert caught.value.rule == "some-rule"
    assert time.perf_counter() - started < 5


def test_stuck_file_is_skipped_with_a_note_and_the_run_goes_on(tmp_path: Path, stuck_colors: None) -> None:
    css = b".a { color: #ff0000; }\n"
    targets = [Target("stuck.css", lambda: css), Target("ok.css", lambda: css)]
    started = time.perf_counter()
    result = _engine(tmp_path, 0.5).run(targets)
    assert time.perf_counter() - started < 30
    assert result.stats.skipped == ["stuck.css: skipped, hardcoded-colors took longer than file_time_budget (0.5 s)"]
    assert [(f.path, f.line) for f in result.findings] == [("ok.css", 1)]


def test_budget_works_in_forked_workers(tmp_path: Path, stuck_colors: None) -> None:
    css = b".a { color: #ff0000; }\n"
    targets = [Target(f"{'stuck' if i % 8 == 0 else 'ok'}{i}.css", lambda: css) for i in range(24)]
    result = _engine(tmp_path, 0.5).run(targets, jobs=2)
    assert sorted(result.stats.skipped) == sorted(
        f"stuck{i}.css: skipped, hardcoded-colors took longer than file_time_budget (0.5 s)" for i in (0, 8, 16)
    )
    assert len(result.findings) == 21


def test_zero_budget_means_no_timer(tmp_path: Path) -> None:
    budget = FileBudget(0)
    with budget.check("r"):
        time.sleep(0.05)
    assert budget.left == 0


def test_once_per_run_work_is_not_charged_to_the_file() -> None:
    budget = FileBudget(0.4)
    with budget.check("dry"):
        outside_budget(index_once)(0.6)  # longer than the whole budget, but paused
        time.sleep(0.1)
    assert 0.2 < budget.left < 0.31
