"""The verdict cache: keys, JSON-only storage, permissions, damage and sharing between processes."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tinyarms_lint import cache as cache_module
from tinyarms_lint.cache import (
    DB_NAME,
    RECENT_RUNS,
    VerdictCache,
    default_cache_dir,
    normalize_region_text,
    verdict_key,
)
from tinyarms_lint.errors import ModelError

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

REGION = """\
export function Badge({ tone }: { tone: Tone }) {
  return <span style={{ color: '#e11d48' }}>{tone}</span>;
}
"""


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "tinyarms-lint"


@pytest.fixture
def cache(cache_dir: Path) -> Iterator[VerdictCache]:
    opened = VerdictCache(cache_dir)
    yield opened
    opened.close()


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _rows(cache_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(str(cache_dir / DB_NAME))
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# -- keys -------------------------------------------------------------------------------------


def test_verdict_key_is_sha256_over_length_prefixed_parts() -> None:
    expected = hashlib.sha256(b"tinyarms-lint/verdict-key/1")
    for part in ("no-hardcoded-colors", "ä"):
        data = part.encode("utf-8")
        expected.update(len(data).to_bytes(8, "big") + data)
    assert verdict_key("no-hardcoded-colors", "ä") == expected.hexdigest()


def test_verdict_key_separates_parts_and_notices_every_part() -> None:
    assert verdict_key("ab", "c") != verdict_key("a", "bc")
    assert verdict_key("a") != verdict_key("a", "")
    parts = ["region", "rule-id", "rulehash", "model", "prompt-v3", "0.1.0", "threshold=0.7;temp=0"]
    base = verdict_key(*parts)
    assert base == verdict_key(*parts)
    for index in range(len(parts)):
        changed = [*parts]
        changed[index] += "x"
        assert verdict_key(*changed) != base, parts[index]


def test_verdict_key_refuses_non_strings() -> None:
    with pytest.raises(TypeError, match="float"):
        verdict_key("rule", 0.7)  # type: ignore[arg-type]


def test_normalize_region_text_ignores_line_endings_and_trailing_whitespace() -> None:
    crlf = REGION.replace("\n", "\r\n")
    trailing = REGION.replace(";\n", ";   \t\n") + "\n\n"
    old_mac = REGION.replace("\n", "\r")
    assert normalize_region_text(crlf) == normalize_region_text(REGION)
    assert normalize_region_text(trailing) == normalize_region_text(REGION)
    assert normalize_region_text(old_mac) == normalize_region_text(REGION)
    assert "\r" not in normalize_region_text(crlf)
    # indentation and real edits still count
    assert normalize_region_text(REGION.replace("  return", "    return")) != normalize_region_text(REGION)
    assert normalize_region_text(REGION.replace("#e11d48", "#e11d49")) != normalize_region_text(REGION)


# -- storage ----------------------------------------------------------------------------------


def test_put_then_get_round_trips_json_and_counts_hits(cache: VerdictCache) -> None:
    key = verdict_key(normalize_region_text(REGION), "no-hardcoded-colors")
    assert cache.get(key) is None
    verdict = {"violation": True, "confidence": 0.87, "message": "Farbe „#e11d48“ ist hart codiert", "cached": False}
    cache.put(key, verdict)
    assert cache.get(key) == verdict
    cache.put(key, {"violation": False, "confidence": 0.6})
    assert cache.get(key) == {"violation": False, "confidence": 0.6}
    assert (cache.hits, cache.misses) == (2, 1)
    assert cache.warnings == []


def test_entries_survive_closing_and_reopening(cache_dir: Path) -> None:
    with VerdictCache(cache_dir) as first:
        first.put("k1", {"violation": True, "confidence": 1.0})
    with VerdictCache(cache_dir) as second:
        assert second.get("k1") == {"violation": True, "confidence": 1.0}


def test_only_json_objects_are_accepted(cache: VerdictCache) -> None:
    with pytest.raises(TypeError):
        cache.put("k", ["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cache.put("k", {"confidence": float("nan")})
    with pytest.raises(TypeError):
        cache.put("k", {"when": object()})


def test_values_are_stored_as_json_text_never_pickle(cache: VerdictCache, cache_dir: Path) -> None:
    for index in range(5):
        cache.put(f"k{index}", {"violation": index % 2 == 0, "confidence": index / 10, "message": "m"})
    cache.close()
    rows = _rows(cache_dir, "SELECT typeof(value), value FROM verdicts")
    assert len(rows) == 5
    for kind, value in rows:
        assert kind == "text"
        assert isinstance(json.loads(value), dict)
    raw = (cache_dir / DB_NAME).read_bytes()
    assert b"\x80\x04\x95" not in raw and b"\x80\x05\x95" not in raw  # pickle protocol 4/5 frame headers


class _Planted:
    """A pickle payload that would create a file if anything ever unpickled it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_a_planted_pickle_row_is_never_unpickled(cache: VerdictCache, cache_dir: Path, tmp_path: Path) -> None:
    cache.put("good", {"violation": True, "confidence": 0.9})
    cache.close()
    marker = tmp_path / "pwned"
    db = sqlite3.connect(str(cache_dir / DB_NAME))
    db.execute(
        "INSERT INTO verdicts (key, value, stored_at, used_at) VALUES ('evil', ?, 0, 0)",
        (pickle.dumps(_Planted(marker)),),
    )
    db.execute("INSERT INTO verdicts (key, value, stored_at, used_at) VALUES ('list', '[1, 2]', 0, 0)")
    db.commit()
    db.close()

    assert cache.get("evil") is None
    assert cache.get("list") is None
    assert cache.get("good") == {"violation": True, "confidence": 0.9}
    assert not marker.exists()
    assert cache.warnings == [f"verdict cache {cache.path}: dropped an entry that is not a JSON object"]
    cache.close()
    assert sorted(row[0] for row in _rows(cache_dir, "SELECT key FROM verdicts")) == ["good"]


