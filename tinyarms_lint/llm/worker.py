"""The llama backend in a child process: a crash (SIGSEGV, SIGILL, abort) or an out-of-memory kill in
llama.cpp ends the child, never the run that prints the findings.

``WorkerBackend`` (the run's side) starts ``python -m tinyarms_lint.llm.worker FD STATE_DIR`` at its first
question and talks to it over a socketpair in the warm server's protocol (server.py: one JSON object per
line; ops open, margin, generate_json, count_tokens): the child answers each line with
``ModelServer.answer`` over one LlamaBackend, which keeps its rule prefix states between questions as it
does in process. When the child dies, the backend raises ModelUnavailable with one line naming the cause
and the fix, and every later question of the run gets that answer at once.

On a llama-cpp-python build this CPU has not run yet (selftest.py), the child decodes a short fixed
prompt right after loading the model; a crash there is remembered, so later runs report it at once
instead of starting the model again.

Test hook: ``TINYARMS_TEST_WORKER_CRASH=KIND[:N]`` (KIND: segv, abort or kill) makes the child crash at
its N-th decode (default 1): segv reads address 0 through ctypes, abort calls abort(3), kill sends the
child SIGKILL as the kernel's OOM killer does.
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import ModelError, ModelUnavailable
from .llama import DEFAULT_N_CTX, LlamaBackend, PromptTooLong
from .models import identity as file_identity

if TYPE_CHECKING:
    import subprocess

    from .remote import Connection
    from .selftest import SelfTestRecord

CRASH_ENV = "TINYARMS_TEST_WORKER_CRASH"
# Signals that mean the native code itself failed (as opposed to being killed from outside).
CRASH_SIGNALS = ("SIGSEGV", "SIGILL", "SIGBUS", "SIGABRT", "SIGFPE")
# A question waits for the model to load first; a child silent for this long is stopped.
ANSWER_TIMEOUT = 600.0
EXIT_WAIT = 5.0
# About 60 tokens in the chat template: enough for the batched matrix kernels, not only the vector ones.
SELFTEST_PROMPT = (
    "<|im_start|>system\nYou review code. Answer with yes or no.<|im_end|>\n"
    "<|im_start|>user\nDoes this Python function return the sum of its two arguments?\n\n"
    "def add(a, b):\n    total = a + b\n    return total\n<|im_end|>\n<|im_start|>assistant\n"
)


class WorkerBackend:
    """A GGUF model loaded by llama-cpp-python in a child process, started at the first question."""

    def __init__(
        self,
        path: Path,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        threads: int | None = None,
        state_dir: Path | None = None,
        cache_dir: Path | None = None,
        role: str = "code",
    ) -> None:
        self.path = path
        self.n_ctx = n_ctx
        self.threads = threads
        self.state_dir = state_dir
        self.cache_dir = cache_dir
        self.role = role
        self.prompt_tokens = 0
        self.reused_tokens = 0
        self.generated_tokens = 0
        self.load_seconds = 0.0
        self.failure: str | None = None  # why the model cannot answer any more in this run
        self.selftest_ran = False
        self._identity: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._stderr: IO[bytes] | None = None
        self._model_id = ""
        self._doing = "starting"

    # -- the Backend protocol -----------------------------------------------------------------

    def identity(self) -> str:
        if self._identity is None:
            self._identity = file_identity(self.path)
        return self._identity

    def load(self) -> None:
        """Start the child and load the model now (it is otherwise loaded by the first question)."""
        self._worker()

    def margin(self, prefix: str, suffix: str) -> float:
        value = self._ask("margin", prefix=prefix, suffix=suffix).get("margin")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ModelError("the model process answered outside the protocol")
        return float(value)

    def next_token_scores(self, prefix: str, suffix: str, answers: Sequence[str]) -> dict[str, float]:
        return _scores(self._ask("next_token_scores", prefix=prefix, suffix=suffix, answers=list(answers)))

    def generate_json(self, prompt: str, schema: dict[str, Any], max_tokens: int) -> dict[str, Any] | None:
        value = self._ask("generate_json", prompt=prompt, schema=schema, max_tokens=max_tokens).get("value")
        return value if isinstance(value, dict) else None

    def count_tokens(self, text: str) -> int:
        value = self._ask("count_tokens", text=text).get("count")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ModelError("the model process answered outside the protocol")
        return value

    def close(self) -> None:
        """Hang up; the child then releases the model and exits (it is killed if it does not)."""
        import subprocess

        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            try:
                self._process.wait(EXIT_WAIT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    # -- the child ----------------------------------------------------------------------------

    def _ask(self, op: str, **fields: Any) -> dict[str, Any]:
        self._worker()
        answer = self._request(op, model_id=self._model_id, **fields)
        counters = answer.get("counters")
        if isinstance(counters, dict):
            self.prompt_tokens += _count(counters.get("prompt_tokens"))
            self.reused_tokens += _count(counters.get("reused_tokens"))
            self.generated_tokens += _count(counters.get("generated_tokens"))
        return answer

    def _worker(self) -> None:
        """Make sure a child with the model loaded answers (ModelUnavailable when none can)."""
        if self.failure is not None:
            raise ModelUnavailable(self.failure)
        if self._connection is not None:
            return
        record, key = self._selftest_record()
        known = record.get(key) if record is not None else None
        if known is not None and not known.ok:
            when = time.strftime("%Y-%m-%d", time.localtime(known.when))
            self.failure = f"{known.message} (self-test of {when}; it runs again after a reinstall)"
            raise ModelUnavailable(self.failure)
        self._spawn()
        self._doing = "loading the model"
        started = time.perf_counter()
        opened = self._request(
            "open", role=self.role, model=os.path.abspath(self.path), n_ctx=self.n_ctx, threads=self.threads
        )
        model_id = opened.get("model_id")
        if not isinstance(model_id, str):
            raise self._give_up("the model process answered outside the protocol")
        self._model_id = model_id
        self._request("count_tokens", model_id=model_id, text="yes")  # loads the model
        self.load_seconds = time.perf_counter() - started
        if record is not None and known is None:
            self._doing = "self-test"
            self._request("margin", model_id=model_id, prefix="", suffix=SELFTEST_PROMPT)
            self.selftest_ran = True
            from .selftest import SelfTestResult

            record.put(key, SelfTestResult(True, when=time.time()))
        self._doing = "answering"

    def _selftest_record(self) -> tuple[SelfTestRecord | None, str]:
        if self.cache_dir is None:
            return None, ""
        from .selftest import SelfTestRecord, build_key

        return SelfTestRecord(self.cache_dir), build_key()

    def _spawn(self) -> None:
        import socket
        import subprocess
        import tempfile

        from .remote import Connection

        ours, theirs = socket.socketpair()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child; closed in close()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno()), str(self.state_dir or "")],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
            )
        except (OSError, ValueError) as exc:  # ValueError: a platform without pass_fds
            ours.close()
            self.failure = f"cannot start the model process: {getattr(exc, 'strerror', None) or exc}"
            raise ModelUnavailable(self.failure) from exc
        finally:
            theirs.close()
        ours.settimeout(ANSWER_TIMEOUT)
        self._connection = Connection(ours)

    def _request(self, op: str, **fields: Any) -> dict[str, Any]:
        """The child's answer to one request; errors it reports become ModelError / PromptTooLong /
        ModelUnavailable, and a child that died or went silent becomes ModelUnavailable."""
        from .remote import ServerGone

        if self._connection is None:
            raise ModelUnavailable(self.failure or "the model process is not running")
        try:
            answer = self._connection.request(op, **fields)
        except ServerGone:
            raise self._died() from None
        if answer.get("ok") is True:
            return answer
        kind, message = answer.get("error"), str(answer.get("message") or "model process error")
        if kind == "prompt_too_long":
            raise PromptTooLong(message)
        if kind == "unavailable":  # the model cannot be loaded
            raise self._give_up(message)
        raise ModelError(message)

    def _give_up(self, message: str) -> ModelUnavailable:
        """Stop the child and answer ``message`` to every later question."""
        self.failure = message
        self.close()
        return ModelUnavailable(message)

    def _died(self) -> ModelUnavailable:
        """The one-line cause of the child's death (remembered when the self-test crashed), the child reaped."""
        import subprocess

        process = self._process
        code: int | None = None
        if process is not None:
            try:
                code = process.wait(EXIT_WAIT)
            except subprocess.TimeoutExpired:  # alive but silent past the answer timeout: a hang
                process.kill()
                process.wait()
        message = self._exit_message(code)
        name = _signal_name(-code) if code is not None and code < 0 else ""
        if self._doing == "self-test" and name in CRASH_SIGNALS:
            record, key = self._selftest_record()
            if record is not None:
                from .selftest import SelfTestResult

                record.put(key, SelfTestResult(False, name, message, time.time()))
        return self._give_up(message)

    def _exit_message(self, code: int | None) -> str:
        if code is None:
            return f"the model process did not answer within {ANSWER_TIMEOUT:g} s while {self._doing} and was stopped"
        if code < 0:
            name = _signal_name(-code)
            if name == "SIGKILL":
                return (
                    f"the model process was killed (SIGKILL) while {self._doing}, most likely out of memory: "
                    f"free memory or use a smaller model ([tool.tinyarms-lint.models])"
                )
            if name in CRASH_SIGNALS and self._doing == "loading the model":
                return (
                    f"llama-cpp-python crashed loading {self.path.name} ({name}): download the model again; if that"
                    f" does not help, reinstall with: {reinstall_command()}"
                )
            if name in CRASH_SIGNALS:
                return f"llama-cpp-python crashed on this CPU ({name}); reinstall with: {reinstall_command()}"
            return f"the model process was stopped by {name} while {self._doing}"
        return f"the model process exited with code {code} while {self._doing}{self._stderr_tail()}"

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0)
            lines = [line.strip() for line in self._stderr.read().decode("utf-8", "replace").splitlines()]
        except OSError:
            return ""
        lines = [line for line in lines if line]
        return f": {lines[-1][:300]}" if lines else ""


