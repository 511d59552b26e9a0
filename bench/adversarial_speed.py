"""Nothing hangs (issue 11): regexes, detectors and a whole ``--all`` run on adversarial input.

1. Every regex of the package (collected as tests/test_regexes.py does): its slowest adversarial
   string family at 125 KB, then the time at 250 KB, 500 KB and 1 MB; a linear pattern doubles.
   Baseline: the patterns ``langid.prose()`` used before issue 11, on the issue's 20 KB and 40 KB.
2. Each bundled rule on each language on the adversarial files of tests/detectors/adversarial_inputs
   (skip_generated and the time budget off, so the detectors themselves are timed).
3. ``--all --no-llm`` on a repository like the issue's (two TS files wrapping ~1 MB of base64, a 200 KB
   minified bundle, 40 ordinary files), with the default skip, against ``skip_generated = false``.

Prints markdown; `bench/run_all.py` collects it into bench/README.md.
"""

from __future__ import annotations

import re
import sys
import time

from common import LINT, PROJECT, WORK, fresh_repo, machine, measure, table

sys.path.insert(0, str(PROJECT))

from tests.detectors.adversarial_inputs import EXTENSIONS, KINDS, adversarial_file, blob
from tests.test_regexes import FAMILIES, LINEAR_IN_CONTEXT, _Slow, adversarial, collect_patterns, run_once
from tinyarms_lint import langid
from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.rules import load_rules

# langid's patterns before issue 11 (the baseline)
OLD_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|\S+@\S+\.\w+", re.IGNORECASE)
OLD_PATH = re.compile(r"\S*[/\\]\S*[/\\.]\S*")
OLD_KEY_VALUE = re.compile(r"\S+=\S*")


def _timed(function: object, *args: object) -> float:
    started = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - started


def regexes() -> str:
    rows = []
    worst_ratio = 0.0
    patterns = [found for found in collect_patterns() if found.where not in LINEAR_IN_CONTEXT]
    for found in patterns:
        slowest, family = 0.0, FAMILIES[0]
        for candidate in (*FAMILIES, "base64", "minified"):
            seconds = run_once(found, adversarial(candidate, 125_000), 30)
            if seconds > slowest:
                slowest, family = seconds, candidate
        times = [slowest] + [run_once(found, adversarial(family, size), 60) for size in (250_000, 500_000, 1_000_000)]
        # per doubling, from 125 KB to 1 MB (three doublings): robust to one noisy run; 2.0 is linear
        ratio = (times[-1] / times[0]) ** (1 / 3) if times[0] > 0.005 else 0.0
        worst_ratio = max(worst_ratio, ratio)
        rows.append((times[-1], found.where, family, times, ratio))
    rows.sort(reverse=True)
    out = [
        (
            f"{len(patterns)} patterns (langid's four token patterns are timed through `prose()` below); each run on "
            f"its slowest of {len(FAMILIES) + 2} string families, as the package uses it (search or match). "
            f"Largest time ratio per doubling (the cube root of 1 MB / 125 KB): {worst_ratio:.1f} (2.0 is linear; "
            "not computed under 5 ms at 125 KB, timer noise, shown as 0.0). The ten slowest at 1 MB:"
        ),
        "",
        table(
            ["pattern", "family", "125 KB", "250 KB", "500 KB", "1 MB", "ratio"],
            [
                [f"`{where}`", repr(family), *(f"{t * 1000:.1f} ms" for t in times), f"{ratio:.1f}"]
                for _, where, family, times, ratio in rows[:10]
            ],
        ),
        "",
        (
            "Baseline, the patterns `langid.prose()` used before, on one unbroken token (`/` then `a`s, `a@` repeated, "
            "`a`s), and `prose()` now on the same token at 1 MB:"
        ),
        "",
    ]
    base = []
    for name, pattern, unit in (
        ("`\\S*[/\\\\]\\S*[/\\\\.]\\S*`", OLD_PATH, "/a"),
        ("old `_URL`", OLD_URL, "a@"),
        ("`\\S+=\\S*`", OLD_KEY_VALUE, "a"),
    ):
        cells = []
        for size in (10_000, 20_000, 40_000):
            text = _token(unit, size)
            try:
                cells.append(f"{run_once(_Found(pattern), text, 60):.2f} s")
            except _Slow:
                cells.append("> 60 s")
        new = _timed(langid.prose, _token(unit, 1_000_000))
        base.append([name, *cells, f"{new:.3f} s"])
    out.append(table(["pattern", "10 KB", "20 KB", "40 KB", "`prose()` now, 1 MB"], base))
    return "\n".join(out)


