"""Which language a path is, its tree-sitter grammar (loaded lazily from the official wheels), and the
queries run on it (compiled once per process, the bundled detectors' together)."""

from __future__ import annotations

import bisect
import functools
import importlib
import re
import warnings
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tree_sitter

# extension -> language name used in rule frontmatter ``languages:``
EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "jsx",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".css": "css",
    ".scss": "scss",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}

# language -> (module, function returning the grammar pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "jsx": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "css": ("tree_sitter_css", "language"),
    "scss": ("tree_sitter_scss", "language"),
    "html": ("tree_sitter_html", "language"),
    "json": ("tree_sitter_json", "language"),
    "yaml": ("tree_sitter_yaml", "language"),
}

# Families make rule frontmatter short: ``languages: [js]`` covers JS, JSX, TS and TSX.
FAMILIES: dict[str, frozenset[str]] = {
    "js": frozenset({"javascript", "jsx", "typescript", "tsx"}),
    "ts": frozenset({"typescript", "tsx"}),
    "styles": frozenset({"css", "scss"}),
    "all": frozenset(_GRAMMARS),
}

KNOWN_LANGUAGES: frozenset[str] = frozenset(_GRAMMARS)


def language_for_path(path: str) -> str | None:
    """The language of ``path`` by its extension, or None for a file type we do not parse."""
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def expand_languages(names: list[str]) -> frozenset[str]:
    """Resolve rule frontmatter language names (and families) to concrete language names."""
    out: set[str] = set()
    for name in names:
        out |= FAMILIES.get(name, frozenset({name}))
    return frozenset(out)


@functools.cache
def grammar(language: str) -> tree_sitter.Language:
    """The tree-sitter Language for ``language``; the grammar module is imported on first use."""
    import tree_sitter

    module_name, func = _GRAMMARS[language]
    module = importlib.import_module(module_name)
    with warnings.catch_warnings():
        # older grammar wheels (tree-sitter-scss 1.0) hand over an int pointer instead of a capsule
        warnings.simplefilter("ignore", DeprecationWarning)
        return tree_sitter.Language(getattr(module, func)())


@functools.cache
def parser(language: str) -> tree_sitter.Parser:
    """A reusable parser for ``language``."""
    import tree_sitter

    return tree_sitter.Parser(grammar(language))


@functools.cache
def query(language: str, source: str) -> tree_sitter.Query:
    """A compiled query, cached per language and source text."""
    import tree_sitter

    return tree_sitter.Query(grammar(language), source)


# Queries the bundled detectors run, by language, declared when their module is imported. They are
# compiled together as one query per language: tree-sitter spends a fixed ~0.75 ms (Python) to ~1.75 ms
# (TSX) compiling any query, whatever its patterns, and a hook run on a TSX file asked for four.
_DECLARED: dict[str, list[str]] = {}
_BUNDLES: dict[str, _Bundle] = {}
_UNBUNDLED: set[tuple[str, ...]] = set()  # declared sets that did not compile together (each alone then)
# a string, a comment, or a capture name (the only part renamed)
_QUERY_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|;[^\n]*|@([\w.?!-]+)')


def declare_query(languages: frozenset[str], source: str) -> str:
    """Declare that ``captures`` or ``matches`` will run ``source`` on files of ``languages``; returns it."""
    for language in languages:
        declared = _DECLARED.setdefault(language, [])
        if source not in declared:
            declared.append(source)
    return source


def captures(language: str, source: str, node: tree_sitter.Node) -> dict[str, list[tree_sitter.Node]]:
    """What ``QueryCursor(query(language, source)).captures(node)`` returns, read from the language's
    bundle when ``source`` was declared for it."""
    import tree_sitter

    bundle = _bundle(language, source)
    if bundle is None:
        return tree_sitter.QueryCursor(query(language, source)).captures(node)
    prefix = f"q{bundle.sources.index(source)}."
    return {
        name.removeprefix(prefix): list(nodes)
        for name, nodes in bundle.captures(node).items()
        if name.startswith(prefix)
    }


def matches(language: str, source: str, node: tree_sitter.Node) -> list[tuple[int, dict[str, list[tree_sitter.Node]]]]:
    """What ``QueryCursor(query(language, source)).matches(node)`` returns (pattern indexes counted
    within ``source``), read from the language's bundle when ``source`` was declared for it."""
    import tree_sitter

    bundle = _bundle(language, source)
    if bundle is None:
        return tree_sitter.QueryCursor(query(language, source)).matches(node)
    index = bundle.sources.index(source)
    prefix = f"q{index}."
    first = bundle.source_of.index(index)
    return [
        (pattern - first, {name.removeprefix(prefix): list(nodes) for name, nodes in found.items()})
        for pattern, found in bundle.matches(node)
        if bundle.source_of[pattern] == index
    ]


def _bundle(language: str, source: str) -> _Bundle | None:
    """The compiled bundle of ``language`` holding ``source``, or None when ``source`` runs alone."""
    import tree_sitter

    declared = _DECLARED.get(language, [])
    if source not in declared or tuple(declared) in _UNBUNDLED:
        return None
    bundle = _BUNDLES.get(language)
    if bundle is None or source not in bundle.sources:  # first use, or a detector declared more since
        try:
            bundle = _BUNDLES[language] = _Bundle(language, declared)
        except tree_sitter.QueryError:
            _UNBUNDLED.add(tuple(declared))
            return None
    return bundle


class _Bundle:
    """One compiled query holding several sources: each source's capture names get a prefix of their
    own (``@q0.name``), and the results for the last node run on are kept, since every detector runs
    its query on the same file's root."""

    def __init__(self, language: str, sources: list[str]) -> None:
        import tree_sitter

        self.sources = list(sources)
        parts: list[str] = []
        starts: list[int] = []  # where each source starts in the joined text
        at = 0
        for index, source in enumerate(self.sources):
            part = _QUERY_TOKEN.sub(functools.partial(_prefixed, f"@q{index}."), source)
            starts.append(at)
            parts.append(part)
            at += len(part.encode("utf-8")) + 1
        self.query = tree_sitter.Query(grammar(language), "\n".join(parts))
        self.source_of = [
            bisect.bisect_right(starts, self.query.start_byte_for_pattern(p)) - 1
            for p in range(self.query.pattern_count)
        ]
        self._captured: tuple[tree_sitter.Node, dict[str, list[tree_sitter.Node]]] | None = None
        self._matched: tuple[tree_sitter.Node, list[tuple[int, dict[str, list[tree_sitter.Node]]]]] | None = None

    def captures(self, node: tree_sitter.Node) -> dict[str, list[tree_sitter.Node]]:
        import tree_sitter

        cached = self._captured  # read once: another thread (the language server) may replace it
        if cached is None or cached[0] != node:
            cached = self._captured = (node, tree_sitter.QueryCursor(self.query).captures(node))
        return cached[1]

    def matches(self, node: tree_sitter.Node) -> list[tuple[int, dict[str, list[tree_sitter.Node]]]]:
        import tree_sitter

        cached = self._matched
        if cached is None or cached[0] != node:
            cached = self._matched = (node, tree_sitter.QueryCursor(self.query).matches(node))
        return cached[1]


def _prefixed(prefix: str, token: re.Match[str]) -> str:
    """A capture name with ``prefix`` (``@name`` -> ``@q0.name``); strings and comments as they are."""
    return prefix + token.group(1) if token.group(1) else token.group(0)
