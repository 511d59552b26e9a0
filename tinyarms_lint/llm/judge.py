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

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__
from ..errors import ModelError, ModelUnavailable
from ..types import Verdict
from . import language_question, prompts
from .calibration import DEFAULT_THRESHOLD, Calibration, fixed_calibration, from_examples
from .context import candidate_windows, window

T = TypeVar("T")

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
        self._calibrations: dict[tuple[str, str, str], Calibration] = {}

    # -- the Judge protocol -------------------------------------------------------------------

    def judge_candidates(self, rule: Rule, file: SourceFile, candidates: list[Candidate]) -> list[Verdict]:
        backend = self.backends.get(rule.role)
        if backend is None or not candidates:
            return [_NO_MODEL for _ in candidates]
        calibration = self.calibration(rule, backend)
        threshold = calibration.threshold
        prefix = prompts.rule_prefix(rule)
        verdicts: list[Verdict] = [_NO_MODEL] * len(candidates)
        if rule.selector is not None:  # a team rule's selected spans: one narrow question each
            for index, candidate in enumerate(candidates):
                code = file.slice(candidate.span.start_byte, candidate.span.end_byte)
                key = self._key(
                    rule,
                    backend,
                    threshold,
                    "selected",
                    prompts.TEAM_PROMPT_VERSION,
                    file.language,
                    _normalized(code),
                    rule.question or "",
                )
                question, suffix = prompts.selected_prompt(rule, code, file.language)
                shown = window(file, candidate.span.line, candidate.span.end_line)
                verdicts[index] = self._decide(
                    rule, backend, calibration, key, question, suffix, shown, candidate.span.line
                )
            return verdicts
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
                    rule, backend, calibration, key, prefix, suffix, shown, candidate.span.line
                )
        return verdicts

    def judge_region(self, rule: Rule, file: SourceFile, region: Region) -> Verdict:
        backend = self.backends.get(rule.role)
        if backend is None:
            return _NO_MODEL
        calibration = self.calibration(rule, backend)
        shown = window(file, region.span.line, region.span.end_line)
        parts = ("region",) if rule.question is None else ("region", prompts.TEAM_PROMPT_VERSION, rule.question)
        key = self._key(rule, backend, calibration.threshold, file.language, _normalized(region.text), *parts)
        suffix = prompts.region_question_suffix(shown, rule.title, rule.question)
        return self._decide(rule, backend, calibration, key, prompts.rule_prefix(rule), suffix, shown, None)

    def locate(self, rule: Rule, file: SourceFile, region: Region) -> int | None:
        """The line of ``region`` the model says breaks ``rule`` (asked after a "yes" about the region):
        a constrained choice among the region's non-blank line numbers; None when no model answers."""
        backend = self.backends.get(rule.role)
        lines = [n for n in range(region.span.line, region.span.end_line + 1) if file.line_text(n).strip()]
        if backend is None or not lines:
            return None
        if len(lines) == 1:
            return lines[0]
        shown = window(file, region.span.line, region.span.end_line)
        key = _key(
            "line",
            prompts.TEAM_PROMPT_VERSION,
            file.language,
            _normalized(shown.text),
            str(shown.first),
            rule.id,
            rule.content_hash,
            backend.identity(),
            __version__,
        )
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None and cached.get("line") in lines:
            self.cache_hits += 1
            return int(cached["line"])
        answered, answer = self._ask(
            lambda: backend.generate_json(
                prompts.rule_prefix(rule) + prompts.line_suffix(shown),
                prompts.line_schema(lines),
                prompts.LINE_MAX_TOKENS,
            ),
            f"{rule.id}: line of the finding not asked at {file.path}:{region.span.line}",
        )
        if not answered:
            return None
        self.calls += 1
        line = answer.get("line") if answer else None
        if not isinstance(line, int) or line not in lines:
            return None
        if self.cache is not None:
            self.cache.put(key, {"line": line})
        return line

    def calibration(self, rule: Rule, backend: Backend | None = None) -> Calibration:
        """The rule's threshold for its model: a calibration.lock entry or the rule's ``threshold:``;
        for a team rule (no detector) without either, set from its own Bad/Good examples at first use
        and remembered in the verdict cache; else 0 (not calibrated)."""
        backend = backend or self.backends.get(rule.role)
        if backend is None:
            return Calibration(DEFAULT_THRESHOLD, "default", False)
        memo = (rule.id, rule.content_hash, backend.identity())
        known = self._calibrations.get(memo)
        if known is not None:
            return known
        found = fixed_calibration(rule, backend.identity())
        if found is None and rule.detector is None and rule.bad_examples:
            found = self._example_calibration(rule, backend)
        if found is None:
            found = Calibration(DEFAULT_THRESHOLD, "default", False)
        if found.note:
            self._note(f"{rule.id}: {found.note}; its model findings are reported at info")
        self._calibrations[memo] = found
        return found

    def _example_calibration(self, rule: Rule, backend: Backend) -> Calibration | None:
        key = _key(
            "example-calibration",
            prompts.TEAM_PROMPT_VERSION,
            prompts.PROMPT_VERSION,
            rule.id,
            rule.content_hash,
            backend.identity(),
            __version__,
        )
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None:
            remembered = Calibration.from_json(cached)
            if remembered is not None:
                self.cache_hits += 1
                return remembered
        _, margins = self._ask(lambda: example_margins(rule, backend), f"{rule.id}: not calibrated on its examples")
        if margins is None:
            return None
        self.calls += margins.questions
        found = from_examples(margins.neutral, margins.bad, margins.good)
        if margins.unselected and found.note is None:
            found = Calibration(
                found.threshold,
                found.source,
                found.calibrated,
                found.half_gap,
                found.neutral,
                found.bad,
                found.good,
                margins.unselected,
            )
        if self.cache is not None:
            self.cache.put(key, found.to_json())
            self._cache_warnings()
        return found

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
        answered, answer = self._ask(
            lambda: backend.generate_json(
                prompt, prompts.TRANSLATION_SCHEMA, prompts.translation_max_tokens(backend.count_tokens(text))
            ),
            f"{rule.id}: translation skipped at {file.path}:{candidate.span.line}",
        )
        if not answered:
            return None
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
        calibration: Calibration,
        key: str,
        prefix: str,
        suffix: str,
        shown: prompts.Window,
        line: int | None,
    ) -> Verdict:
        threshold = calibration.threshold
        cached = self.cache.get(key) if self.cache is not None else None
        self._cache_warnings()
        if cached is not None and isinstance(cached.get("margin"), (int, float)):
            self.cache_hits += 1
            margin = float(cached["margin"])
            self.trace.append((rule.id, shown.path, line or shown.first, margin))
            remembered = cached.get("message")
            return _verdict(margin, calibration, remembered if isinstance(remembered, str) else None, cached=True)
        _, raw = self._ask(
            lambda: backend.margin(prefix, suffix), f"{rule.id}: model question skipped at {shown.path}:{shown.first}"
        )
        if raw is None:
            return _NO_MODEL
        margin = max(-MAX_MARGIN, min(MAX_MARGIN, raw))
        self.calls += 1
        self.trace.append((rule.id, shown.path, line or shown.first, margin))
        message: str | None = None
        if self.explain and margin > threshold:
            message = self._explain(rule, backend, prompts.rule_prefix(rule), shown, line)
        value: dict[str, Any] = {"margin": margin, "violation": margin > threshold}
        if message is not None:
            value["message"] = message
        if self.cache is not None:
            self.cache.put(key, value)
            self._cache_warnings()
        return _verdict(margin, calibration, message)

    def _explain(
        self, rule: Rule, backend: Backend, prefix: str, shown: prompts.Window, line: int | None
    ) -> str | None:
        _, answer = self._ask(
            lambda: backend.generate_json(
                prefix + prompts.message_suffix(shown, line), prompts.MESSAGE_SCHEMA, prompts.MESSAGE_MAX_TOKENS
            ),
            f"{rule.id}: explanation skipped",
        )
        return grounded_message(answer, shown.text)

    def _ask(self, question: Callable[[], T], skipped: str) -> tuple[bool, T | None]:
        """``(True, question())``, its time counted in ``seconds``; ``(False, None)`` when no model answered:
        a stopped model (crash, bad file) is the one note every question shares, any other ModelError a
        note about this question (``skipped``)."""
        started = time.perf_counter()
        try:
            return True, question()
        except ModelUnavailable as exc:
            self._note(f"model tier stopped: {exc}")
        except ModelError as exc:
            self._note(f"{skipped}: {exc}")
        finally:
            self.seconds += time.perf_counter() - started
        return False, None

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


