"""Detector for ``import-aliases``: relative parent imports where a path alias exists, and Python
imports that climb too many packages or break the team's module alias conventions.

JS/TS aliases come from the nearest tsconfig/jsconfig (see ``aliases.py``) and the rule's ``aliases``
option. Every suggestion is checked: the aliased specifier must resolve to the same file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import aliases as alias_config
from .. import languages
from ..types import Candidate, Fix

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext

_PROJECT_KEY = "import-aliases"
_CALL_CALLEES = frozenset(
    {
        "import",
        "require",
        "require.resolve",
        "jest.mock",
        "jest.doMock",
        "jest.unmock",
        "jest.requireActual",
        "jest.requireMock",
        "vi.mock",
        "vi.doMock",
        "vi.unmock",
        "vi.importActual",
        "vi.importMock",
    }
)
_JS_QUERY = """
(import_statement source: (string) @source)
(export_statement source: (string) @source)
(call_expression function: [(import) (identifier) (member_expression)] @callee arguments: (arguments . (string) @source))
"""
_TS_QUERY = _JS_QUERY + "(import_require_clause source: (string) @source)\n"
_PY_QUERY = "[(import_statement) (import_from_statement)] @import"
# The JS and TS queries are not declared: they run only where path aliases are configured, and
# compiling _TS_QUERY costs 17 ms on TSX (its field patterns), five times the other queries' bundle.
languages.declare_query(frozenset({"python"}), _PY_QUERY)
DEFAULT_PYTHON_ALIASES = {
    "numpy": "np",
    "pandas": "pd",
    "matplotlib": "mpl",
    "matplotlib.pyplot": "plt",
    "seaborn": "sns",
    "tensorflow": "tf",
    "polars": "pl",
    "pyarrow": "pa",
    "networkx": "nx",
    "plotly.express": "px",
    "plotly.graph_objects": "go",
    "xml.etree.ElementTree": "ET",
    "tkinter": "tk",
}


@dataclass(frozen=True)
class Options:
    """The rule's options with their defaults (kept in sync with ``rules/import-aliases.md``)."""

    min_parent_depth: int = 1
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    use_base_url: str = "auto"
    include_calls: bool = True
    max_relative_level: int = 2
    python_aliases: tuple[tuple[str, str], ...] = tuple(DEFAULT_PYTHON_ALIASES.items())
    banned_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_rule(cls, options: dict[str, Any]) -> Options:
        configured = options.get("aliases") or {}
        extra: list[tuple[str, tuple[str, ...]]] = []
        if isinstance(configured, dict):
            for pattern, targets in configured.items():
                values = [targets] if isinstance(targets, str) else targets
                if isinstance(pattern, str) and isinstance(values, list):
                    extra.append((pattern, tuple(str(v) for v in values)))
        python = options.get("python_aliases", DEFAULT_PYTHON_ALIASES) or {}
        banned = options.get("banned_aliases") or {}
        return cls(
            min_parent_depth=_positive_int(options.get("min_parent_depth"), 1),
            aliases=tuple(extra),
            use_base_url=str(options.get("use_base_url", "auto")).lower(),
            include_calls=bool(options.get("include_calls", True)),
            max_relative_level=_positive_int(options.get("max_relative_level"), 2),
            python_aliases=tuple((str(k), str(v)) for k, v in python.items()) if isinstance(python, dict) else (),
            banned_aliases=tuple(
                (str(k), tuple(str(a) for a in ([v] if isinstance(v, str) else v)))
                for k, v in banned.items()
                if isinstance(v, (str, list))
            )
            if isinstance(banned, dict)
            else (),
        )


def _positive_int(value: Any, default: int) -> int:
    """A configured count; anything that is not a positive whole number falls back to the default."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return default
    try:
        number = int(value)
    except ValueError:
        return default
    return number if number >= 1 else default


def _index(ctx: DetectContext) -> alias_config.AliasIndex:
    index = ctx.project.get(_PROJECT_KEY)
    if not isinstance(index, alias_config.AliasIndex) or index.root != ctx.root.resolve():
        index = alias_config.AliasIndex(ctx.root)
        ctx.project[_PROJECT_KEY] = index
    return index


def _effective_aliases(
    found: alias_config.PathAliases | None, options: Options, root: Path
) -> alias_config.PathAliases | None:
    """The tsconfig's aliases with the rule's ``aliases`` option first (its targets are relative to the root)."""
    if not options.aliases:
        return found
    base = root.resolve()
    configured = tuple(
        (pattern, tuple(os.path.normpath(base / target) for target in targets)) for pattern, targets in options.aliases
    )
    if found is None:
        return alias_config.PathAliases(base, None, configured, base, False)
    return alias_config.PathAliases(
        found.config,
        found.base_url,
        (*configured, *found.paths),
        found.paths_base or base,
        found.base_url_is_subfolder,
    )


def _use_base_url(options: Options, aliases: alias_config.PathAliases) -> bool:
    if options.use_base_url in ("true", "yes", "1"):
        return True
    if options.use_base_url == "auto":
        return aliases.base_url_is_subfolder and not aliases.paths
    return False


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Candidates for imports that should use an alias (JS/TS) or an absolute/conventional import (Python)."""
    options = Options.from_rule(rule.options)
    if file.language == "python":
        return _detect_python(file, rule, ctx, options)
    return _detect_js(file, rule, ctx, options)


