"""The ``tinyarms-lint`` entry point: hands a check to the warm server when one runs, else runs the CLI
in this process.

``tinyarms-lint serve`` keeps a process with everything imported and built; a check handed to it is
forked there (forked_runs.py) with this process's arguments, directory, environment and stdin, stdout
and stderr, so its output and exit code are the ones this process would have produced. What is left
here is the interpreter's start and one round trip, so this module imports nothing heavy: ``_socket``
rather than ``socket`` (which pulls in ``selectors`` and ``enum``), ``os.path`` rather than pathlib.

No server, a server of another version or whose files changed, a sub-command other than ``check``,
``--config``, or ``TINYARMS_NO_SERVER=1``: the check runs here, as it always did.
"""

from __future__ import annotations

import os
import sys

from . import __version__, locations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (5 ms at every start)
if TYPE_CHECKING:
    import _socket

# Sub-commands and options that are not a check (the CLI's default command) run here.
_NOT_A_CHECK = frozenset(
    {"test", "cache", "models", "serve", "lsp", "mcp", "merge", "rules", "-h", "--help", "--version"}
)
# The server answers at once from its accept loop; a busy machine still does within this.
CONNECT_TIMEOUT = 10.0
PROTOCOL_VERSION = 1  # llm/server.py's PROTOCOL_VERSION (tests/test_launcher.py checks they agree)
EXIT_ERROR = 2


def run() -> int:
    """Run ``tinyarms-lint`` with ``sys.argv``: in the warm server when one answers, else here."""
    argv = sys.argv[1:]
    if _may_hand_off(argv):
        code = hand_off(argv)
        if code is not None:
            return code
        if "--warm" in _options(argv):
            start_server()
    from .cli import run as run_here

    return run_here(argv)


def _may_hand_off(argv: list[str]) -> bool:
    if os.environ.get("TINYARMS_NO_SERVER", "").strip() not in ("", "0"):
        return False
    if os.name != "posix" or not hasattr(os, "fork"):
        return False
    if argv and argv[0] in _NOT_A_CHECK:
        return False
    return not any(arg == "--config" or arg.startswith("--config=") for arg in _options(argv))


def _options(argv: list[str]) -> list[str]:
    """The arguments before ``--`` (after it, ``--warm`` is a file name)."""
    return argv[: argv.index("--")] if "--" in argv else argv


