"""``tinyarms-lint test`` in a tmp repository with a team rule and annotated fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from ..conftest import run_cli

RULE = """---
id: hardcoded-colors
title: No hardcoded colors (team floor)
severity: error
languages: [css, scss]
role: code
detector: hardcoded-colors
min_precision: 1.0
min_recall: 1.0
---
Colors come from tokens.

## Bad
```css
.a {
  color: #ff0000;
}
```

## Good
```css
.a {
  color: var(--danger);
}
```
"""


def _setup(repo: Path, fixture: str) -> None:
    (repo / ".tinyarms" / "rules").mkdir(parents=True)
    (repo / ".tinyarms" / "rules" / "colors.md").write_text(RULE)
    folder = repo / ".tinyarms" / "fixtures" / "hardcoded-colors"
    folder.mkdir(parents=True)
    (folder / "a.css").write_text(fixture)


def test_counts_and_exit_0_when_floors_hold(repo: Path) -> None:
    _setup(
        repo,
        ".a {\n  color: #123456; /* expect: hardcoded-colors */\n"
        "  background: var(--bg); /* ok: hardcoded-colors */\n}\n",
    )
    result = run_cli("test", "hardcoded-colors", "--no-llm", "--format", "json", cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    (score,) = json.loads(result.stdout)["scores"]
    # examples: 1 bad flagged (TP), 1 good clean (TN); fixture: 1 TP, 1 TN
    assert (score["tp"], score["fp"], score["fn"], score["tn"]) == (2, 0, 0, 2)
    assert score["precision"] == 1.0 and score["recall"] == 1.0


def test_miss_is_located_and_floor_fails(repo: Path) -> None:
    _setup(
        repo,
        ".a {\n  color: #123456; /* expect: hardcoded-colors */\n}\n"
        ".b {\n  margin: 4px; /* expect: hardcoded-colors */\n}\n",
    )
    result = run_cli("test", "hardcoded-colors", "--no-llm", cwd=repo)
    assert result.code == 1
    assert ".tinyarms/fixtures/hardcoded-colors/a.css:5: expected hardcoded-colors, not flagged" in result.stdout
    assert "below floor: hardcoded-colors (static): recall 0.67 < min_recall 1.0" in result.stderr


def test_unknown_rule_and_missing_fixtures_are_usage_errors(repo: Path) -> None:
    assert run_cli("test", "nope", cwd=repo).code == 2
    result = run_cli("test", "--fixtures", "missing", cwd=repo)
    assert result.code == 2 and "missing: fixtures directory not found" in result.stderr


STRUCTURAL = """---
id: no-important
title: No !important
severity: warning
languages: [styles]
role: code
detector: none
match:
  kinds: [important]
decides: true
---
Do not use `!important`.

## Bad
```css
.a { color: red !important; }
```

## Good
```css
.b .a { color: red; }
```
"""


def test_a_rule_decided_by_its_match_is_scored_on_its_examples_without_a_model(repo: Path) -> None:
    (repo / ".tinyarms" / "rules").mkdir(parents=True)
    (repo / ".tinyarms" / "rules" / "important.md").write_text(STRUCTURAL)
    done = run_cli("test", "no-important", "--no-llm", "--format", "json", cwd=repo)
    assert done.code == 0, done.stderr
    (score,) = json.loads(done.stdout)["scores"]
    assert (score["tier"], score["tp"], score["fp"], score["fn"], score["tn"]) == ("static", 1, 0, 0, 1)


def test_a_query_that_does_not_compile_is_exit_2_before_anything_runs(repo: Path) -> None:
    (repo / ".tinyarms" / "rules").mkdir(parents=True)
    broken = STRUCTURAL.replace("  kinds: [important]\n", "  query: '(no_such_css_node) @x'\n")
    (repo / ".tinyarms" / "rules" / "important.md").write_text(broken)
    done = run_cli("test", "no-important", "--no-llm", cwd=repo)
    assert done.code == 2
    assert "important.md: match.query does not compile for css" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
