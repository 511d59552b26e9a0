"""Measuring a rule against labeled cases: its own Bad/Good examples and annotated fixtures.

Used by ``tinyarms-lint test`` (and by this project's fixture tests). A labeled case is a line: an
``expect: rule-id`` line must be flagged, an ``ok: rule-id`` line must not; in a rule's own fixture
folder every other flagged line is a false positive. A ``## Bad`` example must get at least one
finding, a ``## Good`` example none.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .engine import Engine, Target
from .languages import EXTENSIONS, language_for_path
from .marks import merge_marks, parse_marks, sidecar_marks
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
            "misses": self.misses,
        }


def _flagged_lines(engine: Engine, rule_id: str, path: str, data: bytes) -> set[int]:
    result = engine.run([Target(path, lambda: data, None)])
    return {f.line for f in result.findings if f.rule == rule_id}


def score_examples(rule: Rule, config: Config, judge: Judge | None, score: Score) -> None:
    """Add the rule's own Bad/Good examples to ``score``."""
    # examples stand alone: the rule's ``files`` globs do not apply to them
    engine = Engine(config, [replace(rule, files=())], judge, DirectoryRepository(config.root))
    for number, example in enumerate(rule.examples, start=1):
        language = example.language if example.language in rule.languages else None
        language = language or min(rule.languages)
        path = f"example-{number}{_EXTENSION_FOR[language]}"
        flagged = bool(_flagged_lines(engine, rule.id, path, example.code.encode("utf-8")))
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


def score_fixtures(
    rule: Rule, fixtures: Path, judge: Judge | None, score: Score, known: set[str], root: Path | None = None
) -> None:
    """Add every annotated fixture line for ``rule`` under ``fixtures`` to ``score``."""
    engines: dict[Path, Engine] = {}
    for top, path, own in fixture_files(fixtures, rule.id, model_cases=judge is not None):
        if top not in engines:
            engines[top] = Engine(Config(root=top), [rule], judge, DirectoryRepository(top), known_rules=known)
        data = path.read_bytes()
        marks = parse_marks(data.decode("utf-8", "replace"))
        rel = path.relative_to(top).as_posix()
        sidecar = sidecar_marks(top).get(rel)  # JSON fixtures keep their marks in expected.json
        if sidecar is not None:
            marks = merge_marks(marks, sidecar)
        flagged = _flagged_lines(engines[top], rule.id, rel, data)
        expected = set(marks.expected.get(rule.id, ()))
        ok = set(marks.ok.get(rule.id, ()))
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


def evaluate(rule: Rule, fixtures: Path | None, judge: Judge | None, tier: str, root: Path, known: set[str]) -> Score:
    """Score ``rule`` on its examples and (when given) a fixtures directory."""
    score = Score(rule.id, tier)
    score_examples(rule, Config(root=root), judge, score)
    if fixtures is not None:
        score_fixtures(rule, fixtures, judge, score, known, root)
    return score


def below_floor(rule: Rule, score: Score) -> list[str]:
    """The floors (min_precision, min_recall) ``score`` falls below."""
    problems = []
    if rule.min_precision is not None and score.precision < rule.min_precision:
        problems.append(f"precision {score.precision:.2f} < min_precision {rule.min_precision}")
    if rule.min_recall is not None and score.recall < rule.min_recall:
        problems.append(f"recall {score.recall:.2f} < min_recall {rule.min_recall}")
    return problems
