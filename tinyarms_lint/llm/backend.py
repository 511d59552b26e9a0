"""The one interface every model backend implements (llama-cpp in process, an OpenAI-compatible server,
a fake for tests), and the answer tokens the margin is computed over.

A prompt is given as two strings: a ``prefix`` shared by every question about one rule (the backend may
keep its evaluated state and reuse it) and a ``suffix`` with the question itself. Both are already in
the model's chat template (see prompts.py); backends never re-template them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Protocol

# The answer position sees these spellings; the margin compares the two groups.
YES_ANSWERS = ("yes", "Yes", " yes", " Yes", "YES", " YES")
NO_ANSWERS = ("no", "No", " no", " No", "NO", " NO")


class Backend(Protocol):
    """A loaded (or reachable) model for one role."""

    prompt_tokens: int  # tokens actually evaluated (prompt processing), after any prefix reuse
    reused_tokens: int  # prompt tokens served from a cached prefix instead of being evaluated
    generated_tokens: int

    def identity(self) -> str:
        """What the model is, for cache keys and calibration: stable while the model file is unchanged."""
        ...

    def margin(self, prefix: str, suffix: str) -> float:
        """log P(yes) - log P(no) for the token right after ``prefix + suffix``."""
        ...

    def generate_json(self, prompt: str, schema: dict[str, Any], max_tokens: int) -> dict[str, Any] | None:
        """A JSON object following ``schema`` (constrained decoding), or None when none came back."""
        ...

    def count_tokens(self, text: str) -> int:
        """How many tokens ``text`` is for this model."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...


def logsumexp(values: Iterable[float]) -> float:
    """log(sum(exp(v))) computed stably; -inf for no values."""
    items = [v for v in values if v != -math.inf]
    if not items:
        return -math.inf
    top = max(items)
    return top + math.log(sum(math.exp(v - top) for v in items))


def answer_margin(scores: dict[str, float]) -> float:
    """log P(yes) - log P(no) from per-spelling log-probabilities (or logits: the normaliser cancels).

    Spellings missing from ``scores`` count as impossible; when both groups are missing the margin is 0.
    """
    yes = logsumexp(scores[t] for t in YES_ANSWERS if t in scores)
    no = logsumexp(scores[t] for t in NO_ANSWERS if t in scores)
    if yes == -math.inf and no == -math.inf:
        return 0.0
    if yes == -math.inf:
        return -math.inf
    if no == -math.inf:
        return math.inf
    return yes - no