def _token(unit: str, size: int) -> str:
    """``/aaaa…`` for ``/a`` (one separator, then nothing a path needs), else ``unit`` repeated."""
    if unit == "/a":
        return "/" + "a" * (size - 1)
    return (unit * size)[:size]


class _Found:
    """A bare pattern to time with run_once (searched)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.searched = True
        self.where = pattern.pattern


def detectors() -> str:
    root = WORK / "adversarial"
    root.mkdir(parents=True, exist_ok=True)
    config = Config(root=root, skip_generated=False, file_time_budget=0, max_file_size=3_000_000)
    rules = active_rules(load_rules([]), config)
    rows = []
    total = 0.0
    for language in sorted(EXTENSIONS):
        for kind in KINDS:
            path, data = adversarial_file(language, kind)
            timings = []
            for rule in (r for r in rules if r.applies_to(language)):
                started = time.perf_counter()
                result = Engine(config, [rule]).run([Target(path, lambda d=data: d)])
                timings.append((time.perf_counter() - started, rule.id, result.stats.skipped))
            total += sum(t for t, _, _ in timings)
            slowest = max(timings)
            notes = "; ".join(n.split(": ", 1)[1] for _, _, s in timings for n in s)
            rows.append(
                [
                    language,
                    kind,
                    f"{len(data) / 1e6:.2f} MB",
                    f"{sum(t for t, _, _ in timings):.2f} s",
                    f"{slowest[1]} {slowest[0]:.2f} s",
                    notes or "-",
                ]
            )
    return f"All rules that apply, one at a time, in-process; total {total:.0f} s.\n\n" + table(
        ["language", "input", "size", "all rules", "slowest rule", "notes"], rows
    )


def whole_run() -> str:
    repo = WORK / "adversarial-repo"
    fresh_repo(repo)
    src = repo / "src"
    src.mkdir()
    chunk = 'function a(b,c){return b.d[c]/2+e.f("Save changes","#3b82f6")}var g={h:1,i:[2,3]},j=k?l:m;'
    (src / "fontData.ts").write_text(f'export const fontData = "{blob(900_000)}";\n')
    (src / "iconData.ts").write_text(f'export const icons =\n  "{blob(800_000)}";\n')
    (src / "vendor.js").write_text(chunk * (200_000 // len(chunk)) + "\n")
    for i in range(40):
        (src / f"module{i}.ts").write_text(
            f"export function price{i}(amount: number): number {{\n  return amount * 1.19 + {i};\n}}\n"
        )
    from common import git

    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "app", "--no-verify")
    default = measure("default (skip_generated = true)", [*LINT, "--all", "--no-llm"], repo, runs=3)
    (repo / ".tinyarms.toml").write_text("skip_generated = false\nfile_time_budget = 0\n")
    checked = measure("skip_generated = false, no budget", [*LINT, "--all", "--no-llm"], repo, runs=1, warmup=0)
    (repo / ".tinyarms.toml").write_text("skip_generated = false\n")
    budget = measure(
        "skip_generated = false, file_time_budget = 10", [*LINT, "--all", "--no-llm"], repo, runs=1, warmup=0
    )
    rows = [
        [t.label, f"{t.median_s:.2f} s", f"{t.median_cpu_s:.2f} s", f"{t.median_s / default.median_s:.1f}x"]
        for t in (default, checked, budget)
    ]
    return (
        "43 files: fontData.ts (900 KB of base64), iconData.ts (800 KB), vendor.js (200 KB minified), 40 small "
        "modules. Median of 3 runs (1 for the slow ones), whole process.\n\n"
        + table(["configuration", "wall", "CPU", "vs default"], rows)
    )


def main() -> None:
    print(f"Measured {time.strftime('%Y-%m-%d')} on {machine()} (shared with other jobs: loaded).\n")
    print("### Every regex, doubling the input\n")
    print(regexes() + "\n")
    print("### Every rule on adversarial files\n")
    print(detectors() + "\n")
    print("### `--all` on a repository with generated files (issue 11)\n")
    print(whole_run())


if __name__ == "__main__":
    main()
