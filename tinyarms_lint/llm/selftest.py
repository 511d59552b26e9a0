"""What the one-time self-test of a llama-cpp-python build found, remembered per build and CPU.

The first model question on a new build (another llama-cpp-python version or library file, or another
CPU) is preceded by a tiny decode in the model's child process (worker.py). When that decode crashes,
the crash is written to ``<cache dir>/llama-selftest.json`` and later runs report it in one line without
starting the model again; a build that passed is not tested again. Reinstalling llama-cpp-python changes
the library file, so the new build is tested afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

RECORD_NAME = "llama-selftest.json"
MAX_ENTRIES = 16


@dataclass(frozen=True)
class SelfTestResult:
    """One build's self-test: passed, or the crash (signal name) and the one-line message shown for it."""

    ok: bool
    signal: str = ""
    message: str = ""
    when: float = 0.0


def build_key() -> str:
    """llama-cpp-python's version and shared library (path, size, mtime) and this CPU, hashed: what a
    self-test result holds for. Computed without importing llama_cpp."""
    import importlib.util
    import platform

    from .install import cpu_flags

    parts = [platform.machine(), platform.python_version()]
    try:
        from importlib.metadata import version

        parts.append(version("llama-cpp-python"))
    except Exception:  # noqa: BLE001 - metadata missing or unreadable: the library file still says which build
        parts.append("?")
    spec = importlib.util.find_spec("llama_cpp")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in locations:
        for library in sorted(Path(folder, "lib").glob("libllama*")):
            with contextlib.suppress(OSError):
                info = library.stat()
                parts.append(f"{library}|{info.st_size}|{info.st_mtime_ns}")
    parts.append(_cpu_model())
    parts.append(" ".join(sorted(cpu_flags() or ())))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "model name":
                return value.strip()
    import platform

    return platform.processor()


class SelfTestRecord:
    """The self-test results in a cache directory (a small JSON file, written atomically)."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / RECORD_NAME

    def get(self, key: str) -> SelfTestResult | None:
        entry = self._read().get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("ok"), bool):
            return None
        return SelfTestResult(
            entry["ok"], str(entry.get("signal", "")), str(entry.get("message", "")), float(entry.get("when", 0.0))
        )

    def put(self, key: str, result: SelfTestResult) -> None:
        """Remember ``result`` for ``key``; a cache directory that cannot be written only costs a retest."""
        entries = self._read()
        entries.pop(key, None)
        entries[key] = {"ok": result.ok, "signal": result.signal, "message": result.message, "when": result.when}
        kept = dict(list(entries.items())[-MAX_ENTRIES:])
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = self.path.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(json.dumps(kept, indent=1), encoding="utf-8")
            os.replace(partial, self.path)

    def _read(self) -> dict[str, object]:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}
