"""The warm model server behind ``tinyarms-lint serve``: keeps GGUF models loaded between runs and answers
the model tier's questions over a unix socket in the cache directory (remote.py is its client).

Protocol: one JSON object per line each way, over a connection that lasts one CLI run. Every request
carries ``"v": PROTOCOL_VERSION`` and an ``op`` (hello, status, open, margin, generate_json,
count_tokens, stop, and run: a whole check for the CLI, forked with the client's stdio, which ride on
that first line as SCM_RIGHTS descriptors; see forked_runs.py and launcher.py); every answer has ``ok``, and either the result or ``error`` (a kind: version,
bad_request, unknown_model, model, unavailable (cannot load), prompt_too_long, internal) with a one-line ``message``.

Each connection has its own thread, so a slow or silent client never blocks another; model operations
run one at a time under one lock (a llama.cpp context is not thread-safe). A model is loaded on its
first question and keeps its evaluated rule prefixes (LlamaBackend's prefix states) for later runs.

The socket is ``<cache dir>/server.sock``, mode 0600 in a 0700 directory; where the OS names the peer
(Linux), connections from another uid are refused. A path too long for a unix socket is replaced by
``/tmp/tinyarms-lint-<uid>/<hash of the cache dir>.sock``. One server per cache directory: it holds an
exclusive lock on ``<cache dir>/server.lock`` (which records its pid) for its whole life, so a second
server refuses to start, and a socket file found while the lock is free is stale and removed. After
``idle_timeout`` seconds without a request or an open connection the server exits, giving back the memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, locations
from ..errors import ModelError, ModelUnavailable, ServerError
from ..locations import MAX_SOCKET_PATH, SOCKET_NAME  # noqa: F401 - the names tests and clients know

if TYPE_CHECKING:
    import socket

    from .backend import Backend

# socket, struct and threading are imported where used: the CLI imports this module for socket_path()
# on every run with a model, and most runs find no server.

PROTOCOL_VERSION = 1
LOCK_NAME = "server.lock"
LOG_NAME = "server.log"
DEFAULT_IDLE_MINUTES = 30.0
# A request carries a rule prefix and a window of code; anything near this size is not ours.
MAX_REQUEST_BYTES = 16 << 20
# How often the accept loop looks at the stop flag and the idle clock.
POLL_SECONDS = 0.1
# On stop, checks still running get this long to finish and hand their exit codes to their clients.
RUN_GRACE_SECONDS = 15.0
# A second server started while a status probe holds the lock for a moment retries this long.
LOCK_RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class ModelSpec:
    """What a client asks the server to load: a GGUF file (resolved path) and the context settings."""

    path: Path
    n_ctx: int
    threads: int | None

    @property
    def key(self) -> str:
        return f"{self.path}|ctx={self.n_ctx}|threads={self.threads or 'auto'}"


BackendFactory = Callable[[ModelSpec], "Backend"]


# -- where the socket is ---------------------------------------------------------------------------


def socket_path(cache_dir: Path) -> Path:
    """The server's socket for ``cache_dir``: inside it, or under a per-user 0700 directory in /tmp when
    that path would be too long for a unix socket (the same cache directory always maps to one path)."""
    return Path(locations.socket_path(os.fspath(cache_dir), lambda: os.fspath(short_socket_dir())))


def short_socket_dir() -> Path:
    """``/tmp/tinyarms-lint-<uid>`` (the platform's temp dir where /tmp is missing): short socket paths."""
    return Path(locations.short_socket_dir())


def lock_path(cache_dir: Path) -> Path:
    return Path(os.path.abspath(cache_dir)) / LOCK_NAME


def private_directory(path: Path, *, create: bool) -> None:
    """Make sure ``path`` is a real directory of ours with no group or other access (created 0700 when
    ``create``); ServerError when it is a symlink, not a directory, or someone else's."""
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ServerError(f"cannot create {path}: {exc.strerror or exc}") from exc
    try:
        info = path.lstat()
    except OSError as exc:
        raise ServerError(f"cannot use {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise ServerError(f"{path} is not a directory")
    if os.name != "posix":
        return
    if info.st_uid != os.getuid():
        raise ServerError(f"{path} belongs to another user (uid {info.st_uid})")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        if not create:
            raise ServerError(f"{path} is open to other users (mode {mode:o})")
        os.chmod(path, mode & 0o700)


def peer_uid(conn: socket.socket) -> int | None:
    """The uid of the process at the other end of a unix socket, where the OS says (Linux); else None."""
    import socket
    import struct

    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    try:
        data = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    except OSError:
        return None
    _pid, uid, _gid = struct.unpack("3i", data)
    return int(uid)


def encode(message: dict[str, Any]) -> bytes:
    """One protocol line. ASCII JSON, so lone surrogates from odd source encodings survive the trip;
    infinite margins are written as ``Infinity``, which Python's json reads back."""
    return json.dumps(message, separators=(",", ":")).encode("ascii") + b"\n"


def lock_holder(cache_dir: Path) -> int | None:
    """The pid recorded by the server holding ``cache_dir``'s lock, or None when no process holds it.

    Probes with a shared lock taken and dropped at once (a server starting in that instant retries).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows has no unix sockets for us either
        return None
    path = lock_path(cache_dir)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = os.read(fd, 64).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


# -- the server ------------------------------------------------------------------------------------


@dataclass
class _Model:
    """One backend the server keeps, and what it knows about it."""

    spec: ModelSpec
    backend: Backend
    file_version: tuple[int, int, int]
    roles: set[str] = field(default_factory=set)
    questions: int = 0
    used: bool = False


class _BadRequest(Exception):
    """A request that does not follow the protocol; answered with ``bad_request``."""


def _file_version(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ino


def default_factory(cache_dir: Path) -> BackendFactory:
    """LlamaBackends (loaded on first use) that keep their prefix states under ``cache_dir``, like the CLI's."""

    def make(spec: ModelSpec) -> Backend:
        from .llama import LlamaBackend

        return LlamaBackend(spec.path, n_ctx=spec.n_ctx, threads=spec.threads, state_dir=cache_dir / "prefix-states")

    return make


class ModelServer:
    """Serves model questions for one cache directory until stopped or idle for ``idle_timeout`` seconds.

    ``start()`` takes the lock and binds the socket (ServerError when another server holds the lock);
    ``serve_forever()`` answers until ``stop()`` or the idle timeout, then releases everything.
    """

    def __init__(
        self,
        cache_dir: Path,
        *,
        idle_timeout: float | None = DEFAULT_IDLE_MINUTES * 60,
        factory: BackendFactory | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        import threading

        self.cache_dir = Path(os.path.abspath(cache_dir))
        self.socket_path = socket_path(self.cache_dir)
        self.idle_timeout = idle_timeout if idle_timeout else None
        self.factory = factory or default_factory(self.cache_dir)
        self.log = log or (lambda _line: None)
        self.requests = 0
        self.loads = 0
        self.runs = 0  # checks forked for the CLI (forked_runs.py)
        from .. import forked_runs

        self.package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        self.fingerprint: tuple[tuple[str, int, int], ...] | None = forked_runs.code_fingerprint()
        self.started_at = time.time()
        self._models: dict[str, _Model] = {}
        self._registry_lock = threading.Lock()  # the models dict
        self._model_lock = threading.Lock()  # every model operation, one at a time
        self._state_lock = threading.Lock()  # the activity counters below
        self._active = 0  # open connections
        self._busy = 0  # requests being answered
        self._running = 0  # forked checks not finished yet
        self._last_activity = time.monotonic()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._socket_inode: int | None = None
        self._lock_fd: int | None = None
        self._stopped_because = "stopped"

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Path:
        """Take the cache directory's server lock, remove a stale socket, bind and listen; the socket path."""
        import socket

        if not hasattr(socket, "AF_UNIX"):
            raise ServerError("the model server needs unix sockets, which this platform does not have")
        private_directory(self.cache_dir, create=True)
        if self.socket_path.parent != self.cache_dir:
            private_directory(self.socket_path.parent, create=True)
        self._take_lock()
        try:
            self._bind()
        except BaseException:
            self._release_lock()
            raise
        self.started_at = time.time()
        with self._state_lock:
            self._last_activity = time.monotonic()
        self.log(f"listening on {self.socket_path} (pid {os.getpid()}, idle timeout {self._idle_text()})")
        return self.socket_path

    def serve_forever(self) -> None:
        """Accept connections (one thread each) until stopped or idle; then release models, socket and lock."""
        import threading

        listener = self._listener
        if listener is None:
            raise ServerError("the server was not started")
        try:
            while not self._stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    if self._idle_expired():
                        self._stopped_because = f"idle for {self._idle_text()}"
                        break
                    continue
                except OSError:
                    if self._stop.is_set():
                        break
                    raise
                with self._state_lock:
                    self._active += 1
                    self._last_activity = time.monotonic()
                threading.Thread(target=self._serve_connection, args=(conn,), daemon=True).start()
        finally:
            self.close()

    def stop(self) -> None:
        """Ask the accept loop to finish (from any thread or a signal handler)."""
        self._stop.set()

    def close(self) -> None:
        """Release the models, remove our socket file and drop the lock. Safe to call twice."""
        self._stop.set()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
            self._listener = None
            self._remove_own_socket()
        deadline = time.monotonic() + RUN_GRACE_SECONDS  # checks in progress finish and get their exit codes
        while self._running and time.monotonic() < deadline:
            time.sleep(0.01)
        with self._model_lock, self._registry_lock:
            for model in self._models.values():
                with contextlib.suppress(Exception):
                    model.backend.close()
            self._models.clear()
        deadline = time.monotonic() + 2.0  # let answers in flight (the reply to "stop") reach their clients
        while self._busy and time.monotonic() < deadline:
            time.sleep(0.01)
        if self._lock_fd is not None:
            self.log(f"{self._stopped_because}: exiting after {self.requests} requests, {self.loads} model loads")
        self._release_lock()

    def status(self) -> dict[str, Any]:
        """What ``serve --status`` shows: pid, socket, uptime, idle time, counters and the models."""
        with self._state_lock:
            idle = time.monotonic() - self._last_activity
            active = self._active
        with self._registry_lock:
            models = [
                {
                    "path": str(m.spec.path),
                    "roles": sorted(m.roles),
                    "n_ctx": m.spec.n_ctx,
                    "threads": m.spec.threads,
                    "loaded": m.used,
                    "questions": m.questions,
                    "load_seconds": getattr(m.backend, "load_seconds", None) if m.used else None,
                }
                for m in self._models.values()
            ]
        return {
            "pid": os.getpid(),
            "tool": __version__,
            "v": PROTOCOL_VERSION,
            "socket": str(self.socket_path),
            "cache_dir": str(self.cache_dir),
            "started_at": self.started_at,
            "uptime_s": round(time.time() - self.started_at, 3),
            "idle_s": round(idle, 3) if not active else 0.0,
            "idle_timeout_s": self.idle_timeout,
            "connections": active,
            "requests": self.requests,
            "loads": self.loads,
            "runs": self.runs,
            "models": models,
        }

    # -- requests -----------------------------------------------------------------------------

    def answer(self, line: bytes) -> dict[str, Any]:
        """The answer to one request line (never raises for anything a client sends)."""
        try:
            request = json.loads(line)
        except (ValueError, RecursionError):
            return _error("bad_request", "a request is one JSON object per line")
        if not isinstance(request, dict):
            return _error("bad_request", "a request is one JSON object per line")
        if request.get("v") != PROTOCOL_VERSION:
            return _error("version", f"this server speaks protocol {PROTOCOL_VERSION} (tinyarms-lint {__version__})")
        with self._state_lock:
            self.requests += 1
        op = request.get("op")
        try:
            if op == "hello":
                return {"ok": True, "v": PROTOCOL_VERSION, "tool": __version__, "pid": os.getpid()}
            if op == "status":
                return {"ok": True, **self.status()}
            if op == "stop":
                self._stopped_because = "stopped on request"
                self.stop()
                return {"ok": True, "pid": os.getpid()}
            if op == "open":
                return self._open(request)
            if op in ("margin", "next_token_scores", "generate_json", "count_tokens"):
                return self._model_operation(str(op), request)
            return _error("bad_request", f"unknown op {op!r}")
        except _BadRequest as exc:
            return _error("bad_request", str(exc))
        except ModelError as exc:
            from .llama import PromptTooLong

            if isinstance(exc, ModelUnavailable):
                return _error("unavailable", str(exc))
            return _error("prompt_too_long" if isinstance(exc, PromptTooLong) else "model", str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad question must not take the server down
            self.log(f"internal error on {op!r}: {exc.__class__.__name__}: {exc}")
            return _error("internal", f"{exc.__class__.__name__}: {exc}")

    def _open(self, request: dict[str, Any]) -> dict[str, Any]:
        """Register (not load) the model a client will ask about; a file changed since is reloaded."""
        model = _field(request, "model", str)
        role = _field(request, "role", str)
        n_ctx = _field(request, "n_ctx", int)
        threads = request.get("threads")
        if not os.path.isabs(model) or n_ctx <= 0 or not (threads is None or (_is_int(threads) and threads > 0)):
            raise _BadRequest("open needs an absolute model path, n_ctx > 0 and threads > 0 or null")
        path = Path(model).resolve()
        try:
            version = _file_version(path)
        except OSError as exc:
            raise ModelError(f"{path}: cannot read model file ({exc.strerror or exc})") from exc
        spec = ModelSpec(path, n_ctx, threads)
        with self._registry_lock:
            current = self._models.get(spec.key)
        if current is not None and current.file_version != version:
            self.log(f"{path} changed on disk: dropping the loaded copy")
            with self._model_lock, self._registry_lock:
                current.backend.close()
                self._models.pop(spec.key, None)
            current = None
        if current is None:
            with self._registry_lock:
                current = self._models.get(spec.key)
                if current is None:
                    current = _Model(spec, self.factory(spec), version)
                    self._models[spec.key] = current
        current.roles.add(role)
        return {"ok": True, "model_id": spec.key, "identity": current.backend.identity()}

    def _model_operation(self, op: str, request: dict[str, Any]) -> dict[str, Any]:
        model_id = _field(request, "model_id", str)
        with self._registry_lock:
            model = self._models.get(model_id)
        if model is None:
            return _error("unknown_model", f"no model {model_id!r} is open on this server")
        with self._model_lock:
            backend = model.backend
            before = (backend.prompt_tokens, backend.reused_tokens, backend.generated_tokens)
            first = not model.used
            started = time.perf_counter()
            result: dict[str, Any]
            if op == "margin":
                result = {"margin": backend.margin(_field(request, "prefix", str), _field(request, "suffix", str))}
                model.questions += 1
            elif op == "next_token_scores":
                answers = _field(request, "answers", list)
                if not all(isinstance(a, str) for a in answers):
                    raise _BadRequest("answers must be a list of strings")
                scores_of = getattr(backend, "next_token_scores", None)
                if scores_of is None:
                    raise _BadRequest("this model backend cannot score next tokens")
                result = {"scores": scores_of(_field(request, "prefix", str), _field(request, "suffix", str), answers)}
                model.questions += 1
            elif op == "generate_json":
                schema = _field(request, "schema", dict)
                max_tokens = _field(request, "max_tokens", int)
                result = {"value": backend.generate_json(_field(request, "prompt", str), schema, max_tokens)}
            else:
                result = {"count": backend.count_tokens(_field(request, "text", str))}
            if first:
                model.used = True
                self.loads += 1
                self.log(
                    f"loaded {model.spec.path.name} for {', '.join(sorted(model.roles))}"
                    f" ({time.perf_counter() - started:.1f} s with the first question)"
                )
            after = (backend.prompt_tokens, backend.reused_tokens, backend.generated_tokens)
        counters = {
            "prompt_tokens": after[0] - before[0],
            "reused_tokens": after[1] - before[1],
            "generated_tokens": after[2] - before[2],
        }
        return {"ok": True, **result, "counters": counters}

    # -- connections --------------------------------------------------------------------------

    def _serve_connection(self, conn: socket.socket) -> None:
        try:
            uid = peer_uid(conn)
            if uid is not None and hasattr(os, "getuid") and uid != os.getuid():
                self.log(f"refused a connection from uid {uid}")
                return
            conn.settimeout(self.idle_timeout)  # a client silent that long is gone
            line, fds = _first_line(conn)
            if fds or _requested_op(line) == "run":
                self._run(conn, line, fds)
                return
            reader = conn.makefile("rb")
            while not self._stop.is_set():
                line = line or reader.readline(MAX_REQUEST_BYTES + 1)
                if not line:
                    return
                if len(line) > MAX_REQUEST_BYTES:
                    conn.sendall(encode(_error("bad_request", f"requests are limited to {MAX_REQUEST_BYTES} bytes")))
                    return
                with self._state_lock:
                    self._busy += 1
                    self._last_activity = time.monotonic()
                try:
                    conn.sendall(encode(self.answer(line)))
                    line = b""
                finally:
                    with self._state_lock:
                        self._busy -= 1
                        self._last_activity = time.monotonic()
        except OSError:  # the client went away or stayed silent past the timeout
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            with self._state_lock:
                self._active -= 1
                self._last_activity = time.monotonic()

    def _run(self, conn: socket.socket, line: bytes, fds: list[int]) -> None:
        """A check for the CLI (forked_runs.py): fork it with the client's stdio ``fds``, tell the client
        the child's pid, wait, and send its exit code. A refused run closes the fds and says why."""
        from .. import forked_runs

        try:
            try:
                request = json.loads(line)
            except (ValueError, RecursionError):
                raise forked_runs.RunRefused("a request is one JSON object per line") from None
            if not isinstance(request, dict) or request.get("op") != "run" or request.get("v") != PROTOCOL_VERSION:
                raise forked_runs.RunRefused(f"this server runs checks with protocol {PROTOCOL_VERSION}")
            if (request.get("tool"), request.get("package"), request.get("prefix")) != (
                __version__,
                self.package,
                sys.prefix,
            ):
                raise forked_runs.RunRefused(f"this server runs tinyarms-lint {__version__} from {self.package}")
            forked_runs.check_request(request, fds)
            if self.fingerprint is None or forked_runs.code_fingerprint() != self.fingerprint:
                # stale code answers nothing well: stop, so that the next `--warm` check starts a new server
                self._stopped_because = "tinyarms-lint's files changed on disk"
                self.stop()
                raise forked_runs.RunRefused("tinyarms-lint's files changed since this server started")
        except forked_runs.RunRefused as exc:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            conn.sendall(encode(_error("refused", str(exc))))
            return
        with self._state_lock:
            self.requests += 1
            self.runs += 1
            self._running += 1
        try:
            pid = forked_runs.start(request, fds)
            with contextlib.suppress(OSError):  # a client gone already: the check still runs to its end
                conn.sendall(encode({"ok": True, "pid": pid}))
            code = forked_runs.wait(pid)
            with contextlib.suppress(OSError):
                conn.sendall(encode({"ok": True, "exit": code}))
        finally:
            with self._state_lock:
                self._running -= 1

    def _idle_expired(self) -> bool:
        if self.idle_timeout is None:
            return False
        with self._state_lock:
            return self._active == 0 and time.monotonic() - self._last_activity >= self.idle_timeout

    def _idle_text(self) -> str:
        if self.idle_timeout is None:
            return "none"
        minutes = self.idle_timeout / 60
        return f"{minutes:g} min" if minutes >= 1 else f"{self.idle_timeout:g} s"

    # -- lock and socket files ----------------------------------------------------------------

    def _take_lock(self) -> None:
        import fcntl

        path = lock_path(self.cache_dir)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + LOCK_RETRY_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                text = os.read(fd, 64).decode("ascii", "replace").strip()
                os.close(fd)
                pid = f" (pid {text})" if text.isdigit() else ""
                raise ServerError(f"a model server is already running for {self.cache_dir}{pid}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_fd, 0)
            os.close(self._lock_fd)  # closing drops the lock
            self._lock_fd = None

    def _bind(self) -> None:
        import socket

        path = self.socket_path
        try:
            info = path.lstat()
        except FileNotFoundError:
            info = None
        if info is not None:
            if not stat.S_ISSOCK(info.st_mode):
                raise ServerError(f"{path} exists and is not a socket; remove it")
            path.unlink()  # we hold the lock, so no live server owns it: stale
            self.log(f"removed a stale socket {path}")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(path))
            os.chmod(path, 0o600)  # the directory is 0700 already: no one else could reach it meanwhile
            listener.listen(16)
            listener.settimeout(POLL_SECONDS)
        except OSError as exc:
            listener.close()
            raise ServerError(f"cannot listen on {path}: {exc.strerror or exc}") from exc
        self._socket_inode = path.lstat().st_ino
        self._listener = listener

    def _remove_own_socket(self) -> None:
        with contextlib.suppress(OSError):
            if self.socket_path.lstat().st_ino == self._socket_inode:
                self.socket_path.unlink()


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": kind, "message": message}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(request: dict[str, Any], name: str, kind: type[Any]) -> Any:
    value = request.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _BadRequest(f"{request.get('op')!r} needs {name} ({kind.__name__})")
    return value


def _requested_op(line: bytes) -> object:
    try:
        request = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return request.get("op") if isinstance(request, dict) else None


def _first_line(conn: socket.socket) -> tuple[bytes, list[int]]:
    """The connection's first request line and the file descriptors sent with it (a run's stdio).

    Read with ``recvmsg``, since descriptors ride on the bytes they were sent with; the protocol is one
    request, then its answer, so nothing follows the line before we answer.
    """
    import socket

    data, fds = b"", []
    while not data.endswith(b"\n") and len(data) <= MAX_REQUEST_BYTES:
        chunk, received, _flags, _address = socket.recv_fds(conn, 1 << 16, 3)
        fds.extend(received)
        if not chunk:
            break
        data += chunk
    return data, fds
