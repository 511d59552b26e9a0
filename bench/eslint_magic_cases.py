"""ESLint's own ``no-magic-numbers`` invalid test cases that use the rule's default options, run through
``magic-numbers`` (static tier, as shipped), literal by literal.

The cases restate the invalid cases of ``tests/lib/rules/no-magic-numbers.js`` in eslint/eslint (the
version stored at commit 8b84d126b05f78c4a92914362ffb1a48f2d4f843; cases with non-default options,
such as ``detectObjects`` or ``enforceConst``, are left out) as snippets with the literals ESLint
reports. For each reported literal the table says whether we report it too, and if not, which
decision in ``rules/magic-numbers.md`` leaves it alone.

Usage: ``.venv/bin/python bench/eslint_magic_cases.py``. Prints a markdown table and a total.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import table

from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.detectors.magic_numbers import detect
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import load_rules

# (code, language, literals ESLint reports in source order, why we differ when we do)
CASES: list[tuple[str, str, list[str], str]] = [
    ("var foo = 0 + 1;", "javascript", ["0", "1"], "0 and 1 are ignored (option `ignore`)"),
    ("a = a + 5;", "javascript", ["5"], ""),
    ("a += 5;", "javascript", ["5"], ""),
    (
        "var foo = 0 + 1 + -2 + 2;",
        "javascript",
        ["0", "1", "-2", "2"],
        "a literal-only expression assigned to a variable is named by it",
    ),
    ("console.log(0x1A + 0x02); console.log(071);", "javascript", ["0x1A", "0x02", "071"], ""),
    (
        "var colors = {}; colors.RED = 2; colors.YELLOW = 3; colors.BLUE = 4 + 5;",
        "javascript",
        ["4", "5"],
        "assigned to an UPPER_CASE attribute: named",
    ),
    (
        "function getSecondsInMinute() {return 60;}",
        "javascript",
        ["60"],
        "a calendar quantity returned by a function named for it",
    ),
    ("function getNegativeSecondsInMinute() {return -60;}", "javascript", ["-60"], ""),
    (
        (
            "var Promise = require('bluebird');\nvar MINUTE = 60;\nvar HOUR = 3600;\nconst DAY = 86400;\n"
            "var configObject = {\nkey: 90,\nanother: 10 * 10,\n10: 'an \"integer\" key'\n};\n"
            "function getSecondsInDay() {\n return 24 * HOUR;\n}\nfunction getMillisecondsInDay() {\n"
            "return (getSecondsInDay() *\n(1000)\n);\n}\nfunction callSetTimeoutZero(func) {\n"
            "setTimeout(func, 0);\n}\nfunction invokeInTen(func) {\nsetTimeout(func, 10);\n}\n"
        ),
        "javascript",
        ["10 * 10", "24", "1000", "0", "setTimeout(func, 10"],
        (
            "10 * 10: an object value, named by its key | 10 * 10: an object value, named by its key"
            " | 24 * HOUR: a one-step unit conversion | * 1000: a one-step unit conversion | 0 is ignored"
        ),
    ),
    (
        "var data = ['foo', 'bar', 'baz']; var third = data[3];",
        "javascript",
        ["3"],
        "array indexes are ignored (option `ignore_array_indexes`, ESLint's is off by default)",
    ),
    (
        "var a = <div arrayProp={[1,2,3]}></div>;",
        "jsx",
        ["1", "2", "3"],
        "JSX props are named by the prop; 1 is ignored",
    ),
    (
        "var min, max, mean; min = 1; max = 10; mean = 4;",
        "javascript",
        ["1", "10", "4"],
        "assigned to a variable: named",
    ),
]


def _offsets(code: str, literals: list[str]) -> list[tuple[str, int]]:
    """Byte offsets of the reported literals, found in order (``10 * 10`` counts as two ``10``).
    ``why`` holds one reason, or one per literal separated by `` | ``."""
    found: list[tuple[str, int]] = []
    position = 0
    for literal in literals:
        if literal.startswith("setTimeout("):  # the delay inside the last call
            at = code.index(literal, position) + len(literal) - 2
            found.append(("10", at))
            position = at + 2
            continue
        for part in literal.split(" * "):
            at = code.index(part, position)
            found.append((part, at))
            position = at + len(part)
    return found


def main() -> int:
    rule = load_rules([])["magic-numbers"]
    rows: list[list[str]] = []
    total = ours = 0
    for code, language, literals, why in CASES:
        data = code.encode()
        file = SourceFile.parse(f"case.{'jsx' if language == 'jsx' else 'js'}", language, data)
        candidates = [c for c in detect(file, rule, DetectContext(root=Path("."))) if c.clear]
        reasons = why.split(" | ")
        for n, (literal, at) in enumerate(_offsets(code, literals)):
            reason = reasons[min(n, len(reasons) - 1)]
            hit = any(c.span.start_byte <= at < c.span.end_byte for c in candidates)
            total += 1
            ours += hit
            first = code.split("\n", 1)[0]
            shown = first if len(first) <= 60 else first[:59] + "…"
            rows.append([f"`{shown}`", f"`{literal}`", "yes" if hit else "no", "" if hit else reason])
    print(table(["case (first line)", "ESLint reports", "we report", "why not"], rows))
    print(f"\nWe report {ours} of the {total} literals ESLint reports in its default-option invalid cases.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