def test_importing_the_module_loads_neither_sqlite_nor_diskcache() -> None:
    probe = "import sys, tinyarms_lint.cache; print(sorted(m for m in ('sqlite3', 'diskcache') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- permissions ------------------------------------------------------------------------------


@posix_only
def test_directory_is_0700_and_files_0600_under_a_wide_umask(cache_dir: Path, umask_022: None) -> None:
    cache = VerdictCache(cache_dir)
    cache.put("k", {"violation": True, "confidence": 1.0})
    assert cache.get("k") is not None
    names = sorted(p.name for p in cache_dir.iterdir())
    assert DB_NAME in names and f"{DB_NAME}-wal" in names  # checked while the WAL files exist
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    for path in cache_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    cache.close()


@posix_only
def test_existing_wider_permissions_are_tightened(cache_dir: Path, umask_022: None) -> None:
    cache_dir.mkdir(parents=True)
    os.chmod(cache_dir, 0o777)
    (cache_dir / DB_NAME).touch()
    os.chmod(cache_dir / DB_NAME, 0o666)
    with VerdictCache(cache_dir) as cache:
        cache.put("k", {"violation": False, "confidence": 0.5})
        assert cache.warnings == []
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_dir / DB_NAME).stat().st_mode) == 0o600


@posix_only
@pytest.mark.skipif(not IS_ROOT, reason="needs root to give the directory to another user")
def test_a_directory_owned_by_someone_else_disables_the_cache(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True)
    os.chown(cache_dir, 54321, 54321)
    cache = VerdictCache(cache_dir)
    cache.put("k", {"violation": True, "confidence": 1.0})
    assert cache.get("k") is None
    assert not cache.enabled
    assert len(cache.warnings) == 1 and "belongs to another user" in cache.warnings[0]
    assert not (cache_dir / DB_NAME).exists()


# -- damage and unusable places ---------------------------------------------------------------


def test_a_garbage_database_is_rebuilt_with_one_warning(cache_dir: Path) -> None:
    with VerdictCache(cache_dir) as cache:
        cache.put("k", {"violation": True, "confidence": 1.0})
    (cache_dir / DB_NAME).write_bytes(os.urandom(64) + b"this is not sqlite" * 500)

    cache = VerdictCache(cache_dir)
    assert cache.get("k") is None
    assert len(cache.warnings) == 1
    assert cache.warnings[0].startswith(f"verdict cache {cache.path} was unreadable (")
    assert cache.warnings[0].endswith("rebuilt it empty")
    assert "\n" not in cache.warnings[0]
    cache.put("k2", {"violation": False, "confidence": 0.2})
    assert cache.get("k2") == {"violation": False, "confidence": 0.2}
    assert cache.enabled and cache.stats()["entries"] == 1
    assert len(cache.warnings) == 1
    cache.close()


