"""The llama-cpp-python backend: a GGUF model in this process, with the rule prefix's state reused.

The margin needs one next-token distribution, so no logits are kept for earlier positions (no
``logits_all``, which allocates n_ctx x vocab floats): after ``Llama.eval`` the last position's logits
are read from the context. Evaluated prefixes (system message + rule text) are kept as llama.cpp
states, in memory and optionally on disk, so a rule's prefix is evaluated once, not once per question.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ModelError, ModelUnavailable
from .backend import NO_ANSWERS, YES_ANSWERS, answer_margin
from .models import identity as file_identity

if TYPE_CHECKING:
    import llama_cpp

# Smaller batches keep llama.cpp's compute buffer (and so peak memory) down; measured on 2 cores, prompt
# processing speed was the same at 64, 128 and 512.
DEFAULT_N_BATCH = 128
DEFAULT_N_CTX = 4096
# Prefixes shorter than this are cheaper to evaluate again than to store.
MIN_STORED_PREFIX = 48
MEMORY_STATES = 6
DISK_STATES = 24
_STATE_MAGIC = b"TALKV1\n"


class PromptTooLong(ModelError):
    """A prompt that does not fit the model's context window."""


def llama_available() -> bool:
    """True when llama-cpp-python can be imported (checked without importing it)."""
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None


