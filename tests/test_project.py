"""Projects for long-lived servers: loaded once, reloaded when config or rule files change, broken ones named."""

from __future__ import annotations

import os
from pathlib import Path

from tinyarms_lint.project import Broken, Project, Projects


def touch_later(path: Path, text: str) -> None:
    """Write ``text`` and move the mtime forward, so the change shows even within one clock tick."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(old + 10**9, old + 10**9))


def test_same_project_until_a_config_file_changes(repo: Path) -> None:
    projects = Projects()
    first = projects.get(repo)
    assert isinstance(first, Project) and first.in_git and first.root == repo.resolve()
    assert projects.get(repo) is first
    touch_later(repo / ".tinyarms.toml", "ignore = ['dry']\n")
    second = projects.get(repo)
    assert isinstance(second, Project) and second is not first
    assert "dry" not in {r.id for r in second.rules}
    assert projects.reloads == 1


def test_a_broken_config_is_kept_as_its_one_line_error_then_recovers(tmp_path: Path) -> None:
    projects = Projects()
    touch_later(tmp_path / ".tinyarms.toml", "max_file_size = -1\n")
    broken = projects.get(tmp_path)
    assert isinstance(broken, Broken)
    assert broken.error == ".tinyarms.toml: max_file_size must be a positive number of bytes, got -1"
    assert projects.get(tmp_path) is broken
    touch_later(tmp_path / ".tinyarms.toml", "max_file_size = 10\n")
    fixed = projects.get(tmp_path)
    assert isinstance(fixed, Project) and fixed.config.max_file_size == 10


def test_a_broken_rule_file_names_the_file(tmp_path: Path) -> None:
    rules = tmp_path / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "team.md").write_text("---\nid: team\n---\nno title\n")
    broken = Projects().get(tmp_path)
    assert isinstance(broken, Broken)
    assert str(rules / "team.md") in broken.error


def test_lint_reports_the_text_given_not_the_file_on_disk(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text(".a { margin: 0; }\n")
    project = Projects().get(tmp_path)
    assert isinstance(project, Project)
    result = project.lint("a.css", b".a { color: #123456; }\n", None)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("hardcoded-colors", 1, 13)]
    assert project.lint("a.css", b".a { color: #123456; }\n", frozenset()).findings == []


def test_outside_git_the_editor_workspace_folder_is_the_root(tmp_path: Path) -> None:
    (tmp_path / ".tinyarms.toml").write_text("ignore = ['dry']\n")
    (tmp_path / "src").mkdir()
    project = Projects().get(tmp_path / "src", outside_git=tmp_path)
    assert isinstance(project, Project) and not project.in_git
    assert project.root == tmp_path and "dry" not in {r.id for r in project.rules}
    assert Projects().get(tmp_path / "src").root == tmp_path / "src"  # without a workspace folder
