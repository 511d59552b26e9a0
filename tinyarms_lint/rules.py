"""Rule files: markdown with YAML frontmatter, loaded from the bundled set and the repository.

The format is documented in ``rules/README.md``. A repository rule (``.tinyarms/rules/*.md`` or a
configured directory) with a bundled id replaces the bundled one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import RuleFileError
from .languages import FAMILIES, KNOWN_LANGUAGES, expand_languages

SEVERITIES = ("error", "warning", "info")
ROLES = ("code", "language")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^```[ \t]*([\w+-]*)[^\n]*\n(.*?)^```", re.S | re.M)
_FENCE_LANGUAGES = {
    "py": "python",
    "python": "python",
    "js": "javascript",
    "javascript": "javascript",
    "jsx": "jsx",
    "ts": "typescript",
    "typescript": "typescript",
    "tsx": "tsx",
    "css": "css",
    "scss": "scss",
    "html": "html",
    "json": "json",
    "yaml": "yaml",
    "yml": "yaml",
}
_ALLOWED_KEYS = frozenset(
    {
        "id",
        "title",
        "severity",
        "languages",
        "role",
        "detector",
        "options",
        "files",
        "min_precision",
        "min_recall",
        "threshold",
        "llm",
    }
)
_REQUIRED_KEYS = ("id", "title", "severity", "languages", "role")


@dataclass(frozen=True)
class Example:
    """A fenced example from a rule's ``## Bad`` or ``## Good`` section."""

    kind: str  # "bad" or "good"
    language: str | None  # from the fence's info string, None when absent or unknown
    code: str


@dataclass(frozen=True)
class Rule:
    """A parsed rule file."""

    id: str
    title: str
    severity: str
    languages: frozenset[str]
    role: str
    detector: str | None
    options: dict[str, Any]
    body: str
    bad_examples: tuple[str, ...]
    good_examples: tuple[str, ...]
    source: str
    content_hash: str
    files: tuple[str, ...] = ()
    min_precision: float | None = None
    min_recall: float | None = None
    threshold: float | None = None
    llm: bool = True
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    examples: tuple[Example, ...] = ()

    @property
    def tier(self) -> str:
        """``static`` when a detector decides alone, ``llm`` when only a model can judge it."""
        if self.detector is None:
            return "llm"
        return "static+llm" if self.llm else "static"

    def applies_to(self, language: str) -> bool:
        return language in self.languages

    def with_overrides(self, severity: str | None, options: dict[str, Any]) -> Rule:
        """A copy with a configured severity and options merged over the file's options."""
        merged = {**self.options, **options}
        return Rule(
            self.id,
            self.title,
            severity or self.severity,
            self.languages,
            self.role,
            self.detector,
            merged,
            self.body,
            self.bad_examples,
            self.good_examples,
            self.source,
            self.content_hash,
            self.files,
            self.min_precision,
            self.min_recall,
            self.threshold,
            self.llm,
            self.raw,
            self.examples,
        )


def _section(body: str, title: str) -> str:
    match = re.search(rf"^##\s+{title}\b[^\n]*\n(.*?)(?=^##\s|\Z)", body, re.S | re.M | re.I)
    return match.group(1) if match else ""


