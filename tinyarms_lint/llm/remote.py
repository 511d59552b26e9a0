"""The client of the warm model server (server.py): a Backend whose questions go over the unix socket.

``RemoteBackend.connect`` answers None unless a compatible server (same protocol and tool version, our
uid, the same model file) answers at once, and the caller then uses its own backend. A server that goes
away during a run is replaced by the backend given as the fallback (the model in a child process,
worker.py, so that a crash there cannot end the run either), loaded then.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .. import __version__
from ..errors import ModelError, ModelUnavailable
from .backend import Backend
from .server import PROTOCOL_VERSION, encode, peer_uid, socket_path

if TYPE_CHECKING:
    import socket

T = TypeVar("T")

# The server answers hello from its accept loop at once; a busy machine (a CI runner compiling beside
# it) still does so within this. Giving up means loading a second copy of the model in this process.
CONNECT_TIMEOUT = 10.0
# A question waits behind other clients' questions, and the first one behind the model load.
REQUEST_TIMEOUT = 600.0


class LocalModel(Backend, Protocol):
    """The in-process backend a RemoteBackend stands for (LlamaBackend): its file and context settings."""

    path: Path
    n_ctx: int
    threads: int | None


class ServerGone(Exception):
    """The server closed the connection, did not answer in time, or answered outside the protocol."""


class Connection:
    """One JSON-lines conversation with the server."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._reader = sock.makefile("rb")

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """The server's answer to ``op``; ServerGone when there is none."""
        try:
            self._sock.sendall(encode({"v": PROTOCOL_VERSION, "op": op, **fields}))
            line = self._reader.readline()
        except (OSError, ValueError) as exc:  # ValueError: the message could not be encoded
            raise ServerGone(str(exc) or exc.__class__.__name__) from exc
        if not line:
            raise ServerGone("the server closed the connection")
        try:
            answer = json.loads(line)
        except ValueError as exc:
            raise ServerGone("the server answered outside the protocol") from exc
        if not isinstance(answer, dict):
            raise ServerGone("the server answered outside the protocol")
        return answer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._reader.close()
            self._sock.close()


def open_connection(cache_dir: Path, *, timeout: float | None = None) -> tuple[Connection, dict[str, Any]] | None:
    """A connection to the server for ``cache_dir`` and its hello answer, or None when none answers.

    The hello answer may be of another protocol or tool version; callers decide what they accept.
    A socket that is not ours (another owner, or a directory others can write to) is never used.
    """
    path = socket_path(cache_dir)
    try:
        info = path.lstat()
        folder = path.parent.lstat()
    except OSError:
        return None  # the common case, no server: decided without importing socket
    if not stat.S_ISSOCK(info.st_mode):
        return None
    if hasattr(os, "getuid") and (
        info.st_uid != os.getuid() or folder.st_uid != os.getuid() or stat.S_IMODE(folder.st_mode) & 0o022
    ):
        return None
    import socket

    if not hasattr(socket, "AF_UNIX"):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_TIMEOUT if timeout is None else timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    uid = peer_uid(sock)
    if uid is not None and hasattr(os, "getuid") and uid != os.getuid():
        sock.close()
        return None
    connection = Connection(sock)
    try:
        hello = connection.request("hello", tool=__version__)
    except ServerGone:
        connection.close()
        return None
    sock.settimeout(REQUEST_TIMEOUT)  # from now on answers may wait for a model load or other clients
    return connection, hello


def compatible(hello: dict[str, Any]) -> bool:
    """True when the server speaks our protocol and runs the same tool version (same margins)."""
    return hello.get("ok") is True and hello.get("v") == PROTOCOL_VERSION and hello.get("tool") == __version__


