"""``tinyarms-lint serve`` as users run it: real background processes, real sockets, a real git repository;
and, with a real GGUF, the CLI's verdicts through the server against in-process verdicts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tinyarms_lint.llm.server import MAX_SOCKET_PATH, lock_holder, socket_path

from ..conftest import FIXTURES, PROJECT, CliResult, Serve, git, process_gone

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="unix sockets only")


def test_serve_starts_a_background_server_and_stops_it(serve: Serve) -> None:
    started = time.monotonic()
    result = serve("serve")
    assert result.code == 0, result.stderr
    assert time.monotonic() - started < 10  # returned: the server runs on in the background
    status = serve.status()
    pid = status["pid"]
    assert isinstance(pid, int) and pid != os.getpid()
    assert result.stdout.startswith(f"started the server (pid {pid}) on {serve.cache_dir / 'server.sock'}")
    assert status["loads"] == 0 and status["models"] == []  # nothing is loaded before a question
    assert status["idle_timeout_s"] == 30 * 60
    sock = serve.cache_dir / "server.sock"
    assert stat.S_IMODE(sock.lstat().st_mode) == 0o600
    assert stat.S_IMODE(serve.cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((serve.cache_dir / "server.log").stat().st_mode) == 0o600

    text = serve("serve", "--status")
    assert text.code == 0
    assert text.stdout.splitlines()[0] == f"server running: pid {pid}, tinyarms-lint {status['tool']}"

    again = serve("serve")
    assert again.code == 0 and again.stdout == f"a server is already running (pid {pid}) on {sock}\n"

    stopped = serve("serve", "--stop")
    assert stopped.code == 0 and stopped.stdout == f"stopped the server (pid {pid})\n"
    assert not sock.exists()
    assert lock_holder(serve.cache_dir) is None
    deadline = time.monotonic() + 10
    while not process_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(pid)
    after = serve("serve", "--status")
    assert after.code == 1 and after.stdout == f"no server running for {serve.cache_dir}\n"
    assert serve("serve", "--stop").stdout == f"no server running for {serve.cache_dir}\n"


def test_foreground_server_refuses_when_one_is_running(serve: Serve) -> None:
    assert serve("serve").code == 0
    pid = serve.status()["pid"]
    second = serve("serve", "--foreground")
    assert second.code == 2
    assert second.stderr.strip() == (
        f"tinyarms-lint: error: a model server is already running for {serve.cache_dir} (pid {pid})"
    )
    assert serve.status()["pid"] == pid


def test_idle_timeout_ends_the_server(serve: Serve) -> None:
    assert serve("serve", "--idle-timeout", "0.02").code == 0  # 1.2 s
    status = serve.status()
    assert status["idle_timeout_s"] == pytest.approx(1.2)
    deadline = time.monotonic() + 20
    while lock_holder(serve.cache_dir) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert lock_holder(serve.cache_dir) is None
    assert not (serve.cache_dir / "server.sock").exists()
    log = (serve.cache_dir / "server.log").read_text()
    assert "idle for 1.2 s: exiting after" in log


def test_stale_socket_from_a_killed_server(serve: Serve) -> None:
    assert serve("serve").code == 0
    pid = serve.status()["pid"]
    assert isinstance(pid, int)
    os.kill(pid, signal.SIGKILL)  # no clean-up at all: the socket file stays behind
    deadline = time.monotonic() + 10
    while lock_holder(serve.cache_dir) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (serve.cache_dir / "server.sock").exists()
    result = serve("serve", "--status")
    assert result.code == 1 and result.stdout == f"no server running for {serve.cache_dir}\n"
    restarted = serve("serve")
    assert restarted.code == 0 and restarted.stdout.startswith("started the server")
    assert serve.status()["pid"] != pid


def test_sigterm_stops_cleanly(serve: Serve) -> None:
    assert serve("serve").code == 0
    pid = serve.status()["pid"]
    assert isinstance(pid, int)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while lock_holder(serve.cache_dir) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (serve.cache_dir / "server.sock").exists()


def test_long_cache_directory(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / ("a-cache-directory-with-a-long-name-" * 3) / "tinyarms-lint"
    assert len(os.fsencode(cache / "server.sock")) > MAX_SOCKET_PATH
    runner = Serve(repo, cache)
    try:
        result = runner("serve")
        assert result.code == 0, result.stderr
        short = socket_path(cache)
        assert result.stdout.startswith(f"started the server (pid {runner.status()['pid']}) on {short}")
        assert stat.S_IMODE(short.lstat().st_mode) == 0o600
        assert stat.S_IMODE(short.parent.stat().st_mode) == 0o700
    finally:
        runner.shutdown()
    assert not short.exists()


def test_usage_errors(serve: Serve) -> None:
    both = serve("serve", "--stop", "--status")
    assert both.code == 2 and "--stop and --status do not go together" in both.stderr
    assert serve("serve", "--idle-timeout", "-1").code == 2
    assert lock_holder(serve.cache_dir) is None


# -- with the real model --------------------------------------------------------------------------

RULES = "magic-numbers,hardcoded-colors"


def _commit_repo(repo: Path) -> list[str]:
    """The standard bench commit (bench/commit/) staged on fixtures/demo in ``repo``."""
    shutil.copytree(FIXTURES / "demo", repo, dirs_exist_ok=True)
    # the bundled rules ship with their model tier off; the team turns it on for the ambiguous candidates
    (repo / ".tinyarms.toml").write_text("[rules.magic-numbers]\nllm = true\n\n[rules.hardcoded-colors]\nllm = true\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "demo", "--no-verify")
    targets = {
        "PriceTag.tsx": "src/components/PriceTag.tsx",
        "checkout.scss": "src/styles/checkout.scss",
        "billing.py": "app/billing.py",
    }
    for name, dest in targets.items():
        shutil.copyfile(PROJECT / "bench" / "commit" / name, repo / dest)
    git(repo, "add", "-A")
    return list(targets.values())


def _tree_peak_mb(pid: int) -> float:
    """The largest VmHWM (peak resident memory, MB) among ``pid`` and its descendants right now.

    VmHWM belongs to the process's own memory since its exec; wait4's ru_maxrss does not do here: a child
    forked from this test process starts from the test process's own peak (tests that loaded a model in
    process made every later child look model-sized)."""
    peak = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
        todo.extend(int(child) for child in children)
    return peak


def _run_measured(*args: str, cwd: Path, env: dict[str, str]) -> tuple[CliResult, float]:
    """Run the CLI like run_cli, and also return the peak resident memory (MB) of its process tree,
    sampled every 50 ms (a model load takes seconds, so it cannot slip between samples)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    full_env.update(env)
    peak = 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "tinyarms_lint", *args], cwd=cwd, env=full_env, stdout=out, stderr=err
        )
        while child.poll() is None:
            peak = max(peak, _tree_peak_mb(child.pid))
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        result = CliResult(child.returncode, out.read().decode(), err.read().decode())
    return result, peak


