"""The OpenAI-compatible backend: llama-server, vLLM, Ollama or any server with ``/v1/completions``.

Prompts are sent as raw text to ``/v1/completions`` (already in the model's chat template, so every
backend sees the same bytes). The margin comes from ``logprobs`` of a one-token completion; a server that
returns none is an error that says so. Uses only the standard library (urllib).
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
from typing import Any

from ..errors import ModelError
from .backend import NO_ANSWERS, YES_ANSWERS, answer_margin, logsumexp

TOP_LOGPROBS = 10
TIMEOUT_SECONDS = 120.0
# (path, request field) of the tokenizer endpoints: llama-server, then llama-cpp-python's server
_TOKENIZE_ENDPOINTS = (("/tokenize", "content"), ("/extras/tokenize", "input"))


def first_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object a completion holds: the whole text, or the first ``{...}`` in it (servers without
    schema-constrained completions, such as llama-cpp-python's, may wrap it in a code fence)."""
    try:
        value = json.loads(text)
    except ValueError:
        start = text.find("{")
        if start < 0:
            return None
        try:
            value, _ = json.JSONDecoder().raw_decode(text, start)
        except (ValueError, RecursionError):
            return None
    except RecursionError:
        return None
    return value if isinstance(value, dict) else None


def base_url(url: str) -> str:
    """``http://host:8080`` or ``http://host:8080/v1/`` → ``http://host:8080/v1``."""
    url = url.strip().rstrip("/")
    return url if url.endswith("/v1") else url + "/v1"


def top_logprobs(choice: dict[str, Any]) -> dict[str, float] | None:
    """The first generated token's alternatives as {token text: logprob}, in either response shape:
    the legacy completions one (``top_logprobs: [{token: logprob}]``, vLLM, OpenAI) or the chat-style one
    (``content: [{token, logprob, top_logprobs: [{token, logprob}]}]``, newer llama-server)."""
    logprobs = choice.get("logprobs")
    if not isinstance(logprobs, dict):
        return None
    legacy = logprobs.get("top_logprobs")
    if isinstance(legacy, list) and legacy and isinstance(legacy[0], dict):
        return {str(k): float(v) for k, v in legacy[0].items() if isinstance(v, (int, float))}
    content = logprobs.get("content")
    if isinstance(content, list) and content and isinstance(content[0], dict):
        first = content[0]
        out: dict[str, float] = {}
        for item in first.get("top_logprobs") or []:
            if isinstance(item, dict) and isinstance(item.get("logprob"), (int, float)):
                out[str(item.get("token"))] = float(item["logprob"])
        if isinstance(first.get("logprob"), (int, float)):
            out.setdefault(str(first.get("token")), float(first["logprob"]))
        return out or None
    return None


def margin_from_top(top: dict[str, float]) -> float:
    """The yes/no margin from a top-k list. A spelling missing from the list is at most as likely as the
    least likely one listed, so that bound stands in for it (the margin is then a bound, not exact)."""
    yes = {t: top[t] for t in YES_ANSWERS if t in top}
    no = {t: top[t] for t in NO_ANSWERS if t in top}
    if yes and no:
        return answer_margin(top)
    floor = min(top.values()) if top else -math.inf
    if not yes and not no:
        return 0.0
    if not yes:
        return floor - logsumexp(no.values())
    return logsumexp(yes.values()) - floor


class OpenAIBackend:
    """A model behind an OpenAI-compatible HTTP API."""

    def __init__(self, url: str, model: str, *, api_key: str | None = None, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = base_url(url)
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.prompt_tokens = 0
        self.reused_tokens = 0
        self.generated_tokens = 0
        self._tokenize_endpoint: tuple[str, str] | None = None

    def identity(self) -> str:
        return f"openai|{self.model}|{self.url}"

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{self.url}{path}", data=data, method="POST")
        request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
            raise ModelError(f"model server {self.url} answered HTTP {exc.code} on {path}: {detail}") from exc
        except urllib.error.URLError as exc:
            raise ModelError(f"cannot reach model server at {self.url}: {exc.reason}") from exc
        except (OSError, ValueError) as exc:
            raise ModelError(f"bad answer from model server {self.url}: {exc}") from exc
        if not isinstance(payload, dict):
            raise ModelError(f"bad answer from model server {self.url}: not a JSON object")
        return payload

    def _count_usage(self, payload: dict[str, Any]) -> None:
        usage = payload.get("usage")
        if not isinstance(usage, dict):
            return
        prompt = int(usage.get("prompt_tokens") or 0)
        details = usage.get("prompt_tokens_details")
        cached = int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0
        self.prompt_tokens += max(0, prompt - cached)
        self.reused_tokens += cached
        self.generated_tokens += int(usage.get("completion_tokens") or 0)

    def _choice(self, payload: dict[str, Any]) -> dict[str, Any]:
        choices = payload.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise ModelError(f"bad answer from model server {self.url}: no choices")
        return choices[0]

    def margin(self, prefix: str, suffix: str) -> float:
        payload = self._post(
            "/completions",
            {
                "model": self.model,
                "prompt": prefix + suffix,
                "max_tokens": 1,
                "temperature": 0.0,
                "logprobs": TOP_LOGPROBS,
                "cache_prompt": True,  # llama-server: keep the shared prefix's KV cache
            },
        )
        self._count_usage(payload)
        top = top_logprobs(self._choice(payload))
        if top is None:
            raise ModelError(
                f"model server {self.url} returned no logprobs for /v1/completions; the model tier needs a "
                "server that supports them (llama-server, vLLM)"
            )
        return margin_from_top(top)

    def generate_json(self, prompt: str, schema: dict[str, Any], max_tokens: int) -> dict[str, Any] | None:
        payload = self._post(
            "/completions",
            {
                "model": self.model,
                "prompt": prompt,
                "max_tokens": max_tokens,
                "temperature": 0.0,
                "response_format": {"type": "json_schema", "json_schema": {"name": "finding", "schema": schema}},
                "json_schema": schema,  # llama-server's own field
                "cache_prompt": True,
            },
        )
        self._count_usage(payload)
        text = self._choice(payload).get("text")
        return first_json_object(text) if isinstance(text, str) else None

    def count_tokens(self, text: str) -> int:
        """Token count from the server: llama-server's ``/tokenize`` or llama-cpp-python's
        ``/extras/tokenize``; where neither answers, an upper-bound estimate (one token per two bytes
        of UTF-8), since counts only size a translation's token budget."""
        root = self.url[: -len("/v1")]
        endpoints = [self._tokenize_endpoint] if self._tokenize_endpoint else list(_TOKENIZE_ENDPOINTS)
        for path, field in endpoints:
            request = urllib.request.Request(
                f"{root}{path}", data=json.dumps({field: text}).encode("utf-8"), method="POST"
            )
            request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    payload = json.loads(response.read().decode("utf-8"))
            except (OSError, ValueError):
                continue
            tokens = payload.get("tokens") if isinstance(payload, dict) else None
            if isinstance(tokens, list):
                self._tokenize_endpoint = (path, field)
                return len(tokens)
        return max(1, len(text.encode("utf-8")) // 2)

    def close(self) -> None:
        return None
