"""The ``openai`` backend against a real OpenAI-compatible server: llama-cpp-python's own
(``python -m llama_cpp.server``) with the test GGUF, shared by several concurrent linter processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinyarms_lint.llm.llama import LlamaBackend
from tinyarms_lint.llm.openai import OpenAIBackend

from ..conftest import git, run_cli
from .helpers import test_model
from .test_integration import BASE, TEAM_RULE, VIOLATING

pytestmark = pytest.mark.llm

YES_PROMPT = "<|im_start|>user\nIs 7 a prime number? Answer yes or no.<|im_end|>\n<|im_start|>assistant\n"
NO_PROMPT = "<|im_start|>user\nIs 8 a prime number? Answer yes or no.<|im_end|>\n<|im_start|>assistant\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama-cpp-python server on a loopback port, loaded with the test model (its log in a file:
    an unread pipe would fill up and stall the server)."""
    pytest.importorskip("uvicorn", reason="llama-cpp-python[server] is not installed (the dev extra has it)")
    model = test_model()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port)]
        + ["--n_ctx", "4096", "--model_alias", "test-model"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/v1/models", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_bytes().decode("utf-8", "replace")[-2000:]
                    pytest.fail(f"llama_cpp.server did not start: {tail}")
                time.sleep(0.5)
        yield f"{url}/v1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_margins_from_the_server_match_the_in_process_model(server_url: str) -> None:
    remote = OpenAIBackend(server_url, "test-model")
    local = LlamaBackend(test_model(), n_ctx=4096)
    try:
        for prompt in (YES_PROMPT, NO_PROMPT):
            assert remote.margin(prompt, "") == pytest.approx(local.margin(prompt, ""), abs=0.1)
        assert remote.count_tokens("def total(items):\n    return sum(items)\n") == local.count_tokens(
            "def total(items):\n    return sum(items)\n"
        )
    finally:
        local.close()


def test_json_answers_come_back_as_objects(server_url: str) -> None:
    remote = OpenAIBackend(server_url, "test-model")
    prompt = (
        "<|im_start|>user\nTranslate to English and answer as JSON {\"translation\": \"...\"}: "
        "'Visszaadja a rendeléseket.'<|im_end|>\n<|im_start|>assistant\n"
    )
    schema = {"type": "object", "properties": {"translation": {"type": "string"}}, "required": ["translation"]}
    answer = remote.generate_json(prompt, schema, 40)
    assert isinstance(answer, dict) and isinstance(answer.get("translation"), str)


def _team_repo(repo: Path, url: str) -> None:
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "no-debug-prints.md").write_text(TEAM_RULE.format(threshold=0.0))
    (repo / ".tinyarms.toml").write_text(
        f'[models]\nbackend = "openai"\nurl = "{url}"\ncode = "test-model"\n', encoding="utf-8"
    )
    (repo / "shop").mkdir()
    for index in range(6):
        body = VIOLATING if index % 2 else BASE
        (repo / "shop" / f"module_{index}.py").write_text(body.replace("apply_discount", f"apply_{index}"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "shop")


def test_concurrent_shards_share_one_server(repo: Path, tmp_path: Path, server_url: str) -> None:
    _team_repo(repo, server_url)
    args = ("--all", "--format", "json", "--select", "no-debug-prints")

    def env(name: str) -> dict[str, str]:
        return {"TINYARMS_CACHE_DIR": str(tmp_path / name), "XDG_CACHE_HOME": str(tmp_path / "xdg")}

    whole = run_cli(*args, cwd=repo, env=env("whole"))
    assert whole.code in (0, 1), whole.stderr
    expected = json.loads(whole.stdout)
    # the three modules with a print() are asked about (the rule's relevance test skips the others)
    assert expected["summary"]["llm_calls"] >= 3 and "model tier skipped" not in whole.stderr

    shards = [
        subprocess.Popen(
            [sys.executable, "-m", "tinyarms_lint", *args, "--shard", f"{i}/3"],
            cwd=repo,
            env={**_clean_env(), **env(f"shard{i}")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2, 3)
    ]
    outputs = [process.communicate(timeout=600) for process in shards]
    assert all(process.returncode in (0, 1) for process in shards), [err for _, err in outputs]
    findings = sorted(
        (f["path"], f["line"], f["rule"]) for out, _ in outputs for f in json.loads(out)["findings"]
    )
    assert findings == sorted((f["path"], f["line"], f["rule"]) for f in expected["findings"])
    assert sum(json.loads(out)["summary"]["llm_calls"] for out, _ in outputs) == expected["summary"]["llm_calls"]


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
