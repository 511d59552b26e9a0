"""The warm model server in this process (a thread), with the fake backend: the protocol over a real unix
socket, the lifecycle (lock, stale socket, stop, idle timeout), permissions and long cache paths."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tinyarms_lint.errors import ModelError, ServerError
from tinyarms_lint.llm.fake import FakeBackend
from tinyarms_lint.llm.llama import PromptTooLong
from tinyarms_lint.llm.server import (
    LOCK_NAME,
    MAX_SOCKET_PATH,
    PROTOCOL_VERSION,
    ModelServer,
    ModelSpec,
    lock_holder,
    socket_path,
)

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="unix sockets only")


def _answer_by_length(prefix: str, suffix: str) -> float:
    if "too long" in suffix:
        raise PromptTooLong("prompt of 9999 tokens does not fit the context of 4096")
    if "broken" in suffix:
        raise RuntimeError("the backend fell over")
    return float(len(prefix) - len(suffix))


class Factory:
    """Makes FakeBackends and remembers what it made."""

    def __init__(self, answer: Callable[[str, str], float] = _answer_by_length) -> None:
        self.answer = answer
        self.made: list[tuple[ModelSpec, FakeBackend]] = []

    def __call__(self, spec: ModelSpec) -> FakeBackend:
        backend = FakeBackend(self.answer, name=spec.path.name, json_answer={"quote": "x", "message": "m"})
        self.made.append((spec, backend))
        return backend


@contextmanager
def running(
    cache_dir: Path, factory: Factory | None = None, idle_timeout: float | None = None
) -> Iterator[ModelServer]:
    server = ModelServer(cache_dir, idle_timeout=idle_timeout, factory=factory or Factory())
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop()
        thread.join(10)
        assert not thread.is_alive()


class Client:
    """A raw protocol client: writes request lines, reads answer lines."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(str(path))
        self.reader = self.sock.makefile("rb")

    def send_line(self, data: bytes) -> dict[str, Any]:
        self.sock.sendall(data)
        line = self.reader.readline()
        assert line.endswith(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, op: str, **fields: Any) -> dict[str, Any]:
        return self.send_line(json.dumps({"v": PROTOCOL_VERSION, "op": op, **fields}).encode() + b"\n")

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "models" / "tiny.gguf"
    path.parent.mkdir()
    path.write_bytes(b"GGUF" + bytes(64))
    return path


def test_socket_and_cache_dir_are_private(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with running(cache) as server:
        assert server.socket_path == cache / "server.sock"
        info = server.socket_path.lstat()
        assert stat.S_ISSOCK(info.st_mode)
        assert stat.S_IMODE(info.st_mode) == 0o600
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700
        assert (cache / LOCK_NAME).read_text().strip() == str(os.getpid())
        assert lock_holder(cache) == os.getpid()
    assert not server.socket_path.exists()
    assert lock_holder(cache) is None


def test_a_cache_dir_open_to_others_is_tightened(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    os.chmod(cache, 0o755)
    with running(cache):
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_second_server_on_the_same_cache_dir_is_refused(tmp_path: Path) -> None:
    with running(tmp_path / "cache") as first:
        second = ModelServer(tmp_path / "cache", factory=Factory())
        with pytest.raises(ServerError, match=f"already running .*pid {os.getpid()}"):
            second.start()
        assert first.socket_path.exists()  # the refused server touched nothing
        client = Client(first.socket_path)
        assert client.ask("hello")["ok"] is True
        client.close()


def test_stale_socket_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(cache / "server.sock"))
    dead.close()  # a socket file nobody listens on, as a killed server leaves it
    with pytest.raises(ConnectionRefusedError):
        Client(cache / "server.sock")
    logged: list[str] = []
    server = ModelServer(cache, idle_timeout=None, factory=Factory(), log=logged.append)
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert logged[0] == f"removed a stale socket {cache / 'server.sock'}"
    client = Client(server.socket_path)
    assert client.ask("hello")["pid"] == os.getpid()
    client.close()
    server.stop()
    thread.join(10)


def test_a_file_in_the_socket_place_is_not_deleted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / "server.sock").write_text("not a socket")
    with pytest.raises(ServerError, match="not a socket"):
        ModelServer(cache, factory=Factory()).start()
    assert (cache / "server.sock").read_text() == "not a socket"
    assert lock_holder(cache) is None  # the lock was released on the way out


