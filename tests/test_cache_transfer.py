"""cache export / import: JSON lines round trip, malformed lines skipped and counted, nothing executed."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tinyarms_lint.cache import VerdictCache, verdict_key
from tinyarms_lint.cache_transfer import export_lines, header, import_lines
from tinyarms_lint.errors import UsageError


def _filled(directory: Path, count: int = 5) -> dict[str, dict[str, object]]:
    stored = {verdict_key("code", str(i)): {"margin": i - 2.5, "violation": i > 2} for i in range(count)}
    with VerdictCache(directory) as cache:
        for key, value in stored.items():
            cache.put(key, value)
    return stored


def test_round_trip_keeps_every_verdict(tmp_path: Path) -> None:
    stored = _filled(tmp_path / "a")
    with VerdictCache(tmp_path / "a") as source:
        lines = list(export_lines(source))
    assert json.loads(lines[0])["format"] == "tinyarms-lint/verdicts" and len(lines) == 1 + len(stored)
    with VerdictCache(tmp_path / "b") as target:
        counts = import_lines(target, lines)
        assert (counts.added, counts.present, counts.malformed) == (len(stored), 0, 0)
        assert dict(target.items()) == stored
        again = import_lines(target, lines)
        assert (again.added, again.present) == (0, len(stored))


def test_import_keeps_the_local_verdict(tmp_path: Path) -> None:
    key = verdict_key("same")
    with VerdictCache(tmp_path / "a") as cache:
        cache.put(key, {"margin": 1.0})
        counts = import_lines(cache, [header(), json.dumps({"key": key, "value": {"margin": -9.0}})])
        assert (counts.added, counts.present) == (0, 1)
        assert cache.get(key) == {"margin": 1.0}


def test_malformed_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    good = verdict_key("good")
    bad_lines = [
        "not json at all",
        json.dumps({"key": "short", "value": {"margin": 1}}),  # not a 64-hex key
        json.dumps({"key": good.upper(), "value": {"margin": 1}}),
        json.dumps({"key": verdict_key("x"), "value": [1, 2]}),  # not an object
        json.dumps({"key": verdict_key("y"), "value": {}}),
        json.dumps({"key": verdict_key("z"), "value": {"margin": 1}, "extra": 1}),
        '{"key": "' + verdict_key("nan") + '", "value": {"margin": NaN}}',
        json.dumps({"key": verdict_key("big"), "value": {"pad": "x" * (1 << 20)}}),
        "[" * 100_000,  # deep nesting
        repr(pickle.dumps({"margin": 1})),  # a pickle is just a malformed line here
        json.dumps([]),
    ]
    lines = [header(), *bad_lines, json.dumps({"key": good, "value": {"margin": 2.0}}), ""]
    with VerdictCache(tmp_path / "c") as cache:
        counts = import_lines(cache, lines)
        assert (counts.added, counts.present, counts.malformed) == (1, 0, len(bad_lines))
        assert dict(cache.items()) == {good: {"margin": 2.0}}


def test_a_file_of_another_format_is_refused_whole(tmp_path: Path) -> None:
    with VerdictCache(tmp_path / "d") as cache:
        with pytest.raises(UsageError, match="another version"):
            import_lines(cache, [json.dumps({"format": "tinyarms-lint/verdicts", "version": 99, "key_scheme": "k"})])
        with pytest.raises(UsageError, match="not a tinyarms-lint verdict export"):
            import_lines(cache, ['{"format": "something-else"}'])
        assert list(cache.items()) == []


def test_cli_export_then_import_into_another_cache(repo: Path, tmp_path: Path) -> None:
    stored = _filled(tmp_path / "ci-main")
    exported = tmp_path / "verdicts.jsonl"
    out = run_cli("cache", "export", str(exported), cwd=repo, env={"TINYARMS_CACHE_DIR": str(tmp_path / "ci-main")})
    assert out.code == 0, out.stderr
    assert f"exported {len(stored)} verdicts" in out.stdout
    to_stdout = run_cli("cache", "export", "-", cwd=repo, env={"TINYARMS_CACHE_DIR": str(tmp_path / "ci-main")})
    assert to_stdout.stdout == exported.read_text() and "exported" in to_stdout.stderr
    with exported.open("a") as handle:
        handle.write("garbage line\n")
    pr_cache = {"TINYARMS_CACHE_DIR": str(tmp_path / "ci-pr")}
    result = run_cli("cache", "import", str(exported), cwd=repo, env=pr_cache)
    assert result.code == 0, result.stderr
    assert f"imported {len(stored)} verdicts" in result.stdout and "1 malformed lines skipped" in result.stdout
    with VerdictCache(tmp_path / "ci-pr") as cache:
        assert dict(cache.items()) == stored


def test_cli_import_errors_are_one_line(repo: Path, tmp_path: Path) -> None:
    env = {"TINYARMS_CACHE_DIR": str(tmp_path / "cache")}
    missing = run_cli("cache", "import", str(tmp_path / "missing.jsonl"), cwd=repo, env=env)
    assert missing.code == 2 and len(missing.stderr.strip().splitlines()) == 1
    other = tmp_path / "other.jsonl"
    other.write_text('{"format": "tinyarms-lint/verdicts", "version": 2, "key_scheme": "?"}\n')
    refused = run_cli("cache", "import", str(other), cwd=repo, env=env)
    assert refused.code == 2 and "another version" in refused.stderr and "Traceback" not in refused.stderr