class RemoteBackend:
    """A model held by the warm server; falls back to ``fallback`` (loaded then) if the server goes away."""

    def __init__(self, connection: Connection, model_id: str, identity: str, fallback: Backend) -> None:
        self.prompt_tokens = 0
        self.reused_tokens = 0
        self.generated_tokens = 0
        self.model_id = model_id
        self.fallback = fallback
        self._connection: Connection | None = connection
        self._identity = identity

    @classmethod
    def connect(cls, cache_dir: Path, role: str, fallback: LocalModel) -> RemoteBackend | None:
        """The server's copy of ``fallback``'s model, or None when no compatible server answers for
        ``cache_dir`` (the caller then uses ``fallback`` itself)."""
        opened = open_connection(cache_dir)
        if opened is None:
            return None
        connection, hello = opened
        try:
            if not compatible(hello):
                raise ServerGone(f"incompatible server: {hello.get('tool')!r}, protocol {hello.get('v')!r}")
            identity = fallback.identity()
            answer = connection.request(
                "open",
                role=role,
                model=os.path.abspath(fallback.path),
                n_ctx=fallback.n_ctx,
                threads=fallback.threads,
            )
            if answer.get("ok") is not True or answer.get("identity") != identity:
                raise ServerGone("the server cannot open this model")
            model_id = answer.get("model_id")
            if not isinstance(model_id, str):
                raise ServerGone("the server answered outside the protocol")
        except (ServerGone, ModelError):
            connection.close()
            return None
        return cls(connection, model_id, identity, fallback)

    @property
    def on_server(self) -> bool:
        """False once the server went away and the questions go to the in-process fallback."""
        return self._connection is not None

    # -- the Backend protocol -----------------------------------------------------------------

    def identity(self) -> str:
        return self._identity

    def margin(self, prefix: str, suffix: str) -> float:
        answer = self._ask("margin", prefix=prefix, suffix=suffix)
        if answer is not None and isinstance(answer.get("margin"), (int, float)):
            return float(answer["margin"])
        return self._locally(lambda backend: backend.margin(prefix, suffix))

    def next_token_scores(self, prefix: str, suffix: str, answers: Sequence[str]) -> dict[str, float]:
        answer = self._ask("next_token_scores", prefix=prefix, suffix=suffix, answers=list(answers))
        scores = answer.get("scores") if answer is not None else None
        if isinstance(scores, dict) and all(isinstance(v, (int, float)) for v in scores.values()):
            return {str(k): float(v) for k, v in scores.items()}
        return self._locally(lambda backend: backend.next_token_scores(prefix, suffix, answers))  # type: ignore[attr-defined]

    def generate_json(self, prompt: str, schema: dict[str, Any], max_tokens: int) -> dict[str, Any] | None:
        answer = self._ask("generate_json", prompt=prompt, schema=schema, max_tokens=max_tokens)
        if answer is not None:
            value = answer.get("value")
            return value if isinstance(value, dict) else None
        return self._locally(lambda backend: backend.generate_json(prompt, schema, max_tokens))

    def count_tokens(self, text: str) -> int:
        answer = self._ask("count_tokens", text=text)
        if answer is not None and isinstance(answer.get("count"), int):
            return int(answer["count"])
        return self._locally(lambda backend: backend.count_tokens(text))

    def close(self) -> None:
        """Hang up (the server keeps the model) and release the fallback if it was ever used."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.fallback.close()

    # -- internals ----------------------------------------------------------------------------

    def _ask(self, op: str, **fields: Any) -> dict[str, Any] | None:
        """The server's answer, or None once there is no usable server (later questions go to the fallback).

        A model error on the server (a prompt too long, a model that cannot load) is raised as here.
        """
        if self._connection is None:
            return None
        try:
            answer = self._connection.request(op, model_id=self.model_id, **fields)
        except ServerGone:
            answer = None
        if answer is not None and answer.get("ok") is not True:
            kind, message = answer.get("error"), str(answer.get("message") or "model server error")
            if kind == "prompt_too_long":
                from .llama import PromptTooLong

                raise PromptTooLong(message)
            if kind == "model":
                raise ModelError(message)
            if kind == "unavailable":  # the server cannot load this model; neither could the fallback
                raise ModelUnavailable(message)
            answer = None  # anything else: this server cannot serve us
        if answer is None:
            self._connection.close()
            self._connection = None
            return None
        counters = answer.get("counters")
        if isinstance(counters, dict):
            self.prompt_tokens += _count(counters.get("prompt_tokens"))
            self.reused_tokens += _count(counters.get("reused_tokens"))
            self.generated_tokens += _count(counters.get("generated_tokens"))
        return answer

    def _locally(self, question: Callable[[Backend], T]) -> T:
        backend = self.fallback
        before = (backend.prompt_tokens, backend.reused_tokens, backend.generated_tokens)
        try:
            return question(backend)
        finally:
            self.prompt_tokens += backend.prompt_tokens - before[0]
            self.reused_tokens += backend.reused_tokens - before[1]
            self.generated_tokens += backend.generated_tokens - before[2]


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
