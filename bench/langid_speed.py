"""What the language detector costs a hook run.

A fresh repository (fixtures/demo) gets a staged commit whose comments are all English: the
standard 3-file commit (bench/commit/) plus the English fixtures of comment-language. The hook is
timed as pre-commit runs it (PRE_COMMIT=1, the file names as arguments, --no-llm) with every rule,
and again with ``--ignore comment-language``: the difference is what the rule adds. Target: under
50 ms. For scale, the same is measured for a commit that adds one Hungarian comment (lingua loads),
and in-process: the cheap English check per comment, and lingua's first use.

Prints markdown; `bench/run_all.py` collects it into bench/README.md.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

from common import LINT, PROJECT, WORK, Timing, fresh_repo, git, machine, run_once, table

sys.path.insert(0, str(PROJECT))

ENGLISH_FILES = {
    **{
        f"bench/commit/{name}": dest
        for name, dest in {
            "PriceTag.tsx": "src/components/PriceTag.tsx",
            "checkout.scss": "src/styles/checkout.scss",
            "billing.py": "app/billing.py",
        }.items()
    },
    "fixtures/comment-language/en/rate_limiter.py": "app/rate_limiter.py",
    "fixtures/comment-language/en/useDebouncedSearch.ts": "src/hooks/useDebouncedSearch.ts",
    "fixtures/comment-language/en/Modal.tsx": "src/components/Modal.tsx",
    "fixtures/comment-language/en/_buttons.scss": "src/styles/_buttons.scss",
}
HUNGARIAN_LINE = "# Forintban nincs fillér, ezért egész számra kerekítünk.\n"


def staged_repo(name: str, extra_comment: str | None = None) -> tuple[Path, list[str]]:
    repo = fresh_repo(WORK / name, PROJECT / "fixtures" / "demo")
    for source, dest in ENGLISH_FILES.items():
        (repo / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT / source, repo / dest)
    if extra_comment is not None:
        target = repo / "app" / "billing.py"
        target.write_text(extra_comment + target.read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "add", "-A")
    return repo, list(ENGLISH_FILES.values())


def spread(timing: Timing) -> float:
    quartiles = statistics.quantiles(timing.runs, n=4)
    return (quartiles[2] - quartiles[0]) * 1000


def import_cost(runs: int = 15) -> float:
    """Median extra milliseconds of importing the detector (and langid) in a fresh interpreter."""
    base = [sys.executable, "-c", "import tinyarms_lint.engine"]
    full = [sys.executable, "-c", "import tinyarms_lint.engine, tinyarms_lint.detectors.comment_language"]
    diffs = []
    for _ in range(runs):
        diffs.append(run_once(full, PROJECT)[0] - run_once(base, PROJECT)[0])
    return statistics.median(diffs) * 1000


def in_process() -> list[list[str]]:
    from tinyarms_lint import langid
    from tinyarms_lint.detectors import comment_language
    from tinyarms_lint.detectors.base import DetectContext
    from tinyarms_lint.languages import language_for_path
    from tinyarms_lint.regions import SourceFile
    from tinyarms_lint.rules import load_rules

    rule = load_rules([])["comment-language"]
    texts, files = [], []
    for source in ENGLISH_FILES:
        path = PROJECT / source
        language = language_for_path(path.name)
        assert language is not None
        file = SourceFile.parse(path.name, language, path.read_bytes())
        files.append(file)
        texts += [comment_language.prose_of(b.body) for b in comment_language.comment_blocks(file)]
    started = time.perf_counter()
    for _ in range(20):
        for file in files:
            comment_language.detect(file, rule, DetectContext(root=PROJECT))
    detect_ms = (time.perf_counter() - started) / 20 * 1000
    texts = [t for t in texts if t]
    identifier = langid.LanguageIdentifier(("en", "hu", "vi"))
    started = time.perf_counter()
    for _ in range(100):
        for text in texts:
            identifier.identify(text)
    per_comment_us = (time.perf_counter() - started) / (100 * len(texts)) * 1e6
    english_loaded = identifier.lingua_loaded
    started = time.perf_counter()
    identifier.identify("Forintban nincs fillér, ezért egész számra kerekítünk.")
    first_lingua_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    identifier.identify("Lấy danh sách người dùng từ máy chủ")
    next_lingua_ms = (time.perf_counter() - started) * 1000
    return [
        ["import of the detector and langid (fresh interpreter, paired)", f"{import_cost():.1f} ms", ""],
        [f"detect() on the {len(files)} staged files (all comments)", f"{detect_ms:.1f} ms", ""],
        [
            f"English check, {len(texts)} English comments x100",
            f"{per_comment_us:.0f} µs per comment",
            f"lingua loaded: {'yes' if english_loaded else 'no'}",
        ],
        ["first Hungarian comment (lingua builds and loads its models)", f"{first_lingua_ms:.0f} ms", ""],
        ["next foreign comment (models loaded)", f"{next_lingua_ms:.1f} ms", ""],
    ]


def interleaved(commands: list[tuple[str, list[str], Path]], runs: int, env: dict[str, str]) -> list[Timing]:
    """Median wall time per command, the commands taking turns so drift on a shared machine hits all."""
    for _, cmd, cwd in commands:
        run_once(cmd, cwd, env)  # warm-up
    walls: dict[str, list[float]] = {label: [] for label, _, _ in commands}
    peaks: dict[str, float] = {label: 0.0 for label, _, _ in commands}
    codes: dict[str, int] = {}
    for _ in range(runs):
        for label, cmd, cwd in commands:
            wall, peak, code, _ = run_once(cmd, cwd, env)
            walls[label].append(wall)
            peaks[label] = max(peaks[label], peak)
            codes[label] = code
    return [
        Timing(label, statistics.median(walls[label]), walls[label], peaks[label], codes[label])
        for label, _, _ in commands
    ]


def main(runs: int = 21) -> str:
    repo, files = staged_repo("langid-repo")
    hu_repo, _ = staged_repo("langid-repo-hu", HUNGARIAN_LINE)
    base = [*LINT, "--no-llm", *files]
    without, with_rule, with_hungarian = interleaved(
        [
            ("hook without comment-language", [*base, "--ignore", "comment-language"], repo),
            ("hook with every rule (all comments English)", base, repo),
            ("same, plus one Hungarian comment (lingua loads)", base, hu_repo),
        ],
        runs,
        {"PRE_COMMIT": "1"},
    )
    added = (with_rule.median_s - without.median_s) * 1000
    paired = statistics.median(a - b for a, b in zip(with_rule.runs, without.runs)) * 1000
    rows = [
        [t.label, f"{t.median_s * 1000:.0f} ms", f"{t.median_s / without.median_s:.2f}x", f"{t.peak_rss_mb:.0f} MB"]
        for t in (without, with_rule, with_hungarian)
    ]
    lines = [
        (
            f"{len(files)} staged files (the standard commit and the English comment fixtures), whole process, "
            f"median of {runs} interleaved runs; ratios against the run without the rule."
        ),
        "",
        table(["hook run", "median wall", "vs without", "peak RSS"], rows),
        "",
        (
            f"Target: comment-language adds under 50 ms when every comment is English. Measured: {added:+.0f} ms "
            f"between medians, {paired:+.0f} ms as the median of paired run differences "
            f"({'met' if max(added, paired) < 50 else 'NOT met'}); run-to-run spread on this shared machine: "
            f"{spread(without):.0f} ms (interquartile range of the run without the rule)."
        ),
        "",
        table(["in process", "time", ""], in_process()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"machine: {machine()}\n")
    print(main())