def _detect_js(file: SourceFile, rule: Rule, ctx: DetectContext, options: Options) -> list[Candidate]:

    importer = (ctx.root / file.path).resolve()
    found = _index(ctx).for_file(importer)
    aliases = _effective_aliases(found, options, ctx.root)
    if aliases is None or not aliases.has_aliases():
        return []
    query_text = _TS_QUERY if file.language in ("typescript", "tsx") else _JS_QUERY
    candidates: list[Candidate] = []
    for _, match in languages.matches(file.language, query_text, file.tree.root_node):
        source = match["source"][0]
        callee = match.get("callee")
        if callee:
            name = file.node_text(callee[0]).replace(" ", "")
            if name not in _CALL_CALLEES or not options.include_calls:
                continue
        candidate = _js_candidate(file, rule, source, importer, aliases, options, ctx.root)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def _js_candidate(
    file: SourceFile,
    rule: Rule,
    string: tree_sitter.Node,
    importer: Path,
    aliases: alias_config.PathAliases,
    options: Options,
    root: Path,
) -> Candidate | None:
    text = file.node_text(string)
    if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        return None
    specifier = text[1:-1]
    if "\\" in specifier or not alias_config.is_relative(specifier):
        return None
    depth = alias_config.parent_depth(specifier)
    if depth < options.min_parent_depth:
        return None
    suggestions = alias_config.suggest_aliases(specifier, importer, aliases, _use_base_url(options, aliases))
    if not suggestions:
        return None
    best = suggestions[0]
    contents = file.span(string.start_byte + 1, string.end_byte - 1)
    shown_target = os.path.relpath(best.target, root.resolve()).replace(os.sep, "/")
    mapping = "baseUrl" if best.pattern == "baseUrl" else f"{best.pattern} → {shown_target}"
    levels = "folder" if depth == 1 else "folders"
    return Candidate(
        rule_id=rule.id,
        span=file.node_span(string),
        snippet=file.line_text(file.node_span(string).line).strip(),
        message=f"relative import '{specifier}' climbs {depth} {levels}: write '{best.specifier}' ({mapping})",
        clear=True,
        fix=Fix(contents, best.specifier, f"import '{best.specifier}' instead of '{specifier}'"),
        data={"specifier": specifier, "alias": best.specifier, "pattern": best.pattern, "depth": depth},
    )


def _detect_python(file: SourceFile, rule: Rule, ctx: DetectContext, options: Options) -> list[Candidate]:

    path = (ctx.root / file.path).resolve()
    conventions = dict(options.python_aliases)
    banned = dict(options.banned_aliases)
    candidates: list[Candidate] = []
    for node in languages.captures("python", _PY_QUERY, file.tree.root_node).get("import", []):
        if node.has_error:
            continue
        if node.type == "import_from_statement":
            module = node.child_by_field_name("module_name")
            if module is None:
                continue
            if module.type == "relative_import":
                found = _relative_import(file, rule, module, path, options)
                if found is not None:
                    candidates.append(found)
                continue
            prefix = file.node_text(module) + "."
        else:
            prefix = ""
        for name in node.children_by_field_name("name"):
            if name.type != "aliased_import":
                continue
            module_node, alias_node = name.child_by_field_name("name"), name.child_by_field_name("alias")
            if module_node is None or alias_node is None:
                continue
            module_name = prefix + "".join(file.node_text(module_node).split())
            alias = file.node_text(alias_node)
            expected = conventions.get(module_name)
            if expected is not None and alias.lstrip("_") != expected:  # _np: the convention, kept private
                message = f"import {module_name} as {expected} (the team's alias for it), not as {alias}"
            elif alias in banned.get(module_name, ()):
                message = f"the alias {alias} for {module_name} is banned: import it under another name"
            else:
                continue
            span = file.node_span(name)
            candidates.append(
                Candidate(
                    rule.id,
                    span,
                    file.line_text(span.line).strip(),
                    message,
                    clear=True,
                    data={"module": module_name, "alias": alias, "expected": expected},
                )
            )
    return candidates


def _relative_import(
    file: SourceFile, rule: Rule, module: tree_sitter.Node, path: Path, options: Options
) -> Candidate | None:
    prefix = next((c for c in module.children if c.type == "import_prefix"), None)
    level = file.node_text(prefix).count(".") if prefix is not None else 0
    if level <= options.max_relative_level:
        return None
    dotted = next((c for c in module.children if c.type == "dotted_name"), None)
    name = "".join(file.node_text(dotted).split()) if dotted is not None else ""
    written = file.node_text(module)
    absolute = alias_config.absolute_module(path, level, name)
    fix: Fix | None = None
    if absolute is not None:
        search_root = alias_config.python_search_root(path)
        target = alias_config.resolve_relative_module(path, level, name)
        if (
            search_root is not None
            and target is not None
            and alias_config.resolve_python_module(search_root, absolute) == target
        ):
            fix = Fix(file.node_span(module), absolute, f"import from {absolute} instead of {written}")
    span = file.node_span(module)
    if absolute is not None:
        message = (
            f"relative import '{written}' climbs {level - 1} packages (at most {options.max_relative_level - 1} "
            f"allowed): write 'from {absolute} import ...'"
        )
    else:
        message = (
            f"relative import '{written}' climbs {level - 1} packages (at most {options.max_relative_level - 1} "
            "allowed): use an absolute import"
        )
    return Candidate(
        rule.id,
        span,
        file.line_text(span.line).strip(),
        message,
        clear=True,
        fix=fix,
        data={"level": level, "absolute": absolute},
    )
