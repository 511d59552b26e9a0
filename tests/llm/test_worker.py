"""The model in a child process, with the real GGUF (TINYARMS_TEST_MODEL): the same margins as in process,
prefix reuse in the child, the self-test remembered, and real crashes of the real child (the
TINYARMS_TEST_WORKER_CRASH hook: a SIGSEGV through ctypes, a SIGKILL) turned into one line by the CLI,
with the static findings still printed and the exit code right for llm = "auto" and "required"."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from tinyarms_lint.errors import ModelUnavailable
from tinyarms_lint.llm import prompts
from tinyarms_lint.llm.llama import LlamaBackend
from tinyarms_lint.llm.selftest import RECORD_NAME, SelfTestRecord, build_key
from tinyarms_lint.llm.worker import CRASH_ENV, WorkerBackend

from ..conftest import git, run_cli
from .helpers import SECRETS_RULE, rule_from, test_model

pytestmark = pytest.mark.llm

PREFIX = prompts.rule_prefix(rule_from(SECRETS_RULE))
LEAKED = 'File `app/pay.py`, lines 1-2:\n```python\n1 | def client():\n2 |     return Stripe("sk_live_51H8xKJ2eZvKYlo2C0aG5tQ9w")\n```\n'
CLEAN = 'File `app/pay.py`, lines 1-2:\n```python\n1 | def client():\n2 |     return Stripe(os.environ["STRIPE_KEY"])\n```\n'
QUESTION = "\nDoes this code break the rule?<|im_end|>\n<|im_start|>assistant\nAnswer:"


@pytest.fixture(scope="module")
def model() -> Path:
    return test_model()


@pytest.fixture(autouse=True)
def _no_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CRASH_ENV, raising=False)


def _worker(model: Path, cache: Path, **settings: object) -> WorkerBackend:
    return WorkerBackend(model, n_ctx=2048, threads=2, state_dir=cache / "prefix-states", cache_dir=cache, **settings)  # type: ignore[arg-type]


def test_the_child_answers_like_the_model_in_process_and_reuses_the_rule_prefix(model: Path, tmp_path: Path) -> None:
    worker = _worker(model, tmp_path / "cache")
    try:
        leaked = worker.margin(PREFIX, LEAKED + QUESTION)
        assert worker._process is not None and worker._process.pid != os.getpid()
        assert worker.selftest_ran  # a new build on this CPU: tested once, before the first question
        evaluated = worker.prompt_tokens
        clean = worker.margin(PREFIX, CLEAN + QUESTION)
        assert worker.reused_tokens >= len(PREFIX) // 8  # the rule prefix was not evaluated again
        assert worker.prompt_tokens - evaluated < evaluated // 2
        assert worker.count_tokens("hello world") > 0
        value = worker.generate_json(
            PREFIX + CLEAN + "\nAnswer in JSON.<|im_end|>\n<|im_start|>assistant\n",
            {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]},
            16,
        )
        assert value is not None and isinstance(value.get("ok"), bool)
    finally:
        worker.close()
    assert worker._process is None  # the child exited when we hung up
    in_process = LlamaBackend(model, n_ctx=2048, threads=2)
    try:
        assert in_process.margin(PREFIX, LEAKED + QUESTION) == pytest.approx(leaked, abs=1e-3)
        assert in_process.margin(PREFIX, CLEAN + QUESTION) == pytest.approx(clean, abs=1e-3)
    finally:
        in_process.close()
    assert leaked > clean


def test_the_self_test_runs_once_per_build_and_cpu(model: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _worker(model, cache)
    first.load()
    first.close()
    assert first.selftest_ran
    stored = json.loads((cache / RECORD_NAME).read_text())
    assert stored[build_key()]["ok"] is True
    second = _worker(model, cache)
    try:
        assert second.margin(PREFIX, CLEAN + QUESTION) < 50
        assert not second.selftest_ran  # remembered: not run again
    finally:
        second.close()


def test_a_segfault_in_the_self_test_is_one_line_and_remembered(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CRASH_ENV, "segv")  # the child reads address 0 at its first decode: the self-test's
    crashed = _worker(model, cache)
    with pytest.raises(
        ModelUnavailable, match=r"^llama-cpp-python crashed on this CPU \(SIGSEGV\); reinstall with: CMAKE_ARGS="
    ):
        crashed.margin(PREFIX, LEAKED + QUESTION)
    assert "--no-cache-dir" in str(crashed.failure) and "-DGGML_AMX_INT8=OFF" in str(crashed.failure)
    assert crashed._process is None  # reaped
    with pytest.raises(ModelUnavailable, match="SIGSEGV"):  # every later question: at once, no new child
        crashed.margin(PREFIX, CLEAN + QUESTION)
    assert crashed._process is None
    remembered = SelfTestRecord(cache).get(build_key())
    assert remembered is not None and not remembered.ok and remembered.signal == "SIGSEGV"

    monkeypatch.delenv(CRASH_ENV)  # the build is the same: the remembered crash is reported without a child
    later = _worker(model, cache)
    with pytest.raises(ModelUnavailable, match=r"crashed on this CPU \(SIGSEGV\).*self-test of \d{4}-\d\d-\d\d"):
        later.margin(PREFIX, CLEAN + QUESTION)
    assert later._process is None and not later.selftest_ran


def test_an_oom_kill_mid_run_is_named_and_not_remembered(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(
        CRASH_ENV, "kill:4"
    )  # decodes: the self-test, the first question (prefix, rest), then the second
    worker = _worker(model, cache)
    worker.margin(PREFIX, LEAKED + QUESTION)
    with pytest.raises(ModelUnavailable, match=r"killed \(SIGKILL\) while answering, most likely out of memory"):
        worker.margin(PREFIX, CLEAN + QUESTION)
    remembered = SelfTestRecord(cache).get(build_key())
    assert remembered is not None and remembered.ok  # being killed says nothing about the build


def test_the_servers_fallback_runs_in_a_child_too(model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tinyarms_lint.config import Config
    from tinyarms_lint.llm.factory import make_backend
    from tinyarms_lint.llm.remote import RemoteBackend
    from tinyarms_lint.llm.server import ModelServer

    monkeypatch.setenv("TINYARMS_CODE_MODEL", str(model))
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(tmp_path / "cache"))
    server = ModelServer(tmp_path / "cache", idle_timeout=None)
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    remote = make_backend("code", Config(root=tmp_path))
    try:
        assert isinstance(remote, RemoteBackend) and isinstance(remote.fallback, WorkerBackend)
        server.stop()  # the server goes away before the first question
        thread.join(10)
        monkeypatch.setenv(CRASH_ENV, "segv")  # and the fallback's model crashes: one line, this process lives
        with pytest.raises(ModelUnavailable, match=r"crashed on this CPU \(SIGSEGV\)"):
            remote.margin(PREFIX, LEAKED + QUESTION)
        assert not remote.on_server and remote.fallback.failure is not None
    finally:
        remote.close()
        server.stop()


# -- the CLI --------------------------------------------------------------------------------------


def _repo(repo: Path, llm: str) -> None:
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "no-hardcoded-secrets.md").write_text(SECRETS_RULE)
    (repo / "pyproject.toml").write_text(
        f'[tool.tinyarms-lint]\nllm = "{llm}"\nselect = ["no-hardcoded-secrets", "magic-numbers"]\n'
    )
    (repo / "app.py").write_text(
        'import time\n\nKEY = "sk_live_51H8xKJ2eZvKYlo2C0aG5tQ9w"\n\n\ndef wait(job):\n'
        "    if job.tries > 7:\n        time.sleep(1)\n"
    )
    git(repo, "add", "-A")


def _env(model: Path, tmp_path: Path, crash: str = "") -> dict[str, str]:
    return {
        "TINYARMS_CODE_MODEL": str(model),
        "TINYARMS_LANGUAGE_MODEL": "",
        "TINYARMS_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        CRASH_ENV: crash,
    }


STATIC_FINDING = "app.py:7:"  # magic-numbers, decided without a model


@pytest.mark.parametrize("crash", ["segv", "segv:2"])  # in the self-test; at the first real question
def test_cli_auto_prints_the_static_findings_and_one_line_when_the_model_crashes(
    repo: Path, tmp_path: Path, model: Path, crash: str
) -> None:
    _repo(repo, "auto")
    done = run_cli("app.py", cwd=repo, env=_env(model, tmp_path, crash))
    assert done.code == 1, done.stderr  # the static finding decides
    assert STATIC_FINDING in done.stdout and "magic-numbers" in done.stdout
    crashed = [line for line in done.stderr.splitlines() if "SIGSEGV" in line]
    assert len(crashed) == 1, done.stderr
    assert crashed[0].startswith("note: model tier stopped: llama-cpp-python crashed on this CPU (SIGSEGV); reinstall")
    assert "Traceback" not in done.stderr


def test_cli_required_prints_the_static_findings_and_exits_2_when_the_model_crashes(
    repo: Path, tmp_path: Path, model: Path
) -> None:
    _repo(repo, "required")
    done = run_cli("app.py", cwd=repo, env=_env(model, tmp_path, "segv"))
    assert done.code == 2, done.stderr
    assert STATIC_FINDING in done.stdout
    crashed = [line for line in done.stderr.splitlines() if "SIGSEGV" in line]
    assert len(crashed) == 1 and crashed[0].startswith("tinyarms-lint: error: llama-cpp-python crashed on this CPU")

    again = run_cli("app.py", cwd=repo, env=_env(model, tmp_path))  # no crash hook: the remembered self-test
    assert again.code == 2 and STATIC_FINDING in again.stdout
    assert "SIGSEGV" in again.stderr and "self-test of" in again.stderr


def test_cli_a_healthy_model_through_the_child(repo: Path, tmp_path: Path, model: Path) -> None:
    _repo(repo, "required")
    done = run_cli("--format", "json", "app.py", cwd=repo, env=_env(model, tmp_path))
    assert done.code == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["llm_calls"] >= 1
    assert {f["rule"] for f in report["findings"]} >= {"magic-numbers"}


@pytest.mark.parametrize(("llm", "code"), [("required", 2), ("auto", 1)])
def test_cli_truncated_gguf(repo: Path, tmp_path: Path, model: Path, llm: str, code: int) -> None:
    truncated = tmp_path / "truncated.gguf"
    with model.open("rb") as whole:
        truncated.write_bytes(whole.read(3 << 20))  # a download cut short: header and metadata, no weights
    _repo(repo, llm)
    done = run_cli("app.py", cwd=repo, env=_env(truncated, tmp_path))
    assert done.code == code, done.stderr
    assert STATIC_FINDING in done.stdout
    lines = [line for line in done.stderr.splitlines() if "truncated.gguf" in line]
    assert len(lines) == 1, done.stderr
    prefix = "tinyarms-lint: error: " if llm == "required" else "note: model tier stopped: "
    assert lines[0].startswith(prefix + "cannot load model ")


def test_next_token_scores_through_the_child_match_the_model_in_process(model: Path, tmp_path: Path) -> None:
    """The multi-answer question (comment-language's "which language?") is answered through the child too."""
    question = (
        "<|im_start|>user\nWhich language is this comment in: 'Visszaadja a felhasznalo aktiv rendeleseit'?"
        "<|im_end|>\n<|im_start|>assistant\nLanguage:"
    )
    answers = [" English", " Hungarian", " Vietnamese"]
    worker = _worker(model, tmp_path / "cache")
    local = LlamaBackend(model, n_ctx=2048, threads=2)
    try:
        through_child = worker.next_token_scores("", question, answers)
        in_process = local.next_token_scores("", question, answers)
        assert set(through_child) == set(in_process) == set(answers)
        # raw logits (about 15 here): the child's context evaluated other prompts first (the self-test), so
        # float rounding differs slightly; the ranking of the answers must not
        for answer in answers:
            assert through_child[answer] == pytest.approx(in_process[answer], abs=0.25)
        assert sorted(answers, key=through_child.__getitem__) == sorted(answers, key=in_process.__getitem__)
    finally:
        worker.close()
        local.close()
