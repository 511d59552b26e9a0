"""Building the judge: which rules need a model, missing models and llama-cpp-python in auto and required
mode, backend settings; and what the CLI prints for each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.config import Config
from tinyarms_lint.errors import ModelError
from tinyarms_lint.llm import factory
from tinyarms_lint.llm.judge import ModelJudge
from tinyarms_lint.llm.openai import OpenAIBackend
from tinyarms_lint.llm.worker import WorkerBackend
from tinyarms_lint.rules import Rule, load_rules

from ..conftest import git, run_cli
from .helpers import SECRETS_RULE, rule_from


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TINYARMS_CODE_MODEL", raising=False)
    monkeypatch.delenv("TINYARMS_LANGUAGE_MODEL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("tinyarms_lint.llm.llama.llama_available", lambda: True)


def _gguf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"GGUF\x03\x00\x00\x00weights")
    return path


def _static_only(rule: Rule) -> Rule:
    return Rule(**{**rule.__dict__, "llm": False})


def test_no_rule_needs_a_model(tmp_path: Path) -> None:
    rules = [_static_only(load_rules([])["magic-numbers"])]
    assert factory.build_judge(Config(root=tmp_path), rules) == (None, [])


def test_missing_model_in_auto_mode_is_a_note(tmp_path: Path) -> None:
    judge, notes = factory.build_judge(Config(root=tmp_path), [rule_from(SECRETS_RULE)])
    assert judge is None
    assert len(notes) == 1
    assert notes[0].startswith("model tier skipped for no-hardcoded-secrets: code model not found at ")
    assert "tinyarms-lint models pull code" in notes[0]


def test_missing_model_in_required_mode_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="code model not found"):
        factory.build_judge(Config(root=tmp_path, llm="required"), [rule_from(SECRETS_RULE)])


def test_missing_llama_cpp_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tinyarms_lint.llm.llama.llama_available", lambda: False)
    _gguf(tmp_path / "m.gguf")
    config = Config(root=tmp_path, models={"code": "m.gguf"})
    judge, notes = factory.build_judge(config, [rule_from(SECRETS_RULE)])
    assert judge is None and "pip install 'tinyarms-lint[llm]'" in notes[0]
    with pytest.raises(ModelError, match=r"pip install 'tinyarms-lint\[llm\]'"):
        factory.build_judge(Config(root=tmp_path, llm="required", models={"code": "m.gguf"}), [rule_from(SECRETS_RULE)])


def test_present_model_builds_a_lazy_judge(tmp_path: Path) -> None:
    _gguf(tmp_path / "models" / "coder.gguf")
    config = Config(root=tmp_path, models={"code": "models/coder.gguf", "n_ctx": 2048, "threads": 2})
    judge, notes = factory.build_judge(config, [rule_from(SECRETS_RULE)])
    assert notes == [] and isinstance(judge, ModelJudge)
    backend = judge.backends["code"]
    assert isinstance(backend, WorkerBackend)  # llama.cpp in a child process
    assert (backend.n_ctx, backend.threads) == (2048, 2)
    assert backend._process is None  # nothing is started or loaded until a question is asked
    assert backend.state_dir == tmp_path / "cache" / "prefix-states"
    assert backend.cache_dir == tmp_path / "cache"


def test_one_file_for_both_roles_is_loaded_once(tmp_path: Path) -> None:
    _gguf(tmp_path / "m.gguf")
    config = Config(root=tmp_path, models={"code": "m.gguf", "language": "m.gguf"})
    rules = [
        rule_from(SECRETS_RULE),
        rule_from(SECRETS_RULE.replace("id: no-hardcoded-secrets", "id: b"), role="language"),
    ]
    judge, _ = factory.build_judge(config, rules)
    assert isinstance(judge, ModelJudge)
    assert judge.backends["code"] is judge.backends["language"]


def test_one_role_missing_keeps_the_other(tmp_path: Path) -> None:
    _gguf(tmp_path / "m.gguf")
    config = Config(root=tmp_path, models={"code": "m.gguf"})
    language_rule = rule_from(SECRETS_RULE.replace("id: no-hardcoded-secrets", "id: prose"), role="language")
    judge, notes = factory.build_judge(config, [rule_from(SECRETS_RULE), language_rule])
    assert isinstance(judge, ModelJudge) and set(judge.backends) == {"code"}
    assert len(notes) == 1 and notes[0].startswith("model tier skipped for prose: language model not found")


def test_openai_backend_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = {
        "backend": "openai",
        "url": "http://127.0.0.1:8080",
        "code_model_name": "qwen-coder",
        "api_key_env": "TA_KEY",
    }
    monkeypatch.setenv("TA_KEY", "secret-token")
    judge, notes = factory.build_judge(Config(root=tmp_path, models=models), [rule_from(SECRETS_RULE)])
    assert notes == [] and isinstance(judge, ModelJudge)
    backend = judge.backends["code"]
    assert isinstance(backend, OpenAIBackend)
    assert (backend.url, backend.model, backend.api_key) == ("http://127.0.0.1:8080/v1", "qwen-coder", "secret-token")
    monkeypatch.delenv("TA_KEY")
    with pytest.raises(ModelError, match="TA_KEY, which is not set"):
        factory.build_judge(Config(root=tmp_path, llm="required", models=models), [rule_from(SECRETS_RULE)])
    with pytest.raises(ModelError, match="needs models.url"):
        factory.build_judge(
            Config(root=tmp_path, llm="required", models={"backend": "openai"}), [rule_from(SECRETS_RULE)]
        )


@pytest.mark.parametrize(
    ("models", "message"),
    [({"backend": "ollama"}, "models.backend must be one of"), ({"n_ctx": "big"}, "models.n_ctx must be a positive")],
)
def test_bad_model_settings(tmp_path: Path, models: dict[str, object], message: str) -> None:
    _gguf(tmp_path / "m.gguf")
    config = Config(root=tmp_path, llm="required", models={"code": "m.gguf", **models})
    with pytest.raises(ModelError, match=message):
        factory.build_judge(config, [rule_from(SECRETS_RULE)])


def _repo_with_team_rule(repo: Path, llm: str) -> None:
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "no-hardcoded-secrets.md").write_text(SECRETS_RULE)
    (repo / "pyproject.toml").write_text(
        f'[tool.tinyarms-lint]\nllm = "{llm}"\nselect = ["no-hardcoded-secrets", "magic-numbers"]\n'
    )
    (repo / "app.py").write_text("import time\n\n\ndef wait(job):\n    if job.tries > 7:\n        time.sleep(1)\n")
    git(repo, "add", "-A")


def test_cli_auto_mode_runs_the_static_tier_and_notes_the_skip(repo: Path, tmp_path: Path) -> None:
    _repo_with_team_rule(repo, "auto")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "TINYARMS_CACHE_DIR": str(tmp_path / "c")}
    done = run_cli("app.py", cwd=repo, env=env)
    assert done.code == 1
    assert "app.py:5:" in done.stdout and "magic-numbers" in done.stdout  # the static finding
    notes = [line for line in done.stderr.splitlines() if line.startswith("note: model tier skipped")]
    assert len(notes) == 1 and "code model not found at" in notes[0] and "models pull code" in notes[0]


def test_cli_required_mode_exits_2_with_one_line(repo: Path, tmp_path: Path) -> None:
    _repo_with_team_rule(repo, "required")
    done = run_cli("app.py", cwd=repo, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert done.code == 2 and done.stdout == ""
    assert done.stderr.startswith("tinyarms-lint: error: code model not found at ")
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_no_llm_never_looks_for_a_model(repo: Path, tmp_path: Path) -> None:
    _repo_with_team_rule(repo, "required")
    done = run_cli("--no-llm", "app.py", cwd=repo, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert done.code == 1 and "model tier skipped" not in done.stderr and "not found" not in done.stderr
    # the team rule only a model can judge is named, not silently skipped
    assert (
        done.stderr
        == "note: no-hardcoded-secrets: 1 region not judged: only a model can judge this rule and none answered\n"
    )


def test_fix_needs_the_language_model_for_comment_translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TINYARMS_LANGUAGE_MODEL", str(tmp_path / "absent.gguf"))
    comment_rule = load_rules([])["comment-language"]
    assert comment_rule.llm is False  # ambiguous comments are not judged by a model
    assert factory.build_judge(Config(root=tmp_path), [comment_rule]) == (None, [])
    judge, notes = factory.build_judge(Config(root=tmp_path), [comment_rule], fix=True)
    assert judge is None
    assert len(notes) == 1 and notes[0].startswith("model tier skipped for comment-language: language model")
