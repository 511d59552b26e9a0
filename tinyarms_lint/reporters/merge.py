"""Combining the reports of CI shards into one: JSON reports into one JSON report, SARIF logs into one run.

Inputs are the documents ``--format json`` and ``--format sarif`` write. Findings are concatenated (an exact
duplicate, from overlapping inputs, is kept once) and sorted; JSON summary counters are added up, lists
joined, and ``elapsed_ms`` is the slowest shard's (shards run side by side). SARIF results land in one run
whose rule list is the union of the inputs', with each result's ``ruleIndex`` pointing into it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from ..errors import UsageError
from ..types import Finding, Fix, RunResult, RunStats, Span

ReportKind = Literal["json", "sarif"]


def load_report(path: Path) -> tuple[ReportKind, dict[str, Any]]:
    """Read one shard's report; UsageError (one line) when it is not a tinyarms-lint JSON or SARIF report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise UsageError(f"{path}: not a JSON or SARIF report ({exc})") from exc
    if isinstance(document, dict) and isinstance(document.get("findings"), list) and "version" in document:
        if document["version"] != 1:
            raise UsageError(f"{path}: JSON report version {document['version']!r} is not supported (1 is)")
        return "json", document
    if isinstance(document, dict) and isinstance(document.get("runs"), list):
        return "sarif", document
    raise UsageError(f"{path}: not a tinyarms-lint JSON or SARIF report")


def _unique(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _merge_values(key: str, values: list[Any]) -> Any:
    """One summary field of several shards: numbers added (elapsed time: the slowest), lists joined,
    objects merged field by field; anything else keeps the first shard's value."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return max(present) if key == "elapsed_ms" else sum(present)
    if all(isinstance(v, list) for v in present):
        return _unique([item for v in present for item in v])
    if all(isinstance(v, dict) for v in present):
        keys = list(dict.fromkeys(k for v in present for k in v))
        return {k: _merge_values(k, [v.get(k) for v in present]) for k in keys}
    return present[0]


def _finding_order(item: dict[str, Any]) -> tuple[str, int, int, str]:
    return (str(item.get("path", "")), int(item.get("line", 0)), int(item.get("column", 0)), str(item.get("rule", "")))


def merge_json(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """One JSON report from several (schema version 1)."""
    findings = sorted(_unique([f for d in documents for f in d["findings"]]), key=_finding_order)
    summaries: list[Any] = [d.get("summary") if isinstance(d.get("summary"), dict) else {} for d in documents]
    summary = _merge_values("summary", summaries) or {}
    summary["findings"] = len(findings)
    return {"version": 1, "findings": findings, "summary": summary}


def merge_sarif(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """One SARIF log with one run from several logs' runs (rules united by id, results re-indexed)."""
    runs = [run for d in documents for run in d["runs"] if isinstance(run, dict)]
    if not runs:
        raise UsageError("the SARIF reports hold no runs")
    rules: dict[str, dict[str, Any]] = {}
    for run in runs:
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []) or []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                rules.setdefault(rule["id"], rule)
    ordered = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ordered)}
    results = []
    for run in runs:
        for result in run.get("results", []) or []:
            result = dict(result)
            result.pop("ruleIndex", None)
            if result.get("ruleId") in index:
                result["ruleIndex"] = index[result["ruleId"]]
            results.append(result)
    first = runs[0]
    driver = {**first.get("tool", {}).get("driver", {}), "rules": [rules[r] for r in ordered]}
    run = {**first, "tool": {**first.get("tool", {}), "driver": driver}, "results": _unique(results)}
    return {**documents[0], "runs": [run]}


_SARIF_SEVERITY = {"error": "error", "warning": "warning", "note": "info", "none": "info"}


def severities(kind: ReportKind, document: dict[str, Any]) -> list[str]:
    """The severity of every finding of a merged report (SARIF levels mapped back: note -> info)."""
    if kind == "json":
        return [str(f.get("severity", "error")) for f in document["findings"]]
    return [
        _SARIF_SEVERITY.get(str(result.get("level", "warning")), "warning")
        for run in document["runs"]
        for result in run.get("results", [])
    ]


def result_from_json(document: dict[str, Any]) -> RunResult:
    """A RunResult rebuilt from a JSON report, for the text and GitHub reporters."""
    findings = []
    for item in document["findings"]:
        span = Span(item["line"], item["column"], item["end_line"], item["end_column"], 0, 0)
        fix = item.get("fix")
        findings.append(
            Finding(
                path=item["path"],
                line=item["line"],
                column=item["column"],
                end_line=item["end_line"],
                end_column=item["end_column"],
                rule=item["rule"],
                severity=item.get("severity", "error"),
                message=item.get("message", ""),
                tier=item.get("tier", "static"),
                snippet=item.get("snippet", ""),
                fix=Fix(span, fix["replacement"], fix.get("description", "")) if isinstance(fix, dict) else None,
                confidence=item.get("confidence"),
                margin=item.get("margin"),
                undecided=bool(item.get("undecided", False)),
                related=tuple(
                    (r["path"], r["line"], r["end_line"])
                    for r in item.get("related", [])
                    if isinstance(r, dict)
                    and isinstance(r.get("path"), str)
                    and isinstance(r.get("line"), int)
                    and isinstance(r.get("end_line"), int)
                ),
            )
        )
    summary = document.get("summary", {})
    stats = RunStats()
    for name in ("files", "regions", "llm_calls", "cache_hits", "elapsed_ms", "unjudged"):
        value = summary.get(name)
        if isinstance(value, int):
            setattr(stats, name, value)
    stats.skipped = [s for s in summary.get("skipped", []) if isinstance(s, str)]
    stats.notes = [s for s in summary.get("notes", []) if isinstance(s, str)]
    return RunResult(findings, stats, [])
