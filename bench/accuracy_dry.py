"""Precision and recall of the ``dry`` rule and of jscpd on the same marked fixtures.

Installs jscpd (pinned; v5 is a Rust binary shipped in a platform package) into ``bench/.work``,
runs it on ``fixtures/dry`` with ``--min-tokens 50`` (its exact mode, and ``--ignore-identifiers``
for renamed copies), runs tinyarms-lint's static tier the way the fixture tests do (every file
whole, the folder as the repository), and scores both against the ``expect: dry`` / ``ok: dry``
marks. A duplicate counts at the line where it starts, in each file it names: "exact" needs that
line to carry the mark, "±3 lines" accepts a start within three lines of an unmatched mark.

Usage: ``.venv/bin/python bench/accuracy_dry.py``. Prints a markdown table.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common import Rates

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
FIXTURES = PROJECT / "fixtures" / "dry"
# 5.4.1 is the newest jscpd, but its platform packages were never published; 5.3.3 has them.
JSCPD_VERSION = "5.3.3"
_PLATFORM_PACKAGES = {"x86_64": "jscpd-linux-x64-gnu", "aarch64": "jscpd-linux-arm64-gnu"}
TOLERANCE = 3

Hit = tuple[str, int]  # (path relative to the fixture folder, start line)


def jscpd_binary() -> Path:
    binary = WORK / "node_modules" / ".bin" / "jscpd"
    platform_package = _PLATFORM_PACKAGES.get(platform.machine())
    if platform_package is None:
        raise SystemExit(f"no jscpd platform package known for {platform.machine()}")
    if not (WORK / "node_modules" / platform_package).is_dir():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--prefix",
                str(WORK),
                f"jscpd@{JSCPD_VERSION}",
                f"{platform_package}@{JSCPD_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return binary


def run_jscpd(extra: list[str]) -> set[Hit]:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                str(jscpd_binary()),
                "--min-tokens",
                "50",
                "--reporters",
                "json",
                "--output",
                out,
                "--no-gitignore",
                *extra,
                str(FIXTURES),
            ],
            check=True,
            capture_output=True,
        )
        report = json.loads((Path(out) / "jscpd-report.json").read_text(encoding="utf-8"))
    hits: set[Hit] = set()
    for duplicate in report["duplicates"]:
        for side in ("firstFile", "secondFile"):
            name = Path(duplicate[side]["name"])
            relative = (name if not name.is_absolute() else name.relative_to(FIXTURES)).as_posix()
            if not (FIXTURES / relative).is_file():  # some versions report paths from the cwd
                relative = Path(os.path.relpath(PROJECT / name, FIXTURES)).as_posix()
            hits.add((relative, int(duplicate[side]["startLoc"]["line"])))
    return hits


def run_tinyarms() -> set[Hit]:
    sys.path.insert(0, str(PROJECT))
    from tinyarms_lint.config import Config
    from tinyarms_lint.engine import Engine, Target, active_rules
    from tinyarms_lint.languages import language_for_path
    from tinyarms_lint.repository import DirectoryRepository
    from tinyarms_lint.rules import load_rules

    config = Config(root=FIXTURES)
    rules = [rule for rule in active_rules(load_rules([]), config) if rule.id == "dry"]
    hits: set[Hit] = set()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TINYARMS_CACHE_DIR"] = cache
        for path in sorted(FIXTURES.rglob("*")):
            if not path.is_file() or language_for_path(path.name) is None:
                continue
            engine = Engine(config, rules, judge=None, repository=DirectoryRepository(FIXTURES))
            relative = path.relative_to(FIXTURES).as_posix()
            result = engine.run([Target(relative, path.read_bytes, None)])
            hits.update((relative, finding.line) for finding in result.findings)
    return hits


def marks() -> tuple[set[Hit], set[Hit]]:
    sys.path.insert(0, str(PROJECT))
    from tinyarms_lint.marks import parse_marks

    expected: set[Hit] = set()
    ok: set[Hit] = set()
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file():
            found = parse_marks(path.read_text(encoding="utf-8"))
            relative = path.relative_to(FIXTURES).as_posix()
            expected.update((relative, line) for line in found.expected.get("dry", ()))
            ok.update((relative, line) for line in found.ok.get("dry", ()))
    return expected, ok


@dataclass
class Score(Rates):
    tp: int
    fp: int
    fn: int
    ok_flagged: int


def score(hits: set[Hit], expected: set[Hit], ok: set[Hit], tolerance: int) -> Score:
    unmatched = set(expected)
    tp = fp = 0
    for path, line in sorted(hits):
        match = next(
            (
                m
                for m in sorted(unmatched, key=lambda m: abs(m[1] - line))
                if m[0] == path and abs(m[1] - line) <= tolerance
            ),
            None,
        )
        if match is not None:
            unmatched.discard(match)
            tp += 1
        else:
            fp += 1
    ok_flagged = sum(1 for path, line in ok if any(p == path and abs(n - line) <= tolerance for p, n in hits))
    return Score(tp, fp, len(unmatched), ok_flagged)


def main() -> None:
    expected, ok = marks()
    tools = {
        "tinyarms-lint `dry` (defaults)": run_tinyarms(),
        f"jscpd {JSCPD_VERSION} `--min-tokens 50`": run_jscpd([]),
        f"jscpd {JSCPD_VERSION} `--min-tokens 50 --ignore-identifiers`": run_jscpd(["--ignore-identifiers"]),
    }
    files = sum(1 for p in FIXTURES.rglob("*") if p.is_file())
    print(
        f"dry accuracy, {date.today().isoformat()}: fixtures/dry ({files} files, {len(expected)} `expect` marks, "
        f"{len(ok)} `ok` marks)"
    )
    print()
    print("| tool | match | TP | FP | FN | `ok` lines flagged | precision | recall |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, hits in tools.items():
        for label, tolerance in (("exact line", 0), (f"±{TOLERANCE} lines", TOLERANCE)):
            result = score(hits, expected, ok, tolerance)
            print(
                f"| {name} | {label} | {result.tp} | {result.fp} | {result.fn} | {result.ok_flagged} | "
                f"{result.precision:.2f} | {result.recall:.2f} |"
            )


if __name__ == "__main__":
    main()
