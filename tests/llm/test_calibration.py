"""Per-rule thresholds: the calibration lock beside the rules, the frontmatter, or 0."""

from __future__ import annotations

import json
from pathlib import Path

from tinyarms_lint.llm import calibration
from tinyarms_lint.llm.calibration import LOCK_NAME, lock_path, threshold_for, write_threshold
from tinyarms_lint.rules import load_rule_file, load_rules

from .helpers import SECRETS_RULE

MODEL = "qwen2.5-coder-3b-instruct-q4_k_m.gguf|2104932768|0123456789abcdef"


def _team_rule(tmp_path: Path, text: str = SECRETS_RULE) -> Path:
    folder = tmp_path / ".tinyarms" / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "no-hardcoded-secrets.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_zero_and_frontmatter_wins_over_it(tmp_path: Path) -> None:
    rule = load_rule_file(_team_rule(tmp_path))
    assert threshold_for(rule, MODEL) == 0.0
    with_threshold = SECRETS_RULE.replace("options: {}", "options: {}\nthreshold: 1.25")
    assert threshold_for(load_rule_file(_team_rule(tmp_path, with_threshold)), MODEL) == 1.25


def test_lock_entry_for_this_model_wins(tmp_path: Path) -> None:
    path = _team_rule(tmp_path, SECRETS_RULE.replace("options: {}", "options: {}\nthreshold: 1.25"))
    rule = load_rule_file(path)
    lock = lock_path(rule)
    assert lock == path.parent / LOCK_NAME
    write_threshold(lock, rule, MODEL, -0.5, precision=0.9, recall=0.8, cases=22)
    assert threshold_for(rule, MODEL) == -0.5
    assert threshold_for(rule, "another-model.gguf|1|ff") == 1.25  # other models keep the frontmatter value
    stored = json.loads(lock.read_text())
    assert stored["thresholds"]["no-hardcoded-secrets"][MODEL]["cases"] == 22


def test_lock_entry_is_ignored_once_the_rule_or_the_prompt_changes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _team_rule(tmp_path)
    write_threshold(path.parent / LOCK_NAME, load_rule_file(path), MODEL, 2.0)
    assert threshold_for(load_rule_file(path), MODEL) == 2.0
    monkeypatch.setattr(calibration, "PROMPT_VERSION", "999")
    assert threshold_for(load_rule_file(path), MODEL) == 0.0
    monkeypatch.undo()
    edited = _team_rule(tmp_path, SECRETS_RULE.replace("never written", "must never be written"))
    assert threshold_for(load_rule_file(edited), MODEL) == 0.0


def test_broken_lock_file_falls_back(tmp_path: Path) -> None:
    path = _team_rule(tmp_path)
    (path.parent / LOCK_NAME).write_text("{not json", encoding="utf-8")
    assert threshold_for(load_rule_file(path), MODEL) == 0.0


def test_bundled_rules_look_in_the_package() -> None:
    rule = load_rules([])["magic-numbers"]
    lock = lock_path(rule)
    assert lock is not None and lock.name == LOCK_NAME
    assert (lock.parent / "magic-numbers.md").is_file()
