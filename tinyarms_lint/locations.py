"""Where tinyarms-lint keeps its files: the cache directory and the warm server's socket.

Kept apart, in plain ``os.path`` strings, because the entry point (launcher.py) needs both before it
imports anything else: finding a running server must cost less than the time it saves.
cache.py and llm/server.py wrap these for the rest of the code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

SOCKET_NAME = "server.sock"
# sun_path is 108 bytes on Linux and 104 on macOS and the BSDs, the terminating NUL included.
MAX_SOCKET_PATH = 107 if sys.platform.startswith("linux") else 103


def cache_dir(config_cache_dir: str | None, root: str) -> str:
    """Where the cache lives: ``$TINYARMS_CACHE_DIR``, else the configured ``cache_dir`` (relative
    paths are relative to the repository ``root``), else ``$XDG_CACHE_HOME/tinyarms-lint``, else
    ``~/.cache/tinyarms-lint`` (``%LOCALAPPDATA%\\tinyarms-lint`` on Windows)."""
    from_env = os.environ.get("TINYARMS_CACHE_DIR", "").strip()
    if from_env:
        return os.path.join(root, os.path.expanduser(from_env))
    if config_cache_dir:
        return os.path.join(root, os.path.expanduser(config_cache_dir))
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore relative paths
        return os.path.join(xdg, "tinyarms-lint")
    local_app_data = os.environ.get("LOCALAPPDATA", "").strip()
    if os.name == "nt" and local_app_data:
        return os.path.join(local_app_data, "tinyarms-lint")
    home = os.path.expanduser("~")
    if home != "~":
        return os.path.join(home, ".cache", "tinyarms-lint")
    import tempfile  # no HOME and no passwd entry: a per-user folder in the temp dir

    user = os.getuid() if hasattr(os, "getuid") else os.getpid()
    return os.path.join(tempfile.gettempdir(), f"tinyarms-lint-{user}")


def short_socket_dir() -> str:
    """``/tmp/tinyarms-lint-<uid>`` (the platform's temp dir where /tmp is missing): short socket paths."""
    base = "/tmp"
    if not os.path.isdir(base):
        import tempfile

        base = tempfile.gettempdir()
    user = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(base, f"tinyarms-lint-{user}")


def socket_path(cache_dir: str, short_dir: Callable[[], str] = short_socket_dir) -> str:
    """The server's socket for ``cache_dir``: inside it, or under ``short_dir()`` (a per-user 0700
    directory) when that path would be too long for a unix socket; one cache directory, one path."""
    absolute = os.path.abspath(cache_dir)
    inside = os.path.join(absolute, SOCKET_NAME)
    if len(os.fsencode(inside)) <= MAX_SOCKET_PATH:
        return inside
    import hashlib

    digest = hashlib.sha256(os.fsencode(absolute)).hexdigest()[:24]
    return os.path.join(short_dir(), f"{digest}.sock")
