"""Shared fixtures: real git repositories in tmp dirs and a helper to run the CLI in-process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "fixtures"


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    env.pop("PRE_COMMIT", None)
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Caches (verdicts, the dry index, prefix states) go to a tmp dir, never the user's ~/.cache."""
    previous = os.environ.get("TINYARMS_CACHE_DIR")
    os.environ["TINYARMS_CACHE_DIR"] = str(tmp_path_factory.mktemp("tinyarms-cache"))
    yield
    if previous is None:
        os.environ.pop("TINYARMS_CACHE_DIR", None)
    else:
        os.environ["TINYARMS_CACHE_DIR"] = previous


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository (no commit yet)."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    return path


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None) -> CliResult:
    """Run ``tinyarms-lint`` as a real subprocess (so exit codes and stderr are what users see)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "tinyarms_lint", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,  # the exit code is part of what the tests check
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli() -> Iterator[object]:
    yield run_cli


@pytest.fixture(scope="session")
def test_model_path() -> Path:
    """The real GGUF for model-tier tests (TINYARMS_TEST_MODEL). Skips when absent, except in CI
    (scripts/test.sh sets TINYARMS_REQUIRE_MODEL_TESTS=1 there), where a missing model fails."""
    value = os.environ.get("TINYARMS_TEST_MODEL")
    if not value or not Path(value).is_file():
        if os.environ.get("TINYARMS_REQUIRE_MODEL_TESTS") == "1":
            pytest.fail(f"TINYARMS_TEST_MODEL is not a file: {value!r}")
        pytest.skip("no test model: set TINYARMS_TEST_MODEL=/path/to.gguf (scripts/test.sh fetches one)")
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        if os.environ.get("TINYARMS_REQUIRE_MODEL_TESTS") == "1":
            pytest.fail("llama-cpp-python is not installed")
        pytest.skip("llama-cpp-python is not installed (pip install -e '.[llm]')")
    return Path(value)


class Serve:
    """Runs ``tinyarms-lint`` with one cache directory, and stops any server it started on teardown."""

    def __init__(self, cwd: Path, cache_dir: Path) -> None:
        self.cwd = cwd
        self.cache_dir = cache_dir

    def __call__(self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> CliResult:
        env = {"TINYARMS_CACHE_DIR": str(self.cache_dir), **(env or {})}
        return run_cli(*args, cwd=self.cwd, env=env, stdin=stdin)

    def status(self) -> dict[str, object]:
        result = self("serve", "--status", "--json")
        found: dict[str, object] = json.loads(result.stdout)
        return found

    def shutdown(self) -> None:
        from tinyarms_lint.llm.server import lock_holder

        self("serve", "--stop")
        pid = lock_holder(self.cache_dir)
        if pid:  # pragma: no cover - only when a test left a wedged server behind
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def serve(repo: Path, tmp_path: Path) -> Iterator[Serve]:
    runner = Serve(repo, tmp_path / "cache")
    try:
        yield runner
    finally:
        runner.shutdown()


def process_gone(pid: int) -> bool:
    """True once process ``pid`` has exited (and been reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False
