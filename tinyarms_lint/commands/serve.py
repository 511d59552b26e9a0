"""``tinyarms-lint serve``: start the warm model server in the background (``--foreground`` to watch it),
``--status`` to look at it, ``--stop`` to end it. The CLI finds it through the cache directory."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import ServerError, UsageError

# How long `serve` waits for the background server to answer, and `serve --stop` for it to exit.
START_SECONDS = 15.0
STOP_SECONDS = 10.0


def _cache_dir(config_path: Path | None) -> Path:
    from .. import git
    from ..cache import default_cache_dir
    from ..config import load_config
    from ..errors import TinyarmsError

    try:
        root = git.repo_root()
    except TinyarmsError:
        root = Path.cwd()
    config = load_config(root, config_path)
    return Path(os.path.abspath(default_cache_dir(config.cache_dir, root)))


def server_status(cache_dir: Path) -> dict[str, Any] | None:
    """The running server's status answer, or None when no server answers for ``cache_dir``."""
    from ..llm.remote import ServerGone, open_connection

    opened = open_connection(cache_dir)
    if opened is None:
        return None
    connection, hello = opened
    try:
        if hello.get("ok") is not True:
            return {"ok": False, "tool": hello.get("tool"), "message": hello.get("message")}
        answer = connection.request("status")
        return answer if answer.get("ok") is True else {"ok": False, **hello}
    except ServerGone:
        return None
    finally:
        connection.close()


@click.command("serve")
@click.option(
    "--foreground", is_flag=True, help="Run in this terminal, logging to stderr (default: in the background)."
)
@click.option("--stop", is_flag=True, help="Stop the running server.")
@click.option("--status", is_flag=True, help="Show the running server (exit 1 when none runs).")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    metavar="MINUTES",
    help="Exit after this long without requests, giving the memory back (0: never).",
)
@click.option("--json", "as_json", is_flag=True, help="With --status: print the status as JSON.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (TOML).")
@click.option("--cache-dir", "cache_dir_option", type=click.Path(path_type=Path), hidden=True)
def command(
    foreground: bool,
    stop: bool,
    status: bool,
    idle_timeout: float,
    as_json: bool,
    config_path: Path | None,
    cache_dir_option: Path | None,
) -> None:
    """Keep the models loaded and checks warm, over a unix socket.

    Runs in the background and exits after --idle-timeout minutes without requests. Every
    `tinyarms-lint` run that uses the same cache directory asks it instead of loading the models,
    and a check from the same installation is run by it, forked from a warmed-up copy.
    """
    if stop and status:
        raise UsageError("--stop and --status do not go together")
    if as_json and not status:
        raise UsageError("--json goes with --status")
    cache_dir = Path(os.path.abspath(cache_dir_option)) if cache_dir_option else _cache_dir(config_path)
    if status:
        sys.exit(_show_status(cache_dir, as_json))
    if stop:
        _stop(cache_dir)
        return
    if foreground:
        _run_foreground(cache_dir, idle_timeout)
        return
    _start_background(cache_dir, idle_timeout)


