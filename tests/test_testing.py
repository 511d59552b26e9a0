"""testing.py: scoring and threshold calibration from labeled fixtures (a recording judge stands in
for the model; the real-model path is covered in tests/llm)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from tinyarms_lint.rules import load_rules
from tinyarms_lint.testing import MarginCases, Score, best_threshold, score_fixtures
from tinyarms_lint.types import Verdict


def test_best_threshold_maximizes_f1_under_a_precision_floor() -> None:
    cases = MarginCases(judged=[(True, 3.0), (True, 1.0), (False, 0.5), (False, -2.0), (True, -1.0)], positives=3)
    threshold, precision, recall = best_threshold(cases) or (0, 0, 0)
    assert -2.0 < threshold < -1.0 and recall == 1.0 and precision == 0.75
    strict = best_threshold(cases, min_precision=1.0)
    assert strict is not None and 0.5 < strict[0] < 1.0 and strict[1:] == (1.0, 2 / 3)


def test_no_threshold_when_floor_unreachable() -> None:
    cases = MarginCases(judged=[(False, 3.0), (True, 1.0)], static_fp=5, positives=1)
    assert best_threshold(cases, min_precision=0.9) is None


class MarginJudge:
    """Answers from a table of margins by line, and keeps a trace as the model judge does."""

    calls = 0
    cache_hits = 0
    notes: ClassVar[list[str]] = []

    def __init__(self, margins: dict[int, float]) -> None:
        self.margins = margins
        self.trace: list[tuple[str, str, int, float]] = []

    def judge_candidates(self, rule, file, candidates):  # type: ignore[no-untyped-def]
        out = []
        for c in candidates:
            margin = self.margins.get(c.span.line, -5.0)
            self.trace.append((rule.id, file.path, c.span.line, margin))
            out.append(Verdict(margin > 0, 0.5, "llm"))
        return out

    def judge_region(self, rule, file, region):  # type: ignore[no-untyped-def]
        raise AssertionError

    def close(self) -> None:
        pass


def test_margins_are_collected_per_labeled_line(tmp_path: Path) -> None:
    folder = tmp_path / "fixtures" / "_llm" / "magic-numbers"
    folder.mkdir(parents=True)
    (folder / "jobs.py").write_text(
        "import time\n\n\ndef poll(job):\n"
        "    time.sleep(7)  # expect: magic-numbers\n"
        "    return job.fetch(page_size=20)\n"
        "    \n"
        "def wait():\n"
        "    time.sleep(0.5)  # ok: magic-numbers\n"
    )
    rule = load_rules([])["magic-numbers"].with_overrides(None, {}, llm=True)  # ships with llm: false
    judge = MarginJudge({5: 2.0, 9: 1.0})
    margins = MarginCases()
    score = Score(rule.id, "llm")
    score_fixtures(rule, tmp_path / "fixtures", judge, score, {rule.id}, tmp_path, margins)  # type: ignore[arg-type]
    assert sorted(margins.judged) == [(False, 1.0), (True, 2.0)]
    assert margins.positives == 1
    assert (score.tp, score.fp) == (1, 1)
    assert best_threshold(margins) is not None and 1.0 < best_threshold(margins)[0] < 2.0  # type: ignore[index]


def test_undecided_candidates_are_counted_apart_not_scored(tmp_path: Path) -> None:
    """Without a model an ambiguous candidate is reported to users (at info) but is no decision: on an
    ``expect`` line it is not a hit, on an ``ok`` line not a false alarm; ``Score.undecided`` counts both."""
    folder = tmp_path / "fixtures" / "magic-numbers"
    folder.mkdir(parents=True)
    (folder / "jobs.py").write_text(
        "import time\n\n\ndef poll(job):\n"
        "    time.sleep(7)  # expect: magic-numbers\n"
        "    return job.elapsed > 86400  # expect: magic-numbers\n"
        "\n\ndef wait():\n"
        "    time.sleep(0.5)  # ok: magic-numbers\n"
    )
    # the model tier on: the sleep delays are left to a model, and none answers here
    rule = load_rules([])["magic-numbers"].with_overrides(None, {}, llm=True)
    score = Score(rule.id, "static")
    score_fixtures(rule, tmp_path / "fixtures", None, score, {rule.id}, tmp_path)
    assert (score.tp, score.fp, score.fn, score.tn, score.undecided) == (1, 0, 1, 1, 2)
    assert score.to_json()["undecided"] == 2
