"""config.py: pyproject and .tinyarms.toml, unknown keys, globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.config import load_config, matches_any
from tinyarms_lint.errors import ConfigError


def test_defaults_without_config(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.llm == "auto" and config.max_file_size == 1_000_000 and config.source is None


def test_pyproject_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.tinyarms-lint]\nignore = ["dry"]\nexclude = ["vendor/**"]\n'
        'llm = "off"\n\n[tool.tinyarms-lint.rules.magic-numbers]\nseverity = "info"\nignore = [60]\n'
    )
    config = load_config(tmp_path)
    assert config.ignore == ("dry",) and config.llm == "off"
    assert config.rules["magic-numbers"].severity == "info"
    assert config.rules["magic-numbers"].options == {"ignore": [60]}
    assert config.is_excluded("vendor/a/b.js") and not config.is_excluded("src/vendor.js")


def test_dotfile_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tinyarms-lint]\nllm = "off"\n')
    (tmp_path / ".tinyarms.toml").write_text('llm = "required"\n')
    assert load_config(tmp_path).llm == "required"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("selct = ['a']\n", "unknown key 'selct'"),
        ("llm = 'sometimes'\n", "llm must be one of"),
        ("max_file_size = -1\n", "max_file_size must be"),
        ("[models]\ncoder = 'x'\n", "unknown key 'models.coder'"),
        ("[rules.dry]\nseverity = 'fatal'\n", "severity must be"),
        ("[rules.dry]\nllm = 'yes'\n", "rules.dry.llm must be true or false"),
        ("fail_on = 'warn'\n", "fail_on must be one of error, warning, info"),
        ("[rules.dry]\nundecided = 'ignore'\n", "rules.dry.undecided must be one of info, warning, error, drop"),
        ("this is not toml", "invalid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / ".tinyarms.toml").write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_globs() -> None:
    assert matches_any("src/styles/tokens.css", ["**/tokens.*"])
    assert matches_any("tokens.json", ["**/tokens.*"])
    assert matches_any("a/b/c.test.ts", ["**/*.test.*"])
    assert matches_any("locales/hu/common.json", ["locales/{hu,vi}/*.json"])
    assert not matches_any("locales/en/common.json", ["locales/{hu,vi}/*.json"])
    assert matches_any("deep/node_modules/x.js", ["node_modules"])
    assert not matches_any("src/tokenset.css", ["**/tokens.*"])


def test_a_rule_model_tier_is_turned_on_or_off_in_config(tmp_path: Path) -> None:
    from tinyarms_lint.engine import active_rules
    from tinyarms_lint.rules import load_rules

    (tmp_path / ".tinyarms.toml").write_text(
        "[rules.i18n-locale-consistency]\nllm = true\n\n[rules.magic-numbers]\nllm = false\nignore = [60]\n"
    )
    config = load_config(tmp_path)
    bundled = load_rules([])
    rules = {r.id: r for r in active_rules(bundled, config)}
    assert rules["i18n-locale-consistency"].llm is True
    assert rules["magic-numbers"].llm is False and rules["magic-numbers"].options["ignore"] == [60]
    assert rules["dry"].llm == bundled["dry"].llm  # not configured: the rule file decides


def test_fail_on_and_undecided_from_config(tmp_path: Path) -> None:
    from tinyarms_lint.engine import active_rules
    from tinyarms_lint.rules import load_rules

    assert load_config(tmp_path).fail_on == "warning"  # the hook default: info findings never block
    (tmp_path / ".tinyarms.toml").write_text(
        'fail_on = "error"\n\n[rules.magic-numbers]\nundecided = "drop"\nignore = [60]\n'
    )
    config = load_config(tmp_path)
    assert config.fail_on == "error"
    assert config.rules["magic-numbers"].undecided == "drop" and config.rules["magic-numbers"].options == {
        "ignore": [60]
    }
    rules = {r.id: r for r in active_rules(load_rules([]), config)}
    assert rules["magic-numbers"].undecided == "drop" and rules["dry"].undecided == "info"
