"""Speed of the ``dry`` rule on a real 2,000-file repository (Django's sdist, pinned).

Builds ``bench/.work/dry-repo`` (a git repository of 2,000 Python/JS/CSS files from Django 5.1.4),
then measures, each as a whole ``tinyarms-lint`` process:

1. a cold index build: an empty cache, ``check --no-llm --select dry`` on one file (working tree),
   and the same in a hook run (``--staged``: content read from git's index);
2. a warm hook run on a small staged change, with and without the dry rule (all bundled rules vs
   all but ``dry``), median of 5; every repetition stages a new change, so each run with the rule
   fingerprints the changed file again, as a real commit would.

Wall time and CPU time (user + system of the child process) are both reported: on a shared
machine the load inflates wall time, CPU time much less.

Usage: ``.venv/bin/python bench/dry_speed.py [--files 2000] [--repeat 5]``. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
PACKAGE, VERSION = "django", "5.1.4"
SDIST = WORK / "dl" / f"Django-{VERSION}.tar.gz"
REPO = WORK / "dry-repo"
CACHE = WORK / "dry-cache"
CHANGED = "django/utils/text.py"
CODE_SUFFIXES = (".py", ".js", ".css", ".scss", ".ts", ".tsx", ".jsx")


def _git(*args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    subprocess.run(["git", *args], cwd=REPO, env=env, check=True, capture_output=True)


def build_repository(count: int) -> int:
    """Extract ``count`` code files of the sdist (the ``django`` package first) into a fresh repo."""
    if not SDIST.exists():
        SDIST.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                f"{PACKAGE}=={VERSION}",
                "--no-binary",
                ":all:",
                "--no-deps",
                "-d",
                str(SDIST.parent),
            ],
            check=True,
            capture_output=True,
        )
    if REPO.exists():
        shutil.rmtree(REPO)
    REPO.mkdir(parents=True)
    prefix = f"Django-{VERSION}/"
    with tarfile.open(SDIST) as archive:
        members = [m for m in archive.getmembers() if m.isfile() and m.name.endswith(CODE_SUFFIXES)]
        members.sort(key=lambda m: (not m.name.startswith(prefix + "django/"), m.name))
        chosen = members[:count]
        for member in chosen:
            data = archive.extractfile(member)
            assert data is not None
            target = REPO / member.name.removeprefix(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.read())
    _git("init", "-q", "-b", "main")
    _git("config", "commit.gpgsign", "false")
    _git("add", "-A")
    _git("commit", "-q", "-m", "import")
    return len(chosen)


def _run(*args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one tinyarms-lint process.

    CPU time is reported beside wall time because a shared machine's load inflates wall time.
    """
    # like an installed hook: bytecode is cached (PYTHONDONTWRITEBYTECODE would recompile every module)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT") and k != "PYTHONDONTWRITEBYTECODE"}
    env["TINYARMS_CACHE_DIR"] = str(CACHE)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "tinyarms_lint", *args]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"tinyarms-lint failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _stage_change(number: int) -> None:
    path = REPO / CHANGED
    original = path.read_text(encoding="utf-8").split("\n# bench change", 1)[0]
    path.write_text(
        original
        + f"\n# bench change {number}\n"
        + f"def bench_slug_{number}(value, limit={number + 10}):\n"
        + "    words = [w for w in value.split() if w]\n"
        + "    return '-'.join(words[:limit]).lower()\n",
        encoding="utf-8",
    )
    _git("add", CHANGED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    files = build_repository(options.files)
    if CACHE.exists():
        shutil.rmtree(CACHE)
    cold = _run("check", "--no-llm", "--select", "dry", CHANGED)
    warm_index = _run("check", "--no-llm", "--select", "dry", CHANGED)

    with_dry: list[tuple[float, float]] = []
    without_dry: list[tuple[float, float]] = []
    for number in range(options.repeat):
        _stage_change(number)
        # alternate the order so neither side always runs with a warmer page cache
        if number % 2:
            without_dry.append(_run("check", "--staged", "--no-llm", "--ignore", "dry"))
            with_dry.append(_run("check", "--staged", "--no-llm"))
        else:
            with_dry.append(_run("check", "--staged", "--no-llm"))
            without_dry.append(_run("check", "--staged", "--no-llm", "--ignore", "dry"))
    shutil.rmtree(CACHE)
    cold_hook = _run("check", "--staged", "--no-llm", "--select", "dry")  # the first commit after installing
    _git("reset", "-q", "--hard")

    def median(runs: list[tuple[float, float]], which: int) -> float:
        return statistics.median(run[which] for run in runs)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"dry speed, {date.today().isoformat()}, {platform.machine()} {os.cpu_count()} cores "
        f"(load average {load:.1f}), Python {platform.python_version()}, {PACKAGE} {VERSION} sdist: {files} files"
    )
    print()
    print("| measurement | wall s | CPU s |")
    print("| --- | ---: | ---: |")
    print(f"| cold index build + check of one file (`--select dry`) | {cold[0]:.2f} | {cold[1]:.2f} |")
    print(f"| same, index warm | {warm_index[0]:.2f} | {warm_index[1]:.2f} |")
    print(
        f"| cold index build in a hook run (`--staged`, content from the index) | {cold_hook[0]:.2f} | {cold_hook[1]:.2f} |"
    )
    print(
        f"| hook run on a small staged change, all rules (median of {options.repeat}) | "
        f"{median(with_dry, 0):.3f} | {median(with_dry, 1):.3f} |"
    )
    print(
        f"| same without `dry` (median of {options.repeat}) | {median(without_dry, 0):.3f} | {median(without_dry, 1):.3f} |"
    )
    print(
        f"| cost of `dry` on a hook run | {median(with_dry, 0) - median(without_dry, 0):+.3f} | "
        f"{median(with_dry, 1) - median(without_dry, 1):+.3f} |"
    )


if __name__ == "__main__":
    main()
