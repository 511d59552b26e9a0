"""``path:line:col: rule-id message`` lines and a summary, like ruff and flake8."""

from __future__ import annotations

from ..types import RunResult


def render(result: RunResult) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}" for f in result.findings]
    stats = result.stats
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    summary = f"{count} {noun} in {stats.files} file{'s' if stats.files != 1 else ''}"
    if stats.llm_calls or stats.cache_hits:
        summary += f" ({stats.llm_calls} model calls, {stats.cache_hits} cached)"
    summary += f" [{stats.elapsed_ms} ms]"
    lines.append(summary)
    return "\n".join(lines) + "\n"
