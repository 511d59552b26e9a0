"""i18n-locale-consistency: translations (hu, vi, …) that drifted from the source locale file.

A locale file is found by configured globs with a ``{lang}`` part (``locales/{lang}/*.json``,
``{lang}.yml``); its sibling for another language is the same path with another code, looked up
through the repository view. Keys and positions come from tree-sitter, values from the JSON and
YAML parsers. Findings point at the key's line: missing and extra keys, placeholders that differ,
values identical to the source, values in the wrong language, and (for the model tier) a
translation whose meaning may not match.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import english_words, langid
from ..errors import GitError
from ..regions import SourceFile
from ..types import Candidate

if TYPE_CHECKING:
    import tree_sitter

    from ..rules import Rule
    from .base import DetectContext

LANGUAGE_NAMES = {"en": "English", "hu": "Hungarian", "vi": "Vietnamese", "de": "German", "fr": "French"}
_LANG_CODE = r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?"
_PLURAL_SUFFIX = re.compile(r"^(?P<base>.+?)_(?:ordinal_)?(?P<form>zero|one|two|few|many|other|plural|\d+)$")
# CLDR cardinal plural categories per language (the forms i18next keys use).
PLURAL_FORMS: dict[str, frozenset[str]] = {
    **{
        code: frozenset({"one", "other"})
        for code in ["en", "hu", "de", "nl", "sv", "da", "nb", "fi", "et", "el", "it", "es", "bg", "ca"]
    },
    **{code: frozenset({"other"}) for code in ["vi", "ja", "zh", "ko", "th", "id", "ms", "lo", "my", "km"]},
    "fr": frozenset({"one", "many", "other"}),
    "pt": frozenset({"one", "many", "other"}),
    "pl": frozenset({"one", "few", "many", "other"}),
    "ru": frozenset({"one", "few", "many", "other"}),
    "uk": frozenset({"one", "few", "many", "other"}),
    "cs": frozenset({"one", "few", "many", "other"}),
    "sk": frozenset({"one", "few", "many", "other"}),
    "ro": frozenset({"one", "few", "other"}),
    "ar": frozenset({"zero", "one", "two", "few", "many", "other"}),
}
# Words that are commonly the same in Hungarian and Vietnamese as in English.
INTERNATIONAL_WORDS = langid.wordset(
    """
    ok okay email e-mail online offline internet web website blog chat menu logo video audio radio
    hotel taxi pizza admin cookie cookies wifi app apps pdf api id url login logout facebook google
    twitter instagram youtube tiktok zalo github paypal visa mastercard iphone android ios windows
    mac linux sms otp qr pin copyright
    """
)

_ICU_KEYWORDS = ("plural", "select", "selectordinal")


@dataclass(frozen=True)
class Entry:
    """One leaf of a locale file: its value and where its key and its pair are."""

    value: str
    key_start: int
    key_end: int
    pair_start: int
    pair_end: int


@dataclass
class LocaleFile:
    """A parsed locale file: leaves by key path, and objects by key path (for anchoring)."""

    path: str
    leaves: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    objects: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class LocalePattern:
    """A configured glob with ``{lang}`` turned into a regex with one group per ``{lang}``."""

    regex: re.Pattern[str]
    groups: int


# ---------------------------------------------------------------------------------------------
# Paths


@functools.cache
def compile_pattern(glob: str) -> LocalePattern:
    """Translate a glob with ``{lang}`` (and ``**``, ``*``, ``?``, ``{a,b}``) to a regex."""
    out: list[str] = []
    groups = 0
    i = 0
    while i < len(glob):
        if glob.startswith("{lang}", i):
            out.append(f"({_LANG_CODE})" if groups == 0 else "(\\1)")
            groups += 1
            i += len("{lang}")
            continue
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        ch = glob[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "{" and glob.find("}", i) != -1:
            close = glob.find("}", i)
            out.append("(?:" + "|".join(re.escape(a) for a in glob[i + 1 : close].split(",")) + ")")
            i = close + 1
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    body = "".join(out)
    if "/" not in glob:
        body = "(?:.*/)?" + body
    return LocalePattern(re.compile(body + "$"), groups)


@dataclass(frozen=True)
class LocalePath:
    """A path that matched a locale glob: its language code and how to swap the code."""

    path: str
    code: str
    spans: tuple[tuple[int, int], ...]

    @property
    def language(self) -> str:
        return base_language(self.code)

    def template(self) -> str:
        """The path with every language code replaced by ``{lang}``: the key shared by siblings."""
        out, last = [], 0
        for start, end in self.spans:
            out.append(self.path[last:start])
            out.append("{lang}")
            last = end
        out.append(self.path[last:])
        return "".join(out)

    def with_code(self, code: str) -> str:
        return self.template().replace("{lang}", code)


def base_language(code: str) -> str:
    return re.split(r"[-_]", code)[0].lower()


def match_locale_path(path: str, globs: tuple[str, ...]) -> LocalePath | None:
    """The first glob ``path`` matches, with the language code it holds."""
    for glob in globs:
        pattern = compile_pattern(glob)
        if pattern.groups == 0:
            continue
        match = pattern.regex.match(path)
        if match is not None:
            spans = tuple(match.span(g) for g in range(1, pattern.groups + 1))
            return LocalePath(path, match.group(1), spans)
    return None


def sibling_paths(locale: LocalePath, language: str, ctx: DetectContext, globs: tuple[str, ...]) -> list[str]:
    """Existing paths of the same locale file in ``language`` (``hu``, ``hu-HU`` or ``hu_HU``)."""
    template = locale.template()
    found: list[str] = []
    repository = ctx.repository
    if repository is not None:
        index = _locale_index(ctx, repository, globs)
        found = [p for code, p in index.get(template, []) if base_language(code) == language]
    else:
        for code in _codes_on_disk(Path(ctx.root), template):
            candidate = template.replace("{lang}", code)
            if base_language(code) == language and (Path(ctx.root) / candidate).is_file():
                found.append(candidate)
    return sorted(found, key=lambda p: (len(p), p))


def _codes_on_disk(root: Path, template: str) -> set[str]:
    """Language codes present on disk where ``template`` has ``{lang}`` (``hu``, ``hu-HU``, ...)."""
    start = template.index("{lang}")
    folder = template[:start].rsplit("/", 1)[0] if "/" in template[:start] else ""
    rest = template[len(folder) + 1 if folder else 0 :]
    component = rest.split("/", 1)[0]
    before, _, after = component.partition("{lang}")
    pattern = re.compile(re.escape(before) + f"({_LANG_CODE})" + re.escape(after.replace("{lang}", "")) + "$")
    try:
        names = [entry.name for entry in (root / folder).iterdir()]
    except OSError:
        return set()
    return {m.group(1) for m in map(pattern.match, names) if m is not None}


def _locale_index(ctx: DetectContext, repository: Any, globs: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """Template -> [(code, path)] over the repository, built once per run."""
    store = ctx.project.setdefault("locale-consistency", {})
    key = ("index", globs)
    if key not in store:
        index: dict[str, list[tuple[str, str]]] = {}
        for path in repository.files():
            if not path.endswith((".json", ".yaml", ".yml")):
                continue
            locale = match_locale_path(path, globs)
            if locale is not None:
                index.setdefault(locale.template(), []).append((locale.code, path))
        store[key] = index
    result: dict[str, list[tuple[str, str]]] = store[key]
    return result


def _read(ctx: DetectContext, path: str) -> bytes | None:
    try:
        if ctx.repository is not None:
            return ctx.repository.read(path)
        return (Path(ctx.root) / path).read_bytes()
    except (OSError, KeyError, ValueError, GitError):
        return None


# ---------------------------------------------------------------------------------------------
# Reading locale files


def load_locale(file: SourceFile, code: str) -> LocaleFile:
    """Leaves and objects of a JSON or YAML locale file; a root key equal to ``code`` is dropped."""
    values = _parsed_values(file)
    locale = LocaleFile(file.path)
    root = file.tree.root_node
    for node in _top_mappings(root):
        for path, key, pair, value in _pairs(file, node, ()):
            if value is not None and value.type in (
                "object",
                "block_mapping",
                "flow_mapping",
                "array",
                "block_sequence",
            ):
                locale.objects[path] = (key.start_byte, key.end_byte)
                continue
            leaf = _lookup(values, path)
            text = leaf if isinstance(leaf, str) else _scalar_text(file, value)
            if text is None:
                continue
            locale.leaves[path] = Entry(text, key.start_byte, key.end_byte, pair.start_byte, pair.end_byte)
    roots = {path[0] for path in [*locale.leaves, *locale.objects]}
    if (
        len(roots) == 1
        and base_language(next(iter(roots))) == base_language(code)
        and re.fullmatch(_LANG_CODE, next(iter(roots)))
    ):
        locale.leaves = {path[1:]: entry for path, entry in locale.leaves.items() if len(path) > 1}
        locale.objects = {path[1:]: span for path, span in locale.objects.items() if len(path) > 1}
    return locale


def _parsed_values(file: SourceFile) -> Any:
    try:
        if file.language == "json":
            return json.loads(file.text)
        import yaml

        return yaml.safe_load(file.text)
    except Exception:  # noqa: BLE001 - a broken file still yields its keys from the tree
        return None


def _lookup(values: Any, path: tuple[str, ...]) -> Any:
    current = values
    for part in path:
        if isinstance(current, dict):
            if part in current:
                current = current[part]
                continue
            matched = [k for k in current if str(k) == part]
            if not matched:
                return None
            current = current[matched[0]]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def _top_mappings(root: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("object", "block_mapping", "flow_mapping"):
            yield node
            continue
        stack.extend(reversed(node.named_children))


def _unwrap(node: tree_sitter.Node | None) -> tree_sitter.Node | None:
    while node is not None and node.type in ("block_node", "flow_node") and node.named_child_count:
        inner = [c for c in node.named_children if c.type not in ("comment", "anchor", "tag")]
        if not inner:
            return node
        node = inner[0]
    return node


def _pairs(
    file: SourceFile, mapping: tree_sitter.Node, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], tree_sitter.Node, tree_sitter.Node, tree_sitter.Node | None]]:
    """(key path, key node, pair node, value node) for every pair below ``mapping``, depth first.

    Walked with an explicit stack: a locale file nested 5,000 deep must not end the run."""
    stack = [(mapping, prefix, enumerate(mapping.named_children))]
    while stack:
        node, base, children = stack[-1]
        step = next(children, None)
        if step is None:
            stack.pop()
            continue
        index, child = step
        if node.type in ("array", "block_sequence", "flow_sequence"):
            item = _unwrap(
                child.named_children[0] if child.type == "block_sequence_item" and child.named_child_count else child
            )
            path = (*base, str(index))
            if item is not None and item.type in ("object", "block_mapping", "flow_mapping"):
                stack.append((item, path, enumerate(item.named_children)))
            elif item is not None:
                yield path, item, item, item
            continue
        if child.type not in ("pair", "block_mapping_pair", "flow_pair"):
            continue
        key = child.child_by_field_name("key")
        value = _unwrap(child.child_by_field_name("value"))
        if key is None:
            continue
        name = _key_text(file, key)
        path = (*base, name)
        yield path, key, child, value
        if value is not None and value.type in ("object", "block_mapping", "flow_mapping", "array", "block_sequence"):
            stack.append((value, path, enumerate(value.named_children)))


def _key_text(file: SourceFile, key: tree_sitter.Node) -> str:
    text = file.node_text(key).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        try:
            decoded = json.loads(text) if text[0] == '"' else text[1:-1].replace("''", "'")
            return str(decoded)
        except ValueError:
            return text[1:-1]
    return text


def _scalar_text(file: SourceFile, value: tree_sitter.Node | None) -> str | None:
    if value is None:
        return None
    text = file.node_text(value).strip()
    if value.type == "string":
        try:
            return str(json.loads(text))
        except ValueError:
            return text.strip('"')
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _cached_locale(ctx: DetectContext, path: str, code: str) -> LocaleFile | None:
    store = ctx.project.setdefault("locale-consistency", {})
    key = ("file", path)
    if key not in store:
        data = _read(ctx, path)
        if data is None:
            store[key] = None
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                store[key] = None
            else:
                language = "json" if path.endswith(".json") else "yaml"
                store[key] = load_locale(SourceFile.parse(path, language, text.encode("utf-8")), code)
    cached: LocaleFile | None = store[key]
    return cached


# ---------------------------------------------------------------------------------------------
# Placeholders


def placeholders(text: str) -> frozenset[str]:
    """The interpolation slots of a message: ``{{name}}``, ``{name}``, ICU arguments, ``%s``,
    ``%(name)s``, ``%{name}``, ``$t(key)`` and numbered or named tags (``<1>``, ``<bold>``).

    ICU plural branches are not compared (each language has its own categories); select
    branches are, since their keys are data.
    """
    found: set[str] = set()
    found.update(
        f"{{{{{m.strip().lstrip('-').strip().split(',')[0].strip()}}}}}" for m in re.findall(r"\{\{([^{}]+)\}\}", text)
    )
    rest = re.sub(r"\{\{[^{}]+\}\}", " ", text)
    found.update(f"%{{{m}}}" for m in re.findall(r"%\{(\w+)\}", rest))
    rest = re.sub(r"%\{\w+\}", " ", rest)
    found.update(_icu_arguments(rest))
    found.update(
        m for m in re.findall(r"%(?:\d+\$)?(?:\([\w.]+\))?[-+ 0#]*\d*(?:\.\d+)?[sdifuxXeEgGc@]", rest.replace("%%", ""))
    )
    found.update(re.findall(r"\$t\([^)]*\)", rest))
    found.update(f"<{m}>" for m in re.findall(r"</?(\d+|[a-z][\w-]*)\s*/?>", rest) if m.isdigit() or m in _TAG_NAMES)
    return frozenset(found)


_TAG_NAMES = langid.wordset(
    """
    b i u s em strong bold italic link a br code span p small sup sub mark
    """
)


def _icu_arguments(text: str) -> set[str]:
    out: set[str] = set()
    for body in _top_level_braces(text):
        parts = [p.strip() for p in body.split(",", 2)]
        name = parts[0]
        if not re.fullmatch(r"[\w.-]+", name):
            continue
        if len(parts) >= 2 and parts[1] in _ICU_KEYWORDS:
            branches = parts[2] if len(parts) > 2 else ""
            if parts[1] == "select":
                keys = sorted(re.findall(r"(?<![\w=-])([\w=-]+)\s*\{", _depth_zero(branches)))
                out.add(f"{{{name}, select: {' '.join(keys)}}}")
            else:
                out.add(f"{{{name}, {parts[1]}}}")
            for inner in _top_level_braces(branches):
                out.update(_icu_arguments(inner))
        else:
            out.add(f"{{{name}}}")
    return out


def _top_level_braces(text: str) -> list[str]:
    bodies, depth, start = [], 0, -1
    for index, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                start = index + 1
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                bodies.append(text[start:index])
    return bodies


def _depth_zero(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        if ch == "}":
            depth -= 1
        if depth == 0:
            out.append(ch)
        if ch == "{":
            depth += 1
    return "".join(out)


def strip_placeholders(text: str) -> str:
    text = re.sub(r"\{\{[^{}]*\}\}|%\{\w+\}|\$t\([^)]*\)|</?\w+\s*/?>|%(?:\d+\$)?(?:\([\w.]+\))?[sdif@]", " ", text)
    while True:
        reduced = re.sub(r"\{[^{}]*\}", " ", text)
        if reduced == text:
            return reduced
        text = reduced


# ---------------------------------------------------------------------------------------------
# The detector


@dataclass(frozen=True)
class Settings:
    source_language: str
    languages: tuple[str, ...]
    locale_files: tuple[str, ...]
    checks: frozenset[str]
    min_words: int
    allow_identical: frozenset[str]

    @classmethod
    def from_rule(cls, rule: Rule) -> Settings:
        o = rule.options
        checks = {
            name
            for name in ("missing", "extra", "placeholders", "untranslated", "wrong_language", "meaning")
            if o.get(f"check_{name}", True)
        }
        return cls(
            source_language=str(o.get("source_language", "en")).lower(),
            languages=tuple(str(v).lower() for v in o.get("languages", ["hu", "vi"]) or []),
            locale_files=tuple(str(v) for v in o.get("locale_files", []) or []),
            checks=frozenset(checks),
            min_words=int(o.get("min_words", 3)),
            allow_identical=frozenset(str(v).strip().lower() for v in o.get("allow_identical", []) or []),
        )


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Compare a locale file with its siblings: from a translation, or from the source locale.

    A file that matches no glob but whose top-level keys are all language codes holding objects
    (``{"en": {...}, "hu": {...}}``, as vue-i18n and Rails allow) is compared section by section.
    """
    settings = Settings.from_rule(rule)
    locale_path = match_locale_path(file.path, settings.locale_files)
    if locale_path is None:
        return _multi_locale(file, rule, settings)
    language = locale_path.language
    if language == settings.source_language:
        return _from_source(file, rule, ctx, settings, locale_path)
    if language in settings.languages:
        return _from_translation(file, rule, ctx, settings, locale_path)
    return _multi_locale(file, rule, settings)  # app.json, api.json: a short name, not a language


