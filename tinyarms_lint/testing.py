"""Measuring a rule against labeled cases: its own Bad/Good examples and annotated fixtures.

Used by ``tinyarms-lint test`` (and by this project's fixture tests). A labeled case is a line: an
``expect: rule-id`` line must be flagged, an ``ok: rule-id`` line must not; in a rule's own fixture
folder every other flagged line is a false positive. A ``## Bad`` example must get at least one
finding, a ``## Good`` example none.

Only decided findings count as flagged. An ambiguous candidate no model decided (reported to users
at the rule's ``undecided`` severity) is neither a hit nor a false alarm here: ``Score.undecided``
counts the labeled cases (lines, examples) that got only such a finding.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .engine import Engine, Target
from .languages import EXTENSIONS, language_for_path
from .marks import merge_marks, parse_marks, sidecar_marks, strip_marks
from .repository import DirectoryRepository
from .rules import Rule

if TYPE_CHECKING:
    from .llm.base import Judge

_EXTENSION_FOR = {language: ext for ext, language in reversed(list(EXTENSIONS.items()))}


@dataclass
class Score:
    """Confusion counts for one rule under one tier, with each miss located."""

    rule: str
    tier: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    model_questions: int = 0  # verdicts the model tier gave (asked or from the verdict cache)
    undecided: int = 0  # labeled cases with only an undecided finding (no model decided them)

    @property
    def precision(self) -> float:
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.tp + self.fn
        return self.tp / positives if positives else 1.0

    @property
    def cases(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "tier": self.tier,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "model_questions": self.model_questions,
            "undecided": self.undecided,
            "misses": self.misses,
        }


def _flagged_lines(engine: Engine, rule_id: str, path: str, data: bytes) -> tuple[set[int], set[int]]:
    """Lines with a decided finding of ``rule_id``, and lines with only an undecided one."""
    result = engine.run([Target(path, lambda: data, None)])
    findings = [f for f in result.findings if f.rule == rule_id]
    decided = {f.line for f in findings if not f.undecided}
    return decided, {f.line for f in findings if f.undecided} - decided


def score_examples(rule: Rule, config: Config, judge: Judge | None, score: Score) -> None:
    """Add the rule's own Bad/Good examples to ``score``."""
    # examples stand alone: the rule's ``files`` globs do not apply to them
    engine = Engine(config, [replace(rule, files=())], judge, DirectoryRepository(config.root))
    for number, example in enumerate(rule.examples, start=1):
        language = example.language if example.language in rule.languages else None
        language = language or min(rule.languages)
        path = f"example-{number}{_EXTENSION_FOR[language]}"
        lines, undecided = _flagged_lines(engine, rule.id, path, example.code.encode("utf-8"))
        flagged = bool(lines)
        score.undecided += int(not flagged and bool(undecided))
        where = f"{rule.source} {example.kind.capitalize()} example {number}"
        if example.kind == "bad":
            if flagged:
                score.tp += 1
            else:
                score.fn += 1
                score.misses.append(f"{where}: not flagged")
        elif flagged:
            score.fp += 1
            score.misses.append(f"{where}: flagged")
        else:
            score.tn += 1


MODEL_FIXTURES = "_llm"  # fixtures/_llm/<rule-id>/: cases meant for the model tier only


def fixture_files(fixtures: Path, rule_id: str, model_cases: bool = True) -> list[tuple[Path, Path, bool]]:
    """(folder used as the repository root, file, is the rule's own folder) for every labeled file.

    Files under a ``_llm`` folder are cases for the model tier; ``model_cases=False`` leaves them out.
    """
    out: list[tuple[Path, Path, bool]] = []
    if not fixtures.is_dir():
        return out
    own = fixtures / rule_id
    for path in sorted(fixtures.rglob("*")):
        if not path.is_file() or language_for_path(path.name) is None:
            continue
        if not model_cases and MODEL_FIXTURES in path.relative_to(fixtures).parts:
            continue
        inside_own = own in path.parents
        if not inside_own:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if rule_id not in parse_marks(text).rules():
                continue
        top = fixtures / path.relative_to(fixtures).parts[0] if path.parent != fixtures else fixtures
        out.append((top, path, inside_own))
    return out


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class MarginCases:
    """What calibration needs: each model-judged labeled line's margin, and the static tier's counts."""

    judged: list[tuple[bool, float]] = field(default_factory=list)  # (must be flagged, margin)
    static_tp: int = 0
    static_fp: int = 0
    positives: int = 0


