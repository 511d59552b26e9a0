"""The entry point hands checks to a running ``tinyarms-lint serve`` (a real background server, real git
repositories, the CLI as a real subprocess) and falls back to running them itself."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tinyarms_lint import forked_runs, launcher
from tinyarms_lint.llm import server

from .conftest import CliResult, Serve, git, process_gone

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or not hasattr(os, "fork"), reason="posix only")

MAGIC = "def fee(amount):\n    return amount * 0.029 + 30\n"


def _staged(repo: Path) -> None:
    (repo / "app").mkdir()
    (repo / "app" / "billing.py").write_text("def fee(amount):\n    return amount\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "app" / "billing.py").write_text(MAGIC, encoding="utf-8")
    git(repo, "add", "-A")


def _report(result: CliResult) -> tuple[int, str, str]:
    """What a user sees, without the timing the summary line ends with."""
    return result.code, re.sub(r" \[\d+ ms\]", "", result.stdout), result.stderr


def _runs(serve: Serve) -> object:
    return serve.status().get("runs")


def _started(serve: Serve) -> None:
    result = serve("serve")
    assert result.code == 0, result.stderr
    assert _runs(serve) == 0


def test_protocol_versions_agree() -> None:
    assert launcher.PROTOCOL_VERSION == server.PROTOCOL_VERSION


def test_every_sub_command_but_check_runs_here() -> None:
    from tinyarms_lint import cli

    commands = set(cli._LAZY_COMMANDS) | set(cli.main.commands)
    assert commands - {"check"} <= launcher._NOT_A_CHECK
    assert "check" not in launcher._NOT_A_CHECK


def test_a_check_run_by_the_server_reports_what_it_would_report_here(repo: Path, serve: Serve) -> None:
    _staged(repo)
    here = serve("--staged", "--no-llm", env={"TINYARMS_NO_SERVER": "1"})
    assert here.code == 1 and "magic-numbers" in here.stdout
    _started(serve)
    there = serve("--staged", "--no-llm")
    assert _report(there) == _report(here)
    assert _runs(serve) == 1
    as_json = serve("--staged", "--no-llm", "--format", "json")
    assert as_json.code == 1 and '"magic-numbers"' in as_json.stdout
    assert _runs(serve) == 2


def test_stdin_and_relative_paths_from_a_subdirectory(repo: Path, serve: Serve) -> None:
    _staged(repo)
    _started(serve)
    inside = Serve(repo / "app", serve.cache_dir)
    result = inside("--no-llm", "--stdin-filename", "billing.py", stdin=MAGIC)
    assert result.code == 1, result.stderr
    assert result.stdout.startswith("app/billing.py:2:")
    assert _runs(serve) == 1
    assert inside("--no-llm", "billing.py").stdout.startswith("app/billing.py:2:")  # the cwd went along
    assert _runs(serve) == 2


def test_other_commands_and_the_opt_out_run_here(repo: Path, serve: Serve) -> None:
    _staged(repo)
    _started(serve)
    assert serve("rules", "list").code == 0
    assert serve("--staged", "--no-llm", env={"TINYARMS_NO_SERVER": "1"}).code == 1
    assert _runs(serve) == 0


def test_ctrl_c_reaches_the_run(repo: Path, serve: Serve) -> None:
    _started(serve)
    client = _client(repo, serve, "--no-llm", "--stdin-filename", "x.py")  # waits for stdin that never ends
    try:
        _wait_for(lambda: _runs(serve) == 1)
        client.send_signal(signal.SIGINT)
        _, err = client.communicate(timeout=30)
    finally:
        client.kill()
    assert client.returncode == 130
    assert "tinyarms-lint: interrupted" in err


def test_a_server_that_stops_during_a_run_is_an_error(repo: Path, serve: Serve) -> None:
    _started(serve)
    pid = serve.status()["pid"]
    assert isinstance(pid, int)
    client = _client(repo, serve, "--no-llm", "--stdin-filename", "x.py")
    try:
        _wait_for(lambda: _runs(serve) == 1)
        os.kill(pid, signal.SIGKILL)
        _, err = client.communicate(MAGIC, timeout=30)  # the orphaned run finishes; the client cannot know how
    finally:
        client.kill()
    assert client.returncode == 2
    assert "the server stopped during the run" in err


def test_stopping_the_server_lets_a_running_check_finish(repo: Path, serve: Serve) -> None:
    _started(serve)
    client = _client(repo, serve, "--no-llm", "--stdin-filename", "x.py")
    try:
        _wait_for(lambda: _runs(serve) == 1)
        env = {**os.environ, "TINYARMS_CACHE_DIR": str(serve.cache_dir)}
        command = [sys.executable, "-m", "tinyarms_lint", "serve", "--stop"]
        stopper = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, text=True)
        _wait_for(lambda: not server.socket_path(serve.cache_dir).exists())  # stopping: no new connections
        out, _ = client.communicate(MAGIC, timeout=30)
        stopped, _ = stopper.communicate(timeout=30)
    finally:
        client.kill()
    assert client.returncode == 1 and out.startswith("x.py:2:")  # the check's own result, not an error
    assert stopped.startswith("stopped the server")


def test_a_server_whose_files_changed_refuses_and_stops(repo: Path, serve: Serve) -> None:
    _staged(repo)
    _started(serve)
    pid = serve.status()["pid"]
    source = Path(launcher.__file__)
    before = source.stat()
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    try:
        result = serve("--staged", "--no-llm")
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert result.code == 1 and "magic-numbers" in result.stdout  # run here instead
    _wait_for(lambda: serve("serve", "--status").code == 1)
    assert isinstance(pid, int)
    _wait_for(lambda: process_gone(pid))


def test_warm_starts_a_server_for_the_checks_after(repo: Path, serve: Serve) -> None:
    _staged(repo)
    first = serve("--staged", "--no-llm", "--warm")
    assert first.code == 1 and "magic-numbers" in first.stdout
    _wait_for(lambda: serve("serve", "--status").code == 0)
    assert _runs(serve) == 0
    second = serve("--staged", "--no-llm", "--warm")
    assert _report(second) == _report(first)
    assert _runs(serve) == 1


def test_a_run_request_from_another_version_is_refused(repo: Path, serve: Serve) -> None:
    _started(serve)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(server.socket_path(serve.cache_dir)))
    request = launcher._request(["--no-llm"]).replace(b'"tool":"', b'"tool":"0.0.0-')
    socket.send_fds(sock, [request], [0, 1, 2])
    answer = sock.makefile("rb").readline()
    sock.close()
    assert b'"error":"refused"' in answer and b"runs tinyarms-lint" in answer
    assert _runs(serve) == 0


def test_the_cache_dir_is_found_as_the_cli_finds_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tinyarms_lint.cache import default_cache_dir
    from tinyarms_lint.config import load_config

    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "src").mkdir()
    monkeypatch.chdir(root / "src")
    monkeypatch.delenv("TINYARMS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert launcher.server_cache_dir() == str(tmp_path / "xdg" / "tinyarms-lint")
    (root / "pyproject.toml").write_text('[tool.tinyarms-lint]\ncache_dir = ".lint-cache"\n', encoding="utf-8")
    expected = default_cache_dir(load_config(root).cache_dir, root)
    assert launcher.server_cache_dir() == str(expected) == str(root / ".lint-cache")
    monkeypatch.setenv("TINYARMS_CACHE_DIR", "rel")
    assert launcher.server_cache_dir() == str(root / "rel")
    (root / "pyproject.toml").write_text("[tool.tinyarms-lint\ncache_dir = 1\n", encoding="utf-8")
    monkeypatch.delenv("TINYARMS_CACHE_DIR")
    assert launcher.server_cache_dir() is None  # a config this module cannot read: run here


def test_the_warm_up_leaves_the_process_as_it_found_it(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from tinyarms_lint.forked_runs import warm_up\n"
        "before = (os.getcwd(), dict(os.environ), sys.stdout)\n"
        "warm_up()\n"
        "assert (os.getcwd(), dict(os.environ), sys.stdout) == before\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tinyarms_lint.detectors.', 'tree_sitter_'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    loaded = done.stdout
    for module in ("magic_numbers", "colors", "dry", "i18n_strings", "comment_language", "locale_consistency"):
        assert f"tinyarms_lint.detectors.{module}" in loaded
    for grammar in ("python", "typescript", "javascript", "css", "scss", "json", "yaml"):
        assert f"tree_sitter_{grammar}" in loaded
    assert list(tmp_path.iterdir()) == []


def test_a_run_ended_by_a_signal_reports_128_plus_the_signal() -> None:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.kill(os.getpid(), signal.SIGKILL)
    assert forked_runs.wait(pid) == 128 + signal.SIGKILL


def test_bad_run_requests_are_refused() -> None:
    good = {"argv": [], "cwd": "/", "env": {}, "umask": 0o22, "encoding": "utf-8", "errors": "strict"}
    forked_runs.check_request(good, [3, 4, 5])
    for bad in ({"argv": "x"}, {"cwd": "relative"}, {"env": {"A": 1}}, {"umask": -1}, {"encoding": None}):
        with pytest.raises(forked_runs.RunRefused):
            forked_runs.check_request({**good, **bad}, [3, 4, 5])
    with pytest.raises(forked_runs.RunRefused):
        forked_runs.check_request(good, [3])


def _client(repo: Path, serve: Serve, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env["TINYARMS_CACHE_DIR"] = str(serve.cache_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "tinyarms_lint", *args],
        cwd=repo,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: object, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
