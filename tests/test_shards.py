"""--shard I/N: a stable split of the files, whose union is the --all run, with dry still repository-wide."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, git, run_cli
from tinyarms_lint.errors import UsageError
from tinyarms_lint.shards import Shard, parse_shard, shard_of


def test_parse_shard_accepts_i_of_n_and_rejects_the_rest() -> None:
    assert parse_shard("2/4") == Shard(2, 4)
    assert parse_shard(" 1/1 ") == Shard(1, 1)
    for bad in ("0/4", "5/4", "1/0", "a/b", "1-4", "", "1/4/2"):
        with pytest.raises(UsageError):
            parse_shard(bad)


def test_every_path_has_exactly_one_shard_and_keeps_it_when_files_are_added() -> None:
    paths = [f"src/module_{i}/file_{i}.ts" for i in range(400)]
    before = {p: shard_of(p, 4) for p in paths}
    more = paths + [f"new/added_{i}.py" for i in range(100)]
    after = {p: shard_of(p, 4) for p in more}
    assert all(after[p] == before[p] for p in paths)  # adding files moves no other file
    assert all(1 <= s <= 4 for s in after.values())
    sizes = [sum(1 for s in after.values() if s == i) for i in range(1, 5)]
    assert min(sizes) > len(more) / 4 * 0.7, sizes  # roughly balanced


@pytest.fixture
def demo_repo(tmp_path: Path) -> Path:
    """The demo app plus the dry fixtures, committed: enough files to spread over shards."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "demo", repo)
    shutil.copytree(FIXTURES / "dry", repo / "dry")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init", "--no-verify")
    return repo


def _findings(stdout: str) -> list[dict[str, object]]:
    return list(json.loads(stdout)["findings"])


def test_union_of_shards_equals_all(demo_repo: Path, tmp_path: Path) -> None:
    whole = run_cli("--all", "--no-llm", "--format", "json", "--jobs", "1", cwd=demo_repo)
    assert whole.code == 1, whole.stderr
    expected = _findings(whole.stdout)
    assert any(f["rule"] == "dry" for f in expected)  # cross-file duplicates are part of the comparison
    reports = []
    seen_paths: list[set[object]] = []
    for index in (1, 2, 3):
        part = run_cli("--all", "--no-llm", "--format", "json", "--shard", f"{index}/3", cwd=demo_repo)
        assert part.code in (0, 1), part.stderr
        document = json.loads(part.stdout)
        assert document["summary"]["notes"][0].startswith(f"shard {index}/3: ")
        seen_paths.append({f["path"] for f in document["findings"]})
        report = tmp_path / f"shard{index}.json"
        report.write_text(part.stdout)
        reports.append(report)
    assert not (seen_paths[0] & seen_paths[1]) and not (seen_paths[1] & seen_paths[2])  # a file is in one shard
    merged = run_cli("merge", *map(str, reports), cwd=demo_repo)
    assert merged.code == 1, merged.stderr
    key = lambda f: json.dumps(f, sort_keys=True)
    assert sorted(map(key, _findings(merged.stdout))) == sorted(map(key, expected))
    assert json.loads(merged.stdout)["summary"]["findings"] == len(expected)


def test_sarif_shards_merge_into_one_run(demo_repo: Path, tmp_path: Path) -> None:
    whole = json.loads(run_cli("--all", "--no-llm", "--format", "sarif", cwd=demo_repo).stdout)
    reports = []
    for index in (1, 2):
        part = run_cli("--all", "--no-llm", "--format", "sarif", "--shard", f"{index}/2", cwd=demo_repo)
        report = tmp_path / f"shard{index}.sarif"
        report.write_text(part.stdout)
        reports.append(str(report))
    merged = run_cli("merge", *reports, "--output", str(tmp_path / "all.sarif"), cwd=demo_repo)
    assert merged.code == 1 and merged.stdout == ""
    document = json.loads((tmp_path / "all.sarif").read_text())
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    assert len(run["results"]) == len(whole["runs"][0]["results"])


def test_merge_rejects_mixed_and_foreign_reports(demo_repo: Path, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(run_cli("--all", "--no-llm", "--format", "json", cwd=demo_repo).stdout)
    (tmp_path / "b.sarif").write_text(run_cli("--all", "--no-llm", "--format", "sarif", cwd=demo_repo).stdout)
    (tmp_path / "c.json").write_text('{"hello": 1}')
    (tmp_path / "d.json").write_text("not json")
    mixed = run_cli("merge", str(tmp_path / "a.json"), str(tmp_path / "b.sarif"), cwd=demo_repo)
    assert mixed.code == 2 and "one kind" in mixed.stderr and "Traceback" not in mixed.stderr
    for bad in ("c.json", "d.json", "missing.json"):
        result = run_cli("merge", str(tmp_path / bad), cwd=demo_repo)
        assert result.code == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and bad in result.stderr


def test_merge_renders_text_from_json_reports(demo_repo: Path, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(run_cli("--all", "--no-llm", "--format", "json", cwd=demo_repo).stdout)
    text = run_cli("--all", "--no-llm", cwd=demo_repo).stdout
    merged = run_cli("merge", str(tmp_path / "a.json"), "--format", "text", cwd=demo_repo)
    assert merged.code == 1
    assert merged.stdout.splitlines()[:-1] == text.splitlines()[:-1]  # the same finding lines; timing differs


def test_bad_shard_is_a_usage_error(demo_repo: Path) -> None:
    result = run_cli("--all", "--shard", "3/2", cwd=demo_repo)
    assert result.code == 2 and "--shard" in result.stderr


def test_merge_exits_by_fail_on_like_check(repo: Path, tmp_path: Path) -> None:
    (repo / "days.py").write_text("def days(seconds):\n    return seconds / 86400\n")
    (repo / ".tinyarms.toml").write_text('[rules.magic-numbers]\nseverity = "info"\n')  # its findings: info
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "days", "--no-verify")
    for kind in ("json", "sarif"):
        report = tmp_path / f"only-info.{kind}"
        report.write_text(run_cli("--all", "--no-llm", "--format", kind, cwd=repo).stdout)
        assert "info" in report.read_text() or "note" in report.read_text()
        assert run_cli("merge", str(report), cwd=repo).code == 0  # info does not fail under fail_on = warning
        assert run_cli("merge", str(report), "--fail-on", "info", cwd=repo).code == 1