def test_a_database_with_damaged_pages_and_a_stale_wal_is_rebuilt(cache_dir: Path) -> None:
    with VerdictCache(cache_dir) as cache:
        for index in range(200):
            cache.put(f"k{index}", {"violation": True, "confidence": 1.0, "message": "x" * 200})
    data = (cache_dir / DB_NAME).read_bytes()
    assert len(data) > 8 * 4096
    # the header page survives, every other page is overwritten; a leftover WAL holds junk
    (cache_dir / DB_NAME).write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    (cache_dir / f"{DB_NAME}-wal").write_bytes(os.urandom(5000))

    with VerdictCache(cache_dir) as reopened:
        assert reopened.get("k5") is None
        assert len(reopened.warnings) == 1 and "rebuilt it empty" in reopened.warnings[0]
        reopened.put("k5", {"violation": False, "confidence": 0.1})
        assert reopened.get("k5") == {"violation": False, "confidence": 0.1}
        assert reopened.enabled and reopened.stats()["entries"] == 1


def test_a_foreign_sqlite_file_is_rebuilt(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True)
    db = sqlite3.connect(str(cache_dir / DB_NAME))
    db.execute("CREATE TABLE verdicts (id INTEGER, blob BLOB)")
    db.commit()
    db.close()
    with VerdictCache(cache_dir) as cache:
        cache.put("k", {"violation": True, "confidence": 0.9})
        assert cache.get("k") == {"violation": True, "confidence": 0.9}
        assert len(cache.warnings) == 1 and "rebuilt it empty" in cache.warnings[0]


def test_a_path_that_cannot_be_a_directory_disables_the_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory's parent should be")
    cache = VerdictCache(blocker / "tinyarms-lint")
    cache.put("k", {"violation": True, "confidence": 1.0})
    assert cache.get("k") is None
    cache.record_run(0, 1)
    assert cache.stats()["entries"] == 0
    assert cache.clear() == 0
    assert not cache.enabled
    assert len(cache.warnings) == 1
    assert cache.warnings[0].startswith(f"verdict cache disabled for this run: {blocker / 'tinyarms-lint'}: ")
    cache.close()


@posix_only
@pytest.mark.skipif(IS_ROOT, reason="root writes into read-only directories")
def test_a_read_only_directory_disables_the_cache(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True)
    os.chmod(cache_dir, 0o500)
    try:
        cache = VerdictCache(cache_dir)
        cache.put("k", {"violation": True, "confidence": 1.0})
        assert cache.get("k") is None
        assert not cache.enabled and len(cache.warnings) == 1
    finally:
        os.chmod(cache_dir, 0o700)


# -- stats, history, clear, trimming ----------------------------------------------------------


def test_stats_reports_entries_size_and_hit_rate_of_recent_runs(cache: VerdictCache) -> None:
    empty = cache.stats()
    assert (empty["entries"], empty["runs"], empty["hit_rate"]) == (0, 0, None)
    for index in range(3):
        cache.put(f"k{index}", {"violation": True, "confidence": 0.9})
    cache.record_run(hits=1, misses=3)
    cache.record_run(hits=0, misses=0)  # a run that asked nothing is not a run of the model tier
    cache.record_run(hits=5, misses=1)
    numbers = cache.stats()
    assert numbers["entries"] == 3
    assert numbers["size_bytes"] > 0
    assert (numbers["runs"], numbers["hits"], numbers["misses"]) == (2, 6, 4)
    assert numbers["hit_rate"] == pytest.approx(0.6)
    assert [(r["hits"], r["misses"]) for r in numbers["recent_runs"]] == [(5, 1), (1, 3)]
    cache.close()
    at_rest = cache.stats()["size_bytes"]
    (cache.directory / "prefix-states").mkdir()
    (cache.directory / "prefix-states" / "qwen.state").write_bytes(b"\0" * 4000)
    assert at_rest == (cache.directory / DB_NAME).stat().st_size
    assert cache.stats()["size_bytes"] == at_rest  # models and other caches kept beside it do not count


def test_only_the_last_runs_are_remembered(cache: VerdictCache) -> None:
    for index in range(RECENT_RUNS + 5):
        cache.record_run(hits=index, misses=1)
    numbers = cache.stats()
    assert numbers["runs"] == RECENT_RUNS
    kept = range(5, RECENT_RUNS + 5)
    assert numbers["hits"] == sum(kept) and numbers["misses"] == RECENT_RUNS
    assert _rows(cache.directory, "SELECT count(*) FROM runs") == [(RECENT_RUNS,)]


