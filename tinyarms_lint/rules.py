"""Rule files: markdown with YAML frontmatter, loaded from the bundled set and the repository.

The format is documented in ``rules/README.md``. A repository rule (``.tinyarms/rules/*.md`` or a
configured directory) with a bundled id replaces the bundled one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RuleFileError
from .languages import FAMILIES, KNOWN_LANGUAGES, expand_languages
from .severity import DEFAULT_UNDECIDED, UNDECIDED_CHOICES

if TYPE_CHECKING:
    from .selectors import Selector

SEVERITIES = ("error", "warning", "info")
ROLES = ("code", "language")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"^```[ \t]*([\w+-]*)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
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
        "undecided",
        "match",  # where a team rule applies (selectors.py)
        "question",
        "decides",
        "uncertain",
    }
)
UNCERTAIN_CHOICES = ("soften", "report", "hide")  # what a model finding in the uncertain band becomes
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
    undecided: str = "info"  # ambiguous candidates no model decides: reported at this severity, or "drop"
    selector: Selector | None = None  # ``match:``: the candidates of a rule without a detector
    question: str | None = None  # the narrow question the model answers about each candidate
    decides: bool = False  # the selector alone decides: no model
    uncertain: str = "soften"  # model findings in the uncertain band: soften (info), report, hide

    @property
    def tier(self) -> str:
        """``static`` when a detector decides alone, ``llm`` when only a model can judge it."""
        if self.detector is None:
            return "static" if self.decides else "llm"
        return "static+llm" if self.llm else "static"

    def applies_to(self, language: str) -> bool:
        return language in self.languages

    def with_overrides(
        self, severity: str | None, options: dict[str, Any], llm: bool | None = None, undecided: str | None = None
    ) -> Rule:
        """A copy with a configured severity, options merged over the file's options, ``llm`` and ``undecided``."""
        return replace(
            self,
            severity=severity or self.severity,
            options={**self.options, **options},
            llm=self.llm if llm is None else llm,
            undecided=undecided or self.undecided,
        )


