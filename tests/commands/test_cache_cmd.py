"""``tinyarms-lint cache stats`` and ``cache clear`` against a real cache in a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tinyarms_lint.cache import DB_NAME, VerdictCache
from tinyarms_lint.commands.cache import command


@pytest.fixture
def in_repo(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from inside ``repo`` with the user cache pointed into tmp (never the real ~/.cache)."""
    monkeypatch.chdir(repo)
    monkeypatch.delenv("TINYARMS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return repo


def _fill(directory: Path) -> None:
    with VerdictCache(directory) as cache:
        for index in range(3):
            cache.put(f"key-{index}", {"violation": index == 0, "confidence": 0.8})
        cache.get("key-0")
        cache.get("key-missing")
        cache.record_run(cache.hits, cache.misses)
        cache.record_run(hits=3, misses=0)


def test_stats_of_an_empty_cache(in_repo: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(command, ["stats"])
    assert result.exit_code == 0, result.output
    assert f"directory: {tmp_path / 'xdg' / 'tinyarms-lint'}" in result.stdout
    assert "entries:   0" in result.stdout
    assert "hit rate:  no recorded runs yet" in result.stdout
    assert not (tmp_path / "xdg" / "tinyarms-lint").exists()  # looking creates nothing


def test_stats_reports_entries_size_and_hit_rate(in_repo: Path, tmp_path: Path) -> None:
    directory = tmp_path / "xdg" / "tinyarms-lint"
    _fill(directory)
    (directory / "models").mkdir()  # models are kept below the cache directory too, but are not the cache
    (directory / "models" / "qwen.gguf").write_bytes(b"GGUF" * 1000)
    result = CliRunner().invoke(command, ["stats"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "entries:   3" in lines
    size = next(line for line in lines if line.startswith("size:"))
    on_disk = (directory / DB_NAME).stat().st_size
    assert size.endswith(f"({on_disk} bytes)")
    rate = next(line for line in lines if line.startswith("hit rate:"))
    assert rate.startswith("hit rate:  80.0% over the last 2 runs since ")
    assert rate.endswith("(4 hits, 1 misses)")
    assert result.stderr == ""


def test_stats_as_json(in_repo: Path, tmp_path: Path) -> None:
    _fill(tmp_path / "xdg" / "tinyarms-lint")
    result = CliRunner().invoke(command, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert (numbers["entries"], numbers["runs"], numbers["hits"], numbers["misses"]) == (3, 2, 4, 1)
    assert numbers["hit_rate"] == pytest.approx(0.8)
    assert numbers["size_bytes"] > 0


def test_clear_empties_the_cache(in_repo: Path, tmp_path: Path) -> None:
    directory = tmp_path / "xdg" / "tinyarms-lint"
    _fill(directory)
    result = CliRunner().invoke(command, ["clear"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"removed 3 entries from {directory}"
    with VerdictCache(directory) as cache:
        assert cache.get("key-0") is None
        assert cache.stats()["runs"] == 0
    again = CliRunner().invoke(command, ["clear"])
    assert again.stdout.strip() == f"removed 0 entries from {directory}"


def test_clear_leaves_models_and_other_caches_alone(in_repo: Path, tmp_path: Path) -> None:
    directory = tmp_path / "xdg" / "tinyarms-lint"
    _fill(directory)
    model = directory / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    model.parent.mkdir()
    model.write_bytes(b"GGUF" + b"\0" * 1000)
    result = CliRunner().invoke(command, ["clear"])
    assert result.stdout.strip() == f"removed 3 entries from {directory}"
    assert model.read_bytes() == b"GGUF" + b"\0" * 1000


def test_configured_cache_dir_is_relative_to_the_repository_root(
    in_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_repo / "pyproject.toml").write_text('[tool.tinyarms-lint]\ncache_dir = ".cache/tinyarms"\n')
    nested = in_repo / "src" / "components"
    nested.mkdir(parents=True)
    _fill(in_repo / ".cache" / "tinyarms")
    monkeypatch.chdir(nested)
    result = CliRunner().invoke(command, ["stats"])
    assert result.exit_code == 0, result.output
    assert f"directory: {in_repo / '.cache' / 'tinyarms'}" in result.stdout
    assert "entries:   3" in result.stdout


def test_environment_overrides_the_configured_directory(
    in_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_repo / "pyproject.toml").write_text('[tool.tinyarms-lint]\ncache_dir = ".cache/tinyarms"\n')
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(tmp_path / "ci-shard"))
    _fill(tmp_path / "ci-shard")
    result = CliRunner().invoke(command, ["clear"])
    assert result.stdout.strip() == f"removed 3 entries from {tmp_path / 'ci-shard'}"


def test_a_damaged_cache_is_a_warning_not_a_crash(in_repo: Path, tmp_path: Path) -> None:
    directory = tmp_path / "xdg" / "tinyarms-lint"
    _fill(directory)
    (directory / DB_NAME).write_bytes(b"\x13\x37 definitely not sqlite " * 300)
    result = CliRunner().invoke(command, ["stats"])
    assert result.exit_code == 0, result.output
    assert "entries:   0" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: verdict cache {directory / DB_NAME} was unreadable (")
    assert warnings[0].endswith("; rebuilt it empty")


def test_an_unusable_directory_is_a_warning_not_a_crash(
    in_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("the configured cache directory is a regular file")
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(not_a_directory))
    for args in (["stats"], ["clear"]):
        result = CliRunner().invoke(command, args)
        assert result.exit_code == 0, result.output
        assert result.stderr == f"warning: verdict cache disabled for this run: {not_a_directory}: not a directory\n"
    assert not_a_directory.read_text() == "the configured cache directory is a regular file"