def _verdicts(result: CliResult) -> tuple[list[tuple[str, int, str]], dict[str, object]]:
    report = json.loads(result.stdout)
    findings = sorted((f["path"], f["line"], f["rule"]) for f in report["findings"])
    return findings, report["summary"]


@pytest.mark.llm
def test_verdicts_through_the_server_equal_in_process(repo: Path, tmp_path: Path, test_model_path: Path) -> None:
    files = _commit_repo(repo)
    args = ("--staged", "--select", RULES, "--format", "json", *files)
    cache = tmp_path / "cache"
    env = {"TINYARMS_CODE_MODEL": str(test_model_path), "TINYARMS_CACHE_DIR": str(cache)}
    model_mb = test_model_path.stat().st_size / (1 << 20)
    runner = Serve(repo, cache)

    in_process, peak = _run_measured(*args, cwd=repo, env=env)  # no server: the model is loaded in the CLI
    assert in_process.code == 1, in_process.stderr
    expected, alone = _verdicts(in_process)
    assert alone["llm_calls"], "the commit must send at least one question to the model"
    assert peak > 0.8 * model_mb  # the weights were read into this process
    # forget the verdicts (not the rule prefixes' evaluated states on disk, which only save time)
    assert runner("cache", "clear").code == 0
    try:
        assert runner("serve").code == 0
        for run in (1, 2):
            served, served_peak = _run_measured(*args, cwd=repo, env=env)
            assert served.code == 1, served.stderr
            findings, stats = _verdicts(served)
            assert findings == expected
            assert (stats["llm_calls"], stats["cache_hits"]) == (alone["llm_calls"], 0)
            assert served_peak < 0.5 * model_mb  # the CLI asked the server and loaded no model itself
            status = runner.status()
            assert status["loads"] == 1  # the second run did not load the model again
            models = status["models"]
            assert isinstance(models, list) and models[0]["path"] == str(test_model_path.resolve())
            assert models[0]["questions"] == run * alone["llm_calls"]  # type: ignore[operator]
            assert runner("cache", "clear").code == 0  # so the next run asks the model again
    finally:
        runner.shutdown()