def reinstall_command() -> str:
    """The pip command that rebuilds the tested llama-cpp-python for this CPU, in this environment."""
    from .install import cpu_flags, pip_command

    return pip_command(cpu_flags(), pip=f"{shlex.quote(sys.executable)} -m pip")


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _scores(answer: dict[str, Any]) -> dict[str, float]:
    """The ``scores`` of a next_token_scores answer; ModelError when it is not {str: number}."""
    scores = answer.get("scores")
    if not isinstance(scores, dict) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in scores.values()
    ):
        raise ModelError("the model process answered outside the protocol")
    return {str(k): float(v) for k, v in scores.items()}


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


# -- the child's side -------------------------------------------------------------------------------


def _crash_plan() -> tuple[str, int] | None:
    """(kind, decode number) from TINYARMS_TEST_WORKER_CRASH, or None."""
    value = os.environ.get(CRASH_ENV, "").strip().lower()
    if not value:
        return None
    kind, _, at = value.partition(":")
    if kind not in ("segv", "abort", "kill"):
        return None
    return kind, int(at) if at.isdigit() and int(at) > 0 else 1


def _crash(kind: str) -> None:
    import ctypes
    import signal

    if kind == "segv":
        ctypes.string_at(0)  # reads address 0: SIGSEGV inside native code
    elif kind == "abort":
        os.abort()
    os.kill(os.getpid(), signal.SIGKILL)


