"""comment-language's one narrow model question: "which of these languages is this comment in?".

Asked only for candidates the static identifier was unsure about (``kind: comment-language``). The
answer is read from the next-token distribution over the candidate languages' names (the backend's
``next_token_scores``), not from generated text: the language whose name is likeliest wins, and its
share of the probability among the named languages is the verdict's confidence. Backends without
``next_token_scores`` (an OpenAI-compatible server, for now) are not asked; the judge falls back to
its yes/no question.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ModelError
from ..types import Verdict
from . import prompts
from .backend import logsumexp

if TYPE_CHECKING:
    from ..cache import VerdictCache
    from ..types import Candidate


class ScoresBackend(Protocol):
    def next_token_scores(self, prefix: str, suffix: str, answers: Sequence[str]) -> dict[str, float]: ...


@dataclass(frozen=True)
class LanguageAnswer:
    """The likeliest language (ISO 639-1 code), its probability among the candidates, and the
    log-probability margin over the runner-up."""

    language: str
    probability: float
    margin: float


def spellings(name: str) -> tuple[str, ...]:
    """How a language name may start the answer: with or without the space after ``Answer:``."""
    return (f" {name}", name)


# Content-free comments: the model's answer to them is its prior over the language names, which is
# subtracted from every answer ("contextual calibration", Zhao et al. 2021). Small code models lean
# hard towards English (the 1.5B test model gives English 0.77 on them).
CONTENT_FREE = ("N/A", "", "x y z")
# How much likelier (in nats, after calibration) a foreign language must be than the team's.
MIN_MARGIN = 1.0

_priors: dict[tuple[int, tuple[str, ...]], dict[str, float]] = {}


def _log_probs(scores_of: Any, text: str, names: dict[str, str]) -> dict[str, float]:
    prefix, suffix = prompts.language_question(text, list(names.values()))
    answers = [s for name in names.values() for s in spellings(name)]
    scores: dict[str, float] = scores_of(prefix, suffix, answers)
    per_language = {code: logsumexp(scores[s] for s in spellings(name) if s in scores) for code, name in names.items()}
    total = logsumexp(per_language.values())
    return {code: value - total for code, value in per_language.items()}


def ask(backend: object, text: str, candidates: Sequence[str]) -> LanguageAnswer | None:
    """Ask ``backend`` which of ``candidates`` (codes) ``text`` is in; None when it cannot be asked.

    The probability is the model's own; the language and margin are after calibration."""
    scores_of = getattr(backend, "next_token_scores", None)
    codes = tuple(dict.fromkeys(c.lower() for c in candidates))
    if scores_of is None or len(codes) < 2:
        return None
    names = {code: prompts.language_name(code) for code in codes}
    prior_key = (id(backend), codes)
    if prior_key not in _priors:
        free = [_log_probs(scores_of, t, names) for t in CONTENT_FREE]
        _priors[prior_key] = {code: sum(f[code] for f in free) / len(free) for code in codes}
    prior = _priors[prior_key]
    raw = _log_probs(scores_of, text, names)
    if all(v == -math.inf for v in raw.values()):
        return None
    adjusted = {code: raw[code] - prior[code] for code in codes}
    ranked = sorted(adjusted.items(), key=lambda item: item[1], reverse=True)
    best, runner_up = ranked[0], ranked[1]
    margin = min(best[1] - runner_up[1], 50.0) if runner_up[1] != -math.inf else 50.0
    return LanguageAnswer(best[0], math.exp(raw[best[0]]), margin)


def verdict(
    backend: object, candidate: Candidate, candidates: Sequence[str], cache: VerdictCache | None, key: str
) -> tuple[Verdict, bool] | None:
    """The verdict on an unsure comment-language candidate from the model's answer, and whether it came
    from the cache; None when the backend cannot be asked (or failed), so the caller asks yes/no."""
    team = str(candidate.data.get("target_language", "en")).lower()
    cached: dict[str, Any] | None = cache.get(key) if cache is not None else None
    if cached is not None and isinstance(cached.get("language"), str):
        remembered = LanguageAnswer(str(cached["language"]), float(cached["probability"]), float(cached["margin"]))
        return _verdict(remembered, team, cached=True), True
    try:
        answer = ask(backend, str(candidate.data.get("text", "")), [team, *candidates])
    except ModelError:
        return None
    if answer is None:
        return None
    if cache is not None:
        cache.put(key, {"language": answer.language, "probability": answer.probability, "margin": answer.margin})
    return _verdict(answer, team), False


def _verdict(answer: LanguageAnswer, team: str, cached: bool = False) -> Verdict:
    violation = answer.language != team and answer.margin >= MIN_MARGIN
    name, team_name = prompts.language_name(answer.language), prompts.language_name(team)
    message = f"Comment is in {name} (the model's reading); write comments in {team_name}" if violation else None
    foreign = 1.0 / (1.0 + math.exp(-(answer.margin - MIN_MARGIN))) if answer.language != team else 0.0
    confidence = foreign if violation else 1.0 - foreign
    return Verdict(violation, round(confidence, 4), "llm", cached, message, margin=round(answer.margin, 4))