def test_long_cache_paths_get_a_short_socket(tmp_path: Path) -> None:
    cache = tmp_path / ("deeply-nested-cache-directory-" * 4) / "tinyarms-lint"
    assert len(os.fsencode(cache / "server.sock")) > MAX_SOCKET_PATH
    path = socket_path(cache)
    assert len(os.fsencode(path)) <= MAX_SOCKET_PATH
    assert path.name.endswith(".sock") and path.parent.name == f"tinyarms-lint-{os.getuid()}"
    assert socket_path(cache) == path  # stable: server and clients agree
    assert socket_path(cache.parent / "other") != path
    with running(cache) as server:
        assert server.socket_path == path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.lstat().st_mode) == 0o600
        assert (cache / LOCK_NAME).is_file()  # the lock stays in the cache directory
        client = Client(path)
        assert client.ask("hello")["ok"] is True
        client.close()
    assert not path.exists()


def test_short_socket_dir_must_be_a_private_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tinyarms_lint.llm import server as server_module

    cache = tmp_path / ("x" * 120)
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    with pytest.raises(ServerError, match="open to other users"):
        server_module.private_directory(shared, create=False)  # what clients check
    link = tmp_path / "link"
    link.symlink_to(shared)
    monkeypatch.setattr(server_module, "short_socket_dir", lambda: link)
    with pytest.raises(ServerError, match="not a directory"):
        ModelServer(cache, factory=Factory()).start()
    assert lock_holder(cache) is None
    monkeypatch.setattr(server_module, "short_socket_dir", lambda: shared)
    with running(cache) as server:  # a directory of ours that others could write to is tightened first
        assert server.socket_path.parent == shared
        assert stat.S_IMODE(shared.stat().st_mode) == 0o700


def test_protocol_hello_open_and_questions(tmp_path: Path, model_file: Path) -> None:
    factory = Factory()
    with running(tmp_path / "cache", factory) as server:
        client = Client(server.socket_path)
        hello = client.ask("hello")
        assert hello["ok"] is True and hello["v"] == PROTOCOL_VERSION and hello["pid"] == os.getpid()
        opened = client.ask("open", role="code", model=str(model_file), n_ctx=2048, threads=None)
        assert opened["ok"] is True
        assert opened["identity"] == "fake|tiny.gguf"
        assert factory.made == [(ModelSpec(model_file.resolve(), 2048, None), factory.made[0][1])]
        model_id = opened["model_id"]
        answer = client.ask("margin", model_id=model_id, prefix="rule text here", suffix="code")
        assert answer["ok"] is True and answer["margin"] == float(len("rule text here") - len("code"))
        assert answer["counters"] == {"prompt_tokens": 3, "reused_tokens": 0, "generated_tokens": 0}
        again = client.ask("margin", model_id=model_id, prefix="rule text here", suffix="other code")
        assert again["counters"] == {"prompt_tokens": 2, "reused_tokens": 3, "generated_tokens": 0}
        assert client.ask("count_tokens", model_id=model_id, text="a b c")["count"] == 3
        generated = client.ask("generate_json", model_id=model_id, prompt="p", schema={"type": "object"}, max_tokens=8)
        assert generated["value"] == {"quote": "x", "message": "m"}
        backend = factory.made[0][1]
        assert backend.questions == [("rule text here", "code"), ("rule text here", "other code")]
        status = client.ask("status")
        assert status["loads"] == 1
        assert status["models"][0]["questions"] == 2 and status["models"][0]["roles"] == ["code"]
        client.close()


def test_model_errors_are_answers_not_crashes(tmp_path: Path, model_file: Path) -> None:
    with running(tmp_path / "cache") as server:
        client = Client(server.socket_path)
        model_id = client.ask("open", role="code", model=str(model_file), n_ctx=2048, threads=2)["model_id"]
        too_long = client.ask("margin", model_id=model_id, prefix="p", suffix="too long")
        assert too_long["ok"] is False and too_long["error"] == "prompt_too_long"
        assert "does not fit" in too_long["message"]
        broken = client.ask("margin", model_id=model_id, prefix="p", suffix="broken")
        assert broken == {"ok": False, "error": "internal", "message": "RuntimeError: the backend fell over"}
        assert client.ask("margin", model_id=model_id, prefix="p", suffix="s")["ok"] is True  # still serving
        missing = client.ask("open", role="code", model=str(model_file.parent / "gone.gguf"), n_ctx=2048)
        assert missing["ok"] is False and missing["error"] == "model" and "gone.gguf" in missing["message"]
        client.close()


