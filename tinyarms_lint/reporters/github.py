"""GitHub Actions workflow commands (``::error file=...,line=...::message``)."""

from __future__ import annotations

from ..types import RunResult

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult) -> str:
    lines = []
    for f in result.findings:
        props = (
            f"file={_escape_property(f.path)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_escape_property(f.rule)}"
        )
        tag = " [undecided]" if f.undecided else (f" [model, confidence {f.confidence:.2f}]" if f.tier == "llm" else "")
        lines.append(f"::{_LEVEL[f.severity]} {props}::{_escape_data(f'{f.rule}: {f.message}{tag}')}")
    return "".join(line + "\n" for line in lines)
