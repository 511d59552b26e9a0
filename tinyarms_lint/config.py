"""Project configuration: ``[tool.tinyarms-lint]`` in pyproject.toml, or ``.tinyarms.toml``.

Unknown keys are a ConfigError naming the key, so typos never silently disable a rule.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .severity import DEFAULT_FAIL_ON, SEVERITIES, UNDECIDED_CHOICES

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
DEFAULT_RULE_DIR = ".tinyarms/rules"  # may be absent; a configured rule_dirs entry must exist

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
    "fail_on",
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
    undecided: str | None = None  # ambiguous candidates no model decides: a severity or "drop" (rule's default)


@dataclass(frozen=True)
class Config:
    """The effective configuration of one run."""

    root: Path
    source: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rule_dirs: tuple[str, ...] = (DEFAULT_RULE_DIR,)
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
    fail_on: str = DEFAULT_FAIL_ON  # findings at or above this severity fail the run (exit 1)

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


# the type each ``[models]`` key must have (keys added elsewhere without an entry are not checked here)
_MODEL_TYPES: dict[str, tuple[type, str]] = {
    "backend": (str, "a string"),
    "code": (str, "a string"),
    "language": (str, "a string"),
    "url": (str, "a string"),
    "api_key_env": (str, "a string"),
    "code_model_name": (str, "a string"),
    "language_model_name": (str, "a string"),
    "threads": (int, "an integer"),
    "n_ctx": (int, "an integer"),
    "explain": (bool, "true or false"),
}


def _shown(value: Any) -> str:
    """A configured value as quoted in an error: TOML-like, and short."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def type_error(where: str, key: str, expected: str, value: Any) -> ConfigError:
    """The one-line error for a key with a value of the wrong type: key, expected type, value."""
    return ConfigError(f"{where}: {key} must be {expected}, got {_shown(value)}")


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise type_error(where, key, "a list of strings", value)
    return tuple(value)


def _dotfile_table(data: dict[str, Any], where: str) -> dict[str, Any]:
    """The settings of a ``.tinyarms.toml``: its top-level keys, or its ``[tool.tinyarms-lint]`` table.

    The table form is accepted so the pyproject.toml example can be pasted as is (as ruff.toml
    takes ``[tool.ruff]``-less keys and pyproject.toml the table); the two forms do not mix.
    """
    tool = data.get("tool")
    if not isinstance(tool, dict) or "tinyarms-lint" not in tool:
        return data
    table = tool["tinyarms-lint"]
    if not isinstance(table, dict):
        raise type_error(where, "tool.tinyarms-lint", "a table", table)
    others = sorted(set(data) - {"tool"}) + sorted(f"tool.{k}" for k in set(tool) - {"tinyarms-lint"})
    if others:
        raise ConfigError(
            f"{where}: {others[0]!r} beside [tool.tinyarms-lint]; put every setting in that table or none"
        )
    return table


def find_config_file(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The first of ``.tinyarms.toml`` or a pyproject.toml with our table, with its table."""
    dotfile = root / ".tinyarms.toml"
    if dotfile.is_file():
        return dotfile, _dotfile_table(_read_toml(dotfile), ".tinyarms.toml")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        table = data.get("tool", {}).get("tinyarms-lint")
        if isinstance(table, dict):
            return pyproject, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    # imported here: a repository without a config file never needs a TOML parser (hook start-up)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

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
        else:
            data = _dotfile_table(data, str(explicit))
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
    for folder in kwargs.get("rule_dirs", ()):
        # the default folder may be absent (the README's example names it); any other must exist
        if os.path.normpath(folder) != DEFAULT_RULE_DIR and not (root / folder).is_dir():
            raise ConfigError(f"{where}: rule_dirs entry {folder!r} is not a folder ({root / folder} does not exist)")
    if "max_file_size" in data:
        size = data["max_file_size"]
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise type_error(where, "max_file_size", "a positive number of bytes", size)
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
        if not isinstance(data["llm"], str) or data["llm"] not in LLM_MODES:
            raise type_error(where, "llm", f"one of {', '.join(LLM_MODES)}", data["llm"])
        kwargs["llm"] = data["llm"]
    if "cache_dir" in data:
        if not isinstance(data["cache_dir"], str):
            raise type_error(where, "cache_dir", "a string", data["cache_dir"])
        kwargs["cache_dir"] = data["cache_dir"]
    if "fail_on" in data:
        if not isinstance(data["fail_on"], str) or data["fail_on"] not in SEVERITIES:
            raise type_error(where, "fail_on", "one of " + ", ".join(SEVERITIES), data["fail_on"])
        kwargs["fail_on"] = data["fail_on"]
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: rules must be a table of rule ids")
    settings: dict[str, RuleSettings] = {}
    for rule_id, table in rules.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: rules.{rule_id} must be a table")
        table = dict(table)
        severity = table.pop("severity", None)
        if severity is not None and (not isinstance(severity, str) or severity not in ("error", "warning", "info")):
            raise type_error(where, f"rules.{rule_id}.severity", "error, warning or info", severity)
        llm = table.pop("llm", None)
        if llm is not None and not isinstance(llm, bool):
            raise type_error(where, f"rules.{rule_id}.llm", "true or false", llm)
        undecided = table.pop("undecided", None)
        if undecided is not None and (not isinstance(undecided, str) or undecided not in UNDECIDED_CHOICES):
            raise type_error(where, f"rules.{rule_id}.undecided", "one of " + ", ".join(UNDECIDED_CHOICES), undecided)
        settings[rule_id] = RuleSettings(severity=severity, options=table, llm=llm, undecided=undecided)
    kwargs["rules"] = settings
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ConfigError(f"{where}: models must be a table")
    unknown_models = sorted(set(models) - _MODEL_KEYS)
    if unknown_models:
        raise ConfigError(f"{where}: unknown key 'models.{unknown_models[0]}'")
    for key, value in models.items():
        kind, expected = _MODEL_TYPES.get(key, (object, ""))
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise type_error(where, f"models.{key}", expected, value)
    kwargs["models"] = dict(models)
    return Config(**kwargs)