def parse_rule(text: str, source: str) -> Rule:
    """Parse one rule file's text; RuleFileError names ``source`` and what is wrong."""
    import yaml

    from .detectors import DETECTORS

    match = _FRONTMATTER.match(text)
    if not match:
        raise RuleFileError(f"{source}: missing YAML frontmatter (a first line '---', the fields, then '---')")
    try:
        # libyaml's loader when PyYAML was built with it: ~10x faster, and rules load on every run
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        meta = yaml.load(match.group(1), Loader=loader)  # noqa: S506 - a safe loader either way
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise RuleFileError(f"{source}: invalid YAML frontmatter{where}") from exc
    if not isinstance(meta, dict):
        raise RuleFileError(f"{source}: frontmatter must be a mapping of fields")
    unknown = sorted(set(meta) - _ALLOWED_KEYS)
    if unknown:
        raise RuleFileError(f"{source}: unknown frontmatter field {unknown[0]!r}")
    missing = [key for key in _REQUIRED_KEYS if key not in meta]
    if missing:
        raise RuleFileError(f"{source}: missing frontmatter field {missing[0]!r}")
    rule_id = meta["id"]
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleFileError(f"{source}: id must be lowercase letters, digits and dashes, got {rule_id!r}")
    if meta["severity"] not in SEVERITIES:
        raise RuleFileError(f"{source}: severity must be one of {', '.join(SEVERITIES)}, got {meta['severity']!r}")
    if meta["role"] not in ROLES:
        raise RuleFileError(f"{source}: role must be one of {', '.join(ROLES)}, got {meta['role']!r}")
    langs = meta["languages"]
    if isinstance(langs, str):
        langs = [langs]
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) for x in langs):
        raise RuleFileError(f"{source}: languages must be a non-empty list of language names")
    bad_langs = [x for x in langs if x not in KNOWN_LANGUAGES and x not in FAMILIES]
    if bad_langs:
        raise RuleFileError(f"{source}: unknown language {bad_langs[0]!r}")
    detector = meta.get("detector")
    if detector in ("none", ""):
        detector = None
    if detector is not None and detector not in DETECTORS:
        raise RuleFileError(f"{source}: unknown detector {detector!r}; known: {', '.join(sorted(DETECTORS))}")
    options = meta.get("options") or {}
    if not isinstance(options, dict):
        raise RuleFileError(f"{source}: options must be a mapping")
    files = meta.get("files") or []
    if isinstance(files, str):
        files = [files]
    for key in ("min_precision", "min_recall", "threshold"):
        value = meta.get(key)
        if value is not None and not isinstance(value, (int, float)):
            raise RuleFileError(f"{source}: {key} must be a number")
    body = text[match.end() :]
    examples = tuple(
        Example(kind, _FENCE_LANGUAGES.get(m.group(1).lower()), m.group(2))
        for kind, title in (("bad", "Bad"), ("good", "Good"))
        for m in _FENCE.finditer(_section(body, title))
    )
    bad = tuple(e.code for e in examples if e.kind == "bad")
    good = tuple(e.code for e in examples if e.kind == "good")
    return Rule(
        id=rule_id,
        title=str(meta["title"]),
        severity=meta["severity"],
        languages=expand_languages(langs),
        role=meta["role"],
        detector=detector,
        options=options,
        body=body.strip(),
        bad_examples=bad,
        good_examples=good,
        source=source,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        files=tuple(str(f) for f in files),
        min_precision=meta.get("min_precision"),
        min_recall=meta.get("min_recall"),
        threshold=meta.get("threshold"),
        llm=bool(meta.get("llm", True)),
        raw=meta,
        examples=examples,
    )


def load_rule_file(path: Path, display: str | None = None) -> Rule:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{name}: cannot read rule file ({exc.__class__.__name__})") from exc
    return parse_rule(text, name)


def bundled_rule_paths() -> list[Path]:
    """The rule files shipped inside the package (``rules/*.md``, installed as ``tinyarms_lint.bundled_rules``)."""
    folder = resources.files("tinyarms_lint.bundled_rules")
    return sorted(
        Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".md") and entry.name != "README.md"
    )


def load_rules(extra_dirs: list[Path]) -> dict[str, Rule]:
    """Bundled rules, then each directory's rules in order; a later rule with the same id wins."""
    rules: dict[str, Rule] = {}
    for path in bundled_rule_paths():
        rule = load_rule_file(path, f"<bundled>/{path.name}")
        rules[rule.id] = rule
    for folder in extra_dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            if path.name.lower() == "readme.md":
                continue
            rule = load_rule_file(path)
            rules[rule.id] = rule
    return rules
