"""How many CPU threads a model question may use right now (``models.threads`` unset: "auto").

llama.cpp's threads meet at a barrier after every operation of the forward pass, so one thread that the
kernel preempts stalls the others. With as many threads as cores on a machine where something else also
runs (a compiler, a test suite, another linter shard), a question is many times slower than with one
thread fewer. Measured on the 2-core dev machine with the 1.5B test model: beside other sessions' test
suites, a 20-token evaluation took 17.7 s on 2 threads and 0.68 s on 1; beside one spinning process, a
narrow question took 0.85 s on 2 threads and 0.62 s with this module's choice, against 0.28 s idle
(bench/README.md, "Model threads under load"). So before each question the backend asks for the cores
nobody else is running on.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC_STAT = Path("/proc/stat")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        return max(1, os.cpu_count() or 1)


def procs_running(stat_text: str) -> int:
    """The machine's runnable threads right now, from the text of ``/proc/stat``; 0 when missing."""
    for line in stat_text.splitlines():
        if line.startswith("procs_running "):
            try:
                return max(0, int(line.split()[1]))
            except (IndexError, ValueError):
                return 0
    return 0


def own_running() -> int:
    """This process's runnable threads (the caller, and llama.cpp's threads still spinning after the last
    question), at least 1."""
    running = 0
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return 1
    for task in tasks:
        try:
            stat = (task / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # the state follows the parenthesised command name
        if fields and fields[0] == "R":
            running += 1
    return max(1, running)


def idle_cores(cores: int | None = None) -> int:
    """The usable cores minus the threads that are running elsewhere right now, at least 1.

    On systems without ``/proc/stat`` it is every usable core (llama.cpp's own default)."""
    total = usable_cores() if cores is None else max(1, cores)
    try:
        running = procs_running(PROC_STAT.read_text(encoding="ascii", errors="replace"))
    except OSError:
        return total
    return max(1, min(total, total - (running - own_running())))
