"""RemoteBackend against a real ModelServer (in a thread, fake backends) over a real unix socket: the
same answers and counters as in process, and a clean fallback when there is no usable server."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tinyarms_lint.errors import ModelError
from tinyarms_lint.llm.fake import FakeBackend
from tinyarms_lint.llm.llama import PromptTooLong
from tinyarms_lint.llm.remote import RemoteBackend
from tinyarms_lint.llm.server import ModelServer, ModelSpec, socket_path

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="unix sockets only")


def answer(prefix: str, suffix: str) -> float:
    if "enormous" in suffix:
        raise PromptTooLong("prompt of 5000 tokens does not fit the context of 4096")
    if "unloadable" in suffix:
        raise ModelError("cannot load model: out of memory")
    return len(suffix) / 10 - len(prefix) / 100


class LocalFake(FakeBackend):
    """A FakeBackend with the attributes of an in-process LlamaBackend (what RemoteBackend stands for)."""

    def __init__(self, path: Path, *, n_ctx: int = 4096, threads: int | None = None, name: str | None = None) -> None:
        super().__init__(answer, name=name or path.name, json_answer={"quote": "q", "message": "m"})
        self.path = path
        self.n_ctx = n_ctx
        self.threads = threads
        self.closed = False

    def close(self) -> None:
        self.closed = True


class Served:
    """A running server whose backends are LocalFakes, and the backends it made."""

    def __init__(self, server: ModelServer) -> None:
        self.server = server
        self.made: list[LocalFake] = []

    def factory(self, spec: ModelSpec) -> LocalFake:
        backend = LocalFake(spec.path, n_ctx=spec.n_ctx, threads=spec.threads)
        self.made.append(backend)
        return backend


@contextmanager
def serving(cache_dir: Path) -> Iterator[Served]:
    served = Served(None)  # type: ignore[arg-type]
    server = ModelServer(cache_dir, idle_timeout=None, factory=served.factory)
    served.server = server
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.stop()
        thread.join(10)


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "qwen-test.gguf"
    path.write_bytes(b"GGUF" + bytes(32))
    return path


def test_no_server_means_in_process(tmp_path: Path, model_file: Path) -> None:
    assert RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file)) is None


def test_stale_socket_means_in_process(tmp_path: Path, model_file: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(cache / "server.sock"))
    dead.close()
    assert RemoteBackend.connect(cache, "code", LocalFake(model_file)) is None


def test_answers_and_counters_equal_in_process(tmp_path: Path, model_file: Path) -> None:
    questions = [("rule one prefix", "code a"), ("rule one prefix", "code b c"), ("rule two", "code d")]
    local = LocalFake(model_file)
    expected = [local.margin(p, s) for p, s in questions]
    with serving(tmp_path / "cache") as served:
        remote = RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file))
        assert remote is not None and remote.on_server
        assert remote.identity() == local.identity() == "fake|qwen-test.gguf"
        assert [remote.margin(p, s) for p, s in questions] == expected
        assert (remote.prompt_tokens, remote.reused_tokens) == (local.prompt_tokens, local.reused_tokens)
        assert remote.count_tokens("one two three") == 3
        assert remote.generate_json("prompt", {"type": "object"}, 16) == {"quote": "q", "message": "m"}
        assert served.made[0].questions == questions
        remote.close()
        assert served.server.status()["models"][0]["questions"] == 3  # the server keeps the model


def test_slow_answers_are_waited_for(tmp_path: Path, model_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tinyarms_lint.llm import remote as remote_module

    monkeypatch.setattr(remote_module, "CONNECT_TIMEOUT", 0.2)  # connecting must be quick, answering need not
    fallback = LocalFake(model_file)
    with serving(tmp_path / "cache") as served:
        remote = RemoteBackend.connect(tmp_path / "cache", "code", fallback)
        assert remote is not None
        served.made[0].answer = lambda prefix, suffix: time.sleep(0.6) or 2.5  # a model load, say
        assert remote.margin("p", "s") == 2.5
        assert remote.on_server and fallback.questions == []
        remote.close()


def test_model_errors_come_back_as_model_errors(tmp_path: Path, model_file: Path) -> None:
    with serving(tmp_path / "cache"):
        remote = RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file))
        assert remote is not None
        with pytest.raises(PromptTooLong, match="does not fit"):
            remote.margin("p", "an enormous window")
        with pytest.raises(ModelError, match="out of memory"):
            remote.margin("p", "unloadable")
        assert remote.on_server  # still asking the server
        assert remote.margin("p", "fine") == answer("p", "fine")
        remote.close()


def test_server_gone_mid_run_falls_back_in_process(tmp_path: Path, model_file: Path) -> None:
    fallback = LocalFake(model_file)
    with serving(tmp_path / "cache") as served:
        remote = RemoteBackend.connect(tmp_path / "cache", "code", fallback)
        assert remote is not None
        assert remote.margin("prefix", "first") == answer("prefix", "first")
        served.server.stop()
    assert remote.margin("prefix", "second") == answer("prefix", "second")  # asked the fallback
    assert not remote.on_server
    assert fallback.questions == [("prefix", "second")]
    assert remote.count_tokens("a b") == 2
    assert remote.prompt_tokens == 1 + 1  # one question on the server, one in process
    remote.close()
    assert fallback.closed


def test_translations_for_fix_go_through_the_server_and_fall_back(tmp_path: Path, model_file: Path) -> None:
    """The judge's translate() needs nothing of the server but count_tokens and generate_json."""
    from tinyarms_lint.detectors import comment_language
    from tinyarms_lint.detectors.base import DetectContext
    from tinyarms_lint.llm.judge import ModelJudge
    from tinyarms_lint.regions import SourceFile
    from tinyarms_lint.rules import load_rules

    rule = load_rules([])["comment-language"]
    text = (
        "def total(items):\n    # Összeadja a tételek bruttó árát.\n    return 1\n\n# Lấy danh sách đơn hàng hiện tại\n"
    )
    file = SourceFile.parse("shop/total.py", "python", text.encode("utf-8"))
    first, second = comment_language.detect(file, rule, DetectContext(root=Path(".")))
    fallback = LocalFake(model_file)
    fallback.json_answer = {"translation": "Fetch the current orders"}
    with serving(tmp_path / "cache") as served:
        remote = RemoteBackend.connect(tmp_path / "cache", "language", fallback)
        assert remote is not None
        served.made[0].json_answer = {"translation": "Add up the gross price of the items."}
        judge = ModelJudge({"language": remote})
        assert judge.translate(rule, file, first) == "Add up the gross price of the items."
        assert len(served.made[0].generations) == 1 and fallback.generations == []
        served.server.stop()
    assert judge.translate(rule, file, second) == "Fetch the current orders"  # the server went away
    assert not remote.on_server and len(fallback.generations) == 1
    assert judge.calls == 2
    remote.close()


