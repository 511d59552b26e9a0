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
import os
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
    """The margin above which ``rule`` is violated for this model: lock entry, frontmatter, else 0.0."""
    path = lock_path(rule)
    if path is not None:
        entry = read_lock(path).get(rule.id, {}).get(model_identity)
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("threshold"), (int, float))
            and entry.get("rule_hash", rule.content_hash) == rule.content_hash
            and str(entry.get("prompt_version", PROMPT_VERSION)) == PROMPT_VERSION
        ):
            return float(entry["threshold"])
    if rule.threshold is not None:
        return float(rule.threshold)
    return DEFAULT_THRESHOLD


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
