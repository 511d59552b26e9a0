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
        ('ignore = "dry"\n', 'ignore must be a list of strings, got "dry"'),
        ("exclude = [1]\n", "exclude must be a list of strings, got \\[1\\]"),
        ("max_file_size = true\n", "max_file_size must be a positive number of bytes, got true"),
        ("llm = false\n", "llm must be one of auto, off, required, got false"),
        ("cache_dir = 3\n", "cache_dir must be a string, got 3"),
        ("[rules.dry]\nseverity = 1\n", "rules.dry.severity must be error, warning or info, got 1"),
        ("[models]\nthreads = '4'\n", 'models.threads must be an integer, got "4"'),
        ("[models]\nn_ctx = true\n", "models.n_ctx must be an integer, got true"),
        ("[models]\nexplain = 'yes'\n", 'models.explain must be true or false, got "yes"'),
        ("[models]\ncode = 3\n", "models.code must be a string, got 3"),
        ('rule_dirs = ["team-rules"]\n', "rule_dirs entry 'team-rules' is not a folder"),
        ('llm = "off"\n[tool.tinyarms-lint]\nignore = []\n', "'llm' beside \\[tool.tinyarms-lint\\]"),
        ("[tool.ruff]\nline-length = 3\n", "unknown key 'tool'"),
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
def test_the_readme_example_pasted_into_the_dotfile_is_accepted(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = readme.split("```toml\n[tool.tinyarms-lint]\n", 1)[1].split("```", 1)[0]
    (tmp_path / ".tinyarms.toml").write_text("[tool.tinyarms-lint]\n" + example)
    config = load_config(tmp_path)
    assert config.source == ".tinyarms.toml" and config.ignore == ("dry",) and config.llm == "auto"
    assert config.rules["magic-numbers"].options == {"ignore": [0, 1, -1, 2, 60]}
    assert config.models["code"].endswith(".gguf")
    # and through --config, the same table
    assert load_config(tmp_path, tmp_path / ".tinyarms.toml").ignore == ("dry",)


def test_an_existing_rule_dir_and_the_absent_default_are_fine(tmp_path: Path) -> None:
    (tmp_path / "team-rules").mkdir()
    (tmp_path / ".tinyarms.toml").write_text('rule_dirs = [".tinyarms/rules", "team-rules"]\n')
    assert load_config(tmp_path).rule_dirs == (".tinyarms/rules", "team-rules")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('ignore = "zero"', 'rules.magic-numbers.ignore must be a list of numbers, got "zero"'),
        ('ignore = [1, "a"]', "rules.magic-numbers.ignore must be a list of numbers"),
        ('ignore_test_files = "yes"', 'rules.magic-numbers.ignore_test_files must be true or false, got "yes"'),
        ("detect_objects = 1", "rules.magic-numbers.detect_objects must be true or false, got 1"),
    ],
)
def test_rule_options_are_checked_against_the_type_of_their_default(tmp_path: Path, table: str, message: str) -> None:
    from tinyarms_lint.engine import active_rules
    from tinyarms_lint.rules import load_rules

    (tmp_path / ".tinyarms.toml").write_text(f"[rules.magic-numbers]\n{table}\n")
    with pytest.raises(ConfigError, match="^.tinyarms.toml: " + message.replace("[", "\\[")):
        active_rules(load_rules([]), load_config(tmp_path))


def test_rule_options_of_the_right_type_pass(tmp_path: Path) -> None:
    from tinyarms_lint.engine import active_rules
    from tinyarms_lint.rules import load_rules

    (tmp_path / ".tinyarms.toml").write_text(
        "[rules.magic-numbers]\nignore = [0, 1.5]\nignore_test_files = false\n"
        "[rules.comment-language]\nmin_confidence = 1\ncandidates = []\n"
        '[rules.import-aliases]\nuse_base_url = true\npython_aliases = {numpy = "np"}\n'
        '[rules.dry]\nignore = ["**/gen/**"]\n'
    )
    rules = {r.id: r for r in active_rules(load_rules([]), load_config(tmp_path))}
    assert rules["magic-numbers"].options["ignore"] == [0, 1.5]
    assert rules["import-aliases"].options["use_base_url"] is True