class LlamaBackend:
    """A GGUF model loaded with llama-cpp-python on first use."""

    def __init__(
        self,
        path: Path,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        threads: int | None = None,
        n_batch: int = DEFAULT_N_BATCH,
        state_dir: Path | None = None,
    ) -> None:
        self.path = path
        self.n_ctx = n_ctx
        self.threads = threads
        self.n_batch = n_batch
        self.state_dir = state_dir
        self.prompt_tokens = 0
        self.reused_tokens = 0
        self.generated_tokens = 0
        self.load_seconds = 0.0
        self._llm: llama_cpp.Llama | None = None
        self._identity: str | None = None
        self._answer_ids: dict[str, int] = {}
        self._token_cache: dict[str, list[int]] = {}
        self._states: OrderedDict[str, tuple[list[int], bytes]] = OrderedDict()
        self._threads_now = 0  # threads set on the context by _fit_threads (0: llama.cpp's default)

    # -- identity and loading -----------------------------------------------------------------

    def identity(self) -> str:
        if self._identity is None:
            self._identity = file_identity(self.path)
        return self._identity

    def load(self) -> None:
        """Load the model now (it is otherwise loaded by the first question)."""
        _ = self.llm

    @property
    def llm(self) -> llama_cpp.Llama:
        if self._llm is None:
            self._llm = self._load()
        return self._llm

    def _load(self) -> llama_cpp.Llama:
        import time

        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelUnavailable("the model tier needs llama-cpp-python: pip install 'tinyarms-lint[llm]'") from exc
        if not self.path.is_file():
            raise ModelUnavailable(f"model file not found: {self.path}")
        started = time.perf_counter()
        kwargs: dict[str, Any] = {
            "model_path": str(self.path),
            "n_ctx": self.n_ctx,
            "n_batch": self.n_batch,
            "n_ubatch": self.n_batch,
            "verbose": False,
            # Reading the file instead of mapping it keeps one copy of the weights in memory: with
            # mmap, llama.cpp's repacked CPU weights come on top of the mapped pages (measured RSS
            # 1.8 GB instead of 1.2 GB for a 1.1 GB file).
            "use_mmap": False,
        }
        if self.threads:
            kwargs["n_threads"] = self.threads
            kwargs["n_threads_batch"] = self.threads
        try:
            llm = Llama(**kwargs)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelUnavailable(f"cannot load model {self.path}: {exc}") from exc
        self.load_seconds = time.perf_counter() - started
        for spelling in (*YES_ANSWERS, *NO_ANSWERS):
            ids = llm.tokenize(spelling.encode("utf-8"), add_bos=False, special=False)
            if len(ids) == 1:
                self._answer_ids[spelling] = ids[0]
        if not any(s in self._answer_ids for s in YES_ANSWERS) or not any(s in self._answer_ids for s in NO_ANSWERS):
            raise ModelUnavailable(f"model {self.path.name}: 'yes' and 'no' are not single tokens in its vocabulary")
        return llm

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
            self._llm = None
        self._states.clear()

    # -- tokens -------------------------------------------------------------------------------

    def tokens(self, text: str) -> list[int]:
        """Token ids of ``text``; chat-template markers (``<|im_start|>``) become their special tokens."""
        cached = self._token_cache.get(text)
        if cached is None:
            cached = self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            if len(self._token_cache) > 64:
                self._token_cache.clear()
            self._token_cache[text] = cached
        return cached

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    # -- the margin ---------------------------------------------------------------------------

    def margin(self, prefix: str, suffix: str) -> float:
        llm = self.llm
        prefix_ids = self.tokens(prefix)
        suffix_ids = llm.tokenize(suffix.encode("utf-8"), add_bos=False, special=True)
        full = prefix_ids + suffix_ids
        if len(full) >= self.n_ctx:
            raise PromptTooLong(f"prompt of {len(full)} tokens does not fit the context of {self.n_ctx}")
        self._ensure_prefix(prefix, prefix_ids)
        self._eval_from_common_prefix(full)
        return answer_margin(self._answer_logits())

    def next_token_scores(self, prefix: str, suffix: str, answers: Sequence[str]) -> dict[str, float]:
        """Logit of the first token of each of ``answers`` right after ``prefix + suffix`` (for questions
        with more than two answers, such as "which language is this comment in?")."""
        llm = self.llm
        full = self.tokens(prefix) + llm.tokenize(suffix.encode("utf-8"), add_bos=False, special=True)
        if len(full) >= self.n_ctx:
            raise PromptTooLong(f"prompt of {len(full)} tokens does not fit the context of {self.n_ctx}")
        self._ensure_prefix(prefix, self.tokens(prefix))
        self._eval_from_common_prefix(full)
        import llama_cpp

        row = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
        firsts = {a: llm.tokenize(a.encode("utf-8"), add_bos=False, special=False)[:1] for a in answers}
        return {answer: float(row[ids[0]]) for answer, ids in firsts.items() if ids}

    def _answer_logits(self) -> dict[str, float]:
        import llama_cpp

        llm = self.llm
        row = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
        return {spelling: float(row[token]) for spelling, token in self._answer_ids.items()}

    def _common_prefix(self, tokens: list[int]) -> int:
        """How many leading ``tokens`` the context already holds."""
        import numpy as np

        llm = self.llm
        limit = min(llm.n_tokens, len(tokens))
        if limit == 0:
            return 0
        current = llm.input_ids[:limit]
        differ = np.flatnonzero(current != np.asarray(tokens[:limit], dtype=current.dtype))
        return int(differ[0]) if differ.size else limit

    def _eval_from_common_prefix(self, tokens: list[int]) -> None:
        """Evaluate ``tokens``, reusing the evaluated common prefix; the last token is always evaluated
        again so that its logits are the ones in the context."""
        llm = self.llm
        common = min(self._common_prefix(tokens), len(tokens) - 1)
        llm.n_tokens = common
        self._fit_threads()
        llm.eval(tokens[common:])
        self.prompt_tokens += len(tokens) - common
        self.reused_tokens += common

    def _fit_threads(self) -> None:
        """With ``threads`` unset, evaluate on the cores nobody else is running on right now (threads.py)."""
        if self.threads:
            return
        import llama_cpp

        from .threads import idle_cores

        wanted = idle_cores()
        if wanted != self._threads_now:
            llama_cpp.llama_set_n_threads(self.llm._ctx.ctx, wanted, wanted)
            self._threads_now = wanted

    # -- prefix states ------------------------------------------------------------------------

    def _ensure_prefix(self, prefix: str, prefix_ids: list[int]) -> None:
        """Make the context hold ``prefix_ids``: already there, a stored state, or evaluate and store."""
        if self._common_prefix(prefix_ids) == len(prefix_ids) or len(prefix_ids) < MIN_STORED_PREFIX:
            return
        key = self._state_key(prefix)
        stored = self._states.get(key) or self._read_state(key, prefix_ids)
        if stored is not None and stored[0] == prefix_ids:
            self._states[key] = stored
            self._states.move_to_end(key)
            self._restore(stored)
            return
        self._eval_from_common_prefix(prefix_ids)
        state = (list(prefix_ids), self._snapshot())
        self._states[key] = state
        while len(self._states) > MEMORY_STATES:
            self._states.popitem(last=False)
        self._write_state(key, state)

    def _state_key(self, prefix: str) -> str:
        digest = hashlib.sha256()
        digest.update(self.identity().encode("utf-8"))
        digest.update(f"|ctx={self.n_ctx}|batch={self.n_batch}|".encode())
        digest.update(prefix.encode("utf-8"))
        return digest.hexdigest()[:32]

    def _snapshot(self) -> bytes:
        import llama_cpp

        ctx = self.llm._ctx.ctx
        size = llama_cpp.llama_state_get_size(ctx)
        buffer = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_get_data(ctx, buffer, size)
        return bytes(buffer)[: int(written)]

    def _restore(self, state: tuple[list[int], bytes]) -> None:
        import llama_cpp

        tokens, data = state
        llm = self.llm
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if llama_cpp.llama_state_set_data(llm._ctx.ctx, buffer, len(data)) != len(data):
            llm.n_tokens = 0
            self._eval_from_common_prefix(tokens)
            return
        llm.input_ids[: len(tokens)] = tokens
        llm.n_tokens = len(tokens)

    def _read_state(self, key: str, prefix_ids: list[int]) -> tuple[list[int], bytes] | None:
        if self.state_dir is None:
            return None
        path = self.state_dir / f"{key}.kv"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not data.startswith(_STATE_MAGIC):
            return None
        header_end = data.find(b"\n", len(_STATE_MAGIC))
        try:
            tokens = json.loads(data[len(_STATE_MAGIC) : header_end])
        except ValueError:
            return None
        if tokens != prefix_ids:
            return None
        try:
            os.utime(path)  # least recently used states are the ones removed
        except OSError:
            pass
        return list(tokens), data[header_end + 1 :]

    def _write_state(self, key: str, state: tuple[list[int], bytes]) -> None:
        if self.state_dir is None:
            return
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = self.state_dir / f"{key}.kv"
            partial = path.with_suffix(f".{os.getpid()}.partial")
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
                handle.write(_STATE_MAGIC + json.dumps(state[0]).encode("ascii") + b"\n")
                handle.write(state[1])
            os.replace(partial, path)
            stored = sorted(self.state_dir.glob("*.kv"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in stored[DISK_STATES:]:
                old.unlink(missing_ok=True)
        except OSError:
            return  # the state store is an optimisation only

    # -- generation ---------------------------------------------------------------------------

    def generate_json(self, prompt: str, schema: dict[str, Any], max_tokens: int) -> dict[str, Any] | None:
        from llama_cpp.llama_grammar import LlamaGrammar

        llm = self.llm
        tokens = self.tokens(prompt)
        if len(tokens) + max_tokens >= self.n_ctx:
            raise PromptTooLong(f"prompt of {len(tokens)} tokens does not fit the context of {self.n_ctx}")
        grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        reused = self._common_prefix(tokens)
        self._fit_threads()
        result = llm.create_completion(tokens, max_tokens=max_tokens, temperature=0.0, grammar=grammar, stream=False)
        usage = result.get("usage", {}) if isinstance(result, dict) else {}
        self.prompt_tokens += max(0, len(tokens) - reused)
        self.reused_tokens += reused
        self.generated_tokens += int(usage.get("completion_tokens", 0))
        try:
            text = result["choices"][0]["text"]  # type: ignore[index]
            value = json.loads(text)
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return value if isinstance(value, dict) else None
