"""The per-file time budget of the static tier (``file_time_budget``): a detector still running when
its file's budget is spent is interrupted, and the engine skips the file with a note.

The interruption is a SIGALRM timer whose handler raises :class:`BudgetExceeded`. CPython's regex
engine checks for signals while it backtracks, so even a pattern stuck in C code stops (see
tests/test_budget.py). Timers exist only on POSIX and only in a process's main thread (forked
``--jobs`` workers included); elsewhere the budget is not enforced. Work done once per run for all
files (opening the duplicate index) runs outside the budget: see :func:`outside_budget`.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class BudgetExceeded(Exception):
    """The file's time budget ran out while ``rule`` was being checked."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


def can_interrupt() -> bool:
    """True where a timer signal can interrupt running code: POSIX, main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_active: list[str] = []  # the rule being timed, while a budget is armed (one at a time)
_paused: list[float] = [0.0]  # seconds spent outside the budget while one was armed


def _on_alarm(signum: int, frame: object) -> None:
    raise BudgetExceeded(_active[-1] if _active else "?")


class FileBudget:
    """Seconds left for one file's detectors; ``seconds <= 0`` means no budget."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds

    @contextmanager
    def check(self, rule: str) -> Iterator[None]:
        """Run the body on the budget; raises BudgetExceeded(rule) when it runs out."""
        if self.seconds <= 0 or _active or not can_interrupt():
            yield
            return
        if self.left <= 0:
            raise BudgetExceeded(rule)
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        _active.append(rule)
        started = time.perf_counter()
        _paused[0] = 0.0
        signal.setitimer(signal.ITIMER_REAL, self.left)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _active.pop()
            signal.signal(signal.SIGALRM, previous)
            self.left -= time.perf_counter() - started - _paused[0]


def outside_budget(function: F) -> F:
    """Decorate once-per-run work done inside a detector (building an index of the repository): the
    timer is paused while it runs, so the file that happens to come first is not charged for it."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not _active or not can_interrupt():
            return function(*args, **kwargs)
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _paused[0] += time.perf_counter() - started
            if left > 0:
                signal.setitimer(signal.ITIMER_REAL, left)

    return paused  # type: ignore[return-value]
