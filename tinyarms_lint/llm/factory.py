"""Builds the Judge the engine uses, or explains in one note why the model tier is skipped.

Nothing heavy happens here: model files are located and checked, llama-cpp-python is looked up without
being imported, and a model is loaded only when the first question that needs it is asked (a commit
without ambiguous candidates never pays for loading a model).

With ``llm = "auto"`` (the default) a missing model or a missing llama-cpp-python skips the model tier
for the rules that need it, with a note; with ``llm = "required"`` it is an error (exit 2). A model that
fails during the run (it cannot be loaded, or its process crashed) is the same: one note, or with
``required`` exit 2 after the static findings (``model_failure``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ModelError
from .models import ROLES, locate

if TYPE_CHECKING:
    from ..config import Config
    from ..rules import Rule
    from .backend import Backend
    from .base import Judge

BACKENDS = ("llama", "openai")
INSTALL_HINT = "pip install 'tinyarms-lint[llm]'"


def _int_setting(models: dict[str, Any], key: str, default: int | None) -> int | None:
    value = models.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ModelError(f"models.{key} must be a positive integer")
    return value


def make_backend(role: str, config: Config, shared: dict[str, Backend] | None = None) -> Backend:
    """The backend for ``role`` per ``[tool.tinyarms-lint.models]``; ModelError with a one-line fix."""
    import os

    models = config.models
    kind = models.get("backend", "llama")
    if kind not in BACKENDS:
        raise ModelError(f"models.backend must be one of {', '.join(BACKENDS)}, got {kind!r}")
    if kind == "openai":
        from .openai import OpenAIBackend

        url = models.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ModelError('models.backend = "openai" needs models.url (e.g. "http://127.0.0.1:8080/v1")')
        name = models.get(f"{role}_model_name") or models.get(role) or role
        key_env = models.get("api_key_env")
        api_key = os.environ.get(key_env) if isinstance(key_env, str) and key_env else None
        if isinstance(key_env, str) and key_env and not api_key:
            raise ModelError(f"models.api_key_env names {key_env}, which is not set")
        return OpenAIBackend(url, str(name), api_key=api_key)

    from .llama import DEFAULT_N_CTX, llama_available

    if not llama_available():
        raise ModelError(f"the model tier needs llama-cpp-python, which is not installed: {INSTALL_HINT}")
    location = locate(role, models, config.root)
    if not location.present:
        raise ModelError(location.missing_message())
    key = str(location.path.resolve())
    if shared is not None and key in shared:
        return shared[key]
    from .worker import WorkerBackend  # llama.cpp runs in a child process: a crash there never ends the run

    backend = WorkerBackend(
        location.path,
        n_ctx=_int_setting(models, "n_ctx", DEFAULT_N_CTX) or DEFAULT_N_CTX,
        threads=_int_setting(models, "threads", None),
        state_dir=_state_dir(config),
        cache_dir=_cache_dir(config),
        role=role,
    )
    from .remote import RemoteBackend  # a running `tinyarms-lint serve` holds the model loaded: ask it

    served: Backend = RemoteBackend.connect(_cache_dir(config), role, backend) or backend
    if shared is not None:
        shared[key] = served
    return served


def _cache_dir(config: Config) -> Path:
    from ..cache import default_cache_dir

    return default_cache_dir(config.cache_dir, config.root)


def _state_dir(config: Config) -> Path:
    return _cache_dir(config) / "prefix-states"


def _verdict_cache(config: Config) -> Any:
    from ..cache import VerdictCache

    return VerdictCache(_cache_dir(config))


def build_judge(config: Config, rules: list[Rule], fix: bool = False) -> tuple[Judge | None, list[str]]:
    """A Judge for the rules that may ask a model (with ``fix``, also the rules whose fixes only a model
    writes), or None with the reason as a note.

    ModelError when ``llm = "required"`` and a needed model cannot be used.
    """
    from ..engine import MODEL_FIX_DETECTORS
    from .judge import ModelJudge

    model_rules = [r for r in rules if r.detector is None or r.llm or (fix and r.detector in MODEL_FIX_DETECTORS)]
    if not model_rules:
        return None, []
    required = config.llm == "required"
    explain = config.models.get("explain", False)
    if not isinstance(explain, bool):
        raise ModelError("models.explain must be true or false")
    backends: dict[str, Backend] = {}
    shared: dict[str, Backend] = {}
    notes: list[str] = []
    for role in ROLES:
        role_rules = sorted(r.id for r in model_rules if r.role == role)
        if not role_rules:
            continue
        try:
            backends[role] = make_backend(role, config, shared)
        except ModelError as exc:
            if required:
                raise
            notes.append(f"model tier skipped for {', '.join(role_rules)}: {exc}")
    if not backends:
        return None, notes
    return ModelJudge(backends, _verdict_cache(config), explain=explain), notes


def model_failure(judge: Judge) -> str | None:
    """Why a model of ``judge`` stopped answering during the run (a load failure, a crash), or None."""
    for backend in getattr(judge, "backends", {}).values():
        failure = getattr(backend, "failure", None) or getattr(getattr(backend, "fallback", None), "failure", None)
        if isinstance(failure, str):
            return failure
    return None
