"""The public JSON format: ``{"version": 1, "findings": [...], "summary": {...}}`` (see README)."""

from __future__ import annotations

import json

from ..types import RunResult

SCHEMA_VERSION = 1


def render(result: RunResult) -> str:
    stats = result.stats
    document = {
        "version": SCHEMA_VERSION,
        "findings": [f.to_json() for f in result.findings],
        "summary": {
            "files": stats.files,
            "regions": stats.regions,
            "findings": len(result.findings),
            "llm_calls": stats.llm_calls,
            "cache_hits": stats.cache_hits,
            "unjudged": stats.unjudged,
            "elapsed_ms": stats.elapsed_ms,
            "skipped": stats.skipped,
            "notes": stats.notes,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
