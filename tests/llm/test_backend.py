"""The margin over answer spellings: log P(yes) - log P(no), whatever the normaliser."""

from __future__ import annotations

import math

import pytest

from tinyarms_lint.llm.backend import answer_margin, logsumexp


def test_margin_sums_the_spellings_of_each_answer() -> None:
    scores = {" yes": 2.0, "Yes": 1.0, " no": 0.5, "No": -1.0, "The": 9.0}
    expected = math.log(math.exp(2.0) + math.exp(1.0)) - math.log(math.exp(0.5) + math.exp(-1.0))
    assert answer_margin(scores) == pytest.approx(expected)


def test_margin_is_the_same_for_logits_and_logprobs() -> None:
    logits = {" yes": 3.0, " no": 1.0, "x": 0.0}
    norm = logsumexp(logits.values())
    logprobs = {k: v - norm for k, v in logits.items()}
    assert answer_margin(logits) == pytest.approx(answer_margin(logprobs)) == pytest.approx(2.0)


def test_missing_answers() -> None:
    assert answer_margin({"The": 1.0}) == 0.0
    assert answer_margin({" yes": -3.0}) == math.inf
    assert answer_margin({" no": -3.0}) == -math.inf
    assert logsumexp([]) == -math.inf