def test_reading_a_cache_that_does_not_exist_creates_nothing(cache_dir: Path) -> None:
    cache = VerdictCache(cache_dir)
    assert cache.get("k") is None
    assert cache.stats()["entries"] == 0
    assert cache.clear() == 0
    cache.close()
    assert not cache_dir.exists()
    assert cache.warnings == []


def test_clear_removes_entries_history_and_other_format_versions(cache: VerdictCache, cache_dir: Path) -> None:
    for index in range(4):
        cache.put(f"k{index}", {"violation": False, "confidence": 0.3})
    cache.record_run(hits=2, misses=2)
    old_format = cache_dir / "verdicts-v0.sqlite3"
    old_format.write_bytes(b"an older format")
    assert cache.clear() == 4
    assert cache.get("k0") is None
    numbers = cache.stats()
    assert (numbers["entries"], numbers["runs"]) == (0, 0)
    assert not old_format.exists()
    assert cache.clear() == 0


def test_least_recently_used_entries_are_trimmed_beyond_max_entries(cache_dir: Path) -> None:
    with VerdictCache(cache_dir, max_entries=3) as cache:
        for index in range(5):
            cache.put(f"k{index}", {"n": index})
            time.sleep(0.002)
    with VerdictCache(cache_dir, max_entries=3) as cache:
        assert cache.get("k0") == {"n": 0}  # used again: newest by use
        cache.record_run(cache.hits, cache.misses)
        assert sorted(row[0] for row in _rows(cache_dir, "SELECT key FROM verdicts")) == ["k0", "k3", "k4"]


# -- model identity ---------------------------------------------------------------------------


def _fake_gguf(path: Path, payload: bytes) -> Path:
    path.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + payload)
    return path


