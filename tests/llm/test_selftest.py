"""The self-test record: results kept per build key in the cache directory, damaged files ignored."""

from __future__ import annotations

from pathlib import Path

from tinyarms_lint.llm.selftest import RECORD_NAME, SelfTestRecord, SelfTestResult, build_key


def test_results_are_kept_per_key(tmp_path: Path) -> None:
    record = SelfTestRecord(tmp_path / "cache")
    assert record.get("a") is None
    record.put("a", SelfTestResult(False, "SIGILL", "llama-cpp-python crashed on this CPU (SIGILL)", 1.0))
    record.put("b", SelfTestResult(True, when=2.0))
    again = SelfTestRecord(tmp_path / "cache")
    assert again.get("a") == SelfTestResult(False, "SIGILL", "llama-cpp-python crashed on this CPU (SIGILL)", 1.0)
    assert again.get("b") == SelfTestResult(True, when=2.0)


def test_a_damaged_record_is_a_retest_not_an_error(tmp_path: Path) -> None:
    (tmp_path / RECORD_NAME).write_text("{not json")
    record = SelfTestRecord(tmp_path)
    assert record.get("a") is None
    record.put("a", SelfTestResult(True))
    assert record.get("a") == SelfTestResult(True)
    (tmp_path / RECORD_NAME).write_text('{"a": {"ok": "yes"}}')
    assert record.get("a") is None


def test_an_unwritable_cache_only_costs_a_retest(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    record = SelfTestRecord(blocked / "cache")  # a file where the directory should be
    record.put("a", SelfTestResult(True))
    assert record.get("a") is None


def test_the_build_key_is_stable() -> None:
    assert build_key() == build_key() and len(build_key()) == 32
