"""CPU time of `tinyarms-lint --all --no-llm` on @blueprintjs/core, this code against an earlier commit.

The machine these benchmarks run on is shared, so wall times swing with other jobs; user + system time of the
whole process tree (the engine's and the dry index's worker processes included, ``wait4``) swings far less.
For each version (``--before REV``, unpacked with ``git archive`` and put first on ``PYTHONPATH``; and the
working tree) and each case, runs alternate between the versions and the median is reported:

- every rule, with an empty cache directory (the cold CI case) and with the previous run's cache;
- ``dry`` alone, with an empty cache (the duplicate index is built: cold) and with the previous run's
  (the index is read: warm).

The findings of both versions are compared (the JSON findings, without the ``related`` places older versions
do not write): a speed change must not change what is reported. The repository is the one bench/peers_speed.py prepares.

Usage: ``python bench/dry_all_cpu.py [--before b3d537d] [--runs 3] [--jobs N]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from common import LAST_CPU, LINT, PROJECT, WORK, machine, run_once, table
from peers_speed import subject_repo

CASES = {
    "every rule, empty cache": ([], "cold"),
    "every rule, previous run's cache": ([], "warm"),
    "dry alone, empty cache (index built)": (["--select", "dry"], "cold"),
    "dry alone, previous run's cache (index read)": (["--select", "dry"], "warm"),
}


def snapshot(rev: str, folder: Path) -> Path:
    """The package as it was at ``rev``, in ``folder`` (for ``PYTHONPATH``)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev, "tinyarms_lint"], cwd=PROJECT, check=True, capture_output=True)
    subprocess.run(["tar", "x"], cwd=folder, input=archive.stdout, check=True)
    return folder


def findings(stdout: str) -> list[str]:
    """The findings, comparable across versions (without ``related``, which older versions do not write)."""
    found = json.loads(stdout)["findings"]
    return sorted(json.dumps({k: v for k, v in f.items() if k != "related"}, sort_keys=True) for f in found)


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="b3d537d")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for tinyarms-lint (0: its default)")
    args = parser.parse_args()
    repo = subject_repo()
    versions = {args.before: str(snapshot(args.before, WORK / f"snapshot-{args.before}")), "this code": ""}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    cpu: dict[tuple[str, str], list[float]] = {}
    wall: dict[tuple[str, str], list[float]] = {}
    outputs: dict[tuple[str, str], list[str]] = {}
    caches: dict[tuple[str, str], Path] = {}
    try:
        for _ in range(args.runs):
            for case, (select, cache_state) in CASES.items():
                for version, path in versions.items():
                    key = (version, " ".join(select))
                    if cache_state == "cold" or key not in caches:
                        if key in caches:
                            shutil.rmtree(caches[key], ignore_errors=True)
                        caches[key] = Path(tempfile.mkdtemp(prefix="tinyarms-cache-", dir=WORK))
                    env = {"TINYARMS_CACHE_DIR": str(caches[key]), "PYTHONPATH": path}
                    command = [*LINT, "--all", "--no-llm", "--format", "json", *select, *jobs]
                    seconds, _, code, out = run_once(command, repo, env)
                    if code not in (0, 1):
                        raise SystemExit(f"{version}: {case} failed with exit code {code}")
                    cpu.setdefault((case, version), []).append(LAST_CPU[-1])
                    wall.setdefault((case, version), []).append(seconds)
                    outputs[(case, version)] = findings(out)
    finally:
        for folder in caches.values():
            shutil.rmtree(folder, ignore_errors=True)
    rows = []
    for case in CASES:
        before, after = (statistics.median(cpu[(case, v)]) for v in versions)
        same = outputs[(case, args.before)] == outputs[(case, "this code")]
        rows.append(
            [
                case,
                f"{before:.2f} s",
                f"{after:.2f} s",
                f"{before / after:.2f}x",
                f"{statistics.median(wall[(case, args.before)]):.2f} / {statistics.median(wall[(case, 'this code')]):.2f} s",
                f"{len(outputs[(case, 'this code')])}, {'same' if same else 'DIFFERENT'}",
            ]
        )
    header = [
        "case",
        f"CPU at {args.before}",
        "CPU, this code",
        "less CPU",
        "wall (loaded machine)",
        "findings, vs before",
    ]
    return "\n".join(
        [
            (f"`python bench/dry_all_cpu.py --before {args.before} --runs {args.runs}` on {machine()}; median of"
            f" {args.runs} alternating runs; CPU = user + system time of the process tree."),
            "",
            table(header, rows),
        ]
    )


if __name__ == "__main__":
    print(main())
