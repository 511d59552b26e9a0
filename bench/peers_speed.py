"""`tinyarms-lint --all --no-llm` on a real repository against ESLint + stylelint + jscpd with the matching rules.

The repository is a pinned npm package with its sources (@blueprintjs/core 6.20.0: TS/TSX sources, SCSS,
compiled ESM/CJS JavaScript and .d.ts files, 1,400 JS/TS/CSS files), unpacked into bench/.work and
committed to a fresh git repository. The peers are installed there with npm (pinned versions below) and
configured with the rules that match the bundled ones:

- ESLint 10 (flat config): ``no-magic-numbers`` (``@typescript-eslint/no-magic-numbers`` for TS) and
  ``no-restricted-imports`` (parent imports), with the options bench/accuracy_code.py uses;
- stylelint with ``scale-unlimited/declaration-strict-value`` on the color properties (postcss-scss for
  SCSS), with the options bench/accuracy_styles.py uses;
- jscpd with ``--min-tokens 50 --min-lines 5 --ignore-identifiers --ignore-literals`` (the dry rule's
  defaults) over the same JS/TS/CSS/SCSS files.

Every command is timed as a whole process (Node or Python start-up included), median of 3 after one
warm-up run; the peers' total is the sum of their medians (run one after another, as a CI job does).
tinyarms-lint runs once with a fresh cache directory each time (no cached results: the cold CI case)
and once with the cache of the previous run (a CI job that restores its cache on unchanged files).
Peak RSS is the largest resident set of each process (``wait4``). Prints a markdown section.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from accuracy_code import MAGIC_OPTIONS, TS_MAGIC_OPTIONS, eslint_config
from accuracy_styles import COLOR_PROPERTIES, KEYWORDS
from common import LINT, WORK, Timing, git, machine, measure, run_once, table

PEERS = WORK / "peers"
# The peers, pinned: what `npm install` resolved when this benchmark was written.
PACKAGES = {
    "eslint": "10.15.0",
    "@eslint/js": "10.0.1",
    "typescript-eslint": "8.73.0",
    "stylelint": "17.16.0",
    "postcss-scss": "4.0.9",
    "stylelint-declaration-strict-value": "1.12.1",
    "jscpd": "5.4.1",
}
SUBJECT = ("@blueprintjs/core", "6.20.0")
CODE_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
STYLE_SUFFIXES = (".css", ".scss")
JSCPD_FORMATS = "javascript,jsx,typescript,tsx,css,scss"

RESTRICTED_IMPORTS = {"patterns": ["../*"]}
ESLINT_CONFIG = eslint_config(
    {"no-magic-numbers": ["error", MAGIC_OPTIONS], "no-restricted-imports": ["error", RESTRICTED_IMPORTS]},
    {
        "@typescript-eslint/no-magic-numbers": ["error", TS_MAGIC_OPTIONS],
        "no-restricted-imports": ["error", RESTRICTED_IMPORTS],
    },
)
STYLELINT_CONFIG = {
    "plugins": ["stylelint-declaration-strict-value"],
    "rules": {
        "scale-unlimited/declaration-strict-value": [
            COLOR_PROPERTIES,
            {"expandShorthand": True, "ignoreValues": KEYWORDS, "ignoreFunctions": True},
        ]
    },
    "overrides": [{"files": ["**/*.scss"], "customSyntax": "postcss-scss"}],
}


def bin_path(name: str) -> Path:
    return PEERS / "node_modules" / ".bin" / name


def install_peers() -> dict[str, str]:
    """Install the pinned peers into bench/.work/peers (once); their installed versions."""
    versions = _installed_versions()
    if versions != PACKAGES:
        PEERS.mkdir(parents=True, exist_ok=True)
        manifest = PEERS / "package.json"
        if not manifest.is_file():
            manifest.write_text('{"name": "tinyarms-bench-peers", "private": true}\n')
        specs = [f"{name}@{version}" for name, version in PACKAGES.items()]
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--save-exact", *specs],
            cwd=PEERS,
            check=True,
            capture_output=True,
        )
        versions = _installed_versions()
    return versions


def _installed_versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        manifest = PEERS / "node_modules" / name / "package.json"
        if manifest.is_file():
            found[name] = json.loads(manifest.read_text())["version"]
    return found


def write_peer_configs(repo: Path) -> None:
    """ESLint and stylelint configs at the root of ``repo``, untracked (tinyarms-lint --all reads tracked
    files only); Node finds the plugins in bench/.work/peers/node_modules, a parent directory."""
    (repo / "eslint.config.mjs").write_text(ESLINT_CONFIG)
    (repo / ".stylelintrc.json").write_text(json.dumps(STYLELINT_CONFIG, indent=2))
    exclude = repo / ".git" / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    exclude.write_text("eslint.config.mjs\n.stylelintrc.json\n")


def eslint_command(files: list[str]) -> list[str]:
    return [str(bin_path("eslint")), "--format", "json", "--no-warn-ignored", *files]


def stylelint_command(files: list[str]) -> list[str]:
    return [str(bin_path("stylelint")), "--formatter", "json", "--allow-empty-input", *files]


def jscpd_command(paths: list[str], output: Path) -> list[str]:
    return [
        str(bin_path("jscpd")),
        "--min-tokens",
        "50",
        "--min-lines",
        "5",
        "--ignore-identifiers",
        "--ignore-literals",
        "--format",
        JSCPD_FORMATS,
        "--reporters",
        "json",
        "--output",
        str(output),
        *paths,
    ]


def subject_repo() -> Path:
    """The pinned package unpacked into bench/.work/peers/repo and committed to a fresh git repository."""
    name, version = SUBJECT
    repo = PEERS / f"repo-{name.replace('@', '').replace('/', '-')}-{version}"
    if (repo / ".git").is_dir():
        return repo
    packs = PEERS / "pkgs"
    packs.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}"], cwd=packs, check=True, capture_output=True, text=True
    )
    tarball = packs / done.stdout.strip().splitlines()[-1]
    staging = Path(tempfile.mkdtemp(dir=PEERS))
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")
    if repo.exists():
        shutil.rmtree(repo)
    (staging / "package").rename(repo)
    shutil.rmtree(staging)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"{name} {version}", "--no-verify")
    return repo


def tracked(repo: Path, suffixes: tuple[str, ...]) -> list[str]:
    return [path for path in git(repo, "ls-files", "-z").split("\0") if path.endswith(suffixes)]


def count_findings(tool: str, stdout: str, jscpd_report: Path | None = None) -> str:
    """How many problems a run reported (a sanity check that every tool really ran its rules)."""
    try:
        if tool == "eslint":
            return str(sum(len(result["messages"]) for result in json.loads(stdout)))
        if tool == "stylelint":
            return str(sum(len(result["warnings"]) for result in json.loads(stdout)))
        if tool == "jscpd" and jscpd_report is not None:
            report = json.loads((jscpd_report / "jscpd-report.json").read_text())
            return f"{len(report.get('duplicates', []))} clones"
        if tool == "tinyarms-lint":
            return str(len(json.loads(stdout)["findings"]))
    except (ValueError, KeyError, OSError, TypeError):
        return "?"
    return "?"


def _stylelint_report(files: list[str], repo: Path, folder: Path) -> str:
    """stylelint's JSON report (the CLI writes reports to stderr; ``--output-file`` keeps a copy)."""
    path = folder / "stylelint.json"
    run_once([*stylelint_command(files), "--output-file", str(path)], repo)
    return path.read_text() if path.is_file() else ""


