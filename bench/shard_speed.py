"""CI shards: `--all --no-llm` whole against `--shard I/4`, each shard and the total, on a real repository.

The repository is the one bench/peers_speed.py lints (a pinned npm package with its sources). Every run
has an empty cache directory, so each shard also builds the dry index of the whole repository, as a CI
matrix job on a fresh runner does; a second table gives the same with the index already built (a job
that restores its cache). "Slowest shard" is the wall time of a 4-job matrix run side by side; "sum of
shards" is the machine time the matrix spends. Baseline: the whole `--all` run, in the same run.

  python bench/shard_speed.py [--runs 3] [--shards 4]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import LINT, machine, run_once, table
from peers_speed import load_note, subject_repo


def timed(repo: Path, args: list[str], cache: Path | None, runs: int) -> tuple[float, int, int]:
    """Median wall seconds, files checked and findings of ``runs`` runs (each with a new empty cache when
    ``cache`` is None, else with ``cache``)."""
    walls, files, found = [], 0, 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="tinyarms-cache-") as fresh:
            directory = cache if cache is not None else Path(fresh)
            wall, _, code, out = run_once(
                [*LINT, *args, "--format", "json"], repo, {"TINYARMS_CACHE_DIR": str(directory)}
            )
        if code not in (0, 1):
            raise SystemExit(f"tinyarms-lint failed ({code}) on {args}")
        summary = json.loads(out)["summary"]
        walls.append(wall)
        files, found = summary["files"], summary["findings"]
    return statistics.median(walls), files, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shards", type=int, default=4)
    args = parser.parse_args()
    repo = subject_repo()
    print(
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {load_note()}; repository {repo.name}; "
        f"median of {args.runs} runs each.\n"
    )
    for label, warm in (("empty cache (cold dry index)", False), ("dry index already built (warm)", True)):
        cache = Path(tempfile.mkdtemp(prefix="tinyarms-shard-cache-")) if warm else None
        if cache is not None:
            run_once([*LINT, "--all", "--no-llm", "--format", "json"], repo, {"TINYARMS_CACHE_DIR": str(cache)})
        whole, files, found = timed(repo, ["--all", "--no-llm"], cache, args.runs)
        rows = [["`--all` (baseline)", str(files), str(found), f"{whole:.2f} s", "1.00x"]]
        walls = []
        total_files = total_found = 0
        for index in range(1, args.shards + 1):
            wall, files, found = timed(
                repo, ["--all", "--no-llm", "--shard", f"{index}/{args.shards}"], cache, args.runs
            )
            walls.append(wall)
            total_files += files
            total_found += found
            rows.append(
                [f"`--shard {index}/{args.shards}`", str(files), str(found), f"{wall:.2f} s", f"{wall / whole:.2f}x"]
            )
        rows.append(["slowest shard (matrix wall time)", "", "", f"{max(walls):.2f} s", f"{max(walls) / whole:.2f}x"])
        rows.append(
            [
                "sum of shards (machine time)",
                str(total_files),
                str(total_found),
                f"{sum(walls):.2f} s",
                f"{sum(walls) / whole:.2f}x",
            ]
        )
        print(f"{label}:\n")
        print(table(["run", "files", "findings", "wall", "vs `--all`"], rows))
        print()
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