def _multi_locale(file: SourceFile, rule: Rule, settings: Settings) -> list[Candidate]:
    whole = load_locale(file, "")
    sections = {path[0] for path in whole.objects if len(path) == 1}
    tops = {path[0] for path in [*whole.leaves, *whole.objects]}
    if not sections or tops != sections or not all(re.fullmatch(_LANG_CODE, s) for s in sections):
        return []
    by_language = {base_language(s): s for s in sorted(sections)}
    source_key = by_language.get(settings.source_language)
    if source_key is None:
        return []
    source = _section(whole, source_key)
    out: list[Candidate] = []
    for language in settings.languages:
        key = by_language.get(language)
        if key is None:
            continue
        anchor = whole.objects[(key,)]
        out.extend(_check_pair(file, rule, settings, language, source, _section(whole, key), f"'{source_key}'", anchor))
    return out


def _section(whole: LocaleFile, key: str) -> LocaleFile:
    section = LocaleFile(whole.path)
    section.leaves = {path[1:]: entry for path, entry in whole.leaves.items() if path[0] == key and len(path) > 1}
    section.objects = {path[1:]: span for path, span in whole.objects.items() if path[0] == key and len(path) > 1}
    return section


def _from_source(
    file: SourceFile, rule: Rule, ctx: DetectContext, settings: Settings, path: LocalePath
) -> list[Candidate]:
    if "missing" not in settings.checks:
        return []
    source = load_locale(file, path.code)
    missing_in: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for language in settings.languages:
        for sibling in sibling_paths(path, language, ctx, settings.locale_files)[:1]:
            match = match_locale_path(sibling, settings.locale_files)
            target = _cached_locale(ctx, sibling, match.code if match else language)
            if target is None:
                continue
            for key in source.leaves:
                if (
                    key not in target.leaves
                    and _required(key, source, language, target)
                    and not _is_object(key, target)
                ):
                    missing_in.setdefault(key, []).append((language, sibling))
    out = []
    for key, where in missing_in.items():
        entry = source.leaves[key]
        names = ", ".join(f"{LANGUAGE_NAMES.get(lang, lang)} ({p})" for lang, p in where)
        message = f"Key '{'.'.join(key)}' is missing from {names}"
        data = {"kind": "missing", "key": ".".join(key), "languages": [lang for lang, _ in where]}
        out.append(_candidate(file, rule, entry.pair_start, entry.pair_end, message, data))
    return out


