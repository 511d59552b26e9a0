"""Team rules (``detector: none``): their candidates and verdicts, for the engine.

A rule with a ``match:`` gets one candidate per selected span (selectors.py): decided by the match
alone (``decides: true``) or by one narrow model question each. A rule without one is asked about
model-sized units of the changed regions that look relevant to it (``relevant``), and after a "yes"
the model points at the line that breaks it, where the finding lands. Model verdicts in the
uncertain band, or from a rule whose examples the model does not separate, are softened as the rule
says (``uncertain:``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .types import Candidate, Verdict

if TYPE_CHECKING:
    from .llm.base import Judge
    from .regions import SourceFile
    from .rules import Rule
    from .types import Region, RunStats

_STATIC = Verdict(True, 1.0, "static")
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]{2,}")
_INLINE_CODE = re.compile(r"`([^`\n]{1,200})`")
_SECTION = re.compile(r"^##\s", re.MULTILINE)
_FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Judged:
    """A team rule's candidate with the verdict that makes it a finding and the severity it gets."""

    candidate: Candidate
    verdict: Verdict
    severity: str


def keywords(rule: Rule) -> frozenset[str]:
    """The names a rule's title and opening paragraphs (before its first ``##`` section) quote as inline
    code (`` `requests` ``, `` `shell=True` ``): a part of code mentioning none of them is not asked
    about (the cheap relevance test). Empty when they quote no code: then every part is asked about."""
    intro = _SECTION.split(rule.body, 1)[0]
    prose = rule.title + "\n" + _FENCED.sub("", intro)
    found = {w.lower() for span in _INLINE_CODE.findall(prose) for w in _IDENTIFIER.findall(span)}
    return frozenset(found)


def relevant(wanted: frozenset[str], text: str) -> bool:
    """True when ``text`` mentions one of ``wanted`` (a rule's keywords), or there are none to test."""
    if not wanted:
        return True
    return any(w.lower() in wanted for w in _IDENTIFIER.findall(text))


def _overlaps(candidate: Candidate, regions: list[Region]) -> bool:
    start, end = candidate.span.start_byte, candidate.span.end_byte
    return any(start < r.span.end_byte and end > r.span.start_byte for r in regions)


def severity_for(rule: Rule, verdict: Verdict) -> str | None:
    """The severity a model finding is reported at: the rule's, ``info`` when the rule's examples did
    not calibrate it or the verdict is uncertain (``uncertain: soften``), None when hidden."""
    from .llm.calibration import UNCERTAIN_BELOW

    if verdict.decided_by != "llm":
        return rule.severity
    uncertain = verdict.confidence < UNCERTAIN_BELOW
    if uncertain and rule.uncertain == "hide":
        return None
    if not verdict.calibrated or (uncertain and rule.uncertain == "soften"):
        return "info"
    return rule.severity


def line_candidate(rule: Rule, file: SourceFile, line: int) -> Candidate:
    """A candidate covering the code of one line (from its first non-blank character to its end)."""
    text = file.line_text(line)
    start = file._line_starts[line - 1] + len(text[: len(text) - len(text.lstrip())].encode("utf-8"))
    end = file._line_starts[line - 1] + len(text.rstrip().encode("utf-8"))
    return Candidate(rule.id, file.span(start, end), text.strip(), rule.title)


def judge_team_rule(
    rule: Rule,
    file: SourceFile,
    regions: list[Region],
    judge: Judge | None,
    stats: RunStats,
    changed_lines: frozenset[int] | None = None,
) -> Iterator[Judged]:
    """The findings-to-be of a rule without a detector over the changed ``regions`` of ``file``.

    A selected span is a candidate when it holds a changed line (any span of a whole-file run): its
    exact span says where the rule applies, so unchanged spans of a changed function are not asked.
    """
    if rule.selector is not None:
        from .selectors import selector_candidates

        candidates = [
            c
            for c in selector_candidates(rule, rule.selector, file, rule.decides)
            if _overlaps(c, regions)
            and (changed_lines is None or any(c.span.line <= n <= c.span.end_line for n in changed_lines))
        ]
        if rule.decides:
            for candidate in candidates:
                yield Judged(candidate, _STATIC, rule.severity)
            return
        if judge is None or not rule.llm:
            stats.add_unjudged_regions(rule.id, len(candidates))
            return
        for candidate, verdict in zip(candidates, judge.judge_candidates(rule, file, candidates)):
            if verdict.unanswered:
                stats.add_unjudged_regions(rule.id, 1)
                continue
            severity = severity_for(rule, verdict) if verdict.violation else None
            if severity is not None:
                yield Judged(candidate, verdict, severity)
        return
    if judge is None:
        stats.add_unjudged_regions(rule.id, len(regions))
        return
    from .llm.context import model_units

    skipped = 0
    wanted = keywords(rule)
    for unit in model_units(file, regions):  # the whole file and long regions are asked about in parts
        if not relevant(wanted, unit.text):
            skipped += 1
            continue
        verdict = judge.judge_region(rule, file, unit)
        if verdict.unanswered:
            stats.add_unjudged_regions(rule.id, 1)
            continue
        if not verdict.violation:
            continue
        severity = severity_for(rule, verdict)
        if severity is None:
            continue
        locate = getattr(judge, "locate", None)
        line = locate(rule, file, unit) if locate is not None else None
        if line is not None:
            candidate = line_candidate(rule, file, line)
        else:
            candidate = Candidate(rule.id, unit.span, unit.text.split("\n", 1)[0], rule.title)
        yield Judged(candidate, verdict, severity)
    if skipped:
        note = f"{rule.id}: code that mentions none of the names its text quotes was not asked about"
        if note not in stats.notes:
            stats.notes.append(note)
