"""Project configuration: ``[tool.tinyarms-lint]`` in pyproject.toml, or ``.tinyarms.toml``.

Unknown keys are a ConfigError naming the key, so typos never silently disable a rule.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_TOKEN_FILES = (
    "**/tokens.*",
    "**/*.tokens.*",
    "**/*.tokens.json",
    "**/theme.*",
    "**/themes/**",
    "**/design-tokens/**",
    "**/tailwind.config.*",
    "**/_variables.scss",
    "**/variables.css",
)
DEFAULT_TEST_FILES = (
    "**/test_*.py",
    "**/*_test.py",
    "**/tests/**",
    "**/test/**",
    "**/__tests__/**",
    "**/*.test.*",
    "**/*.spec.*",
    "**/conftest.py",
)
LLM_MODES = ("auto", "off", "required")

_TOP_KEYS = {
    "select",
    "ignore",
    "exclude",
    "rule_dirs",
    "token_files",
    "test_files",
    "max_file_size",
    "skip_generated",
    "minified_line_length",
    "file_time_budget",
    "llm",
    "cache_dir",
    "rules",
    "models",
}
_MODEL_KEYS = {
    "backend",
    "code",
    "language",
    "url",
    "api_key_env",
    "threads",
    "n_ctx",
    "code_model_name",
    "language_model_name",
    "explain",
}


@dataclass(frozen=True)
class RuleSettings:
    """Per-rule settings from ``[tool.tinyarms-lint.rules.RULE-ID]``."""

    severity: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    llm: bool | None = None  # turns the rule's model tier on or off over its frontmatter's ``llm``


@dataclass(frozen=True)
class Config:
    """The effective configuration of one run."""

    root: Path
    source: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rule_dirs: tuple[str, ...] = (".tinyarms/rules",)
    token_files: tuple[str, ...] = DEFAULT_TOKEN_FILES
    test_files: tuple[str, ...] = DEFAULT_TEST_FILES
    max_file_size: int = 1_000_000
    skip_generated: bool = True  # skip files marked generated or minified (see generated.py), with a note
    minified_line_length: int = 300  # average line length above which a file counts as minified (0: never)
    file_time_budget: float = 10.0  # seconds the detectors may spend on one file (0: no limit)
    llm: str = "auto"
    cache_dir: str | None = None
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)

    def frontmatter_cache(self) -> Path:
        """The JSON file where parsed rule frontmatter is remembered (see rules.FrontmatterCache)."""
        from .cache import default_cache_dir

        return default_cache_dir(self.cache_dir, self.root) / "rule-frontmatter.json"

    def rule_directories(self) -> list[Path]:
        return [(self.root / d) for d in self.rule_dirs]

    def is_excluded(self, path: str) -> bool:
        return matches_any(path, self.exclude)

    def is_token_file(self, path: str) -> bool:
        return matches_any(path, self.token_files)

    def is_test_file(self, path: str) -> bool:
        return matches_any(path, self.test_files)


@functools.cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a gitignore-like glob (``**``, ``*``, ``?``, ``{a,b}``) to a regex."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "{":
            close = pattern.find("}", i)
            if close != -1:
                alternatives = pattern[i + 1 : close].split(",")
                out.append("(?:" + "|".join(re.escape(a) for a in alternatives) + ")")
                i = close + 1
                continue
            out.append(re.escape(ch))
        else:
            out.append(re.escape(ch))
        i += 1
    body = "".join(out)
    if "/" not in pattern.rstrip("/"):
        body = "(?:.*/)?" + body  # a bare name matches at any depth, like .gitignore
    return re.compile(body + "(?:/.*)?$")


def matches_any(path: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """True when the repository-relative ``path`` matches any of the globs."""
    return any(_glob_regex(p).match(path) for p in patterns)


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def find_config_file(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The first of ``.tinyarms.toml`` or a pyproject.toml with our table, with its table."""
    dotfile = root / ".tinyarms.toml"
    if dotfile.is_file():
        return dotfile, _read_toml(dotfile)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        table = data.get("tool", {}).get("tinyarms-lint")
        if isinstance(table, dict):
            return pyproject, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from exc


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Load the configuration for the repository at ``root`` (or from ``explicit``)."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        data = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("tinyarms-lint", {})
        elif "tool" in data and "tinyarms-lint" in data.get("tool", {}):
            data = data["tool"]["tinyarms-lint"]
        return parse_config(root, data, str(explicit))
    found = find_config_file(root)
    if found is None:
        return Config(root=root)
    path, table = found
    return parse_config(root, table, str(path.relative_to(root)))


def parse_config(root: Path, data: dict[str, Any], where: str) -> Config:
    """Validate a config table and build a Config; unknown keys raise ConfigError."""
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    kwargs: dict[str, Any] = {"root": root, "source": where}
    for key in ("select", "ignore", "exclude", "rule_dirs", "token_files", "test_files"):
        if key in data:
            kwargs[key] = _str_list(data[key], key, where)
    if "max_file_size" in data:
        size = data["max_file_size"]
        if not isinstance(size, int) or size <= 0:
            raise ConfigError(f"{where}: max_file_size must be a positive number of bytes")
        kwargs["max_file_size"] = size
    if "skip_generated" in data:
        if not isinstance(data["skip_generated"], bool):
            raise ConfigError(f"{where}: skip_generated must be true or false")
        kwargs["skip_generated"] = data["skip_generated"]
    if "minified_line_length" in data:
        length = data["minified_line_length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise ConfigError(f"{where}: minified_line_length must be a number of characters (0 turns it off)")
        kwargs["minified_line_length"] = length
    if "file_time_budget" in data:
        seconds = data["file_time_budget"]
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise ConfigError(f"{where}: file_time_budget must be a number of seconds (0 turns it off)")
        kwargs["file_time_budget"] = float(seconds)
    if "llm" in data:
        if data["llm"] not in LLM_MODES:
            raise ConfigError(f"{where}: llm must be one of {', '.join(LLM_MODES)}")
        kwargs["llm"] = data["llm"]
    if "cache_dir" in data:
        if not isinstance(data["cache_dir"], str):
            raise ConfigError(f"{where}: cache_dir must be a string")
        kwargs["cache_dir"] = data["cache_dir"]
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: rules must be a table of rule ids")
    settings: dict[str, RuleSettings] = {}
    for rule_id, table in rules.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: rules.{rule_id} must be a table")
        table = dict(table)
        severity = table.pop("severity", None)
        if severity is not None and severity not in ("error", "warning", "info"):
            raise ConfigError(f"{where}: rules.{rule_id}.severity must be error, warning or info")
        llm = table.pop("llm", None)
        if llm is not None and not isinstance(llm, bool):
            raise ConfigError(f"{where}: rules.{rule_id}.llm must be true or false")
        settings[rule_id] = RuleSettings(severity=severity, options=table, llm=llm)
    kwargs["rules"] = settings
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ConfigError(f"{where}: models must be a table")
    unknown_models = sorted(set(models) - _MODEL_KEYS)
    if unknown_models:
        raise ConfigError(f"{where}: unknown key 'models.{unknown_models[0]}'")
    kwargs["models"] = dict(models)
    return Config(**kwargs)
