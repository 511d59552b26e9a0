"""``dry`` against jscpd's clones on real code: stage one copy back and see whether a finding names the other.

For each pinned npm package (its TypeScript/JSX sources): jscpd 5.3.3 ``--min-tokens 50`` lists clone
pairs. For each pair, a git repository of the package is committed without the first copy's lines,
those lines are put back and staged, and ``tinyarms-lint check --staged --no-llm --select dry`` runs
as the hook would. The pair is found when a finding on the restored lines names the second copy's
file. Clean ranges (lines jscpd reports in no clone, whole lines of code, as long as a typical clone)
go through the same steps and must give no finding; jscpd ``--ignore-identifiers`` clones are kept out of
the clean ranges too (a renamed copy jscpd's exact mode misses is not clean). The dry index stays warm across pairs (one cache
directory), as on a developer's machine.

Usage: ``.venv/bin/python bench/dry_recall.py [--package NAME@VERSION ...] [--clean 12]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from accuracy_dry import jscpd_binary
from common import WORK, machine

PACKAGES = ("@refinedev/mui@6.2.2", "@refinedev/antd@5.45.1")
ROOT = WORK / "dry_recall"
SUFFIXES = (".ts", ".tsx", ".js", ".jsx")


@dataclass(frozen=True)
class Clone:
    first: str
    first_lines: tuple[int, int]
    second: str
    second_lines: tuple[int, int]


def unpack(spec: str) -> Path:
    name = spec.lstrip("@").replace("/", "-").replace("@", "-")
    folder = ROOT / name
    if not (folder / "package").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "--silent", spec], cwd=folder, check=True, capture_output=True)
        tarball = next(folder.glob("*.tgz"))
        subprocess.run(["tar", "xzf", tarball.name], cwd=folder, check=True)
    return folder / "package" / "src"


def clones(src: Path, *extra: str) -> list[Clone]:
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
                str(src),
            ],
            check=True,
            capture_output=True,
        )
        report = json.loads((Path(out) / "jscpd-report.json").read_text(encoding="utf-8"))
    found = []
    for d in report["duplicates"]:
        a, b = d["firstFile"], d["secondFile"]
        found.append(
            Clone(
                str(Path(a["name"]).resolve().relative_to(src.resolve())) if Path(a["name"]).is_absolute() else a["name"],
                (a["startLoc"]["line"], a["endLoc"]["line"]),
                str(Path(b["name"]).resolve().relative_to(src.resolve())) if Path(b["name"]).is_absolute() else b["name"],
                (b["startLoc"]["line"], b["endLoc"]["line"]),
            )
        )
    return found


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def lint(repo: Path, cache: Path) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env["TINYARMS_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-m", "tinyarms_lint", "check", "--staged", "--no-llm", "--select", "dry", "--format", "json"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"tinyarms-lint failed ({done.returncode}): {done.stderr[-2000:]}")
    payload = json.loads(done.stdout)
    findings = payload["findings"] if isinstance(payload, dict) else payload
    return [f for f in findings if f["rule"] == "dry"]


def staged_back(repo: Path, cache: Path, path: str, lines: tuple[int, int]) -> list[dict[str, object]]:
    """Commit ``path`` without ``lines``, put them back, stage, lint; the repository is reset after."""
    target = repo / path
    original = target.read_text(encoding="utf-8")
    kept = original.splitlines(keepends=True)
    start, end = lines
    target.write_text("".join(kept[: start - 1] + kept[end:]), encoding="utf-8")
    git(repo, "commit", "-qam", "without")
    target.write_text(original, encoding="utf-8")
    git(repo, "add", path)
    try:
        return lint(repo, cache)
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")


def overlaps(finding: dict[str, object], lines: tuple[int, int]) -> bool:
    return int(str(finding["line"])) <= lines[1] and int(str(finding["end_line"])) >= lines[0]


def clean_ranges(src: Path, found: list[Clone], count: int, length: int, seed: int = 7) -> list[tuple[str, tuple[int, int]]]:
    covered: dict[str, list[tuple[int, int]]] = {}
    for c in found:
        covered.setdefault(c.first, []).append(c.first_lines)
        covered.setdefault(c.second, []).append(c.second_lines)
    files = sorted(str(p.relative_to(src)) for p in src.rglob("*") if p.suffix in SUFFIXES)
    rng = random.Random(seed)
    out: list[tuple[str, tuple[int, int]]] = []
    attempts = 0
    while len(out) < count and attempts < 10_000:
        attempts += 1
        path = rng.choice(files)
        lines = (src / path).read_text(encoding="utf-8").splitlines()
        if len(lines) < length + 10:
            continue
        start = rng.randint(1, len(lines) - length)
        span = (start, start + length - 1)
        if any(a <= span[1] + 3 and b >= span[0] - 3 for a, b in covered.get(path, [])):
            continue
        body = lines[start - 1 : span[1]]
        if sum(1 for ln in body if ln.strip()) < length * 0.7 or (path, span) in out:
            continue
        out.append((path, span))
    return out


def measure(spec: str, clean_count: int) -> tuple[list[str], list[str]]:
    src = unpack(spec)
    found = clones(src)
    repo = ROOT / "repo"
    cache = ROOT / "cache"
    for folder in (repo, cache):
        if folder.exists():
            shutil.rmtree(folder)
    shutil.copytree(src, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "package")
    pairs = list(dict.fromkeys(found))
    hits, misses = 0, []
    for clone in pairs:
        findings = staged_back(repo, cache, clone.first, clone.first_lines)
        named = [f for f in findings if f["path"] == clone.first and overlaps(f, clone.first_lines)]
        if any(clone.second in str(f["message"]) for f in named):
            hits += 1
        else:
            where = "; ".join(str(f["message"])[:120] for f in named) or "no finding"
            misses.append(f"{spec} {clone.first}:{clone.first_lines} vs {clone.second}:{clone.second_lines} ({where})")
    lengths = sorted(c.first_lines[1] - c.first_lines[0] + 1 for c in pairs)
    typical = lengths[len(lengths) // 2] if lengths else 20
    alarms = []
    # clean: in no clone jscpd reports, with identifiers compared or ignored (renamed copies)
    cleans = clean_ranges(src, found + clones(src, "--ignore-identifiers"), clean_count, typical)
    for path, lines in cleans:
        findings = [f for f in staged_back(repo, cache, path, lines) if f["path"] == path and overlaps(f, lines)]
        if findings:
            alarms.append(f"{spec} {path}:{lines}: {str(findings[0]['message'])[:120]}")
    files = sum(1 for p in src.rglob("*") if p.suffix in SUFFIXES)
    row = (
        f"| {spec} | {files} | {len(pairs)} | {hits} | {hits / len(pairs) if pairs else 1:.2f} "
        f"| {len(cleans)} | {len(alarms)} |"
    )
    return [row], misses + [f"false alarm: {a}" for a in alarms]


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", action="append", help="pinned npm package (repeatable)")
    parser.add_argument("--clean", type=int, default=12)
    args = parser.parse_args()
    out = [
        f"dry vs jscpd 5.3.3 --min-tokens 50, one copy staged back; {machine()}",
        "",
        "| package | files | jscpd clone pairs | found, other copy named | recall | clean ranges | false alarms |",
        "|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for spec in args.package or PACKAGES:
        rows, missed = measure(spec, args.clean)
        out += rows
        notes += missed
    if notes:
        out += ["", "Missed or false alarms:", ""] + [f"- {n}" for n in notes]
    return "\n".join(out)


if __name__ == "__main__":
    print(main())
