"""A fake backend for unit tests of routing and caching: its margin is a function of the question text.

It loads nothing and knows no language; tests use it to check which questions reach a model, in which
order, with which prefix, and what happens with the answers. Never a stand-in for judging quality.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FakeBackend:
    """Answers ``margin`` with ``answer(prefix, suffix)`` and ``generate_json`` with ``json_answer`` (a
    fixed object, or a function of the prompt), and records every question."""

    def __init__(
        self,
        answer: Callable[[str, str], float],
        *,
        name: str = "fake-model",
        json_answer: dict[str, Any] | Callable[[str], dict[str, Any] | None] | None = None,
    ) -> None:
        self.answer = answer
        self.name = name
        self.json_answer = json_answer
        self.questions: list[tuple[str, str]] = []
        self.generations: list[str] = []
        self.budgets: list[int] = []  # max_tokens of each generation
        self.prompt_tokens = 0
        self.reused_tokens = 0
        self.generated_tokens = 0
        self._last_prefix: str | None = None

    def identity(self) -> str:
        return f"fake|{self.name}"

    def margin(self, prefix: str, suffix: str) -> float:
        self.questions.append((prefix, suffix))
        if prefix == self._last_prefix:
            self.reused_tokens += self.count_tokens(prefix)
            self.prompt_tokens += self.count_tokens(suffix)
        else:
            self.prompt_tokens += self.count_tokens(prefix + suffix)
        self._last_prefix = prefix
        return self.answer(prefix, suffix)

    def generate_json(self, prompt: str, schema: dict[str, Any], max_tokens: int) -> dict[str, Any] | None:
        self.generations.append(prompt)
        self.budgets.append(max_tokens)
        if callable(self.json_answer):
            return self.json_answer(prompt)
        return self.json_answer

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def close(self) -> None:
        return None