def _verdict(margin: float, calibration: Calibration, message: str | None, cached: bool = False) -> Verdict:
    violation = margin > calibration.threshold
    p_violation = calibration.confidence(margin)
    confidence = p_violation if violation else 1.0 - p_violation
    return Verdict(
        violation,
        round(confidence, 4),
        "llm",
        cached,
        message if violation else None,
        round(margin, 4),
        calibration.calibrated,
    )


@dataclass
class ExampleMargins:
    """The margins a model gives a rule's examples and content-free input (see calibration.from_examples)."""

    neutral: float = 0.0
    bad: list[float] = field(default_factory=list)
    good: list[float] = field(default_factory=list)
    questions: int = 0
    unselected: str | None = None  # a note when the rule's match selects nothing in a Bad example


def _example_file(rule: Rule, code: str, language: str | None) -> SourceFile:
    from ..regions import SourceFile

    chosen = language if language in rule.languages else min(rule.languages)
    return SourceFile.parse(f"example.{chosen}", chosen, code.encode("utf-8"))


def example_margins(rule: Rule, backend: Backend) -> ExampleMargins:
    """Ask the rule's question about each of its Bad and Good examples (each selected span, for a rule
    with a ``match:``; the whole example otherwise) and about content-free input."""
    from ..selectors import selector_candidates
    from .prompts import Window

    prefix = prompts.rule_prefix(rule)
    out = ExampleMargins()

    def ask(suffix: str, asked: str = prefix) -> float:
        out.questions += 1
        return max(-MAX_MARGIN, min(MAX_MARGIN, backend.margin(asked, suffix)))

    def ask_selected(code: str, language: str) -> float:
        asked, suffix = prompts.selected_prompt(rule, code, language)
        return ask(suffix, asked)

    default_language = min(rule.languages)
    if rule.selector is not None:
        neutral = [ask_selected(n, default_language) for n in prompts.NEUTRAL_SNIPPETS]
    else:
        neutral = [
            ask(
                prompts.region_question_suffix(
                    Window("example", default_language, 1, 1, (n,)), rule.title, rule.question
                )
            )
            for n in prompts.NEUTRAL_SNIPPETS
        ]
    out.neutral = sum(neutral) / len(neutral)
    for example in rule.examples:
        file = _example_file(rule, example.code, example.language)
        if rule.selector is not None:
            spans = [c.span for c in selector_candidates(rule, rule.selector, file, clear=False)]
            margins = [ask_selected(file.slice(s.start_byte, s.end_byte), file.language) for s in spans]
            if example.kind == "bad":
                if margins:
                    out.bad.append(max(margins))
                else:
                    out.unselected = "its match selects nothing in one of its Bad examples"
            else:
                out.good.extend(margins)
            continue
        shown = Window(
            "example",
            file.language,
            1,
            file.line_count,
            tuple(file.line_text(n) for n in range(1, file.line_count + 1)),
        )
        margin = ask(prompts.region_question_suffix(shown, rule.title, rule.question))
        (out.bad if example.kind == "bad" else out.good).append(margin)
    return out
