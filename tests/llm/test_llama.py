"""The llama-cpp backend with a real GGUF (TINYARMS_TEST_MODEL): margins, prefix reuse in memory and on
disk, token counters, constrained JSON and the context limit."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tinyarms_lint.llm import prompts
from tinyarms_lint.llm.llama import LlamaBackend, PromptTooLong
from tinyarms_lint.llm.models import identity

from .helpers import SECRETS_RULE, rule_from, test_model

pytestmark = pytest.mark.llm

PREFIX = prompts.rule_prefix(rule_from(SECRETS_RULE))
LEAKED = 'File `app/pay.py`, lines 1-2:\n```python\n1 | def client():\n2 |     return Stripe("sk_live_51H8xKJ2eZvKYlo2C0aG5tQ9w")\n```\n'
CLEAN = 'File `app/pay.py`, lines 1-2:\n```python\n1 | def client():\n2 |     return Stripe(os.environ["STRIPE_KEY"])\n```\n'
QUESTION = "\nDoes this code break the rule?<|im_end|>\n<|im_start|>assistant\nAnswer:"


@pytest.fixture(scope="module")
def model() -> Path:
    return test_model()


@pytest.fixture(scope="module")
def backend(model: Path) -> LlamaBackend:
    return LlamaBackend(model, n_ctx=2048, threads=2)


def test_margin_is_finite_and_identity_matches_the_file(backend: LlamaBackend, model: Path) -> None:
    margin = backend.margin(PREFIX, LEAKED + QUESTION)
    assert math.isfinite(margin)
    assert backend.identity() == identity(model)


def test_reused_prefix_gives_the_same_margin_as_a_fresh_context(backend: LlamaBackend, model: Path) -> None:
    backend.margin(PREFIX, LEAKED + QUESTION)
    before_prompt, before_reused = backend.prompt_tokens, backend.reused_tokens
    reused = backend.margin(PREFIX, CLEAN + QUESTION)
    prefix_tokens = len(backend.tokens(PREFIX))
    suffix_tokens = backend.count_tokens(CLEAN + QUESTION)
    assert backend.reused_tokens - before_reused >= prefix_tokens  # the rule prefix was not evaluated again
    assert backend.prompt_tokens - before_prompt <= suffix_tokens
    fresh = LlamaBackend(model, n_ctx=2048, threads=2)
    try:
        assert fresh.margin(PREFIX, CLEAN + QUESTION) == pytest.approx(reused, abs=0.05)
    finally:
        fresh.close()


def test_prefix_state_is_stored_and_restored_from_disk(model: Path, tmp_path: Path) -> None:
    first = LlamaBackend(model, n_ctx=2048, threads=2, state_dir=tmp_path)
    expected = first.margin(PREFIX, LEAKED + QUESTION)
    prefix_tokens = len(first.tokens(PREFIX))
    first.close()
    stored = list(tmp_path.glob("*.kv"))
    assert len(stored) == 1 and stored[0].stat().st_mode & 0o077 == 0
    second = LlamaBackend(model, n_ctx=2048, threads=2, state_dir=tmp_path)
    try:
        assert second.margin(PREFIX, LEAKED + QUESTION) == pytest.approx(expected, abs=0.05)
        total = prefix_tokens + second.count_tokens(LEAKED + QUESTION)
        assert second.prompt_tokens <= total - prefix_tokens  # the prefix came from disk
    finally:
        second.close()


def test_generate_json_follows_the_schema(backend: LlamaBackend) -> None:
    schema = {
        "type": "object",
        "properties": {"verdict": {"enum": ["leaked", "clean"]}, "line": {"type": "integer"}},
        "required": ["verdict", "line"],
        "additionalProperties": False,
    }
    prompt = PREFIX + LEAKED + '\nReply with JSON: "verdict" and the "line" number.<|im_end|>\n<|im_start|>assistant\n'
    before = backend.generated_tokens
    answer = backend.generate_json(prompt, schema, 24)
    assert answer is not None, "the grammar guarantees JSON unless max_tokens cut it off"
    assert set(answer) == {"verdict", "line"}
    assert answer["verdict"] in ("leaked", "clean") and isinstance(answer["line"], int)
    assert 0 < backend.generated_tokens - before <= 24


def test_prompt_longer_than_the_context_is_refused(model: Path) -> None:
    small = LlamaBackend(model, n_ctx=256, threads=2)
    try:
        with pytest.raises(PromptTooLong, match="does not fit the context of 256"):
            small.margin(PREFIX, LEAKED * 20 + QUESTION)
    finally:
        small.close()