def _from_translation(
    file: SourceFile, rule: Rule, ctx: DetectContext, settings: Settings, path: LocalePath
) -> list[Candidate]:
    siblings = sibling_paths(path, settings.source_language, ctx, settings.locale_files)
    if not siblings:
        return []
    source_match = match_locale_path(siblings[0], settings.locale_files)
    source = _cached_locale(ctx, siblings[0], source_match.code if source_match else settings.source_language)
    if source is None:
        return []
    target = load_locale(file, path.code)
    return _check_pair(file, rule, settings, path.language, source, target, siblings[0], None)


def _check_pair(
    file: SourceFile,
    rule: Rule,
    settings: Settings,
    language: str,
    source: LocaleFile,
    target: LocaleFile,
    src_name: str,
    root_anchor: tuple[int, int] | None,
) -> list[Candidate]:
    """Every finding for ``target`` (in ``file``) against ``source``."""
    out: list[Candidate] = []
    if "missing" in settings.checks:
        out.extend(_missing_in_target(file, rule, source, target, language, src_name, root_anchor))
    kept = _kept_words(source, target)
    for key, entry in target.leaves.items():
        original = source.leaves.get(key)
        if original is None:
            if (
                "extra" in settings.checks
                and not _valid_plural_variant(key, source, language)
                and not _is_object(key, source)
            ):
                message = f"Key '{'.'.join(key)}' is not in the source locale ({src_name})"
                out.append(
                    _candidate(
                        file, rule, entry.pair_start, entry.pair_end, message, {"kind": "extra", "key": ".".join(key)}
                    )
                )
            continue
        finding = _compare(file, rule, settings, language, key, original, entry, src_name, kept)
        if finding is not None:
            out.append(finding)
    return out


