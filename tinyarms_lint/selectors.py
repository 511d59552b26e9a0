"""Where a team rule applies: the ``match:`` key of a rule's frontmatter, turned into candidates.

A selector picks syntax nodes of a file; each picked node is one candidate with its exact span.
Two forms, which may be combined (nodes picked by any of ``query``, ``calls`` and ``kinds``, then
kept only when ``text`` matches and ``not_text`` does not):

- ``query``: a tree-sitter query over the file's language (one string, or a mapping from language
  or family to a query); the candidate is the capture named by ``capture`` (default: ``candidate``,
  or the query's only capture);
- ``calls``: call names (``requests.get``, ``eval``): a name matches a callee written exactly so
  (whitespace aside); ``*`` is any text (``subprocess.*``, ``*.eval`` for a method of any object);
- ``kinds``: node types (``except_clause``, ``important``, ``any``-typed annotations...);
- ``text`` / ``not_text``: regular expressions on the node's text, run by RE2 (linear time).

Queries are compiled when first used for a language and by ``tinyarms-lint test``; a query that does
not compile is a RuleFileError naming the rule file and the language.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import RuleFileError
from .languages import FAMILIES, KNOWN_LANGUAGES
from .types import Candidate

if TYPE_CHECKING:
    import tree_sitter

    from .regions import SourceFile
    from .rules import Rule

_KEYS = frozenset({"query", "capture", "calls", "kinds", "text", "not_text"})
# Query predicates that run Python regexes (backtracking) on node text: ``text:`` is the linear-time way.
_REGEX_PREDICATES = ("#match?", "#not-match?", "#any-match?", "#any-not-match?")
# The call node types per language and the field holding the callee.
CALL_NODES: dict[str, tuple[tuple[str, str], ...]] = {
    "python": (("call", "function"),),
    "javascript": (("call_expression", "function"), ("new_expression", "constructor")),
}
for _name in ("jsx", "typescript", "tsx"):
    CALL_NODES[_name] = CALL_NODES["javascript"]
# Callee texts longer than this are not compared with ``calls`` names (an inline function is no name).
MAX_CALLEE_CHARS = 200
# The candidate's snippet and the code the model is shown are clipped to this many characters.
MAX_SNIPPET_CHARS = 400


@dataclass(frozen=True)
class Selector:
    """A parsed ``match:`` value; ``queries`` maps a language (or ``*``: every language) to a query."""

    source: str
    queries: tuple[tuple[str, str], ...] = ()
    capture: str | None = None
    calls: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    text: str | None = None
    not_text: str | None = None

    def query_for(self, language: str) -> str | None:
        """The query that applies to ``language``: its own, its family's, or the one for all."""
        by_name = dict(self.queries)
        if language in by_name:
            return by_name[language]
        for name, query in self.queries:
            if name in FAMILIES and language in FAMILIES[name]:
                return query
        return by_name.get("*")


