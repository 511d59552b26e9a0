"""A real ``pre-commit`` run: the hook is installed from a snapshot of this checkout into a tmp repo.

Slow (pre-commit builds the hook's virtualenv once per session), but it is the user's path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import PROJECT, Serve, git

# the pre-commit installed beside this interpreter (the venv's), else one on PATH
_BESIDE = Path(sys.executable).parent / "pre-commit"
PRE_COMMIT = str(_BESIDE) if _BESIDE.is_file() else shutil.which("pre-commit")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit not installed")

_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    ".pytest_cache",
    "bench",
    "node_modules",
    ".mypy_cache",
    ".ruff_cache",
)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout (working tree, uncommitted changes included) committed into a tmp repository."""
    snapshot = tmp_path_factory.mktemp("hook-src") / "tinyarms-lint"
    shutil.copytree(PROJECT, snapshot, ignore=_IGNORE)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "commit.gpgsign=false", "commit", "-qm", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="T",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="T",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    return env


def _commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-m", "change"], check=False, cwd=repo, env=_env(home), capture_output=True, text=True
    )


@pytest.fixture
def hooked(repo: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> Path:
    source, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: tinyarms-lint\n"
    )
    (repo / "README.md").write_text("demo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")
    subprocess.run([str(PRE_COMMIT), "install"], cwd=repo, env=_env(pre_commit_home), check=True, capture_output=True)
    return repo


def test_commit_blocked_then_allowed(hooked: Path, pre_commit_home: Path) -> None:
    (hooked / "button.css").write_text(".btn {\n  color: #3b82f6;\n}\n")
    git(hooked, "add", "button.css")
    blocked = _commit(hooked, pre_commit_home)
    assert blocked.returncode != 0
    assert "button.css:2:10: hardcoded-colors" in blocked.stdout + blocked.stderr  # git sends hook output to stderr
    (hooked / "button.css").write_text(".btn {\n  color: var(--color-primary);\n}\n")
    git(hooked, "add", "button.css")
    allowed = _commit(hooked, pre_commit_home)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert git(hooked, "log", "-1", "--format=%s").strip() == "change"


def test_partially_staged_file_judged_on_staged_content(hooked: Path, pre_commit_home: Path) -> None:
    path = hooked / "card.css"
    path.write_text(".card {\n  margin: 0;\n}\n")
    git(hooked, "add", "card.css")
    git(hooked, "commit", "-qm", "card", "--no-verify")
    # staged: a clean change; unstaged on top: a hardcoded color that is not being committed
    path.write_text(".card {\n  margin: 0;\n  padding: 8px;\n}\n")
    git(hooked, "add", "card.css")
    unstaged = ".card {\n  margin: 0;\n  padding: 8px;\n  color: #ff00aa;\n}\n"
    path.write_text(unstaged)
    result = _commit(hooked, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_text() == unstaged  # the unstaged edit survived the hook
    assert git(hooked, "show", "HEAD:card.css") == ".card {\n  margin: 0;\n  padding: 8px;\n}\n"
    assert git(hooked, "diff", "--name-only").strip() == "card.css"

    # and the other way round: the staged content has the color, the working tree fixed it
    git(hooked, "add", "card.css")
    path.write_text(".card {\n  margin: 0;\n  padding: 8px;\n  color: var(--accent);\n}\n")
    blocked = _commit(hooked, pre_commit_home)
    assert blocked.returncode != 0 and "card.css:4:10: hardcoded-colors" in blocked.stdout + blocked.stderr
    assert "var(--accent)" in path.read_text()


def test_fail_on_decides_what_blocks_the_commit(hooked: Path, pre_commit_home: Path) -> None:
    """Undecided candidates (info) are shown without blocking; a warning blocks under the default
    ``fail_on = "warning"`` and is shown without blocking under ``fail_on = "error"``."""
    config = hooked / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + "        verbose: true\n")  # show the hook's output when it passes
    (hooked / "wait.py").write_text("import time\n\n\ndef wait():\n    time.sleep(15)\n")
    # magic-numbers' model tier on and no model installed: its judgement call (the delay) stays undecided
    (hooked / ".tinyarms.toml").write_text("[rules.magic-numbers]\nllm = true\n")
    git(hooked, "add", "-A")
    allowed = _commit(hooked, pre_commit_home)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "wait.py:5:16: magic-numbers" in allowed.stdout + allowed.stderr
    assert "[info, undecided]" in allowed.stdout + allowed.stderr

    (hooked / "days.py").write_text("def days(seconds):\n    return seconds / 86400\n")
    git(hooked, "add", "days.py")
    blocked = _commit(hooked, pre_commit_home)
    assert blocked.returncode != 0
    assert "0 errors, 1 warning, 0 info (1 failing at fail_on = warning)" in blocked.stdout + blocked.stderr

    (hooked / ".tinyarms.toml").write_text('fail_on = "error"\n\n[rules.magic-numbers]\nllm = true\n')
    git(hooked, "add", "days.py", ".tinyarms.toml")
    relaxed = _commit(hooked, pre_commit_home)
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert "days.py:2:22: magic-numbers" in relaxed.stderr and "[warning]" in relaxed.stderr  # hook output: stderr
    assert git(hooked, "show", "--name-only", "--format=", "HEAD").split() == [".tinyarms.toml", "days.py"]


def test_a_file_named_like_an_option_and_a_line_with_two_rules(hooked: Path, pre_commit_home: Path) -> None:
    # pre-commit appends file names to the hook's args; `--` (the hook's default args) keeps `-rf.css` a file
    (hooked / "-rf.css").write_text(".a { color: #ff0000; }\n")
    (hooked / "two.css").write_text(".a { margin: 0; } .b { color: #00ff00; }\n")
    git(hooked, "add", "--", "-rf.css", "two.css")
    blocked = _commit(hooked, pre_commit_home)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert "No such option" not in output and "Traceback" not in output, output
    assert "-rf.css:1:13: hardcoded-colors" in output
    assert "two.css:1:31: hardcoded-colors" in output  # the second rule on the staged line


def test_a_warm_hook_hands_the_next_commits_to_a_server(
    repo: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, tmp_path: Path
) -> None:
    source, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: tinyarms-lint\n"
        "        args: [--warm, --]\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")
    env = {**_env(pre_commit_home), "TINYARMS_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([str(PRE_COMMIT), "install"], cwd=repo, env=env, check=True, capture_output=True)
    serve = Serve(repo, tmp_path / "cache")

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-m", "c"], check=False, cwd=repo, env=env, capture_output=True, text=True
        )

    try:
        (repo / "button.css").write_text(".btn {\n  color: #3b82f6;\n}\n")
        git(repo, "add", "button.css")
        first = commit()
        assert first.returncode != 0 and "button.css:2:10: hardcoded-colors" in first.stdout + first.stderr
        deadline = time.monotonic() + 30
        while serve("serve", "--status").code != 0:  # started by the first commit's hook, in the background
            assert time.monotonic() < deadline, "no server started"
            time.sleep(0.1)
        second = commit()
        assert second.returncode != 0 and "button.css:2:10: hardcoded-colors" in second.stdout + second.stderr
        assert serve.status()["runs"] == 1  # the second commit's check ran in the server
        (repo / "button.css").write_text(".btn {\n  color: var(--color-primary);\n}\n")
        git(repo, "add", "button.css")
        third = commit()
        assert third.returncode == 0, third.stdout + third.stderr
        assert serve.status()["runs"] == 2
    finally:
        serve.shutdown()
