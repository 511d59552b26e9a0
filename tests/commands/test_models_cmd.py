"""``tinyarms-lint models list`` and ``models pull`` as a user runs them (real subprocesses)."""

from __future__ import annotations

from pathlib import Path

from ..conftest import run_cli


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "TINYARMS_CODE_MODEL": "", "TINYARMS_LANGUAGE_MODEL": "", **extra}


def test_list_shows_each_role_with_file_size_and_presence(repo: Path, tmp_path: Path) -> None:
    own = tmp_path / "own" / "coder.gguf"
    own.parent.mkdir()
    own.write_bytes(b"GGUF" + b"\0" * 2_000_000)
    (repo / "pyproject.toml").write_text(f'[tool.tinyarms-lint.models]\ncode = "{own}"\n')
    done = run_cli("models", "list", cwd=repo, env=_env(tmp_path))
    assert done.code == 0, done.stderr
    header, code, language = done.stdout.splitlines()
    assert header.split() == ["ROLE", "FILE", "SIZE", "PRESENT", "SOURCE"]
    assert code.split()[:5] == ["code", str(own), "2.0", "MB", "yes"] and code.endswith("config models.code")
    models = tmp_path / "xdg" / "tinyarms-lint" / "models"
    assert language.split()[:2] == ["language", str(models / "Qwen3-4B-Instruct-2507-Q4_K_M.gguf")]
    assert " no " in language and language.endswith("default")


def test_list_follows_the_environment(repo: Path, tmp_path: Path) -> None:
    model = tmp_path / "env.gguf"
    model.write_bytes(b"GGUF")
    done = run_cli("models", "list", cwd=repo, env=_env(tmp_path, TINYARMS_CODE_MODEL=str(model)))
    assert f"code      {model}" in done.stdout and "env TINYARMS_CODE_MODEL" in done.stdout


def test_pull_with_no_hub_is_one_line_and_exit_2(repo: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, HF_ENDPOINT="http://127.0.0.1:9", HTTPS_PROXY="", https_proxy="", ALL_PROXY="", all_proxy="")
    done = run_cli("models", "pull", "code", cwd=repo, env=env)
    assert done.code == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("tinyarms-lint: error:")]
    assert len(errors) == 1 and "cannot reach the model hub at http://127.0.0.1:9" in errors[0]
    assert not (tmp_path / "xdg" / "tinyarms-lint" / "models" / "qwen2.5-coder-3b-instruct-q4_k_m.gguf").exists()


def test_pull_skips_a_model_that_is_present(repo: Path, tmp_path: Path) -> None:
    models = tmp_path / "xdg" / "tinyarms-lint" / "models"
    models.mkdir(parents=True)
    (models / "qwen2.5-coder-3b-instruct-q4_k_m.gguf").write_bytes(b"GGUF")
    done = run_cli("models", "pull", "code", cwd=repo, env=_env(tmp_path, HF_ENDPOINT="http://127.0.0.1:9"))
    assert done.code == 0 and "already present" in done.stdout


def test_pull_rejects_an_unknown_role(repo: Path, tmp_path: Path) -> None:
    done = run_cli("models", "pull", "vision", cwd=repo, env=_env(tmp_path))
    assert done.code == 2 and "vision" in done.stderr