def test_a_second_client_reuses_the_loaded_model(tmp_path: Path, model_file: Path) -> None:
    with serving(tmp_path / "cache") as served:
        for run in range(3):
            remote = RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file))
            assert remote is not None
            remote.margin("p", f"run {run}")
            remote.close()
        assert len(served.made) == 1
        assert served.server.status()["loads"] == 1


def test_a_different_model_identity_is_not_used(tmp_path: Path, model_file: Path) -> None:
    with serving(tmp_path / "cache"):
        other = LocalFake(model_file, name="something-else")  # the server would answer for another model
        assert RemoteBackend.connect(tmp_path / "cache", "code", other) is None


def test_unreadable_model_means_in_process(tmp_path: Path) -> None:
    with serving(tmp_path / "cache"):
        assert RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(tmp_path / "missing.gguf")) is None


def test_cache_dir_open_to_others_is_not_trusted(tmp_path: Path, model_file: Path) -> None:
    with serving(tmp_path / "cache"):
        os.chmod(tmp_path / "cache", 0o777)
        assert RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file)) is None
        os.chmod(tmp_path / "cache", 0o700)
        assert RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file)) is not None


@contextmanager
def impostor(cache_dir: Path, hello: dict[str, object]) -> Iterator[list[bytes]]:
    """A listener that answers every line with ``hello``: an older or newer server, as far as we know."""
    cache_dir.mkdir(mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path(cache_dir)))
    listener.listen(1)
    seen: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        reader = conn.makefile("rb")
        for line in reader:
            seen.append(line)
            conn.sendall(json.dumps(hello).encode() + b"\n")
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        listener.close()


@pytest.mark.parametrize(
    "hello",
    [
        {"ok": True, "v": 2, "tool": "0.1.0", "pid": 1},
        {"ok": True, "v": 1, "tool": "0.0.1", "pid": 1},
        {"ok": False, "error": "version", "message": "this server speaks protocol 2"},
    ],
)
def test_incompatible_server_means_in_process(tmp_path: Path, model_file: Path, hello: dict[str, object]) -> None:
    from tinyarms_lint import __version__

    if hello.get("tool") == "0.1.0":
        hello = {**hello, "tool": __version__}
    with impostor(tmp_path / "cache", hello) as seen:
        assert RemoteBackend.connect(tmp_path / "cache", "code", LocalFake(model_file)) is None
    assert len(seen) == 1 and json.loads(seen[0])["op"] == "hello"  # it never got to see a question


def test_make_backend_uses_a_running_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("llama_cpp")
    from tinyarms_lint.config import Config
    from tinyarms_lint.llm.factory import make_backend
    from tinyarms_lint.llm.models import identity
    from tinyarms_lint.llm.worker import WorkerBackend

    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF" + os.urandom(256))
    monkeypatch.setenv("TINYARMS_CODE_MODEL", str(gguf))
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(tmp_path / "cache"))
    config = Config(root=tmp_path)
    local = make_backend("code", config)
    assert isinstance(local, WorkerBackend)  # no server: a child process of this run (nothing started yet)

    class SameModel(LocalFake):
        def identity(self) -> str:
            return identity(self.path)

    server = ModelServer(tmp_path / "cache", idle_timeout=None, factory=lambda spec: SameModel(spec.path))
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        remote = make_backend("code", config)
        assert isinstance(remote, RemoteBackend)
        assert remote.identity() == local.identity()
        assert remote.margin("p", "0123456789") == answer("p", "0123456789")
        assert isinstance(remote.fallback, WorkerBackend) and remote.fallback._process is None  # never started
        remote.close()
    finally:
        server.stop()
        thread.join(10)
