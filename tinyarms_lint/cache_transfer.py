"""``cache export`` / ``cache import``: verdicts as JSON lines, to share between machines and CI jobs.

Keys are content hashes of everything that decides a verdict (normalized code, rule file, model file digest,
prompt version, tool version; see ``cache.verdict_key``), so an exported verdict is valid on any machine with
the same rule, model and prompt, and simply never matches anywhere else. The file is plain JSON, read with
``json.loads`` only: importing can never run anything. A first line names the format; each further line is
``{"key": "<64 hex>", "value": {...}}``. Lines that are not of that form are skipped and counted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .cache import KEY_SCHEME, VerdictCache
from .errors import UsageError

FORMAT = "tinyarms-lint/verdicts"
FORMAT_VERSION = 1
MAX_LINE_BYTES = 1 << 20
_KEY = re.compile(r"[0-9a-f]{64}")
_BATCH = 2000


@dataclass
class ImportCounts:
    """What an import did: entries added, entries already stored, lines skipped as malformed."""

    added: int = 0
    present: int = 0
    malformed: int = 0


def header() -> str:
    return json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "key_scheme": KEY_SCHEME})


def export_lines(cache: VerdictCache) -> Iterator[str]:
    """The header, then one line per stored verdict (no trailing newlines)."""
    yield header()
    for key, value in cache.items():
        yield json.dumps({"key": key, "value": value}, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _entry(line: str) -> tuple[str, dict[str, Any]] | None:
    """(key, value) of one line, or None when the line is not a well-formed entry."""
    if len(line.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
        return None
    try:
        item = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(item, dict) or set(item) != {"key", "value"}:
        return None
    key, value = item["key"], item["value"]
    if not isinstance(key, str) or _KEY.fullmatch(key) is None or not isinstance(value, dict) or not value:
        return None
    return key, value


def import_lines(cache: VerdictCache, lines: Iterable[str]) -> ImportCounts:
    """Add the verdicts of ``lines`` that the cache does not hold yet; UsageError for a file of another
    format or key scheme (its verdicts could never match)."""
    counts = ImportCounts()
    batch: list[tuple[str, dict[str, Any]]] = []

    def flush() -> None:
        added = cache.put_many(batch)
        counts.added += added
        counts.present += len(batch) - added
        batch.clear()

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if number == 1 and '"format"' in line:
            _check_header(line)
            continue
        entry = _entry(line)
        if entry is None:
            counts.malformed += 1
            continue
        batch.append(entry)
        if len(batch) >= _BATCH:
            flush()
    flush()
    return counts


def _check_header(line: str) -> None:
    try:
        head = json.loads(line)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise UsageError(f"not a tinyarms-lint verdict export (first line: {line[:80]!r})")
    if head.get("version") != FORMAT_VERSION or head.get("key_scheme") != KEY_SCHEME:
        raise UsageError(
            f"verdict export of another version (version {head.get('version')!r}, keys {head.get('key_scheme')!r}); "
            f"this tinyarms-lint reads version {FORMAT_VERSION} with keys {KEY_SCHEME!r}"
        )
