"""Output formats. Each reporter turns a RunResult into text; none of them calls a model or git."""

from __future__ import annotations

from collections.abc import Callable

from ..types import RunResult
from . import github, json_report, sarif, text

REPORTERS: dict[str, Callable[[RunResult], str]] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
}