def hand_off(argv: list[str]) -> int | None:
    """The exit code of ``argv`` run by the warm server, or None when no server takes it (nothing was
    written to stdout or stderr then, so the caller can run it here)."""
    folder = server_cache_dir()
    if folder is None:
        return None
    path = locations.socket_path(folder)
    try:
        info = os.lstat(path)
    except OSError:
        return None  # the common case: no server
    if info.st_uid != os.getuid() or (info.st_mode & 0o170000) != 0o140000:  # ours, and a socket
        return None
    import _socket  # socket.py's own core, without the imports socket.py adds for other uses

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT)
        sock.connect(path)
        if _peer_uid(sock) not in (None, os.getuid()):
            return None
        stdio = [0, 1, 2]
        for fd in stdio:
            os.fstat(fd)  # a closed stdin or stdout: run here, where the CLI handles it
        fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in stdio)
        request = _request(argv)
        sent = sock.sendmsg([request], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        if sent < len(request):  # the descriptors went with the first part
            sock.sendall(request[sent:])
        reader = _Lines(sock)
        started = reader.next() or {}
        pid = started.get("pid")
        if started.get("ok") is not True or not isinstance(pid, int):
            return None  # refused (another version, files changed) or gone: nothing ran
        sock.settimeout(None)  # a run takes as long as it takes
        return _wait(reader, pid)
    except OSError:
        return None
    finally:
        sock.close()


def start_server() -> None:
    """Start ``tinyarms-lint serve`` from this installation in the background, detached and silent, for
    the checks after this one (``--warm``); this check does not wait for it. A server that cannot start
    (another one holds the cache directory) leaves the checks running in their own processes."""
    folder = server_cache_dir()
    if folder is None:
        return
    import subprocess

    command = [sys.executable, "-m", "tinyarms_lint", "serve", "--cache-dir", folder]
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        pass


def server_cache_dir() -> str | None:
    """The cache directory this run would use, found without loading the config module: None when it
    cannot be told cheaply (git's location set by environment variables, an unreadable config)."""
    from_env = os.environ.get("TINYARMS_CACHE_DIR", "").strip()
    if from_env and os.path.isabs(os.path.expanduser(from_env)):
        return locations.cache_dir(None, "/")
    if "GIT_DIR" in os.environ or "GIT_WORK_TREE" in os.environ:
        return None
    root = _repository_root(os.getcwd())
    known, configured = _configured_cache_dir(root)
    return locations.cache_dir(configured, root) if known else None


def _repository_root(folder: str) -> str:
    """The nearest folder holding ``.git`` (a directory, or a file in worktrees), else ``folder``."""
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return folder
        current = parent


def _configured_cache_dir(root: str) -> tuple[bool, str | None]:
    """(known, ``cache_dir``) from the config file config.py would read: (True, None) when unset,
    (False, None) when the file cannot be read here."""
    for name in (".tinyarms.toml", "pyproject.toml"):
        try:
            with open(os.path.join(root, name), "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if name == "pyproject.toml" and b"tool.tinyarms-lint" not in data:
            continue
        if b"cache_dir" not in data:
            return True, None
        try:
            import tomllib

            table = tomllib.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return False, None
        tool = table.get("tool", {}).get("tinyarms-lint")
        value = (tool if isinstance(tool, dict) else table).get("cache_dir")
        return (True, value) if isinstance(value, str) else (value is None, None)
    return True, None


def _request(argv: list[str]) -> bytes:
    import json

    stdout = sys.stdout
    request = {
        "v": PROTOCOL_VERSION,
        "op": "run",
        "tool": __version__,
        "package": os.path.dirname(os.path.realpath(__file__)),
        "prefix": sys.prefix,  # the environment: its dependencies are the ones the run will use
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": _umask(),
        "encoding": getattr(stdout, "encoding", None) or "utf-8",
        "errors": getattr(stdout, "errors", None) or "strict",
    }
    return json.dumps(request, separators=(",", ":")).encode("ascii") + b"\n"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _peer_uid(sock: _socket.socket) -> int | None:
    """The uid of the server's process (Linux); None where the OS does not say."""
    import _socket

    option = getattr(_socket, "SO_PEERCRED", None)
    if option is None:
        return None
    data = sock.getsockopt(_socket.SOL_SOCKET, option, 12)
    return int.from_bytes(data[4:8], sys.byteorder, signed=True)  # struct ucred: pid, uid, gid


class _Lines:
    """JSON lines from the server."""

    def __init__(self, sock: _socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def next(self) -> dict[str, object] | None:
        """The next answer; None when the connection ends or breaks (never an exception: once a check
        has started, a broken connection must not make the caller run it a second time)."""
        while b"\n" not in self.buffer:
            try:
                chunk = self.sock.recv(4096)
            except OSError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        import json

        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None


def _wait(reader: _Lines, pid: int) -> int:
    """Forward Ctrl-C and termination to the run in ``pid``; its exit code, sent when it ends."""
    import signal

    def forward(signo: int, _frame: object) -> None:
        try:
            os.kill(pid, signo)
        except OSError:
            pass

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), forward)
    finished = reader.next()
    code = finished.get("exit") if finished is not None else None
    if isinstance(code, int):
        return code
    _wait_gone(pid)
    os.write(2, b"tinyarms-lint: error: the server stopped during the run; its result is unknown\n")
    return EXIT_ERROR


def _wait_gone(pid: int) -> None:
    """Wait until process ``pid`` (the run, orphaned by a server that stopped) has exited."""
    import time

    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except OSError:
            return
        time.sleep(0.05)
