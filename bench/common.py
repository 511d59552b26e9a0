"""Shared helpers for the benchmarks: timing whole processes, peak memory, tmp git repositories.

Every benchmark times whole processes (Python start-up included), takes the median of several
runs, and reports ratios against a named baseline measured in the same run.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WORK = PROJECT / "bench" / ".work"
LINT = [sys.executable, "-m", "tinyarms_lint"]


@dataclass(frozen=True)
class Timing:
    """Median wall time and peak resident memory of several runs of one command."""

    label: str
    median_s: float
    runs: list[float]
    peak_rss_mb: float
    returncode: int
    median_cpu_s: float = 0.0  # user + system time of the process: far less sensitive to machine load


class Rates:
    """Precision and recall of a score class with ``tp``, ``fp`` and ``fn`` counts (1.0 when undefined)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


LAST_CPU: list[float] = []  # CPU seconds of each run_once call, in order


def run_once(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MB) of the process tree's largest process, exit code, stdout."""
    # like an installed hook, bytecode is cached: this environment's PYTHONDONTWRITEBYTECODE would
    # otherwise make every run recompile every module
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    LAST_CPU.append(usage.ru_utime + usage.ru_stime)
    return wall, usage.ru_maxrss / 1024, proc.returncode, out.decode("utf-8", "replace")


def measure(
    label: str, cmd: list[str], cwd: Path, runs: int = 7, env: dict[str, str] | None = None, warmup: int = 1
) -> Timing:
    for _ in range(warmup):
        run_once(cmd, cwd, env)
    walls, peaks, cpus, code = [], [], [], 0
    for _ in range(runs):
        wall, peak, code, _ = run_once(cmd, cwd, env)
        walls.append(wall)
        peaks.append(peak)
        cpus.append(LAST_CPU[-1])
    return Timing(label, statistics.median(walls), walls, max(peaks), code, statistics.median(cpus))


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.com",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.com",
    }
    env.pop("PRE_COMMIT", None)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def fresh_repo(path: Path, source: Path | None = None) -> Path:
    if path.exists():
        shutil.rmtree(path)
    if source is not None:
        shutil.copytree(source, path)
    else:
        path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "init", "--no-verify", "--allow-empty")
    return path


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