def _missing_in_target(
    file: SourceFile,
    rule: Rule,
    source: LocaleFile,
    target: LocaleFile,
    language: str,
    src_name: str,
    root_anchor: tuple[int, int] | None,
) -> list[Candidate]:
    by_anchor: dict[tuple[int, int], list[str]] = {}
    for key in source.leaves:
        if key in target.leaves or not _required(key, source, language, target) or _is_object(key, target):
            continue
        anchor = _anchor(file, target, key, root_anchor)
        by_anchor.setdefault(anchor, []).append(".".join(key))
    out = []
    for (start, end), keys in by_anchor.items():
        shown = ", ".join(f"'{k}'" for k in keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        noun = "Key" if len(keys) == 1 else "Keys"
        verb = "is" if len(keys) == 1 else "are"
        message = f"{noun} {shown} of {src_name} {verb} missing from this translation"
        out.append(_candidate(file, rule, start, end, message, {"kind": "missing", "keys": keys}))
    return out


def _anchor(
    file: SourceFile, target: LocaleFile, key: tuple[str, ...], root_anchor: tuple[int, int] | None
) -> tuple[int, int]:
    """The key of the deepest object of ``target`` that should hold ``key``, or the file's root."""
    for depth in range(len(key) - 1, 0, -1):
        span = target.objects.get(key[:depth])
        if span is not None:
            return span
    if root_anchor is not None:
        return root_anchor
    root = next(_top_mappings(file.tree.root_node), file.tree.root_node)
    return root.start_byte, min(root.end_byte, root.start_byte + 1)


def _is_object(key: tuple[str, ...], locale: LocaleFile) -> bool:
    return key in locale.objects


def _required(key: tuple[str, ...], source: LocaleFile, language: str, target: LocaleFile) -> bool:
    """False for a plural form of ``key`` that ``language`` does not use (vi has only ``_other``)."""
    match = _PLURAL_SUFFIX.match(key[-1])
    if match is None:
        return True
    form = match.group("form")
    forms = PLURAL_FORMS.get(language)
    if forms is None or form.isdigit() or form == "plural":
        return form == "other" or forms is None
    return form in forms


def _valid_plural_variant(key: tuple[str, ...], source: LocaleFile, language: str) -> bool:
    """True for a plural form the source lacks but ``language`` uses (``item_few`` in Polish)."""
    match = _PLURAL_SUFFIX.match(key[-1])
    if match is None:
        return False
    base = match.group("base")
    prefix = key[:-1]
    return any(k[:-1] == prefix and (k[-1] == base or k[-1].startswith(base + "_")) for k in source.leaves)


def _compare(
    file: SourceFile,
    rule: Rule,
    settings: Settings,
    language: str,
    key: tuple[str, ...],
    original: Entry,
    entry: Entry,
    src_name: str,
    kept: frozenset[str] = frozenset(),
) -> Candidate | None:
    dotted = ".".join(key)
    source_text, text = original.value, entry.value
    name = LANGUAGE_NAMES.get(language, language)
    if "placeholders" in settings.checks:
        expected, actual = placeholders(source_text), placeholders(text)
        if expected != actual:
            lost = sorted(expected - actual)
            added = sorted(actual - expected)
            detail = "; ".join(
                part
                for part in (
                    f"missing {', '.join(lost)}" if lost else "",
                    f"unexpected {', '.join(added)}" if added else "",
                )
                if part
            )
            message = f"Placeholders of '{dotted}' differ from the source: {detail}"
            data = {"kind": "placeholders", "key": dotted, "missing": lost, "unexpected": added}
            return _candidate(file, rule, entry.pair_start, entry.pair_end, message, data)
    cleaned = langid.prose(strip_placeholders(text))
    words = langid.words(cleaned)
    if not words:
        return None
    if "untranslated" in settings.checks and text.strip() == source_text.strip():
        if _looks_untranslated(text, words, settings, kept):
            message = f"'{dotted}' is not translated: the {name} value is the same as the source"
            return _candidate(
                file, rule, entry.pair_start, entry.pair_end, message, {"kind": "untranslated", "key": dotted}
            )
        return None
    if "wrong_language" in settings.checks:
        wrong = _wrong_language(cleaned, words, language, settings)
        if wrong is not None:
            message = f"'{dotted}' is in {LANGUAGE_NAMES.get(wrong, wrong)}, not {name}"
            data = {"kind": "wrong-language", "key": dotted, "detected": wrong, "language": language}
            return _candidate(file, rule, entry.pair_start, entry.pair_end, message, data)
    if (
        "meaning" in settings.checks
        and rule.llm
        and text.strip() != source_text.strip()
        and re.search(r"[^\W\d_]{2}", strip_placeholders(source_text))
    ):
        message = f"'{dotted}' may not mean the same as the source text"
        meaning: dict[str, object] = {
            "kind": "meaning",
            "key": dotted,
            "source_text": source_text,
            "translation": text,
            "source_language": settings.source_language,
            "language": language,
            "source_file": src_name,
            "changed_only": True,  # the engine asks only about keys whose lines changed
        }
        return _candidate(file, rule, entry.pair_start, entry.pair_end, message, meaning, clear=False)
    return None


# A copyright line's holder: "© 2024 Acme Shop", "(c) {{year}} Acme", "Copyright 2020-2024 Acme Inc.".
_COPYRIGHT_HOLDER = re.compile(
    r"(?:©|\((?i:c)\)|\b(?i:copyright)\b)[ \t]*(?:\d{4}(?:[ \t]*[-–][ \t]*\d{4})?|\{\{?[ \t]*\w+[ \t]*\}?\})?"
    r"[ \t]*(?:[A-Z][\w&.'-]*(?:[ \t]+|$)){1,4}"
)


def _kept_words(source: LocaleFile, target: LocaleFile) -> frozenset[str]:
    """Words (lower case, hyphenated ones also split) of the translation's own text: values that
    differ from their source and have accented letters outside parentheses. They are words of the
    translation's language or names its translator keeps (``Program`` in "A program indítása",
    ``Guinea`` in "Egyenlítői-Guinea"), so an identical value made of them is not English."""
    kept: set[str] = set()
    for key, entry in target.leaves.items():
        original = source.leaves.get(key)
        if original is None or original.value.strip() == entry.value.strip():
            continue
        own = _PARENTHESISED.sub(" ", strip_placeholders(entry.value))
        if not any(ch.isalpha() and not ch.isascii() for ch in own):
            continue  # "Virgin Islands, British": English, reordered
        for word in langid.words(own):
            lowered = word.lower()
            kept.add(lowered)
            kept.update(lowered.split("-"))
    return frozenset(kept)


_PARENTHESISED = re.compile(r"\([^()]*\)")


def _looks_untranslated(text: str, words: list[str], settings: Settings, kept: frozenset[str] = frozenset()) -> bool:
    """An identical value is untranslated when it is English: a single common English word, or
    several words of which at least half are common English words, one of them 3+ letters long.
    Names made of English words (``Norfolk Island``, ``Dominican Republic``) count, except a name
    whose only English words lead it (``Saint Barthélemy``, ``Cape Verde``: a title or generic
    word the name keeps). ``allow_identical`` and the international words (``OK``) do not count."""
    normalized = text.strip().lower()
    if normalized in settings.allow_identical or normalized in INTERNATIONAL_WORDS:
        return False
    if _COPYRIGHT_HOLDER.search(text):  # "© {{year}} Acme Shop": the holder is a name
        text = _COPYRIGHT_HOLDER.sub(" ", text)
        if not langid.words(langid.prose(strip_placeholders(text))):
            return False
    # Every word counts here, also the accented names prose() leaves out (Barthélemy).
    words = langid.words(strip_placeholders(text)) or words
    common = [i for i, w in enumerate(words) if w.lower() not in INTERNATIONAL_WORDS and _is_common_english(w, kept)]
    if len(words) == 1:
        return len(words[0]) >= 3 and bool(common)
    if len(common) * 2 < len(words) or not any(len(words[i]) >= 3 for i in common):
        return False
    reads_as_name = all(w[0].isupper() or w.lower() in _NAME_LINKS for w in words)
    return not reads_as_name or len(common) == len(words) or common != list(range(len(common)))


_NAME_LINKS = frozenset({"and", "of", "the", "de", "da", "du", "la", "le", "y", "et"})


def _is_common_english(word: str, kept: frozenset[str] = frozenset()) -> bool:
    """A common English word that the translation does not use in its own translated values.
    The built-in UI list knows inflections (saves, saved); the lexicon is loaded only here."""
    lowered = word.lower()
    if lowered in kept:
        return False
    if langid.is_english_word(word) or lowered in english_words.lexicon():
        return True
    parts = [part for part in lowered.split("-") if len(part) >= 3 and part not in kept]
    return "-" in lowered and any(part in english_words.lexicon() for part in parts)


def _wrong_language(cleaned: str, words: list[str], language: str, settings: Settings) -> str | None:
    """The language ``cleaned`` (a value without placeholders, names or code) is in, when not ``language``."""
    evidence = langid.letter_evidence(cleaned)
    others = {"hu": evidence["hu"], "vi": evidence["vi"]}
    if others.get(language, 0) and not any(n for code, n in others.items() if code != language):
        return None  # the file's own letters (ő ű in hu, ơ ư ạ in vi) and no other's
    candidates = tuple(dict.fromkeys([settings.source_language, *settings.languages, language]))
    identifier = langid.identifier(candidates)
    guess = identifier.identify(cleaned)
    if guess is None or guess.language == language:
        return None
    if guess.decisive:
        return guess.language
    if len(words) < settings.min_words or guess.confidence < 0.9:
        return None
    if guess.language == "en" and sum(map(_is_common_english, words)) * 2 < len(words):
        return None
    return guess.language


def _candidate(
    file: SourceFile, rule: Rule, start: int, end: int, message: str, data: dict[str, Any], clear: bool = True
) -> Candidate:
    span = file.span(start, end)
    return Candidate(rule.id, span, file.line_text(span.line).strip(), message, clear=clear, data=data)
