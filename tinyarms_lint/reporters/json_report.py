"""The public JSON format: ``{"version": 1, "findings": [...], "summary": {...}}`` (see README)."""

from __future__ import annotations

import json

from ..severity import blocks, count_by_severity
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
            "severities": count_by_severity([f.severity for f in result.findings]),
            "fail_on": result.fail_on,
            "failing": sum(1 for f in result.findings if blocks(f.severity, result.fail_on)),
            "llm_calls": stats.llm_calls,
            "cache_hits": stats.cache_hits,
            "unjudged": stats.unjudged,
            "unjudged_rules": stats.unjudged_rules,
            "dropped": stats.dropped,
            "elapsed_ms": stats.elapsed_ms,
            "skipped": stats.skipped,
            "notes": stats.notes,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
