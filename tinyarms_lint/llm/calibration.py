"""Per-rule decision thresholds: a calibration lock file beside the rules, the rule's frontmatter, or 0.

A model says "violation" when its margin log P(yes) - log P(no) is above the rule's threshold. The lock
file ``calibration.lock`` (JSON) sits in the directory of the rule files it calibrates and is written by
``tinyarms-lint calibrate`` (``write_threshold``). An entry counts only for the exact model identity, and
only while the rule file and the prompt version it was measured with are unchanged:

    {"version": 1,
     "thresholds": {"magic-numbers": {"qwen2.5-coder-3b-instruct-q4_k_m.gguf|2104932768|0a1b...": {
         "threshold": 1.5, "rule_hash": "<sha256 of the rule file>", "prompt_version": "1",
         "precision": 0.93, "recall": 0.81, "cases": 40}}}}
"""

from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .prompts import PROMPT_VERSION

if TYPE_CHECKING:
    from ..rules import Rule

LOCK_NAME = "calibration.lock"
LOCK_VERSION = 1
DEFAULT_THRESHOLD = 0.0


def lock_path(rule: Rule) -> Path | None:
    """The lock file that may calibrate ``rule``: beside its file (bundled rules: in the package)."""
    if rule.source.startswith("<bundled>/"):
        return Path(str(resources.files("tinyarms_lint.bundled_rules"))) / LOCK_NAME
    if rule.source.startswith("<"):
        return None
    return Path(rule.source).parent / LOCK_NAME


def read_lock(path: Path) -> dict[str, Any]:
    """The thresholds table of a lock file; empty when missing or unreadable (never raises)."""
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read_lock(str(path), stat.st_mtime_ns, stat.st_size)


@functools.cache
def _read_lock(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
        return {}
    table = data.get("thresholds")
    return table if isinstance(table, dict) else {}


def threshold_for(rule: Rule, model_identity: str) -> float:
    """The margin above which ``rule`` is violated for this model: lock entry, frontmatter, else 0.0
    (without the example calibration of team rules, which needs the model: see ModelJudge.calibration)."""
    found = fixed_calibration(rule, model_identity)
    return found.threshold if found is not None else DEFAULT_THRESHOLD


def write_threshold(path: Path, rule: Rule, model_identity: str, threshold: float, **measured: Any) -> None:
    """Record ``threshold`` for ``rule`` and this model in the lock file at ``path`` (atomic replace)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
        data = {"version": LOCK_VERSION, "thresholds": {}}
    table = data.setdefault("thresholds", {})
    table.setdefault(rule.id, {})[model_identity] = {
        "threshold": float(threshold),
        "rule_hash": rule.content_hash,
        "prompt_version": PROMPT_VERSION,
        **measured,
    }
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


# -- calibration from the rule's own examples (no fixtures) -------------------------------------

# A model verdict whose probability of being right is below this is "uncertain": the rule's
# ``uncertain:`` key says whether it is reported softer (info), as usual, or not at all.
UNCERTAIN_BELOW = 0.75
# The confidence of a verdict right at the nearest example's margin (see Calibration.confidence).
EDGE_CONFIDENCE = 0.9
_EDGE_LOGIT = math.log(EDGE_CONFIDENCE / (1 - EDGE_CONFIDENCE))
# Bad and Good examples closer than this (in log-odds, after the bias correction) do not separate: a
# difference that small is noise (the 0.5B gives every snippet nearly the same margin).
MIN_SEPARATION = 0.2


@dataclass(frozen=True)
class Calibration:
    """A rule's decision threshold for one model, where it came from, and how margins map to confidence.

    ``calibrated`` is True when the threshold was measured and trusted: a lock entry from labeled
    fixtures, a threshold the team wrote, or Bad/Good examples that the model separates. ``half_gap``
    is half the distance between the nearest Bad and Good example margins (after the bias correction):
    a margin that far from the threshold gets confidence ``EDGE_CONFIDENCE``.
    """

    threshold: float
    source: str  # "lock", "frontmatter", "examples" or "default"
    calibrated: bool
    half_gap: float = 2.0
    neutral: float | None = None  # the margin on content-free input (the question's bias)
    bad: tuple[float, ...] = ()
    good: tuple[float, ...] = ()
    note: str | None = None

    def confidence(self, margin: float) -> float:
        """P(violation) for ``margin``: a logistic curve through 0.5 at the threshold."""
        slope = _EDGE_LOGIT / max(self.half_gap, 0.25)
        z = max(-50.0, min(50.0, (margin - self.threshold) * slope))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "source": self.source,
            "calibrated": self.calibrated,
            "half_gap": self.half_gap,
            "neutral": self.neutral,
            "bad": list(self.bad),
            "good": list(self.good),
            "note": self.note,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Calibration | None:
        try:
            return cls(
                float(value["threshold"]),
                str(value["source"]),
                bool(value["calibrated"]),
                float(value["half_gap"]),
                None if value.get("neutral") is None else float(value["neutral"]),
                tuple(float(v) for v in value.get("bad", [])),
                tuple(float(v) for v in value.get("good", [])),
                value.get("note") if isinstance(value.get("note"), str) else None,
            )
        except (KeyError, TypeError, ValueError):
            return None


def from_examples(neutral: float, bad: list[float], good: list[float]) -> Calibration:
    """The threshold set from the margins of a rule's Bad and Good examples, after contextual
    calibration: ``neutral`` (the margin the same question gets on content-free input) is the model's
    bias, subtracted from every margin. The examples separate when every Bad example is above every
    Good one and above the neutral input; the threshold is then halfway between the two sides.
    Otherwise the threshold is the neutral margin, and the rule's verdicts are not trusted (calibrated
    is False: reported at ``info``, with a note)."""
    if not bad:
        return Calibration(
            neutral, "examples", False, neutral=neutral, good=tuple(good), note="no Bad example to calibrate on"
        )
    corrected_bad = [m - neutral for m in bad]
    low_side = max([m - neutral for m in good] + [0.0])
    high_side = min(corrected_bad)
    if high_side - low_side >= MIN_SEPARATION:
        half_gap = (high_side - low_side) / 2
        return Calibration(neutral + low_side + half_gap, "examples", True, half_gap, neutral, tuple(bad), tuple(good))
    why = "its Bad examples are not above its Good examples" if good else "its Bad examples are not above neutral input"
    return Calibration(
        neutral,
        "examples",
        False,
        2.0,
        neutral,
        tuple(bad),
        tuple(good),
        f"the model does not separate the rule's examples ({why})",
    )


def fixed_calibration(rule: Rule, model_identity: str) -> Calibration | None:
    """The threshold from a calibration.lock entry (fixtures) or the rule's ``threshold:``, if any. Only a
    lock entry counts as calibrated (``test --calibrate`` wrote it under the rule's floors); a threshold
    written by hand decides verdicts, but its findings are not trusted to block a commit."""
    path = lock_path(rule)
    if path is not None:
        entry = read_lock(path).get(rule.id, {}).get(model_identity)
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("threshold"), (int, float))
            and entry.get("rule_hash", rule.content_hash) == rule.content_hash
            and str(entry.get("prompt_version", PROMPT_VERSION)) == PROMPT_VERSION
        ):
            return Calibration(float(entry["threshold"]), "lock", True)
    if rule.threshold is not None:
        return Calibration(float(rule.threshold), "frontmatter", False)
    return None
