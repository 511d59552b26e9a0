"""How to build llama-cpp-python so that it runs on this CPU: the CMake flags and the pip command.

A native build (``GGML_NATIVE=ON``, pip's default) uses every instruction the build machine has, AMX
included, and pip caches the wheel: copied to another CPU it dies with SIGILL. The portable build turns
native detection and AMX off and each x86 extension on only when this CPU reports it, and ``--no-cache-dir``
keeps a natively built wheel from being reused. Runs as a script before the package is installed
(``python3 tinyarms_lint/llm/install.py`` prints the CMAKE_ARGS), so it imports nothing from the package.
"""

from __future__ import annotations

import platform
import shlex
import sys
from pathlib import Path

LLAMA_CPP_VERSION = "0.3.36"  # the version the model tier is tested with
# ggml option -> the /proc/cpuinfo flag that allows it (the AVX2 baseline is assumed where flags are unknown)
X86_OPTIONS = (
    ("GGML_AVX", "avx"),
    ("GGML_AVX2", "avx2"),
    ("GGML_FMA", "fma"),
    ("GGML_F16C", "f16c"),
    ("GGML_BMI2", "bmi2"),
    ("GGML_AVX512", "avx512f"),
    ("GGML_AVX512_VBMI", "avx512vbmi"),
    ("GGML_AVX512_VNNI", "avx512_vnni"),
    ("GGML_AVX512_BF16", "avx512_bf16"),
)
BASELINE = frozenset({"avx", "avx2", "fma", "f16c", "bmi2"})
# AMX kernels crash or misbehave on some builds; they are never worth the risk for a 1-3B model.
ALWAYS_OFF = ("GGML_NATIVE", "GGML_AMX_TILE", "GGML_AMX_INT8", "GGML_AMX_BF16")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str] | None:
    """The instruction-set flags of this CPU as the kernel reports them, or None where unknown."""
    try:
        text = cpuinfo.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return frozenset(value.split())
    return None


def is_x86(machine: str | None = None) -> bool:
    return (machine or platform.machine()).lower() in ("x86_64", "amd64", "i686", "x86")


def cmake_args(flags: frozenset[str] | None = None, machine: str | None = None) -> list[str]:
    """The CMake definitions of a build that runs on this CPU (and on any CPU with the same extensions)."""
    args = [f"-D{option}=OFF" for option in ALWAYS_OFF]
    if not is_x86(machine):
        return args
    have = BASELINE if flags is None else flags
    args += [f"-D{option}={'ON' if flag in have else 'OFF'}" for option, flag in X86_OPTIONS]
    return args


def pip_command(flags: frozenset[str] | None = None, machine: str | None = None, pip: str = "pip") -> str:
    """The one-line shell command that (re)installs the tested llama-cpp-python built for this CPU."""
    cmake = " ".join(cmake_args(flags, machine))
    return (
        f"CMAKE_ARGS={shlex.quote(cmake)} {pip} install --force-reinstall --no-deps --no-cache-dir "
        f"llama-cpp-python=={LLAMA_CPP_VERSION}"
    )


def main(argv: list[str]) -> int:
    """``install.py`` prints the CMAKE_ARGS for this CPU; ``install.py --command`` the whole pip command."""
    flags = cpu_flags()
    if argv[1:] == ["--command"]:
        print(pip_command(flags))
    elif argv[1:] == ["--version"]:
        print(LLAMA_CPP_VERSION)
    else:
        print(" ".join(cmake_args(flags)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
