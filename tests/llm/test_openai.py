"""The OpenAI-compatible backend over real HTTP (a local stdlib server speaking both logprob shapes)."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tinyarms_lint.errors import ModelError
from tinyarms_lint.llm.openai import OpenAIBackend, base_url, margin_from_top, top_logprobs


class _Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any], str | None]] = []
        self.reply: dict[str, Any] = {}
        self.status = 200


@pytest.fixture
def server() -> Iterator[tuple[_Server, str]]:
    state = _Server()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append((self.path, body, self.headers.get("Authorization")))
            data = json.dumps(state.reply).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return None

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_margin_from_legacy_completions_logprobs(server: tuple[_Server, str]) -> None:
    state, url = server
    state.reply = {
        "choices": [
            {
                "text": " yes",
                "logprobs": {"tokens": [" yes"], "top_logprobs": [{" yes": -0.2, " no": -1.9, " Yes": -3.0}]},
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 100}},
    }
    backend = OpenAIBackend(url, "qwen2.5-coder", api_key="k")
    margin = backend.margin("<|im_start|>system\nrule", "question<|im_start|>assistant\nAnswer:")
    expected = math.log(math.exp(-0.2) + math.exp(-3.0)) - (-1.9)
    assert margin == pytest.approx(expected)
    path, body, auth = state.requests[0]
    assert path == "/v1/completions" and auth == "Bearer k"
    assert body["prompt"] == "<|im_start|>system\nrulequestion<|im_start|>assistant\nAnswer:"
    assert (body["max_tokens"], body["temperature"], body["model"]) == (1, 0.0, "qwen2.5-coder")
    assert (backend.prompt_tokens, backend.reused_tokens) == (20, 100)


def test_margin_from_chat_style_logprobs(server: tuple[_Server, str]) -> None:
    state, url = server
    state.reply = {
        "choices": [
            {
                "text": " no",
                "logprobs": {
                    "content": [
                        {
                            "token": " no",
                            "logprob": -0.1,
                            "top_logprobs": [{"token": " no", "logprob": -0.1}, {"token": " yes", "logprob": -2.5}],
                        }
                    ]
                },
            }
        ]
    }
    assert OpenAIBackend(url + "/v1/", "m").margin("p", "s") == pytest.approx(-2.4)


def test_server_without_logprobs_is_a_clear_error(server: tuple[_Server, str]) -> None:
    state, url = server
    state.reply = {"choices": [{"text": " yes", "logprobs": None}]}
    with pytest.raises(ModelError, match="returned no logprobs"):
        OpenAIBackend(url, "m").margin("p", "s")


def test_http_error_and_unreachable_server(server: tuple[_Server, str]) -> None:
    state, url = server
    state.status, state.reply = 404, {"error": "model 'm' not found"}
    with pytest.raises(ModelError, match="answered HTTP 404 on /completions: .*not found"):
        OpenAIBackend(url, "m").margin("p", "s")
    with pytest.raises(ModelError, match="cannot reach model server at http://127.0.0.1:9/v1"):
        OpenAIBackend("http://127.0.0.1:9", "m", timeout=5).margin("p", "s")


def test_generate_json_sends_the_schema(server: tuple[_Server, str]) -> None:
    state, url = server
    state.reply = {"choices": [{"text": '{"quote": "x = 1", "message": "Name it."}'}]}
    schema = {"type": "object", "properties": {"quote": {"type": "string"}}}
    assert OpenAIBackend(url, "m").generate_json("prompt", schema, 64) == {"quote": "x = 1", "message": "Name it."}
    body = state.requests[0][1]
    assert body["response_format"]["json_schema"]["schema"] == schema and body["max_tokens"] == 64
    state.reply = {"choices": [{"text": "not json"}]}
    assert OpenAIBackend(url, "m").generate_json("prompt", schema, 64) is None


def test_answer_missing_from_top_k_uses_the_floor_as_a_bound() -> None:
    assert margin_from_top({" no": -0.1, "The": -3.0, " maybe": -4.0}) == pytest.approx(-3.9)
    assert margin_from_top({" yes": -0.5, "The": -2.0}) == pytest.approx(1.5)
    assert margin_from_top({"The": -0.5}) == 0.0


def test_helpers() -> None:
    assert base_url("http://h:8080") == "http://h:8080/v1"
    assert base_url("http://h:8080/v1/") == "http://h:8080/v1"
    assert top_logprobs({"logprobs": {"top_logprobs": [None]}}) is None
