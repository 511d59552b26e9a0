"""``path:line:col: rule-id message`` lines and a summary, like ruff and flake8.

A finding below ``fail_on`` (it does not fail the run) carries its severity in brackets at the end;
undecided candidates and model verdicts say so there too. The summary counts each severity.
"""

from __future__ import annotations

from ..severity import blocks, count_by_severity
from ..types import Finding, RunResult


def _tags(finding: Finding, fail_on: str) -> str:
    tags: list[str] = []
    if not blocks(finding.severity, fail_on):
        tags.append(finding.severity)
    if finding.undecided:
        tags.append("undecided")
    if finding.tier == "llm":
        tags.append("model" if finding.confidence is None else f"model, confidence {finding.confidence:.2f}")
    return f" [{', '.join(tags)}]" if tags else ""


def render(result: RunResult) -> str:
    fail_on = result.fail_on
    lines = [f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}{_tags(f, fail_on)}" for f in result.findings]
    stats = result.stats
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    summary = f"{count} {noun} in {stats.files} file{'s' if stats.files != 1 else ''}"
    if count:
        counts = count_by_severity([f.severity for f in result.findings])
        failing = sum(1 for f in result.findings if blocks(f.severity, fail_on))
        summary += f": {counts['error']} error{'s' if counts['error'] != 1 else ''}"
        summary += f", {counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, {counts['info']} info"
        summary += f" ({failing} failing at fail_on = {fail_on})"
    if stats.llm_calls or stats.cache_hits:
        summary += f" ({stats.llm_calls} model calls, {stats.cache_hits} cached)"
    summary += f" [{stats.elapsed_ms} ms]"
    lines.append(summary)
    return "\n".join(lines) + "\n"
