"""The model tier's Judge: one yes/no question per ambiguous candidate (or per region for rules without a
detector), decided by the log-probability margin against a per-rule threshold, remembered in the
verdict cache.

A verdict never moves a finding: the engine places it on the span the detector (or the region) gave.
Under ``--fix`` the judge also translates foreign-language comments (``translate``); the engine checks
the text before it becomes a fix.
An optional explanation (``[tool.tinyarms-lint.models] explain = true``) is generated only for
confirmed findings, under a JSON schema, and dropped when its quote is not in the shown code.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import ModelError
from ..types import Verdict
from . import language_question, prompts
from .calibration import threshold_for
from .context import candidate_windows, window

if TYPE_CHECKING:
    from ..cache import VerdictCache
    from ..regions import SourceFile
    from ..rules import Rule
    from ..types import Candidate, Region
    from .backend import Backend

# Margins are clamped so that cached values stay finite JSON numbers.
MAX_MARGIN = 50.0
_NO_MODEL = Verdict(False, 0.0, "llm")


def _normalized(text: str) -> str:
    try:
        from ..cache import normalize_region_text
    except ImportError:  # pragma: no cover - the cache module ships with the package
        return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")
    return normalize_region_text(text)


def _key(*parts: str) -> str:
    try:
        from ..cache import verdict_key
    except ImportError:  # pragma: no cover
        import hashlib

        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()
    return verdict_key(*parts)


class ModelJudge:
    """Judges with one backend per role; roles without a backend answer "no violation"."""

    def __init__(
        self,
        backends: dict[str, Backend],
        cache: VerdictCache | None = None,
        *,
        explain: bool = False,
    ) -> None:
        self.backends = backends
        self.cache = cache
        self.explain = explain
        self.calls = 0
        self.cache_hits = 0
        self.notes: list[str] = []
        self.seconds = 0.0
        # (rule id, path, line, margin) of every verdict, asked or cached: benches and calibration read it
        self.trace: list[tuple[str, str, int, float]] = []

    # -- the Judge protocol -------------------------------------------------------------------

    def judge_candidates(self, rule: Rule, file: SourceFile, candidates: list[Candidate]) -> list[Verdict]:
        backend = self.backends.get(rule.role)
        if backend is None or not candidates:
            return [_NO_MODEL for _ in candidates]
        threshold = threshold_for(rule, backend.identity())
        prefix = prompts.rule_prefix(rule)
        verdicts: list[Verdict] = [_NO_MODEL] * len(candidates)
        for shown, members in candidate_windows(file, candidates):
            for index in members:
                candidate = candidates[index]
                if candidate.data.get("kind") == "comment-language":  # one narrow question instead of yes/no
                    asked = self._language(rule, backend, threshold, candidate)
                    if asked is not None:
                        verdicts[index] = asked
                        continue
                line_text = file.line_text(candidate.span.line)
                key = self._key(
                    rule,
                    backend,
                    threshold,
                    file.language,
                    _normalized(shown.text),
                    str(candidate.span.line - shown.first),
                    str(candidate.span.column),
                    str(candidate.data.get("literal") or candidate.snippet),
                    str(candidate.data.get("source_text", "")),  # a translation is judged against its source
                )
                suffix = prompts.candidate_suffix(shown, candidate, line_text, rule)
                verdicts[index] = self._decide(
                    rule, backend, threshold, key, prefix, suffix, shown, candidate.span.line
                )
        return verdicts

    def judge_region(self, rule: Rule, file: SourceFile, region: Region) -> Verdict:
        backend = self.backends.get(rule.role)
        if backend is None:
            return _NO_MODEL
        threshold = threshold_for(rule, backend.identity())
        shown = window(file, region.span.line, region.span.end_line)
        key = self._key(rule, backend, threshold, file.language, _normalized(region.text), "region")
        suffix = prompts.region_suffix(shown, rule.title)
        return self._decide(rule, backend, threshold, key, prompts.rule_prefix(rule), suffix, shown, None)

    def translate(self, rule: Rule, file: SourceFile, candidate: Candidate) -> str | None:
        """The model's translation of a ``translate`` candidate's comment text, stripped, or None.

        One constrained generation (``{"translation": ...}``) with a budget bounded by the comment's
        length; the answer (or its absence) is remembered in the verdict cache. The caller checks it.
        """
        backend = self.backends.get(rule.role)
        text = candidate.data.get("text")
        if backend is None or not isinstance(text, str) or not text.strip():
            return None
        source = str(candidate.data.get("language", ""))
        target = str(candidate.data.get("target_language", "en"))
        key = _key(
            "translate",
            text,
            source,
            target,
            rule.id,
            rule.content_hash,
            backend.identity(),
            prompts.PROMPT_VERSION,
            __version__,
        )
        cached = self.cache.get(key) if self.cache is not None else None
        self._cache_warnings()
        if cached is not None and "translation" in cached:
            self.cache_hits += 1
            remembered = cached["translation"]
            if not isinstance(remembered, str):
                self._note(f"{rule.id}: no translation for {file.path}:{candidate.span.line} (cached)")
                return None
            return remembered
        prompt = prompts.translation_prompt(text, prompts.language_name(source), prompts.language_name(target))
        started = time.perf_counter()
        try:
            budget = prompts.translation_max_tokens(backend.count_tokens(text))
            answer = backend.generate_json(prompt, prompts.TRANSLATION_SCHEMA, budget)
        except ModelError as exc:
            self._note(f"{rule.id}: translation skipped at {file.path}:{candidate.span.line}: {exc}")
            return None
        finally:
            self.seconds += time.perf_counter() - started
        self.calls += 1
        value = answer.get("translation") if answer else None
        translation = value.strip() if isinstance(value, str) else None
        if translation is None:
            self._note(f"{rule.id}: no translation for {file.path}:{candidate.span.line} (the answer was cut off)")
        if self.cache is not None:
            self.cache.put(key, {"translation": translation})
            self._cache_warnings()
        return translation

    def close(self) -> None:
        """Record this run's hits and misses in the verdict cache and close it; release the models."""
        if self.cache is not None:
            self.cache.record_run(self.cache_hits, self.calls)
            self.cache.close()
            self._cache_warnings()
        for backend in self.backends.values():
            backend.close()

    # -- internals ----------------------------------------------------------------------------

    def _language(self, rule: Rule, backend: Backend, threshold: float, candidate: Candidate) -> Verdict | None:
        candidates = [str(c) for c in rule.options.get("candidates", ["en", "hu", "vi"])]
        key = self._key(rule, backend, threshold, "language-question", _normalized(str(candidate.data.get("text", ""))))
        started = time.perf_counter()
        answered = language_question.verdict(backend, candidate, candidates, self.cache, key)
        self.seconds += time.perf_counter() - started
        if answered is None:
            return None
        verdict, cached = answered
        self.cache_hits += cached
        self.calls += not cached
        return verdict

    def _key(self, rule: Rule, backend: Backend, threshold: float, *parts: str) -> str:
        return _key(
            *parts,
            rule.id,
            rule.content_hash,
            backend.identity(),
            prompts.PROMPT_VERSION,
            __version__,
            repr(threshold),
            "explain" if self.explain else "",
        )

    def _decide(
        self,
        rule: Rule,
        backend: Backend,
        threshold: float,
        key: str,
        prefix: str,
        suffix: str,
        shown: prompts.Window,
        line: int | None,
    ) -> Verdict:
        cached = self.cache.get(key) if self.cache is not None else None
        self._cache_warnings()
        if cached is not None and isinstance(cached.get("margin"), (int, float)):
            self.cache_hits += 1
            margin = float(cached["margin"])
            self.trace.append((rule.id, shown.path, line or shown.first, margin))
            remembered = cached.get("message")
            return _verdict(margin, threshold, remembered if isinstance(remembered, str) else None, cached=True)
        started = time.perf_counter()
        try:
            margin = max(-MAX_MARGIN, min(MAX_MARGIN, backend.margin(prefix, suffix)))
        except ModelError as exc:
            self._note(f"{rule.id}: model question skipped at {shown.path}:{shown.first}: {exc}")
            return _NO_MODEL
        finally:
            self.seconds += time.perf_counter() - started
        self.calls += 1
        self.trace.append((rule.id, shown.path, line or shown.first, margin))
        message: str | None = None
        if self.explain and margin > threshold:
            message = self._explain(rule, backend, prefix, shown, line)
        value: dict[str, Any] = {"margin": margin, "violation": margin > threshold}
        if message is not None:
            value["message"] = message
        if self.cache is not None:
            self.cache.put(key, value)
            self._cache_warnings()
        return _verdict(margin, threshold, message)

    def _explain(
        self, rule: Rule, backend: Backend, prefix: str, shown: prompts.Window, line: int | None
    ) -> str | None:
        started = time.perf_counter()
        try:
            answer = backend.generate_json(
                prefix + prompts.message_suffix(shown, line), prompts.MESSAGE_SCHEMA, prompts.MESSAGE_MAX_TOKENS
            )
        except ModelError as exc:
            self._note(f"{rule.id}: explanation skipped: {exc}")
            return None
        finally:
            self.seconds += time.perf_counter() - started
        return grounded_message(answer, shown.text)

    def _cache_warnings(self) -> None:
        if self.cache is not None:
            for warning in self.cache.warnings:
                self._note(warning)

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)


def grounded_message(answer: dict[str, Any] | None, code: str) -> str | None:
    """The answer's message when its quote is really in ``code`` (whitespace-insensitive), else None."""
    if not answer:
        return None
    quote, message = answer.get("quote"), answer.get("message")
    if not isinstance(quote, str) or not isinstance(message, str):
        return None
    squeezed_quote = " ".join(quote.split())
    if not squeezed_quote or squeezed_quote not in " ".join(code.split()):
        return None
    message = " ".join(message.split())
    return message or None


def _verdict(margin: float, threshold: float, message: str | None, cached: bool = False) -> Verdict:
    violation = margin > threshold
    p_violation = 1.0 / (1.0 + math.exp(-max(-MAX_MARGIN, min(MAX_MARGIN, margin - threshold))))
    confidence = p_violation if violation else 1.0 - p_violation
    return Verdict(violation, round(confidence, 4), "llm", cached, message if violation else None)
