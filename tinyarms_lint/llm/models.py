"""Where each role's model lives, what it is (its identity), and how to fetch the defaults.

A role (``code``, ``language``) maps to a GGUF file: ``$TINYARMS_CODE_MODEL`` /
``$TINYARMS_LANGUAGE_MODEL`` (a path) win, then ``[tool.tinyarms-lint.models] code = ...`` (a path, or
``"owner/repo/file.gguf"`` on the Hugging Face hub, stored in the models directory), then the default
file in ``$XDG_CACHE_HOME/tinyarms-lint/models/`` (``~/.cache/tinyarms-lint/models/``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelError

ROLES = ("code", "language")
ENV_VARS = {"code": "TINYARMS_CODE_MODEL", "language": "TINYARMS_LANGUAGE_MODEL"}
# Bytes hashed from the start of a GGUF file for its identity: the header, the metadata (architecture,
# quantization, tokenizer) and the first tensor data. Hashing the whole file costs ~1.5 s per GB.
IDENTITY_BYTES = 4 << 20
_HUB_REF = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)/(?P<file>[^/]+\.gguf)$")


@dataclass(frozen=True)
class DefaultModel:
    """A role's default GGUF on the Hugging Face hub."""

    repo: str
    filename: str
    about: str
    approx_size: str


DEFAULTS: dict[str, DefaultModel] = {
    "code": DefaultModel(
        "Qwen/Qwen2.5-Coder-3B-Instruct-GGUF",
        "qwen2.5-coder-3b-instruct-q4_k_m.gguf",
        "Qwen2.5-Coder-3B-Instruct, Q4_K_M",
        "~2.1 GB",
    ),
    "language": DefaultModel(
        "unsloth/Qwen3-4B-Instruct-2507-GGUF",
        "Qwen3-4B-Instruct-2507-Q4_K_M.gguf",
        "Qwen3-4B-Instruct-2507 (non-thinking), Q4_K_M",
        "~2.5 GB",
    ),
}


@dataclass(frozen=True)
class ModelLocation:
    """Where a role's model file is expected, and why there (``source``)."""

    role: str
    path: Path
    source: str  # "env TINYARMS_CODE_MODEL", "config models.code", "default"
    repo: str | None = None  # set when the file can be downloaded from the hub
    filename: str | None = None

    @property
    def present(self) -> bool:
        return self.path.is_file()

    def missing_message(self) -> str:
        """One line naming the role, the expected path and the ways to fix it."""
        env = ENV_VARS[self.role]
        fixes = []
        if self.repo is not None:
            fixes.append(f"run `tinyarms-lint models pull {self.role}`")
        fixes.append(f'set [tool.tinyarms-lint.models] {self.role} = "/path/to.gguf"')
        fixes.append(f"set {env}")
        return f"{self.role} model not found at {self.path} ({self.source}); " + ", or ".join(fixes)


def models_dir() -> Path:
    """``$XDG_CACHE_HOME/tinyarms-lint/models`` (an absolute XDG path only), else ``~/.cache/...``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "tinyarms-lint" / "models"


def locate(role: str, models: dict[str, Any], root: Path) -> ModelLocation:
    """Resolve ``role`` to a file: environment variable, then config, then the default location."""
    if role not in ROLES:
        raise ModelError(f"unknown model role {role!r} (known: {', '.join(ROLES)})")
    env = ENV_VARS[role]
    from_env = os.environ.get(env, "").strip()
    if from_env:
        return ModelLocation(role, Path(from_env).expanduser(), f"env {env}")
    configured = models.get(role)
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise ModelError(f"models.{role} must be a path to a .gguf file or 'owner/repo/file.gguf'")
        value = configured.strip()
        as_path = Path(value).expanduser()
        if not as_path.is_absolute():
            as_path = root / as_path
        hub = _HUB_REF.match(value)
        if hub is not None and not as_path.exists() and not value.startswith((".", "~", "/")):
            filename = hub.group("file")
            return ModelLocation(role, models_dir() / filename, f"config models.{role}", hub.group("repo"), filename)
        return ModelLocation(role, as_path, f"config models.{role}")
    default = DEFAULTS[role]
    return ModelLocation(role, models_dir() / default.filename, "default", default.repo, default.filename)


def identity(path: Path) -> str:
    """``file name|size|sha256 of the first 4 MiB`` of a GGUF: stable across machines and moves.

    Used in verdict-cache keys and calibration entries. Computed once per file version.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read model file ({exc.strerror or exc})") from exc
    return _identity(str(path.resolve()), info.st_size, info.st_mtime_ns)


@functools.cache
def _identity(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            head = handle.read(IDENTITY_BYTES)
    except OSError as exc:
        raise ModelError(f"{path}: cannot read model file ({exc.strerror or exc})") from exc
    if not head.startswith(b"GGUF"):
        raise ModelError(f"{path}: not a GGUF model file")
    digest.update(head)
    return f"{Path(path).name}|{size}|{digest.hexdigest()[:16]}"


def pull(location: ModelLocation) -> Path:
    """Download ``location``'s file from the hub into its directory; ModelError with one line on failure."""
    if location.repo is None or location.filename is None:
        raise ModelError(
            f"{location.role} model comes from {location.source} ({location.path}), not from the hub: nothing to pull"
        )
    try:
        from huggingface_hub import hf_hub_download
    except ImportError as exc:
        raise ModelError(
            "downloading models needs huggingface_hub: pip install 'tinyarms-lint[llm]' (or huggingface-hub)"
        ) from exc
    offline = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
    proxied = any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"))
    if not offline and not proxied:  # through a proxy, only huggingface_hub itself can tell
        _check_reachable(os.environ.get("HF_ENDPOINT", "").strip() or "https://huggingface.co", location)
    location.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        downloaded = hf_hub_download(location.repo, location.filename, local_dir=str(location.path.parent))
    except Exception as exc:
        reason = " ".join(str(exc).split()).split(". ")[0][:160] or exc.__class__.__name__
        raise ModelError(
            f"cannot download {location.repo}/{location.filename} ({exc.__class__.__name__}: {reason}); "
            f"check the network or place the file at {location.path}"
        ) from exc
    return Path(str(downloaded))


def _check_reachable(endpoint: str, location: ModelLocation, timeout: float = 5.0) -> None:
    """Fail fast with one line when the hub's host does not answer (instead of minutes of retries)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint)
    host = parts.hostname or endpoint
    port = parts.port or (80 if parts.scheme == "http" else 443)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ModelError(
            f"cannot reach the model hub at {endpoint} ({reason}) to download {location.repo}/{location.filename}; "
            f"check the network, or download the file elsewhere and place it at {location.path}"
        ) from exc
