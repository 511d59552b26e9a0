"""The llama-cpp-python build flags: never native, never AMX, AVX-512 only on a CPU that has it; the
script the Makefile runs prints them before the package is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tinyarms_lint.llm import install

from ..conftest import PROJECT

AVX2_ONLY = frozenset({"sse4_2", "avx", "avx2", "fma", "f16c", "bmi2"})  # e.g. Haswell, Zen 2
AVX512 = AVX2_ONLY | {"avx512f", "avx512vbmi", "avx512_vnni", "avx512_bf16"}  # e.g. Zen 4


def _defined(args: list[str]) -> dict[str, str]:
    return dict(arg.removeprefix("-D").split("=") for arg in args)


def test_no_avx512_on_a_cpu_without_it() -> None:
    flags = _defined(install.cmake_args(AVX2_ONLY, "x86_64"))
    assert {flags[o] for o in ("GGML_AVX", "GGML_AVX2", "GGML_FMA", "GGML_F16C")} == {"ON"}
    assert {v for k, v in flags.items() if k.startswith("GGML_AVX512")} == {"OFF"}
    assert {flags[o] for o in ("GGML_NATIVE", "GGML_AMX_TILE", "GGML_AMX_INT8", "GGML_AMX_BF16")} == {"OFF"}


def test_avx512_where_the_cpu_has_it_and_amx_never() -> None:
    flags = _defined(install.cmake_args(AVX512 | {"amx_tile", "amx_int8", "amx_bf16"}, "x86_64"))
    assert {v for k, v in flags.items() if k.startswith("GGML_AVX512")} == {"ON"}
    assert flags["GGML_NATIVE"] == flags["GGML_AMX_INT8"] == flags["GGML_AMX_TILE"] == "OFF"


def test_a_cpu_without_avx2_gets_none_of_it() -> None:
    flags = _defined(install.cmake_args(frozenset({"sse4_2", "avx"}), "x86_64"))
    assert flags["GGML_AVX"] == "ON" and flags["GGML_AVX2"] == flags["GGML_FMA"] == "OFF"


def test_unknown_flags_mean_the_avx2_baseline_and_arm_gets_no_x86_flags() -> None:
    flags = _defined(install.cmake_args(None, "x86_64"))
    assert flags["GGML_AVX2"] == "ON" and flags["GGML_AVX512"] == "OFF"
    assert set(_defined(install.cmake_args(AVX512, "aarch64"))) == set(install.ALWAYS_OFF)


def test_cpu_flags_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx avx2 avx512f\n\n")
    assert install.cpu_flags(cpuinfo) == {"fpu", "avx", "avx2", "avx512f"}
    assert install.cpu_flags(tmp_path / "absent") is None


def test_the_pip_command_pins_the_tested_version_and_skips_the_wheel_cache() -> None:
    command = install.pip_command(AVX2_ONLY, "x86_64")
    assert command.startswith("CMAKE_ARGS='-DGGML_NATIVE=OFF ")
    assert f"--no-cache-dir llama-cpp-python=={install.LLAMA_CPP_VERSION}" in command


def test_the_script_runs_without_the_package_installed(tmp_path: Path) -> None:
    script = PROJECT / "tinyarms_lint" / "llm" / "install.py"
    done = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.strip() == " ".join(install.cmake_args(install.cpu_flags()))
    version = subprocess.run(
        [sys.executable, "-I", str(script), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == install.LLAMA_CPP_VERSION
