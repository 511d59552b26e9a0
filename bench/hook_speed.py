"""Hook speed, static tier: a pre-commit run on the standard 3-file commit and `--all` on the demo.

The standard commit (bench/commit/: TSX, SCSS, Python, ~60 changed lines) is staged on top of
fixtures/demo in a fresh git repository; the hook is timed as pre-commit runs it (PRE_COMMIT=1, the
three file names as arguments). The named baseline is the bare interpreter start (`python -c pass`).
Prints a markdown table; `bench/run_all.py` collects it into bench/README.md.
"""

from __future__ import annotations

import os
import shutil
import sys

from common import LINT, PROJECT, WORK, fresh_repo, git, machine, measure, table

COMMIT_FILES = {
    "PriceTag.tsx": "src/components/PriceTag.tsx",
    "checkout.scss": "src/styles/checkout.scss",
    "billing.py": "app/billing.py",
}


def staged_commit_repo() -> tuple[object, list[str]]:
    repo = fresh_repo(WORK / "hook-repo", PROJECT / "fixtures" / "demo")
    for name, dest in COMMIT_FILES.items():
        shutil.copyfile(PROJECT / "bench" / "commit" / name, repo / dest)
    git(repo, "add", "-A")
    changed = git(repo, "diff", "--cached", "--numstat")
    return repo, changed.splitlines()


def main(runs: int = 9) -> str:
    repo, numstat = staged_commit_repo()
    added = sum(int(line.split()[0]) for line in numstat)
    files = list(COMMIT_FILES.values())
    baseline = measure("python -c pass (baseline)", [sys.executable, "-c", "pass"], repo, runs)
    hook = measure("hook, 3 staged files, --no-llm", [*LINT, "--no-llm", *files], repo, runs, env={"PRE_COMMIT": "1"})
    whole = measure("--all --no-llm on fixtures/demo", [*LINT, "--all", "--no-llm"], repo, runs)
    rows = [
        [
            t.label,
            f"{t.median_s * 1000:.0f} ms",
            f"{t.median_cpu_s * 1000:.0f} ms",
            f"{t.median_s / baseline.median_s:.1f}x",
            f"{t.peak_rss_mb:.0f} MB",
        ]
        for t in (baseline, hook, whole)
    ]
    lines = [
        f"Standard commit: 3 files, {added} added/changed lines staged. Median of {runs} runs, whole process.",
        "",
        table(["command", "median wall", "median CPU (user+sys)", "wall vs baseline", "peak RSS"], rows),
        "",
        f"Target: hook under 300 ms wall. Measured: {hook.median_s * 1000:.0f} ms wall, "
        + f"{hook.median_cpu_s * 1000:.0f} ms CPU ({'met' if hook.median_s < 0.3 else 'NOT met'} in wall time; "
        + f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"machine: {machine()}\n")
    print(main())
