"""Inline expectation marks in fixtures and rule examples: ``expect: rule-id`` and ``ok: rule-id``.

A mark sits in a comment on the line it speaks of (``# expect: magic-numbers``,
``// ok: hardcoded-colors``, ``/* expect: dry */``, ``{/* expect: ... */}``). Several ids may be
given, separated by commas. Used by the fixture tests and by ``tinyarms-lint test``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

# From an opener the scan stops at the next one (where a later try starts): linear, same marks found.
_MARK = re.compile(r"(?:#|//|/\*|<!--|\{/\*)(?:(?!#|//|/\*|<!--|\{/\*)[^\n])*?\b(expect|ok):\s*([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)")
_KEYWORD = re.compile(r"\b(?:expect|ok):\s*[a-z0-9][a-z0-9-]*")


def strip_marks(text: str) -> str:
    """``text`` with every trailing mark comment cut off, line numbers unchanged: what a model reads, so
    that no label reaches it.

    The comment starts at the nearest opener before the keyword: a ``#`` inside ``"#1f77b4"`` earlier
    on the line is code, not the mark's comment.
    """
    out = []
    for line in text.split("\n"):
        keyword = _KEYWORD.search(line) if _MARK.search(line) is not None else None
        if keyword is None:
            out.append(line)
            continue
        head = line[: keyword.start()]
        start = max(head.rfind(opener) for opener in ("#", "//", "/*", "<!--"))
        end = len(line)
        closer = {"/*": "*/", "<!": "-->"}.get(line[start : start + 2])
        if closer is not None and line.find(closer, keyword.end()) >= 0:
            end = line.find(closer, keyword.end()) + len(closer)
            if start > 0 and line[start - 1] == "{" and line[end : end + 1] == "}":
                start, end = start - 1, end + 1
        rest = line[end:]
        out.append(
            line[:start].rstrip()
            + (" " + rest.lstrip() if rest.strip() and line[:start].strip() else rest.lstrip() if rest.strip() else "")
        )
    return "\n".join(out)


@dataclass(frozen=True)
class Marks:
    """Lines that must be flagged and lines that must not, per rule id."""

    expected: dict[str, frozenset[int]]
    ok: dict[str, frozenset[int]]

    def rules(self) -> set[str]:
        return set(self.expected) | set(self.ok)


def parse_marks(text: str) -> Marks:
    """Collect the marks of every line of ``text`` (1-based line numbers)."""
    expected: dict[str, set[int]] = {}
    ok: dict[str, set[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MARK.finditer(line):
            target = expected if match.group(1) == "expect" else ok
            for rule_id in match.group(2).split(","):
                target.setdefault(rule_id.strip(), set()).add(number)
    return Marks(
        {k: frozenset(v) for k, v in expected.items()},
        {k: frozenset(v) for k, v in ok.items()},
    )


SIDECAR = "expected.json"


def sidecar_marks(folder: Path) -> dict[str, Marks]:
    """Marks for files that cannot hold comments (JSON locale files), by path relative to ``folder``.

    ``folder/expected.json`` holds ``{"rule": id, "files": {path: [{"line": n, "kind": k}, ...]}}``;
    an entry of kind ``ok`` must not be flagged, any other kind must be.
    """
    sidecar = folder / SIDECAR
    if not sidecar.is_file():
        return {}
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    rule_id = str(data.get("rule", folder.name))
    out: dict[str, Marks] = {}
    for path, entries in data.get("files", {}).items():
        expected = frozenset(int(e["line"]) for e in entries if e.get("kind") != "ok")
        ok = frozenset(int(e["line"]) for e in entries if e.get("kind") == "ok")
        out[path] = Marks({rule_id: expected} if expected else {}, {rule_id: ok} if ok else {})
    return out


def merge_marks(first: Marks, second: Marks) -> Marks:
    """Both sets of marks, rule by rule."""

    def union(a: dict[str, frozenset[int]], b: dict[str, frozenset[int]]) -> dict[str, frozenset[int]]:
        return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in set(a) | set(b)}

    return Marks(union(first.expected, second.expected), union(first.ok, second.ok))
