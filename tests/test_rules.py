"""rules.py: parsing rule markdown, errors that name the file, repository rules replacing bundled ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.errors import RuleFileError
from tinyarms_lint.rules import load_rules, parse_rule

GOOD = """---
id: no-print
title: No print in library code
severity: warning
languages: [python, js]
role: code
detector: none
options:
  allow: []
---
Library code logs instead of printing.

## Bad
```python
print("hi")
```

## Good
```python
log.info("hi")
```
"""


def test_parse_rule_fields_and_examples() -> None:
    rule = parse_rule(GOOD, "x.md")
    assert rule.id == "no-print" and rule.severity == "warning" and rule.role == "code"
    assert rule.detector is None and rule.tier == "llm"
    assert rule.languages == {"python", "javascript", "jsx", "typescript", "tsx"}
    assert rule.bad_examples == ('print("hi")\n',)
    assert rule.good_examples == ('log.info("hi")\n',)
    assert rule.options == {"allow": []}
    assert rule.undecided == "info"  # ambiguous candidates no model decides: reported at info
    assert parse_rule(GOOD.replace("role: code", "role: code\nundecided: drop"), "x.md").undecided == "drop"
    assert rule.with_overrides(None, {}).undecided == "info"
    assert rule.with_overrides(None, {}, undecided="warning").undecided == "warning"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no frontmatter", "missing YAML frontmatter"),
        ("---\nid: [\n---\n", "invalid YAML frontmatter"),
        (GOOD.replace("severity: warning", "severity: fatal"), "severity must be one of"),
        (GOOD.replace("role: code", "role: judge"), "role must be one of"),
        (GOOD.replace("id: no-print", "id: No Print"), "id must be"),
        (GOOD.replace("languages: [python, js]", "languages: [cobol]"), "unknown language 'cobol'"),
        (GOOD.replace("detector: none", "detector: nope"), "unknown detector 'nope'"),
        (GOOD.replace("title: No print in library code\n", ""), "missing frontmatter field 'title'"),
        (GOOD.replace("role: code", "role: code\ncolour: red"), "unknown frontmatter field 'colour'"),
        (GOOD.replace("role: code", "role: code\nundecided: maybe"), "undecided must be one of info, warning"),
    ],
)
def test_malformed_rules_name_the_file_and_problem(text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=message) as info:
        parse_rule(text, "rules/bad.md")
    assert str(info.value).startswith("rules/bad.md: ")


def test_bundled_rules_load_and_repository_rule_replaces_one(tmp_path: Path) -> None:
    bundled = load_rules([])
    assert "hardcoded-colors" in bundled and "magic-numbers" in bundled
    folder = tmp_path / ".tinyarms" / "rules"
    folder.mkdir(parents=True)
    (folder / "colors.md").write_text(
        GOOD.replace("id: no-print", "id: hardcoded-colors").replace("detector: none", "detector: hardcoded-colors")
    )
    (folder / "no-print.md").write_text(GOOD)
    rules = load_rules([folder])
    assert rules["hardcoded-colors"].source.endswith("colors.md")
    assert rules["hardcoded-colors"].severity == "warning"
    assert "no-print" in rules


def test_every_bundled_rule_documents_itself() -> None:
    for rule in load_rules([]).values():
        assert rule.bad_examples, f"{rule.id} has no ## Bad example"
        assert rule.good_examples, f"{rule.id} has no ## Good example"
        assert "## Not flagged" in rule.body or "## Options" in rule.body, rule.id


# -- the frontmatter cache -------------------------------------------------------------------


def test_frontmatter_cache_gives_the_same_rules_and_skips_yaml_on_the_second_load(tmp_path: Path) -> None:
    import subprocess
    import sys

    cache = tmp_path / "cache" / "rule-frontmatter.json"
    first = load_rules([], cache)
    assert cache.is_file() and (cache.stat().st_mode & 0o777) == 0o600
    second = load_rules([], cache)
    assert first == second
    # a fresh process with every frontmatter remembered never imports PyYAML
    script = (
        "import sys; from pathlib import Path; from tinyarms_lint.rules import load_rules; "
        f"rules = load_rules([], Path({str(cache)!r})); print(len(rules), 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(first)), "False"]


def test_frontmatter_cache_follows_edits_and_survives_garbage(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "no-print.md").write_text(GOOD, encoding="utf-8")
    cache = tmp_path / "rule-frontmatter.json"
    assert load_rules([rules_dir], cache)["no-print"].severity == "warning"
    (rules_dir / "no-print.md").write_text(GOOD.replace("severity: warning", "severity: error"), encoding="utf-8")
    assert load_rules([rules_dir], cache)["no-print"].severity == "error"
    cache.write_text("{not json", encoding="utf-8")
    assert load_rules([rules_dir], cache)["no-print"].severity == "error"
    # a broken frontmatter is still an error with the cache in place
    (rules_dir / "no-print.md").write_text(GOOD.replace("severity: warning", "severity: [oops"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="invalid YAML frontmatter"):
        load_rules([rules_dir], cache)


def test_frontmatter_that_json_cannot_hold_is_not_cached(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    dated = GOOD.replace("  allow: []", "  allow: []\n  since: 2024-01-02\n  by_number: {1: one}")
    (rules_dir / "no-print.md").write_text(dated, encoding="utf-8")
    cache = tmp_path / "rule-frontmatter.json"
    for _ in range(2):
        options = load_rules([rules_dir], cache)["no-print"].options
        assert options["by_number"] == {1: "one"}  # an int key, not the string JSON would give back
        assert str(options["since"]) == "2024-01-02"


def test_two_repository_rules_with_one_id_are_an_error_naming_both(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, name in ((first, "one.md"), (second, "two.md")):
        folder.mkdir()
        (folder / name).write_text(
            "---\nid: no-print\ntitle: t\nseverity: warning\nlanguages: [python]\nrole: code\n---\nbody\n"
        )
    with pytest.raises(RuleFileError, match=r"a/one\.md and .*b/two\.md both define rule 'no-print'"):
        load_rules([first, second])
    (second / "two.md").rename(first / "two.md")
    with pytest.raises(RuleFileError, match=r"one\.md and .*two\.md both define rule 'no-print'"):
        load_rules([first])
    # one folder named twice is one folder, not a duplicate of every rule in it
    (first / "two.md").unlink()
    assert load_rules([first, first, Path(str(first) + "/")])["no-print"].source.endswith("one.md")
