"""Checks run by the warm server for the CLI: a forked copy of the server runs ``tinyarms-lint`` with the
client's arguments, directory, environment and terminal (launcher.py is the client).

Most of a hook run's time is start-up: the interpreter, imports, grammars, compiled queries and
patterns (bench/README.md, "Hook vs ESLint + stylelint"). The server pays it once, in ``warm_up()``;
each run is then ``os.fork()`` of that prepared process. The child gets the client's stdin, stdout and
stderr (passed over the unix socket), its working directory, environment and umask, so it is the same
run the client would have made in its own process: same output, same exit code, same files read and
written. Rules, config and the repository are read afresh by every run; nothing about them is kept.

The child is a process of its own: native code that crashes there ends that run only, and the server
reports the signal as the exit code (128 + signal), as a shell does.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

# What one run needs from the client, and how it is checked before forking.
STRING_FIELDS = ("cwd", "encoding", "errors")


class RunRefused(Exception):
    """A run request the server will not fork for; the client then runs in its own process."""


def code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """The package's source files with their sizes and modification times: a server whose code changed
    on disk since it started (an upgrade, an edit in a development install) must not run checks."""
    package = os.path.dirname(os.path.realpath(__file__))
    found: list[tuple[str, int, int]] = []
    pending = [package]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    found.append((entry.path, info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def check_request(request: dict[str, Any], fds: Sequence[int]) -> None:
    """RunRefused unless ``request`` carries what a run needs: argv, an absolute cwd, env, umask,
    the stdio encoding, and exactly three file descriptors (stdin, stdout, stderr)."""
    argv, env, umask = request.get("argv"), request.get("env"), request.get("umask")
    if len(fds) != 3:
        raise RunRefused("a run needs the client's stdin, stdout and stderr")
    if not isinstance(argv, list) or not all(isinstance(arg, str) for arg in argv):
        raise RunRefused("argv must be a list of strings")
    if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise RunRefused("env must map strings to strings")
    if not all(isinstance(request.get(name), str) for name in STRING_FIELDS):
        raise RunRefused(f"a run needs {', '.join(STRING_FIELDS)} as strings")
    if not os.path.isabs(request["cwd"]) or not isinstance(umask, int) or not 0 <= umask <= 0o777:
        raise RunRefused("a run needs an absolute cwd and a umask")


def start(request: dict[str, Any], fds: Sequence[int]) -> int:
    """Fork a child that runs the check of ``request`` (checked by ``check_request``); its pid.

    The parent's copies of ``fds`` are closed here; the child never returns from this function.
    """
    pid = os.fork()
    if pid == 0:  # the child: never return into the server's code
        code = 2
        try:
            code = _run_in_child(request, fds)
        except BaseException:  # noqa: BLE001 - the child must end with an exit code, whatever happens
            with contextlib.suppress(Exception):
                os.write(2, b"tinyarms-lint: internal error: the server could not start this run\n")
        finally:
            os._exit(code)  # no atexit handlers: they belong to the server (socket file, lock)
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    return pid


def wait(pid: int) -> int:
    """The exit code of the run in child ``pid``: 128 + the signal when a signal ended it."""
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def _run_in_child(request: dict[str, Any], fds: Sequence[int]) -> int:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.closerange(3, _max_fd())  # the server's sockets, lock and log are not the run's
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, forwarded by the client
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    encoding, errors = request["encoding"], request["errors"]
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding, errors)
    sys.stdout = _writer(1, encoding, errors)
    sys.stderr = _writer(2, encoding, "backslashreplace")
    sys.argv = ["tinyarms-lint", *request["argv"]]
    from .cli import run

    try:
        return run(list(request["argv"]))
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()


def _writer(fd: int, encoding: str, errors: str) -> io.TextIOWrapper:
    interactive = os.isatty(fd)
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding, errors, line_buffering=interactive)


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):
        return 1024


# -- warming the server up -------------------------------------------------------------------------

# One small file per language the bundled rules read, with what their detectors look at: numbers,
# colors, UI text, comments, a design token and a locale pair. Checking them once imports every
# detector and grammar and builds the lazily compiled queries, patterns and tables.
_WARM_FILES = {
    "src/tokens.css": ":root {\n  --color-primary: #0d6efd;\n  --space-2: 8px;\n}\n",
    "src/app.scss": "$gap: 12px;\n.card {\n  color: #ff0000;\n  margin: 8px;\n  padding: $gap;\n}\n",
    "src/page.css": ".a {\n  color: rgb(1, 2, 3);\n  margin: 8px;\n}\n",
    "src/view.tsx": (
        "// Visszaadja a felhasznalo aktiv rendeleseit\n"
        "import { x } from '../lib/x';\n"
        "export function View() {\n"
        "  const style = { color: '#ff0000', width: 137 };\n"
        '  return <div title="Hello there" style={style}>Save changes {x * 86400}</div>;\n'
        "}\n"
    ),
    "src/view.jsx": "export const V = () => <p style={{ color: 'red' }}>Welcome back {42 * 7}</p>;\n",
    "src/util.ts": "// tra ve danh sach nguoi dung\nexport const wait = (f: () => void) => setTimeout(f, 3000);\n",
    "src/util.js": "export function total(x) {\n  return x * 1.0825 + 17;\n}\n",
    "app/billing.py": "# Visszaadja az osszeget\ndef fee(amount):\n    return amount * 0.029 + 30\n",
    "templates/page.html": '<p style="color: #333">Hello <b>world</b></p>\n',
    "locales/en.json": '{\n  "greeting": "Hello {{name}}",\n  "items_other": "{{count}} items"\n}\n',
    "locales/hu.json": '{\n  "greeting": "Szia",\n  "extra": "Hello"\n}\n',
    "locales/en.yaml": "greeting: Hello %{name}\n",
    "locales/vi.yaml": "greeting: Xin chao\n",
}


def warm_up() -> None:
    """Check ``_WARM_FILES`` once in this process (static tier, a throw-away directory and cache), so
    forked runs start with every module imported and every lazily built table built. The process's
    directory, environment and stdio are restored afterwards."""
    import gc
    import tempfile

    from .cli import run

    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    with tempfile.TemporaryDirectory(prefix="tinyarms-warm-") as folder:
        for name, text in _WARM_FILES.items():
            path = os.path.join(folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        try:
            os.chdir(folder)
            for name in ("PRE_COMMIT", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
                os.environ.pop(name, None)
            os.environ["TINYARMS_CACHE_DIR"] = os.path.join(folder, "cache")
            sys.stdin, sys.stdout, sys.stderr = io.StringIO(), io.StringIO(), io.StringIO()
            run(["--no-llm", "--jobs", "1", *_WARM_FILES])
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
    gc.collect()
    gc.freeze()  # what start-up built stays put: forked runs then share those pages instead of copying them
