"""The project's own accuracy gate: ``tinyarms-lint test`` over every bundled rule, static tier.

Every bundled rule must keep precision and recall of 0.95 or more on its examples and fixtures.
The model tier's numbers are measured by bench/accuracy_llm.py (they need a model).
"""

from __future__ import annotations

import json

from ..conftest import PROJECT, run_cli


def test_every_bundled_rule_holds_its_floor_on_the_fixtures() -> None:
    result = run_cli("test", "--no-llm", "--fixtures", "fixtures", "--format", "json", cwd=PROJECT)
    assert result.code == 0, result.stdout[-2000:] + result.stderr
    scores = json.loads(result.stdout)["scores"]
    rules = {s["rule"] for s in scores}
    assert rules >= {
        "hardcoded-colors",
        "magic-numbers",
        "import-aliases",
        "design-tokens",
        "dry",
        "comment-language",
        "i18n-hardcoded-strings",
        "i18n-locale-consistency",
    }
    for score in scores:
        assert score["tp"] >= 15, score  # enough labeled cases to mean something
        assert score["precision"] >= 0.95 and score["recall"] >= 0.95, score