def test_bad_requests_get_one_line_errors(tmp_path: Path, model_file: Path) -> None:
    with running(tmp_path / "cache") as server:
        client = Client(server.socket_path)
        assert client.send_line(b"this is not json\n")["error"] == "bad_request"
        assert client.send_line(b"[1, 2]\n")["error"] == "bad_request"
        assert client.send_line(b'{"op": "hello"}\n')["error"] == "version"
        assert client.send_line(b'{"v": 99, "op": "hello"}\n')["error"] == "version"
        assert client.ask("fly")["error"] == "bad_request"
        assert client.ask("margin", model_id="nothing", prefix="p", suffix="s")["error"] == "unknown_model"
        assert client.ask("margin", model_id=7, prefix="p", suffix="s")["error"] == "bad_request"
        relative = client.ask("open", role="code", model="models/tiny.gguf", n_ctx=2048)
        assert relative["error"] == "bad_request"
        assert client.ask("open", role="code", model=str(model_file), n_ctx=True)["error"] == "bad_request"
        assert client.ask("hello")["ok"] is True  # the connection survived all of it
        client.close()


def test_oversized_request_closes_the_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tinyarms_lint.llm import server as server_module

    monkeypatch.setattr(server_module, "MAX_REQUEST_BYTES", 1000)
    with running(tmp_path / "cache") as server:
        client = Client(server.socket_path)
        answer = client.send_line(b'{"v": 1, "op": "hello", "pad": "' + b"x" * 2000 + b'"}\n')
        assert answer["error"] == "bad_request" and "limited" in answer["message"]
        assert client.reader.readline() == b""  # closed
        client.close()
        other = Client(server.socket_path)
        assert other.ask("hello")["ok"] is True
        other.close()


def test_two_roles_on_one_file_share_one_backend_and_one_load(tmp_path: Path, model_file: Path) -> None:
    factory = Factory()
    with running(tmp_path / "cache", factory) as server:
        first, second = Client(server.socket_path), Client(server.socket_path)
        code = first.ask("open", role="code", model=str(model_file), n_ctx=4096)
        language = second.ask("open", role="language", model=str(model_file), n_ctx=4096)
        assert code["model_id"] == language["model_id"]
        assert len(factory.made) == 1
        other_ctx = first.ask("open", role="code", model=str(model_file), n_ctx=2048)
        assert other_ctx["model_id"] != code["model_id"] and len(factory.made) == 2
        first.ask("margin", model_id=code["model_id"], prefix="p", suffix="s")
        second.ask("margin", model_id=code["model_id"], prefix="p", suffix="s")
        status = first.ask("status")
        assert status["loads"] == 1
        shared = next(m for m in status["models"] if m["n_ctx"] == 4096)
        assert shared["roles"] == ["code", "language"] and shared["questions"] == 2
        first.close()
        second.close()


def test_a_model_file_changed_on_disk_is_reopened(tmp_path: Path, model_file: Path) -> None:
    factory = Factory()
    with running(tmp_path / "cache", factory) as server:
        client = Client(server.socket_path)
        model_id = client.ask("open", role="code", model=str(model_file), n_ctx=4096)["model_id"]
        client.ask("margin", model_id=model_id, prefix="p", suffix="s")
        model_file.write_bytes(b"GGUF" + bytes(128))  # a new download of the same file name
        assert client.ask("open", role="code", model=str(model_file), n_ctx=4096)["model_id"] == model_id
        client.ask("margin", model_id=model_id, prefix="p", suffix="s")
        assert len(factory.made) == 2
        assert [len(backend.questions) for _, backend in factory.made] == [1, 1]
        assert client.ask("status")["loads"] == 2
        client.close()


