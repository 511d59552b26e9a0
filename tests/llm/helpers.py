"""Shared pieces for the model-tier tests: rules written as files, parsed sources, the real test model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tinyarms_lint.languages import language_for_path
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import Rule, parse_rule

from ..conftest import FIXTURES

LLM_FIXTURES = FIXTURES / "_llm"

SECRETS_RULE = (LLM_FIXTURES / "rules" / "no-hardcoded-secrets.md").read_text(encoding="utf-8")
BUSINESS_RULE = (LLM_FIXTURES / "rules" / "no-business-logic-in-components.md").read_text(encoding="utf-8")


def rule_from(text: str, source: str = "<test>/rule.md", **frontmatter: object) -> Rule:
    """Parse ``text``, replacing or adding top-level frontmatter fields (``threshold=1.5``)."""
    head, _, body = text.partition("\n---\n")
    lines = head.splitlines()
    for key, value in frontmatter.items():
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        lines.append(f"{key}: {value}")
    return parse_rule("\n".join(lines) + "\n---\n" + body, source)


def source(path: str, text: str) -> SourceFile:
    language = language_for_path(path)
    assert language is not None
    return SourceFile.parse(path, language, text.encode("utf-8"))


def test_model() -> Path:
    """The real GGUF named by TINYARMS_TEST_MODEL, or skip with the reason."""
    value = os.environ.get("TINYARMS_TEST_MODEL", "").strip()
    if not value:
        pytest.skip("TINYARMS_TEST_MODEL is not set (path to a small GGUF, e.g. qwen2.5-coder-0.5b-instruct-q4_k_m)")
    path = Path(value)
    if not path.is_file():
        pytest.skip(f"TINYARMS_TEST_MODEL={value} does not exist")
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install 'tinyarms-lint[llm]')")
    return path


test_model.__test__ = False  # type: ignore[attr-defined]