class _CrashingLlama(LlamaBackend):
    """A LlamaBackend that crashes at its N-th decode (the test hook; see the module docstring)."""

    def __init__(self, *args: Any, plan: tuple[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plan = plan
        self._decodes = 0

    def _eval_from_common_prefix(self, tokens: list[int]) -> None:
        self._decodes += 1
        if self._decodes == self._plan[1]:
            _crash(self._plan[0])
        super()._eval_from_common_prefix(tokens)


def serve_parent(fd: int, state_dir: Path | None) -> int:
    """Answer the parent's requests on the socket ``fd`` until it hangs up."""
    import signal
    import socket

    from .server import ModelServer, ModelSpec, encode

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C reaches the whole group: the parent handles it and hangs up
    plan = _crash_plan()

    def make(spec: ModelSpec) -> LlamaBackend:
        if plan is not None:
            return _CrashingLlama(spec.path, n_ctx=spec.n_ctx, threads=spec.threads, state_dir=state_dir, plan=plan)
        return LlamaBackend(spec.path, n_ctx=spec.n_ctx, threads=spec.threads, state_dir=state_dir)

    connection = socket.socket(fileno=fd)
    server = ModelServer(state_dir or Path.cwd(), idle_timeout=None, factory=make)
    reader = connection.makefile("rb")
    try:
        for line in reader:
            connection.sendall(encode(server.answer(line)))
    except OSError:
        pass  # the parent went away
    finally:
        server.close()
        connection.close()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit():
        print("usage: python -m tinyarms_lint.llm.worker FD STATE_DIR (started by tinyarms-lint)", file=sys.stderr)
        return 2
    return serve_parent(int(argv[1]), Path(argv[2]) if argv[2] else None)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
