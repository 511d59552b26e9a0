"""comment-language's narrow question ("which language is this comment in?") with a real GGUF, and its
routing in the judge (a fake backend for the routing only)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from tinyarms_lint.llm import language_question
from tinyarms_lint.llm.backend import NO_ANSWERS, YES_ANSWERS
from tinyarms_lint.llm.judge import ModelJudge
from tinyarms_lint.llm.llama import LlamaBackend
from tinyarms_lint.rules import load_rules
from tinyarms_lint.types import Candidate, Span

from .helpers import source, test_model


@pytest.mark.llm
def test_the_real_model_answers_from_the_distribution_over_language_names() -> None:
    backend = LlamaBackend(test_model())
    try:
        scores = backend.next_token_scores(
            *language_question.prompts.language_question("Returns the user's orders", ["English", "Hungarian"]),
            [" English", " Hungarian", "English"],
        )
        assert set(scores) == {" English", " Hungarian", "English"}
        assert all(math.isfinite(v) for v in scores.values())
        english = language_question.ask(backend, "Returns the active orders of the user", ("en", "hu", "vi"))
        vietnamese = language_question.ask(backend, "lay danh sach don hang cua nguoi dung", ("en", "hu", "vi"))
        assert english is not None and english.language == "en"
        assert vietnamese is not None and vietnamese.language == "vi"
        assert 0.0 < english.probability <= 1.0 and english.margin > 0
    finally:
        backend.close()


class LanguageScores:
    """Routing only: answers the language question with fixed logits, and yes/no with a fixed margin."""

    prompt_tokens = reused_tokens = generated_tokens = 0

    def __init__(self, logits: dict[str, float]) -> None:
        self.logits = logits
        self.margins = 0

    def identity(self) -> str:
        return "scores"

    def next_token_scores(self, prefix: str, suffix: str, answers: Sequence[str]) -> dict[str, float]:
        content_free = "```\nN/A\n```" in suffix or "```\n\n```" in suffix or "```\nx y z\n```" in suffix
        return {a: (0.0 if content_free else self.logits.get(a.strip(), -5.0)) for a in answers}

    def margin(self, prefix: str, suffix: str) -> float:
        self.margins += 1
        return 5.0

    def generate_json(self, prompt: str, schema: object, max_tokens: int) -> None:
        return None

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def close(self) -> None:
        pass


def candidate(text: str) -> Candidate:
    data = {"kind": "comment-language", "text": text, "language": "hu", "target_language": "en", "confidence": 0.6}
    return Candidate("comment-language", Span(1, 1, 1, 20, 0, 20), "// x", "Comment may be in Hungarian", False, data=data)


def test_unsure_comment_language_candidates_get_the_language_question_not_yes_no() -> None:
    rule = load_rules([])["comment-language"]
    file = source("a.js", "// Torli a Shader Programot\nrun();\n")
    assert YES_ANSWERS and NO_ANSWERS
    hungarian = LanguageScores({"Hungarian": 3.0, "English": 0.0, "Vietnamese": -2.0})
    judge = ModelJudge({rule.role: hungarian})
    [verdict] = judge.judge_candidates(rule, file, [candidate("Torli a Shader Programot")])
    assert verdict.violation and verdict.decided_by == "llm" and hungarian.margins == 0
    assert verdict.message is not None and "Hungarian" in verdict.message
    english = LanguageScores({"Hungarian": 0.5, "English": 0.0})  # foreign, but by less than MIN_MARGIN
    [verdict] = ModelJudge({rule.role: english}).judge_candidates(rule, file, [candidate("x")])
    assert not verdict.violation and verdict.margin is not None and verdict.margin < language_question.MIN_MARGIN