def _strings(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleFileError(f"{source}: match.{key} must be a name or a non-empty list of names")
    return tuple(v.strip() for v in value)


def parse_selector(value: Any, source: str) -> Selector:
    """The ``match:`` frontmatter value of the rule file ``source`` as a Selector (RuleFileError when
    it is malformed; queries themselves are compiled later, see ``check_selector``)."""
    if isinstance(value, str):
        value = {"query": value}
    if not isinstance(value, dict):
        raise RuleFileError(f"{source}: match must be a tree-sitter query or a mapping (query, calls, kinds, text)")
    unknown = sorted(set(value) - _KEYS)
    if unknown:
        raise RuleFileError(f"{source}: unknown match field {unknown[0]!r}; known: {', '.join(sorted(_KEYS))}")
    if not any(k in value for k in ("query", "calls", "kinds")):
        raise RuleFileError(f"{source}: match needs a query, calls or kinds (text alone would select every node)")
    queries: list[tuple[str, str]] = []
    raw_query = value.get("query")
    if isinstance(raw_query, str):
        queries.append(("*", raw_query))
    elif isinstance(raw_query, dict):
        for language, query in raw_query.items():
            if language not in KNOWN_LANGUAGES and language not in FAMILIES:
                raise RuleFileError(f"{source}: match.query: unknown language {language!r}")
            if not isinstance(query, str) or not query.strip():
                raise RuleFileError(f"{source}: match.query.{language} must be a tree-sitter query")
            queries.append((str(language), query))
    elif raw_query is not None:
        raise RuleFileError(f"{source}: match.query must be a tree-sitter query or a mapping of language to query")
    for _, query in queries:
        for predicate in _REGEX_PREDICATES:
            if predicate in query:
                raise RuleFileError(
                    f"{source}: match.query uses {predicate}, which runs a backtracking regex; "
                    "use match.text / match.not_text (linear-time RE2) instead"
                )
    capture = value.get("capture")
    if capture is not None and (not isinstance(capture, str) or not capture.strip()):
        raise RuleFileError(f"{source}: match.capture must be the name of a capture in the query (without @)")
    if capture is not None and not queries:
        raise RuleFileError(f"{source}: match.capture needs match.query")
    calls = _strings(value["calls"], source, "calls") if "calls" in value else ()
    kinds = _strings(value["kinds"], source, "kinds") if "kinds" in value else ()
    patterns: dict[str, str | None] = {}
    for key in ("text", "not_text"):
        pattern = value.get(key)
        if pattern is not None:
            if not isinstance(pattern, str) or not pattern:
                raise RuleFileError(f"{source}: match.{key} must be a regular expression")
            _compile_regex(pattern, source, key)
        patterns[key] = pattern
    return Selector(
        source,
        tuple(queries),
        capture.strip().lstrip("@") if isinstance(capture, str) else None,
        calls,
        kinds,
        patterns.get("text"),
        patterns.get("not_text"),
    )


@functools.cache
def _regex(pattern: str) -> Any:
    import re2

    options = re2.Options()
    options.max_mem = 8 << 20
    return re2.compile(pattern, options)


def _compile_regex(pattern: str, source: str, key: str) -> Any:
    try:
        return _regex(pattern)
    except ImportError as exc:  # pragma: no cover - google-re2 is a dependency
        raise RuleFileError(f"{source}: match.{key} needs google-re2 (pip install google-re2)") from exc
    except Exception as exc:  # re2.error has no stable public name across versions
        raise RuleFileError(f"{source}: match.{key}: not a regular expression RE2 accepts: {exc}") from exc


def compiled_query(selector: Selector, language: str) -> tree_sitter.Query | None:
    """The compiled query for ``language`` (None when the selector has none for it)."""
    text = selector.query_for(language)
    if text is None:
        return None
    from . import languages

    try:
        query = languages.query(language, text)
    except Exception as exc:  # tree_sitter.QueryError, raised by the binding with a position
        raise RuleFileError(f"{selector.source}: match.query does not compile for {language}: {exc}") from exc
    names = {query.capture_name(i) for i in range(query.capture_count)}
    wanted = selector.capture or ("candidate" if "candidate" in names else None)
    if wanted is None and len(names) != 1:
        raise RuleFileError(
            f"{selector.source}: match.query for {language} has {len(names)} captures; "
            "name the candidate @candidate or set match.capture"
        )
    if wanted is not None and wanted not in names:
        raise RuleFileError(f"{selector.source}: match.query for {language} has no capture @{wanted}")
    return query


def check_selector(selector: Selector, languages: frozenset[str]) -> None:
    """Compile every query the selector uses for ``languages`` (RuleFileError on the first problem)."""
    for language in sorted(languages):
        compiled_query(selector, language)
    if selector.queries and not any(selector.query_for(lang) for lang in languages):
        raise RuleFileError(f"{selector.source}: match.query names none of the rule's languages")


def _capture_name(selector: Selector, query: tree_sitter.Query) -> str:
    names = [query.capture_name(i) for i in range(query.capture_count)]
    return selector.capture or ("candidate" if "candidate" in names else names[0])


def _walk(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """Every node under ``node`` (named or not), iteratively: deep files must not hit the recursion limit."""
    cursor = node.walk()
    while True:
        current = cursor.node
        if current is not None:
            yield current
        if cursor.goto_first_child() or cursor.goto_next_sibling():
            continue
        while True:
            if not cursor.goto_parent():
                return
            if cursor.goto_next_sibling():
                break


def _callee_matches(callee: str, names: tuple[str, ...]) -> bool:
    squeezed = "".join(callee.split())
    if len(squeezed) > MAX_CALLEE_CHARS:
        return False
    for name in names:
        if "*" in name:
            if fnmatch.fnmatchcase(squeezed, name):
                return True
        elif squeezed == name:
            return True
    return False


def selected_nodes(selector: Selector, file: SourceFile) -> list[tree_sitter.Node]:
    """The nodes of ``file`` the selector picks, in source order, without duplicates."""
    picked: dict[tuple[int, int, str], tree_sitter.Node] = {}
    query = compiled_query(selector, file.language)
    if query is not None:
        import tree_sitter

        for node in (
            tree_sitter.QueryCursor(query).captures(file.tree.root_node).get(_capture_name(selector, query), [])
        ):
            picked[(node.start_byte, node.end_byte, node.type)] = node
    call_nodes = dict(CALL_NODES.get(file.language, ())) if selector.calls else {}
    kinds = frozenset(selector.kinds)
    if call_nodes or kinds:
        for node in _walk(file.tree.root_node):
            if node.type in kinds:
                picked[(node.start_byte, node.end_byte, node.type)] = node
            field_name = call_nodes.get(node.type)
            if field_name is not None:
                callee = node.child_by_field_name(field_name)
                if callee is not None and _callee_matches(file.node_text(callee), selector.calls):
                    picked[(node.start_byte, node.end_byte, node.type)] = node
    nodes = sorted(picked.values(), key=lambda n: (n.start_byte, -n.end_byte))
    if selector.text is not None or selector.not_text is not None:
        wanted = _regex(selector.text) if selector.text is not None else None
        unwanted = _regex(selector.not_text) if selector.not_text is not None else None
        kept = []
        for node in nodes:
            text = file.node_text(node)
            if wanted is not None and wanted.search(text) is None:
                continue
            if unwanted is not None and unwanted.search(text) is not None:
                continue
            kept.append(node)
        nodes = kept
    return nodes


def _snippet(text: str) -> str:
    squeezed = " ".join(text.split())
    return squeezed if len(squeezed) <= MAX_SNIPPET_CHARS else squeezed[: MAX_SNIPPET_CHARS - 1] + "…"


def selector_candidates(rule: Rule, selector: Selector, file: SourceFile, clear: bool) -> list[Candidate]:
    """One candidate per selected node: its exact span, its text as the snippet; ``clear`` when the
    match alone decides (``decides: true``), else ambiguous (a model answers the rule's question)."""
    out = []
    for node in selected_nodes(selector, file):
        text = file.node_text(node)
        out.append(
            Candidate(
                rule.id,
                file.node_span(node),
                _snippet(text),
                rule.title,
                clear=clear,
                data={"literal": _snippet(text), "node_type": node.type, "selector": True},
            )
        )
    return out


def selector_from_raw(raw: Mapping[str, Any], source: str) -> Selector | None:
    """The Selector of a rule's frontmatter mapping, or None when it has no ``match:``."""
    value = raw.get("match")
    return None if value is None else parse_selector(value, source)
