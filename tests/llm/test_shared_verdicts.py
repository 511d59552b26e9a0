"""Shared verdicts with a real GGUF: main's verdicts exported, imported into a fresh cache, reused by a PR run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import git, run_cli
from .helpers import test_model
from .test_integration import TEAM_RULE, VIOLATING

pytestmark = pytest.mark.llm


def _env(model: Path, cache: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "TINYARMS_CODE_MODEL": str(model),
        "TINYARMS_CACHE_DIR": str(cache),
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        "TINYARMS_LANGUAGE_MODEL": "",
    }


def test_imported_verdicts_answer_the_unchanged_code(repo: Path, tmp_path: Path) -> None:
    model = test_model()
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "no-debug-prints.md").write_text(TEAM_RULE.format(threshold=0.0))
    (repo / "shop").mkdir()
    # every module prints (the rule quotes `print()`: code that mentions no print is not asked about)
    for name in ("pricing", "orders", "stock"):
        (repo / "shop" / f"{name}.py").write_text(VIOLATING.replace("apply_discount", f"apply_{name}"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main")
    args = ("--all", "--format", "json", "--select", "no-debug-prints")

    main_run = run_cli(*args, cwd=repo, env=_env(model, tmp_path / "main-cache", tmp_path))
    assert main_run.code in (0, 1), main_run.stderr
    main_summary = json.loads(main_run.stdout)["summary"]
    asked = main_summary["llm_calls"]  # identical parts of the three files are asked once, then cached
    questions = asked + main_summary["cache_hits"]
    assert asked >= 3
    exported = tmp_path / "main-verdicts.jsonl"
    done = run_cli("cache", "export", str(exported), cwd=repo, env=_env(model, tmp_path / "main-cache", tmp_path))
    assert done.code == 0, done.stderr

    pr_cache = tmp_path / "pr-cache"
    imported = run_cli("cache", "import", str(exported), cwd=repo, env=_env(model, pr_cache, tmp_path))
    assert imported.code == 0 and f"imported {asked} verdicts" in imported.stdout, imported.stdout + imported.stderr
    same = json.loads(run_cli(*args, cwd=repo, env=_env(model, pr_cache, tmp_path)).stdout)["summary"]
    assert (same["llm_calls"], same["cache_hits"]) == (0, questions)  # main's code: every verdict imported

    # a pull request changes one file: only what it changed is asked about
    changed = VIOLATING.replace("apply_discount", "apply_stock").replace('"DEBUG order"', '"DEBUG stock"')
    (repo / "shop" / "stock.py").write_text(changed)
    pr_run = run_cli(*args, cwd=repo, env=_env(model, pr_cache, tmp_path))
    summary = json.loads(pr_run.stdout)["summary"]
    assert 1 <= summary["llm_calls"] < asked
    assert summary["cache_hits"] >= 2  # the two unchanged files