def test_model_operations_never_overlap(tmp_path: Path, model_file: Path) -> None:
    inside = threading.Lock()
    overlaps: list[str] = []

    def slow(prefix: str, suffix: str) -> float:
        if not inside.acquire(blocking=False):
            overlaps.append(suffix)
            return 0.0
        time.sleep(0.02)
        inside.release()
        return 1.0

    with running(tmp_path / "cache", Factory(slow)) as server:

        def ask_many(name: str) -> None:
            client = Client(server.socket_path)
            model_id = client.ask("open", role="code", model=str(model_file), n_ctx=4096)["model_id"]
            for index in range(8):
                assert client.ask("margin", model_id=model_id, prefix="p", suffix=f"{name}{index}")["margin"] == 1.0
            client.close()

        threads = [threading.Thread(target=ask_many, args=(name,)) for name in "abc"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert overlaps == []
        status = Client(server.socket_path).ask("status")
        assert status["models"][0]["questions"] == 24


def test_a_silent_client_does_not_block_others(tmp_path: Path) -> None:
    with running(tmp_path / "cache") as server:
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        silent.connect(str(server.socket_path))
        silent.sendall(b'{"v": 1, "op": "hel')  # half a line, then nothing
        client = Client(server.socket_path)
        assert client.ask("hello")["ok"] is True
        client.close()
        silent.close()


def test_stop_request_ends_the_server_and_releases_everything(tmp_path: Path, model_file: Path) -> None:
    factory = Factory()
    server = ModelServer(tmp_path / "cache", idle_timeout=None, factory=factory)
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = Client(server.socket_path)
    model_id = client.ask("open", role="code", model=str(model_file), n_ctx=4096)["model_id"]
    client.ask("margin", model_id=model_id, prefix="p", suffix="s")
    assert client.ask("stop") == {"ok": True, "pid": os.getpid()}
    thread.join(10)
    assert not thread.is_alive()
    assert not server.socket_path.exists()
    assert lock_holder(tmp_path / "cache") is None
    client.close()
    with pytest.raises((FileNotFoundError, ConnectionRefusedError)):
        Client(server.socket_path)
    # the cache directory is free for the next server
    with running(tmp_path / "cache") as again:
        assert again.socket_path.exists()


def test_idle_timeout_gives_the_memory_back(tmp_path: Path, model_file: Path) -> None:
    closed: list[str] = []

    class Closing(Factory):
        def __call__(self, spec: ModelSpec) -> FakeBackend:
            backend = super().__call__(spec)
            backend.close = lambda: closed.append(spec.path.name)  # type: ignore[method-assign]
            return backend

    server = ModelServer(tmp_path / "cache", idle_timeout=0.6, factory=Closing())
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    started = time.monotonic()
    thread.start()
    client = Client(server.socket_path)
    model_id = client.ask("open", role="code", model=str(model_file), n_ctx=4096)["model_id"]
    # an open connection is activity: the server stays while the run that holds it goes on
    for _ in range(4):
        time.sleep(0.3)
        assert client.ask("margin", model_id=model_id, prefix="p", suffix="s")["ok"] is True
    time.sleep(0.9)
    assert thread.is_alive()  # connected, even if silent for longer than the timeout
    client.close()
    thread.join(10)
    assert not thread.is_alive()
    assert time.monotonic() - started >= 0.6 + 1.2 + 0.6
    assert closed == ["tiny.gguf"]
    assert not server.socket_path.exists()
    assert lock_holder(tmp_path / "cache") is None


def test_idle_server_without_clients_exits(tmp_path: Path) -> None:
    server = ModelServer(tmp_path / "cache", idle_timeout=0.3, factory=Factory())
    server.start()
    started = time.monotonic()
    server.serve_forever()  # returns by itself
    assert 0.3 <= time.monotonic() - started < 5
    assert not server.socket_path.exists()


def test_model_errors_raised_by_the_factory_are_answers(tmp_path: Path, model_file: Path) -> None:
    def refuse(spec: ModelSpec) -> FakeBackend:
        raise ModelError(f"cannot load model {spec.path}: bad magic")

    server = ModelServer(tmp_path / "cache", idle_timeout=None, factory=refuse)  # type: ignore[arg-type]
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = Client(server.socket_path)
    answer = client.ask("open", role="code", model=str(model_file), n_ctx=4096)
    assert answer["ok"] is False and answer["error"] == "model" and "bad magic" in answer["message"]
    client.close()
    server.stop()
    thread.join(10)