def score_fixtures(
    rule: Rule,
    fixtures: Path,
    judge: Judge | None,
    score: Score,
    known: set[str],
    root: Path | None = None,
    margins: MarginCases | None = None,
    model_cases: bool | None = None,
) -> None:
    """Add every annotated fixture line for ``rule`` under ``fixtures`` to ``score``.

    ``model_cases``: whether the ``_llm`` cases count (default: for the model tier only).
    """
    engines: dict[Path, Engine] = {}
    with_model_cases = judge is not None if model_cases is None else model_cases
    for top, path, own in fixture_files(fixtures, rule.id, model_cases=with_model_cases):
        if top not in engines:
            engines[top] = Engine(Config(root=top), [rule], judge, DirectoryRepository(top), known_rules=known)
        data = path.read_bytes()
        marks = parse_marks(data.decode("utf-8", "replace"))
        rel = path.relative_to(top).as_posix()
        sidecar = sidecar_marks(top).get(rel)  # JSON fixtures keep their marks in expected.json
        if sidecar is not None:
            marks = merge_marks(marks, sidecar)
        trace: list[tuple[str, str, int, float]] | None = getattr(judge, "trace", None)
        traced = len(trace) if trace is not None else 0
        shown_data = data if judge is None else strip_marks(data.decode("utf-8", "replace")).encode("utf-8")
        flagged, undecided = _flagged_lines(engines[top], rule.id, rel, shown_data)  # a model never reads a mark
        expected = set(marks.expected.get(rule.id, ()))
        ok = set(marks.ok.get(rule.id, ()))
        if margins is not None and trace is not None:
            _collect_margins(margins, trace[traced:], rule.id, rel, flagged, expected, ok, own)
        shown = _shown(path, root or fixtures.parent)
        for line in sorted(expected):
            if line in flagged:
                score.tp += 1
            else:
                score.fn += 1
                score.misses.append(f"{shown}:{line}: expected {rule.id}, not flagged")
        for line in sorted(flagged - expected):
            if own or line in ok:
                score.fp += 1
                score.misses.append(f"{shown}:{line}: flagged, not expected")
        score.tn += len(ok - flagged)
        score.undecided += len(undecided & (expected | ok)) if not own else len(undecided)


def _collect_margins(
    margins: MarginCases,
    entries: list[tuple[str, str, int, float]],
    rule_id: str,
    rel: str,
    flagged: set[int],
    expected: set[int],
    ok: set[int],
    own: bool,
) -> None:
    judged_lines = {line: margin for (rid, path, line, margin) in entries if rid == rule_id and path == rel}
    margins.positives += len(expected)
    for line, margin in judged_lines.items():
        if line in expected:
            margins.judged.append((True, margin))
        elif own or line in ok:
            margins.judged.append((False, margin))
    static_lines = flagged - {line for line, margin in judged_lines.items()}
    margins.static_tp += len(static_lines & expected)
    margins.static_fp += len(static_lines - expected) if own else len(static_lines & ok)


def best_threshold(cases: MarginCases, min_precision: float = 0.0) -> tuple[float, float, float] | None:
    """The margin threshold maximizing F1 with precision at or above ``min_precision``.

    Returns (threshold, precision, recall), or None when no threshold keeps the precision floor.
    A case is flagged when its margin is above the threshold; thresholds sit between observed margins.
    """
    values = sorted({m for _, m in cases.judged})
    candidates = [values[0] - 1.0] if values else [0.0]
    candidates += [(a + b) / 2 for a, b in itertools.pairwise(values)]
    candidates += [values[-1] + 1.0] if values else []
    best: tuple[float, float, float, float] | None = None  # (f1, threshold, precision, recall)
    for threshold in candidates:
        tp = cases.static_tp + sum(1 for positive, m in cases.judged if positive and m > threshold)
        fp = cases.static_fp + sum(1 for positive, m in cases.judged if not positive and m > threshold)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / cases.positives if cases.positives else 1.0
        if precision < min_precision:
            continue
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if best is None or f1 > best[0] or (f1 == best[0] and threshold > best[1]):
            best = (f1, threshold, precision, recall)
    return None if best is None else (best[1], best[2], best[3])


def evaluate(
    rule: Rule,
    fixtures: Path | None,
    judge: Judge | None,
    tier: str,
    root: Path,
    known: set[str],
    margins: MarginCases | None = None,
    model_cases: bool | None = None,
) -> Score:
    """Score ``rule`` on its examples and (when given) a fixtures directory."""
    score = Score(rule.id, tier)
    asked = _questions(judge)
    score_examples(rule, Config(root=root), judge, score)
    if fixtures is not None:
        score_fixtures(rule, fixtures, judge, score, known, root, margins, model_cases)
    score.model_questions = _questions(judge) - asked
    return score


def _questions(judge: Judge | None) -> int:
    """Verdicts ``judge`` has given so far (0 for the static tier or a judge that does not count)."""
    return int(getattr(judge, "calls", 0)) + int(getattr(judge, "cache_hits", 0))


def below_floor(rule: Rule, score: Score) -> list[str]:
    """The floors (min_precision, min_recall) ``score`` falls below."""
    problems = []
    if rule.min_precision is not None and score.precision < rule.min_precision:
        problems.append(f"precision {score.precision:.2f} < min_precision {rule.min_precision}")
    if rule.min_recall is not None and score.recall < rule.min_recall:
        problems.append(f"recall {score.recall:.2f} < min_recall {rule.min_recall}")
    return problems