def _kind(value: Any) -> str | None:
    """The option type a default value declares, in the words of an error message."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number" if isinstance(value, float) else "an integer"
    if isinstance(value, str):
        return "auto, true or false" if value == "auto" else "a string"  # a tri-state (use_base_url)
    if isinstance(value, list):
        inner = {_kind(item) for item in value}
        if inner == {"a string"}:
            return "a list of strings"
        if inner and inner <= {"an integer", "a number"}:
            return "a list of numbers"
        return "a list"
    if isinstance(value, dict):
        inner = {_kind(item) for item in value.values()}
        return "a table of strings" if inner == {"a string"} else "a table"
    return None  # no default to go by (null): anything goes


def _fits(value: Any, kind: str) -> bool:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "true or false":
        return isinstance(value, bool)
    if kind == "an integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "a number":
        return number
    if kind == "a string":
        return isinstance(value, str)
    if kind == "auto, true or false":
        return isinstance(value, (str, bool))
    if kind.startswith("a list"):
        return isinstance(value, list) and all(_fits(item, _ITEM_KIND[kind]) for item in value)
    if kind.startswith("a table"):
        return isinstance(value, dict) and all(_fits(item, _ITEM_KIND[kind]) for item in value.values())
    return True


_ITEM_KIND = {
    "a list of strings": "a string",
    "a list of numbers": "a number",
    "a list": "",
    "a table of strings": "a string",
    "a table": "",
}


def option_type_problem(rule: Rule, key: str, value: Any) -> str | None:
    """What type ``value`` should have for option ``key`` of ``rule`` when it has another, else None.

    The type is the one of the option's default in the rule's frontmatter (every option has one):
    ``ignore: [0, 1, -1]`` takes a list of numbers, ``ignore_test_files: true`` true or false.
    """
    if key not in rule.options:
        return None
    kind = _kind(rule.options[key])
    if kind is None or _fits(value, kind):
        return None
    return kind


def _section(body: str, title: str) -> str:
    match = re.search(rf"^##\s+{title}\b[^\n]*\n(.*?)(?=^##\s|\Z)", body, re.DOTALL | re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else ""


class FrontmatterCache:
    """Parsed frontmatter of rule files, remembered as JSON by the sha256 of the YAML text.

    Rules load on every run; with every frontmatter remembered, a run does not import PyYAML at all
    (about 25 ms of a hook run's start-up, measured in bench/README.md). JSON only, in the user's
    cache directory; a frontmatter that does not survive a JSON round trip unchanged is not stored.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.dirty = False
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = None
            if isinstance(loaded, dict):
                self.entries = loaded

    def parse(self, yaml_text: str, source: str) -> Any:
        key = hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()
        if key in self.entries:
            return self.entries[key]
        meta = _parse_yaml(yaml_text, source)
        if self.path is not None:
            try:
                if json.loads(json.dumps(meta)) == meta:
                    self.entries[key] = meta
                    self.dirty = True
            except (TypeError, ValueError):
                pass
        return meta

    def save(self) -> None:
        """Write the entries back when something new was parsed (best effort: a cache only)."""
        if self.path is None or not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
                json.dump(self.entries, handle)
            os.replace(partial, self.path)
        except OSError:
            return


def _parse_yaml(yaml_text: str, source: str) -> Any:
    import yaml

    try:
        # libyaml's loader when PyYAML was built with it: ~10x faster, and rules load on every run
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(yaml_text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise RuleFileError(f"{source}: invalid YAML frontmatter{where}") from exc


def parse_rule(text: str, source: str, frontmatter: FrontmatterCache | None = None) -> Rule:
    """Parse one rule file's text; RuleFileError names ``source`` and what is wrong."""
    from .detectors import DETECTORS

    match = _FRONTMATTER.match(text)
    if not match:
        raise RuleFileError(f"{source}: missing YAML frontmatter (a first line '---', the fields, then '---')")
    yaml_text = match.group(1)
    meta = frontmatter.parse(yaml_text, source) if frontmatter is not None else _parse_yaml(yaml_text, source)
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
    undecided = meta.get("undecided", DEFAULT_UNDECIDED)
    if undecided not in UNDECIDED_CHOICES:
        raise RuleFileError(f"{source}: undecided must be one of {', '.join(UNDECIDED_CHOICES)}, got {undecided!r}")
    selector, question, decides, uncertain = _team_rule_keys(meta, source, detector)
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
        undecided=undecided,
        selector=selector,
        question=question,
        decides=decides,
        uncertain=uncertain,
    )


def _team_rule_keys(meta: dict[str, Any], source: str, detector: str | None) -> tuple[Any, str | None, bool, str]:
    """``match``, ``question``, ``decides`` and ``uncertain`` (see rules/README.md, "Team rules")."""
    selector = None
    if meta.get("match") is not None:  # selectors.py is imported only for rules that have a selector
        from .selectors import selector_from_raw

        selector = selector_from_raw(meta, source)
    if selector is not None and detector is not None:
        raise RuleFileError(f"{source}: match is for rules without a detector (detector: none)")
    question = meta.get("question")
    if question is not None and (not isinstance(question, str) or not question.strip()):
        raise RuleFileError(f"{source}: question must be a sentence")
    decides = meta.get("decides", False)
    if not isinstance(decides, bool):
        raise RuleFileError(f"{source}: decides must be true or false")
    if decides and selector is None:
        raise RuleFileError(f"{source}: decides: true needs a match (the match is what decides)")
    if decides and question is not None:
        raise RuleFileError(f"{source}: a rule that decides by its match alone asks no question")
    uncertain = meta.get("uncertain", "soften")
    if uncertain not in UNCERTAIN_CHOICES:
        raise RuleFileError(f"{source}: uncertain must be one of {', '.join(UNCERTAIN_CHOICES)}, got {uncertain!r}")
    return selector, " ".join(question.split()) if isinstance(question, str) else None, decides, uncertain


def load_rule_file(path: Path, display: str | None = None, frontmatter: FrontmatterCache | None = None) -> Rule:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{name}: cannot read rule file ({exc.__class__.__name__})") from exc
    return parse_rule(text, name, frontmatter)


def bundled_rule_paths() -> list[Path]:
    """The rule files shipped inside the package (``rules/*.md``, installed as ``tinyarms_lint.bundled_rules``)."""
    # find_spec instead of importlib.resources: the same folder, without ~15 ms of imports per run
    from importlib.util import find_spec

    spec = find_spec("tinyarms_lint.bundled_rules")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    return sorted(
        path
        for folder in folders[:1]
        for path in Path(folder).iterdir()
        if path.name.endswith(".md") and path.name != "README.md"
    )


def load_rules(extra_dirs: list[Path], frontmatter_cache: Path | None = None) -> dict[str, Rule]:
    """Bundled rules, then each directory's rules in order; a repository rule with a bundled id
    replaces the bundled rule. Two repository rule files with one id are a RuleFileError naming both
    (one would silently hide the other). A missing directory is skipped (config checks the ones it names).

    ``frontmatter_cache`` is a JSON file remembering parsed frontmatter (see FrontmatterCache).
    """
    cache = FrontmatterCache(frontmatter_cache)
    rules: dict[str, Rule] = {}
    for path in bundled_rule_paths():
        rule = load_rule_file(path, f"<bundled>/{path.name}", cache)
        rules[rule.id] = rule
    repository_sources: dict[str, str] = {}
    seen_dirs: set[str] = set()
    for folder in extra_dirs:
        if not folder.is_dir() or os.path.realpath(folder) in seen_dirs:
            continue
        seen_dirs.add(os.path.realpath(folder))
        for path in sorted(folder.glob("*.md")):
            if path.name.lower() == "readme.md":
                continue
            rule = load_rule_file(path, None, cache)
            if rule.id in repository_sources:
                raise RuleFileError(
                    f"{repository_sources[rule.id]} and {rule.source} both define rule {rule.id!r}; rename one"
                )
            repository_sources[rule.id] = rule.source
            rules[rule.id] = rule
    cache.save()
    return rules
