"""Model threads: the cores nobody else runs on, read from the real /proc, and the llama backend using
that count on each question (with a real GGUF) without changing its answers."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinyarms_lint.llm import prompts
from tinyarms_lint.llm.threads import idle_cores, own_running, procs_running, usable_cores

from .helpers import SECRETS_RULE, rule_from, test_model

PREFIX = prompts.rule_prefix(rule_from(SECRETS_RULE))
SUFFIX = '```python\nkey = "sk_live_51H8xKJ2eZvKYlo2C0aG5tQ9w"\n```<|im_end|>\n<|im_start|>assistant\nAnswer:'


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        pass


@pytest.fixture
def busy_cores() -> Iterator[int]:
    """As many spinning processes as this process has cores, for the duration of a test."""
    count = usable_cores()
    stop = multiprocessing.Event()
    spinners = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(count)]
    for proc in spinners:
        proc.start()
    time.sleep(0.3)  # the spinners are running
    try:
        yield count
    finally:
        stop.set()
        for proc in spinners:
            proc.join(timeout=10)


def test_procs_running_is_read_from_the_real_proc_stat() -> None:
    text = Path("/proc/stat").read_text()
    assert procs_running(text) >= 1  # at least the reader
    assert procs_running("cpu  1 2 3\n") == 0  # no such line: nothing known
    assert procs_running("procs_running nonsense\n") == 0


def test_own_running_counts_this_process_and_idle_cores_stays_in_range() -> None:
    assert own_running() >= 1
    assert 1 <= idle_cores() <= usable_cores() == len(os.sched_getaffinity(0))
    assert idle_cores(cores=1) == 1


def test_processes_spinning_on_every_core_leave_one_thread(busy_cores: int) -> None:
    assert idle_cores() == 1


@pytest.mark.llm
def test_auto_threads_follow_the_idle_cores_and_answer_like_fixed_threads(busy_cores: int) -> None:
    import llama_cpp

    from tinyarms_lint.llm.llama import LlamaBackend

    model = test_model()
    fixed = LlamaBackend(model, n_ctx=1024, threads=busy_cores)
    auto = LlamaBackend(model, n_ctx=1024)  # threads unset: auto
    try:
        expected = fixed.margin(PREFIX, SUFFIX)
        assert auto.margin(PREFIX, SUFFIX) == expected  # thread count does not change the answer
        assert llama_cpp.llama_n_threads(auto.llm._ctx.ctx) == 1  # every core was busy elsewhere
        assert llama_cpp.llama_n_threads(fixed.llm._ctx.ctx) == busy_cores  # a set count is kept
    finally:
        fixed.close()
        auto.close()
