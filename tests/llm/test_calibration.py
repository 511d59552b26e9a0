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


def test_examples_set_the_threshold_after_the_bias_correction() -> None:
    from tinyarms_lint.llm.calibration import from_examples

    # a yes-biased model: the content-free input already gets +2; Bad +5, Good +2.5
    found = from_examples(2.0, [5.0], [2.5])
    assert found.calibrated and found.source == "examples"
    assert found.threshold == 2.0 + 0.5 + 1.25  # halfway between the corrected Good (0.5) and Bad (3.0)
    assert round(found.confidence(5.0), 6) == 0.9 and round(found.confidence(2.5), 6) == 0.1
    assert found.confidence(found.threshold) == 0.5
    # a Bad example below a Good one, or not above the neutral input: not calibrated, neutral threshold
    for bad, good in (([3.0], [4.0]), ([1.5], [])):
        weak = from_examples(2.0, bad, good)
        assert not weak.calibrated and weak.threshold == 2.0 and weak.note is not None
    # differences below MIN_SEPARATION are noise
    assert not from_examples(0.0, [0.15], [0.0]).calibrated


def test_a_calibration_survives_its_json_round_trip() -> None:
    import json

    from tinyarms_lint.llm.calibration import Calibration, from_examples

    found = from_examples(-1.0, [3.0, 4.0], [-2.0])
    assert Calibration.from_json(json.loads(json.dumps(found.to_json()))) == found
    assert Calibration.from_json({"threshold": "x"}) is None
