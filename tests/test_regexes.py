"""Every regular expression in the package runs in linear time on long adversarial input.

The patterns are collected from the source (module-level compiled patterns, found by importing
every module, and every literal passed to a ``re`` function, found in the syntax tree) and each is
run, the way the package uses it (``search``-like, or ``match`` at the start), on 100 KB strings
made of the characters such patterns trip on: a pattern that backtracks super-linearly takes
minutes there, a linear one milliseconds. ``bench/regex_speed.py`` measures the doubling ratio.
"""

from __future__ import annotations

import ast
import base64
import importlib
import pkgutil
import random
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import tinyarms_lint

PACKAGE = Path(tinyarms_lint.__file__).parent
SEARCHING = {"search", "finditer", "findall", "sub", "subn", "split"}
MATCHING = {"match", "fullmatch"}
# Patterns built at run time from the user's configuration or from a fixed short word are checked
# by reading them: config._glob_regex (globs -> [^/]* and (?:.*/)?, anchored), locale_consistency's
# path templates (anchored, one class per {lang}), comment_language's marker prefix (one literal).


@dataclass(frozen=True)
class Found:
    """One pattern, where it is defined, and whether the package ever searches with it."""

    where: str
    pattern: re.Pattern[str] | re.Pattern[bytes]
    searched: bool


def _methods_called_on(tree: ast.AST, name: str) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
    }


def collect_patterns() -> list[Found]:
    """Every pattern of the package, once (by source and flags)."""
    found: dict[tuple[object, int], Found] = {}
    for info in pkgutil.walk_packages(tinyarms_lint.__path__, "tinyarms_lint."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        tree = ast.parse(source)
        for name, value in vars(module).items():
            values = (
                value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
            )
            for item in values:
                if isinstance(item, re.Pattern) and (item.pattern, item.flags) not in found:
                    methods = _methods_called_on(tree, name)
                    searched = not methods or bool(methods - MATCHING)
                    found[(item.pattern, item.flags)] = Found(f"{info.name}.{name}", item, searched)
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, (str, bytes))
            ):
                continue
            pattern = re.compile(node.args[0].value)
            key = (pattern.pattern, pattern.flags)
            if key not in found and node.func.attr != "compile":
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                found[key] = Found(where, pattern, node.func.attr not in MATCHING)
    return list(found.values())


FAMILIES = [
    *"aZ0_/.\\ -@#{}()[]<>%$=:*!'\"`\n\té;,+&|?",
    *("a" + c for c in "./:(=@-_!{<#$ \n\\"),
    *("0(", "_-", "/.", " \n", "_:", "a[", "-[", "{a", "<a", "#a", "*/", "//", "'a", "ő "),
]


def adversarial(family: str, size: int) -> str:
    """``size`` characters of ``family`` repeated, or (``base64``, ``minified``) of that kind."""
    if family == "base64":
        return base64.b64encode(random.Random(size).randbytes(size))[:size].decode()
    if family == "minified":
        chunk = 'function a(b,c){return b.d[c]/2+e.f("x/y.z")};var g={h:1,i:[2,3]},j=k?l:m;'
        return (chunk * (size // len(chunk) + 1))[:size]
    return (family * (size // len(family) + 1))[:size]


def inputs(size: int) -> Iterator[tuple[str, str]]:
    for family in (*FAMILIES, "base64", "minified"):
        yield family, adversarial(family, size)


class _Slow(Exception):
    pass


def run_once(found: Found, text: str, limit: float) -> float:
    """Seconds the pattern takes over ``text`` as the package uses it; raises _Slow past ``limit``."""
    pattern = found.pattern
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text

    def stop(signum: int, frame: object) -> None:
        raise _Slow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        if found.searched:
            for _ in pattern.finditer(subject):  # type: ignore[arg-type]
                pass
        else:
            pattern.match(subject)  # type: ignore[arg-type]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - started


# Patterns linear only inside the function that uses them, which is tested on its own
# (tests/test_langid.py: prose() drops tokens longer than LONGEST_TOKEN first and starts token-long
# parts only at token starts, see langid._sub_linear).
LINEAR_IN_CONTEXT = {
    "tinyarms_lint.langid._URL",
    "tinyarms_lint.langid._URL_FRESH",
    "tinyarms_lint.langid._CODE_TOKEN",
    "tinyarms_lint.langid._CODE_TOKEN_FRESH",
}
PATTERNS = [found for found in collect_patterns() if found.where not in LINEAR_IN_CONTEXT]


def test_the_collector_finds_the_patterns_named_in_issue_11() -> None:
    names = {f.where for f in collect_patterns()}
    assert "tinyarms_lint.langid._CODE_TOKEN" in names
    assert "tinyarms_lint.langid._URL" in names
    assert len(PATTERNS) > 100


@pytest.mark.parametrize("found", PATTERNS, ids=[f.where for f in PATTERNS])
def test_pattern_is_linear_on_100_kb_of_adversarial_input(found: Found) -> None:
    # 3 s is generous: every pattern takes milliseconds; a quadratic one would take minutes
    slow = []
    for family, text in inputs(100_000):
        try:
            run_once(found, text, 3.0)
        except _Slow:
            slow.append(family)
    assert not slow, f"{found.where} backtracks on 100 KB of {slow!r}"