def cold_tinyarms(repo: Path, runs: int) -> Timing:
    """`--all --no-llm` with a new, empty cache directory for every run (and the warm-up)."""
    walls, peaks, code = [], [], 0
    for index in range(runs + 1):
        with tempfile.TemporaryDirectory(prefix="tinyarms-cache-") as cache:
            wall, peak, code, _ = run_once(
                [*LINT, "--all", "--no-llm", "--format", "json"], repo, {"TINYARMS_CACHE_DIR": cache}
            )
        if index:  # the first run only warms the page cache
            walls.append(wall)
            peaks.append(peak)
    walls_sorted = sorted(walls)
    return Timing("tinyarms-lint --all --no-llm (empty cache)", walls_sorted[len(walls) // 2], walls, max(peaks), code)


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def main(runs: int = 3) -> str:
    versions = install_peers()
    repo = subject_repo()
    write_peer_configs(repo)
    code_files = tracked(repo, CODE_SUFFIXES)
    style_files = tracked(repo, STYLE_SUFFIXES)
    all_files = git(repo, "ls-files").splitlines()
    load_before = load_note()

    report_dir = Path(tempfile.mkdtemp(prefix="jscpd-", dir=PEERS))
    eslint = measure("ESLint (no-magic-numbers, no-restricted-imports)", eslint_command(code_files), repo, runs)
    stylelint = measure("stylelint (declaration-strict-value, colors)", stylelint_command(style_files), repo, runs)
    jscpd = measure("jscpd (min-tokens 50)", jscpd_command(code_files + style_files, report_dir), repo, runs)
    ours_cold = cold_tinyarms(repo, runs)
    warm_cache = Path(tempfile.mkdtemp(prefix="tinyarms-cache-", dir=PEERS))
    ours_warm = measure(
        "tinyarms-lint --all --no-llm (cache of the previous run)",
        [*LINT, "--all", "--no-llm", "--format", "json"],
        repo,
        runs,
        env={"TINYARMS_CACHE_DIR": str(warm_cache)},
    )
    load_after = load_note()

    counts = {
        "eslint": count_findings("eslint", run_once(eslint_command(code_files), repo)[3]),
        "stylelint": count_findings("stylelint", _stylelint_report(style_files, repo, report_dir)),
        "jscpd": count_findings("jscpd", "", report_dir),
        "tinyarms-lint": count_findings(
            "tinyarms-lint",
            run_once([*LINT, "--all", "--no-llm", "--format", "json"], repo, {"TINYARMS_CACHE_DIR": str(warm_cache)})[
                3
            ],
        ),
    }
    shutil.rmtree(report_dir, ignore_errors=True)
    shutil.rmtree(warm_cache, ignore_errors=True)

    peers_total = eslint.median_s + stylelint.median_s + jscpd.median_s
    peers_peak = max(eslint.peak_rss_mb, stylelint.peak_rss_mb, jscpd.peak_rss_mb)

    def row(timing: Timing, files: int, found: str) -> list[str]:
        runs_text = ", ".join(f"{w:.2f}" for w in timing.runs)
        return [timing.label, str(files), f"{timing.median_s:.2f} s", runs_text, f"{timing.peak_rss_mb:.0f} MB", found]

    rows = [
        row(eslint, len(code_files), counts["eslint"]),
        row(stylelint, len(style_files), counts["stylelint"]),
        row(jscpd, len(code_files) + len(style_files), counts["jscpd"]),
        [
            "**ESLint + stylelint + jscpd**",
            "",
            f"**{peers_total:.2f} s**",
            "sum of medians",
            f"{peers_peak:.0f} MB",
            "",
        ],
        row(ours_cold, len(all_files), counts["tinyarms-lint"]),
        row(ours_warm, len(all_files), counts["tinyarms-lint"]),
    ]
    ratio_cold = peers_total / ours_cold.median_s
    ratio_warm = peers_total / ours_warm.median_s
    name, version = SUBJECT
    node = subprocess.run(["node", "--version"], check=False, capture_output=True, text=True).stdout.strip()
    peers_text = ", ".join(f"{n} {v}" for n, v in sorted(versions.items()))
    verdict_cold = "met" if ratio_cold >= 2 else "NOT met"
    verdict_warm = "met" if ratio_warm >= 2 else "NOT met"
    ratios = (
        f"Ratio ESLint + stylelint + jscpd / tinyarms-lint `--all --no-llm`: **{ratio_cold:.2f}x** with an empty"
        f" cache, {ratio_warm:.2f}x with the previous run's cache. Target: at least 2x ({verdict_cold} with an"
        f" empty cache, {verdict_warm} with a warm one)."
    )
    memory = (
        f"Peak memory: tinyarms-lint {ours_cold.peak_rss_mb:.0f} MB (empty cache) / {ours_warm.peak_rss_mb:.0f} MB"
        f" (warm); the largest peer process {peers_peak:.0f} MB."
    )
    subject = (
        f"Repository: {name} {version} from the npm registry, {len(all_files)} tracked files,"
        f" {len(code_files)} JS/TS and {len(style_files)} CSS/SCSS. Peers: {peers_text}, Node {node}."
    )
    how = (
        f"Median of {runs} runs after a warm-up, whole process. Machine load: before, {load_before};"
        f" after, {load_after}."
    )
    section = [
        f"Measured {datetime.date.today().isoformat()} on {machine()}.",
        subject,
        how,
        "",
        table(["command", "files", "median wall", "runs (s)", "peak RSS", "findings"], rows),
        "",
        ratios,
        "",
        memory,
    ]
    return "\n".join(section)


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
