"""Which language a path is, and its tree-sitter grammar, loaded lazily from the official wheels."""

from __future__ import annotations

import functools
import importlib
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