def test_model_identity_hashes_the_whole_file_once_and_remembers_it(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _fake_gguf(tmp_path / "qwen.gguf", os.urandom(3 << 20))
    whole = hashlib.sha256(model.read_bytes()).hexdigest()
    with VerdictCache(cache_dir) as cache:
        identity = cache.model_identity(model)
    assert identity == f"{model.resolve()}|{model.stat().st_size}|sha256:{whole}"

    def no_hashing(path: Path, shown: Path) -> str:
        raise AssertionError("hashed again")

    monkeypatch.setattr(cache_module, "_MODEL_DIGESTS", {})  # a new process: only the cache remembers
    monkeypatch.setattr(cache_module, "_file_sha256", no_hashing)
    with VerdictCache(cache_dir) as cache:
        assert cache.model_identity(model) == identity


def test_model_identity_changes_with_the_file(cache_dir: Path, tmp_path: Path) -> None:
    model = _fake_gguf(tmp_path / "model.gguf", b"\x01" * 4096)
    with VerdictCache(cache_dir) as cache:
        before = cache.model_identity(model)
        _fake_gguf(model, b"\x02" * 4096)  # same size, new content
        os.utime(model, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        after = cache.model_identity(model)
    assert before != after
    assert after.endswith(hashlib.sha256(model.read_bytes()).hexdigest())


def test_model_identity_of_a_missing_file_is_a_model_error(cache: VerdictCache, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing.gguf: cannot read model file"):
        cache.model_identity(tmp_path / "missing.gguf")


def test_model_identity_skips_hashing_when_the_cache_is_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _fake_gguf(tmp_path / "m.gguf", b"\x00" * 1024)
    (tmp_path / "file").write_text("x")
    cache = VerdictCache(tmp_path / "file" / "cache")
    cache.put("k", {"a": 1})
    assert not cache.enabled
    monkeypatch.setattr(cache_module, "_MODEL_DIGESTS", {})
    monkeypatch.setattr(cache_module, "_file_sha256", lambda path, shown: pytest.fail("hashed"))
    assert cache.model_identity(model).startswith(f"{model.resolve()}|{model.stat().st_size}|mtime:")


# -- static results by blob ------------------------------------------------------------------

RULE = """\
---
id: no-inline-colors
title: No inline colours
severity: warning
languages: [tsx]
role: code
detector: none
options:
  allow: []
---
Flags colours.
"""


# -- where it lives ---------------------------------------------------------------------------


def test_default_cache_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    monkeypatch.delenv("TINYARMS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir(None, root) == tmp_path / "xdg" / "tinyarms-lint"
    assert default_cache_dir(".cache/tinyarms", root) == root / ".cache" / "tinyarms"
    assert default_cache_dir(str(tmp_path / "abs"), root) == tmp_path / "abs"
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(tmp_path / "from-env"))
    assert default_cache_dir(".cache/tinyarms", root) == tmp_path / "from-env"
    monkeypatch.setenv("TINYARMS_CACHE_DIR", "shard-cache")
    assert default_cache_dir(None, root) == root / "shard-cache"


@pytest.mark.skipif(os.name == "nt", reason="Windows uses LOCALAPPDATA")
def test_default_cache_dir_without_xdg_is_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TINYARMS_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert default_cache_dir(None, tmp_path) == tmp_path / "home" / ".cache" / "tinyarms-lint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # the XDG spec: relative paths are ignored
    assert default_cache_dir(None, tmp_path) == tmp_path / "home" / ".cache" / "tinyarms-lint"


# -- several processes at once ----------------------------------------------------------------

WORKERS = 8
SHARED_REGIONS = 40
OWN_REGIONS = 15


def _judge(region: str) -> dict[str, Any]:
    """A deterministic stand-in for the model: what every process would decide for ``region``."""
    digest = hashlib.sha256(region.encode()).digest()
    return {"violation": digest[0] % 2 == 0, "confidence": round(digest[1] / 255, 4), "message": region[:20]}


def _worker(directory: str, worker: int, barrier: Any, results: Any) -> None:
    try:
        barrier.wait(timeout=60)
        cache = VerdictCache(Path(directory))
        decided: list[tuple[str, dict[str, Any]]] = []
        regions = [f"shared region {i}\n  color: #{i:06x};" for i in range(SHARED_REGIONS)]
        regions += [f"worker {worker} region {i}\n  margin: {i}px;" for i in range(OWN_REGIONS)]
        for region in regions:
            key = verdict_key(normalize_region_text(region), "no-hardcoded-colors", "model", "v1")
            verdict = cache.get(key)
            if verdict is None:
                verdict = _judge(region)
                cache.put(key, verdict)
            again = cache.get(key)
            assert again == verdict, f"read back {again!r} after storing {verdict!r}; warnings: {cache.warnings}"
            decided.append((region, verdict))
        cache.record_run(cache.hits, cache.misses)
        cache.close()
        results.put((worker, decided, cache.warnings, None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        results.put((worker, [], [], f"{exc.__class__.__name__}: {exc}"))


def _run_workers(directory: Path) -> list[tuple[int, list[tuple[str, dict[str, Any]]], list[str], str | None]]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    processes = [context.Process(target=_worker, args=(str(directory), n, barrier, results)) for n in range(WORKERS)]
    for process in processes:
        process.start()
    collected = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return sorted(collected, key=lambda item: item[0])


def _check_workers(directory: Path, collected: list[tuple[int, Any, list[str], str | None]]) -> None:
    assert [error for *_, error in collected] == [None] * WORKERS
    shared = [[v for region, v in decided if region.startswith("shared")] for _, decided, _, _ in collected]
    expected = [_judge(f"shared region {i}\n  color: #{i:06x};") for i in range(SHARED_REGIONS)]
    assert all(one == expected for one in shared)
    for worker, decided, _, _ in collected:
        own = [(r, v) for r, v in decided if not r.startswith("shared")]
        assert len(own) == OWN_REGIONS and all(v == _judge(r) for r, v in own), worker
    with VerdictCache(directory) as reader:
        numbers = reader.stats()
        assert numbers["entries"] == SHARED_REGIONS + WORKERS * OWN_REGIONS
        assert numbers["runs"] == WORKERS
        assert numbers["hits"] + numbers["misses"] == WORKERS * (SHARED_REGIONS + OWN_REGIONS) * 2
        assert reader.warnings == []


def test_eight_processes_share_a_new_cache(cache_dir: Path) -> None:
    collected = _run_workers(cache_dir)
    assert [warnings for _, _, warnings, _ in collected] == [[]] * WORKERS
    _check_workers(cache_dir, collected)


def test_eight_processes_meet_a_damaged_cache_at_once(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, mode=0o700)
    (cache_dir / DB_NAME).write_bytes(b"\x00garbage, not a database\x00" * 400)
    collected = _run_workers(cache_dir)
    for _, _, warnings, _ in collected:
        assert all("rebuilt it empty" in line for line in warnings)
    _check_workers(cache_dir, collected)
