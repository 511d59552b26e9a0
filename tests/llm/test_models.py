"""Model locations (environment, config, default), model identity, and the download's error paths."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tinyarms_lint.errors import ModelError
from tinyarms_lint.llm import models
from tinyarms_lint.llm.models import DEFAULTS, identity, locate, models_dir, pull


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TINYARMS_CODE_MODEL", raising=False)
    monkeypatch.delenv("TINYARMS_LANGUAGE_MODEL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def _gguf(path: Path, payload: bytes = b"weights") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"GGUF\x03\x00\x00\x00" + payload)
    return path


def test_default_location_is_in_the_xdg_cache(tmp_path: Path) -> None:
    location = locate("code", {}, tmp_path)
    assert models_dir() == tmp_path / "xdg" / "tinyarms-lint" / "models"
    assert location.path == models_dir() / DEFAULTS["code"].filename
    assert (location.source, location.repo) == ("default", "Qwen/Qwen2.5-Coder-3B-Instruct-GGUF")
    assert locate("language", {}, tmp_path).filename == "Qwen3-4B-Instruct-2507-Q4_K_M.gguf"
    assert not location.present


def test_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert models_dir() == Path.home() / ".cache" / "tinyarms-lint" / "models"


def test_environment_beats_config_beats_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configured = _gguf(tmp_path / "models" / "team.gguf")
    location = locate("code", {"code": "models/team.gguf"}, tmp_path)
    assert (location.path, location.source, location.repo) == (configured, "config models.code", None)
    override = _gguf(tmp_path / "elsewhere" / "mine.gguf")
    monkeypatch.setenv("TINYARMS_CODE_MODEL", str(override))
    location = locate("code", {"code": "models/team.gguf"}, tmp_path)
    assert (location.path, location.source) == (override, "env TINYARMS_CODE_MODEL")
    assert locate("language", {}, tmp_path).source == "default"


def test_config_may_name_a_hub_file(tmp_path: Path) -> None:
    location = locate(
        "code", {"code": "bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf"}, tmp_path
    )
    assert location.repo == "bartowski/Qwen2.5-Coder-7B-Instruct-GGUF"
    assert location.path == models_dir() / "Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf"


def test_missing_message_names_role_path_and_fixes(tmp_path: Path) -> None:
    message = locate("code", {}, tmp_path).missing_message()
    assert message.startswith("code model not found at ")
    assert str(models_dir() / DEFAULTS["code"].filename) in message
    assert "tinyarms-lint models pull code" in message
    assert '[tool.tinyarms-lint.models] code = "/path/to.gguf"' in message and "TINYARMS_CODE_MODEL" in message


def test_bad_config_value_and_unknown_role(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="models.code must be a path"):
        locate("code", {"code": 3}, tmp_path)
    with pytest.raises(ModelError, match="unknown model role"):
        locate("vision", {}, tmp_path)


def test_identity_is_stable_and_follows_the_content(tmp_path: Path) -> None:
    path = _gguf(tmp_path / "m.gguf", b"a" * 1000)
    first = identity(path)
    assert first == identity(path)
    name, size, digest = first.split("|")
    assert (name, int(size), len(digest)) == ("m.gguf", path.stat().st_size, 16)
    copy = _gguf(tmp_path / "moved" / "m.gguf", b"a" * 1000)
    assert identity(copy) == first  # a moved copy keeps its identity (calibration stays valid)
    _gguf(path, b"b" * 1000)
    assert identity(path) != first


def test_identity_rejects_a_file_that_is_not_gguf(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"<html>not found</html>")
    with pytest.raises(ModelError, match="not a GGUF"):
        identity(path)
    with pytest.raises(ModelError, match="cannot read"):
        identity(tmp_path / "missing.gguf")


def test_pull_without_huggingface_hub_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # makes the import fail
    with pytest.raises(ModelError, match=r"pip install 'tinyarms-lint\[llm\]'"):
        pull(locate("code", {}, tmp_path))


def test_pull_with_an_unreachable_hub_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("huggingface_hub")
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # the discard port: connection refused
    location = locate("code", {}, tmp_path)
    with pytest.raises(ModelError) as caught:
        pull(location)
    message = str(caught.value)
    assert "\n" not in message and "cannot reach the model hub at http://127.0.0.1:9" in message
    assert str(location.path) in message
    assert not location.path.exists()


def test_hub_failure_becomes_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = pytest.importorskip("huggingface_hub")
    from huggingface_hub.errors import LocalEntryNotFoundError

    def offline(*args: object, **kwargs: object) -> str:
        raise LocalEntryNotFoundError("Cannot find the requested files in the local cache. Check your connection.")

    monkeypatch.setattr(hub, "hf_hub_download", offline)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # no reachability probe either
    with pytest.raises(ModelError) as caught:
        pull(locate("code", {}, tmp_path))
    message = str(caught.value)
    assert message.startswith(
        "cannot download Qwen/Qwen2.5-Coder-3B-Instruct-GGUF/qwen2.5-coder-3b-instruct-q4_k_m.gguf"
    )
    assert "LocalEntryNotFoundError" in message and "\n" not in message


def test_pull_refuses_a_local_only_model(tmp_path: Path) -> None:
    _gguf(tmp_path / "own.gguf")
    with pytest.raises(ModelError, match="nothing to pull"):
        pull(locate("code", {"code": str(tmp_path / "own.gguf")}, tmp_path))


def test_models_module_does_not_import_heavy_packages() -> None:
    assert "llama_cpp" not in models.__dict__