def _show_status(cache_dir: Path, as_json: bool) -> int:
    from ..llm.server import lock_holder, socket_path

    found = server_status(cache_dir)
    if as_json:
        import json

        click.echo(json.dumps(found or {"ok": False, "running": False, "cache_dir": str(cache_dir)}, indent=2))
        return 0 if found and found.get("ok") else 1
    if found is None:
        holder = lock_holder(cache_dir)
        if holder:
            click.echo(f"a server (pid {holder}) holds {cache_dir} but does not answer; `tinyarms-lint serve --stop`")
        else:
            click.echo(f"no server running for {cache_dir}")
        return 1
    if found.get("ok") is not True:
        click.echo(f"a server of another version ({found.get('tool')}) runs at {socket_path(cache_dir)}")
        return 1
    idle_timeout = found.get("idle_timeout_s")
    stops = f"stops after {idle_timeout / 60:g} min idle" if idle_timeout else "no idle timeout"
    click.echo(f"server running: pid {found['pid']}, tinyarms-lint {found['tool']}")
    click.echo(f"socket:    {found['socket']}")
    click.echo(f"up:        {_duration(found['uptime_s'])}, idle {_duration(found['idle_s'])} ({stops})")
    click.echo(
        f"requests:  {found['requests']}, checks run: {found.get('runs', 0)}, model loads: {found['loads']}, "
        f"open connections: {found['connections']}"
    )
    for model in found.get("models", []):
        state = "loaded" if model.get("loaded") else "not loaded yet"
        if model.get("loaded") and isinstance(model.get("load_seconds"), (int, float)):
            state += f" in {model['load_seconds']:.1f} s"
        roles = ", ".join(model.get("roles", []))
        click.echo(f"model:     {model['path']} ({roles}; {state}; {model.get('questions', 0)} questions)")
    return 0


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _stop(cache_dir: Path) -> None:
    import signal

    from ..llm.remote import ServerGone, open_connection
    from ..llm.server import lock_holder

    opened = open_connection(cache_dir)
    pid = lock_holder(cache_dir)
    if opened is None and not pid:
        click.echo(f"no server running for {cache_dir}")
        return
    if opened is not None:
        connection, hello = opened
        pid = hello.get("pid") if isinstance(hello.get("pid"), int) else pid
        try:
            connection.request("stop")
        except ServerGone:
            pass  # it may exit before the answer reaches us; the lock tells
        finally:
            connection.close()
    if _wait_released(cache_dir, STOP_SECONDS):
        click.echo(f"stopped the server (pid {pid})")
        return
    if pid:  # the server does not answer (or not in time): the pid recorded in its lock file
        os.kill(pid, signal.SIGTERM)
        if _wait_released(cache_dir, STOP_SECONDS):
            click.echo(f"stopped the server (pid {pid}, terminated)")
            return
    raise ServerError(f"the server (pid {pid}) did not stop within {2 * STOP_SECONDS:.0f} s")


def _wait_released(cache_dir: Path, seconds: float) -> bool:
    from ..llm.server import lock_holder

    deadline = time.monotonic() + seconds
    while lock_holder(cache_dir) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _run_foreground(cache_dir: Path, idle_minutes: float) -> None:
    import signal

    from ..llm.server import ModelServer

    def log(line: str) -> None:
        click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} tinyarms-lint serve: {line}", err=True)

    server = ModelServer(cache_dir, idle_timeout=idle_minutes * 60, log=log)
    server.start()
    _warm_up(log)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda _signo, _frame: server.stop())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.close()


def _warm_up(log: Callable[[str], None]) -> None:
    """Prepare this process for the checks it forks (forked_runs.py); a failure only makes them slower."""
    from ..forked_runs import warm_up

    started = time.perf_counter()
    try:
        warm_up()
    except Exception as exc:  # noqa: BLE001 - checks still run, importing what they need themselves
        log(f"warm-up failed ({exc.__class__.__name__}: {exc}); checks will start cold")
        return
    log(f"ready for checks (warmed up in {time.perf_counter() - started:.2f} s)")


def _start_background(cache_dir: Path, idle_minutes: float) -> None:
    """Start ``serve --foreground`` as a detached process logging to the cache directory; return once it
    answers (or report the one already running)."""
    import subprocess

    from ..llm.server import LOG_NAME, private_directory

    running = server_status(cache_dir)
    if running is not None and running.get("ok"):
        click.echo(f"a server is already running (pid {running['pid']}) on {running['socket']}")
        return
    private_directory(cache_dir, create=True)
    log_path = cache_dir / LOG_NAME
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    command = [sys.executable, "-m", "tinyarms_lint", "serve", "--foreground", "--cache-dir", str(cache_dir)]
    command += ["--idle-timeout", repr(idle_minutes)]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_fd,
            stderr=log_fd,
            cwd="/",
            start_new_session=True,  # not killed with the terminal or the hook that started it
            close_fds=True,
        )
    finally:
        os.close(log_fd)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        found = server_status(cache_dir)
        if found is not None and found.get("ok"):
            if found["pid"] == child.pid:
                click.echo(f"started the server (pid {child.pid}) on {found['socket']}; log: {log_path}")
            else:
                click.echo(f"a server is already running (pid {found['pid']}) on {found['socket']}")
            return
        if child.poll() is not None and found is None and lock_free(cache_dir):
            break
        time.sleep(0.05)
    raise ServerError(f"the server did not start (exit {child.poll()}); see {log_path}")


def lock_free(cache_dir: Path) -> bool:
    from ..llm.server import lock_holder

    return lock_holder(cache_dir) is None
