"""i18n-hardcoded-strings against eslint-plugin-i18next, on the plugin's own test cases and on real JSX/TSX.

- The plugin's cases: the JSX of eslint-plugin-i18next's no-literal-string tests, one element a line
  (bench/data/i18next_cases.tsv), labelled against this project's rule text.
- Held out: create-qwik@1.12.0's starter apps, labelled the same way after the detector was changed
  (bench/data/i18n_jsx_heldout.tsv); and (2026-12-07) the starters of create-t3-app, create-waku,
  create-rsbuild and create-rspack (bench/data/i18n_jsx_heldout2.tsv), labelled before either tool ran.
- A finding the static tier leaves undecided (``undecided``: ambiguous, no model to judge it) is not
  a clear finding: the tinyarms-lint rows count clear findings, and a second row counts both.
- Real code: every JSX text node and every string in a JSX attribute or expression of six pinned npm
  packages (starters and a component library; none was used to tune the detector), labelled before
  either tool ran (bench/data/i18n_jsx_labels.tsv). Scored by line: a line is a violation when one
  of its sites is.
- Peer: eslint-plugin-i18next's no-literal-string in its default mode (jsx-text-only) and in
  jsx-only mode (JSX text and attributes), `npm install --prefix bench/.work eslint@10
  eslint-plugin-i18next typescript-eslint`.

Prints markdown for bench/README.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from accuracy_language import ESLINT_CONFIG, first_text_line
from common import PROJECT, WORK, Rates, machine

sys.path.insert(0, str(PROJECT))

from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rules

DATA = PROJECT / "bench" / "data"
WILD = WORK / "i18n_wild"
PACKAGES = (
    "cra-template-typescript@1.2.0",
    "create-docusaurus@3.10.2",
    "create-next-app@15.1.0",
    "create-vite@6.1.1",
    "@docusaurus/theme-search-algolia@3.10.2",
    "@refinedev/mui@6.2.2",
)
HELD = WORK / "i18n_held"
HELD_PACKAGES = ("create-qwik@1.12.0",)
HELD2 = WORK / "i18n_held2"
HELD2_PACKAGES = (
    "create-t3-app@7.40.0",
    "create-waku@0.13.0-1.0.0-rc.1-0",
    "create-rsbuild@2.2.9",
    "create-rspack@2.2.3",
)
RULE = "i18n-hardcoded-strings"


@dataclass
class Score(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, where: str, expected: bool, flagged: bool) -> None:
        self.tp += expected and flagged
        self.fp += flagged and not expected
        self.fn += expected and not flagged
        if expected != flagged:
            self.misses.append(f"{'missed' if expected else 'false alarm'}: {where}")


def rows(path: Path) -> list[list[str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [ln.split("\t") for ln in lines[1:]]


def unpack(folder: Path, packages: tuple[str, ...]) -> None:
    """The pinned packages, unpacked under ``folder``/<tarball name>/."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in packages:
        name = spec.lstrip("@").replace("/", "-").replace("@", "-")
        if (folder / name).is_dir():
            continue
        subprocess.run(["npm", "pack", "--silent", spec], cwd=folder, check=True, capture_output=True)
        (folder / name).mkdir()
        subprocess.run(["tar", "xzf", f"{name}.tgz", "-C", name], cwd=folder, check=True)


def cases_file() -> tuple[Path, dict[int, bool]]:
    """The plugin's cases as one JSX file under bench/.work, and the label of each line."""
    body = rows(DATA / "i18next_cases.tsv")
    lines = ["export const cases = (", "  <>"]
    labels = {}
    for label, jsx in body:
        lines.append(f"    {jsx}")
        labels[len(lines)] = label == "Y"
    lines += ["  </>", ");", ""]
    folder = WORK / "i18next-cases"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases.jsx"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, labels


def real_labels(labels: Path, folder: Path) -> dict[Path, dict[int, bool]]:
    out: dict[Path, dict[int, bool]] = {}
    for site, _kind, label, _text, _copy in rows(labels):
        rel, line = site.rsplit(":", 1)
        by_line = out.setdefault(folder / rel, {})
        by_line[int(line)] = by_line.get(int(line), False) or label == "Y"
    return out


def ours(files: list[Path], undecided: bool = False) -> dict[Path, set[int]]:
    """Lines of our clear findings per file (with ``undecided``, also the undecided ones)."""
    rule = load_rules([])[RULE]
    out = {}
    for path in files:
        root = path.parent
        engine = Engine(Config(root=root), [rule], judge=None, repository=DirectoryRepository(root))
        result = engine.run([Target(path.name, path.read_bytes, None)])
        out[path] = {f.line for f in result.findings if f.rule == RULE and (undecided or not f.undecided)}
    return out


def eslint(files: list[Path], mode: str) -> tuple[dict[Path, set[int]], str] | None:
    binary = WORK / "node_modules" / ".bin" / "eslint"
    if not binary.exists() or not (WORK / "node_modules" / "eslint-plugin-i18next").is_dir():
        return None
    config = WORK / f"eslint.i18n-{mode}.config.mjs"
    config.write_text(ESLINT_CONFIG.format(mode=mode))
    done = subprocess.run(
        [str(binary), "--no-config-lookup", "--config", config.name, "--format", "json", *map(str, files)],
        check=False,
        cwd=WORK,
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout)
    version = subprocess.run([str(binary), "--version"], check=False, capture_output=True, text=True).stdout.strip()
    out: dict[Path, set[int]] = {}
    for entry in report:
        path = Path(entry["filePath"]).resolve()
        lines = path.read_text(encoding="utf-8").splitlines()
        out[path] = {
            first_text_line(lines, m["line"], m["column"])
            for m in entry["messages"]
            if m.get("ruleId") == "i18next/no-literal-string"
        }
        for m in entry["messages"]:
            if m.get("fatal"):
                out[path].add(-1)  # parse error: nothing found in this file
    return out, version


def score(labels: dict[Path, dict[int, bool]], flagged: dict[Path, set[int]]) -> Score:
    result = Score()
    for path, by_line in labels.items():
        found = flagged.get(path.resolve(), flagged.get(path, set()))
        for line, expected in sorted(by_line.items()):
            result.add(f"{path.relative_to(WORK)}:{line}", expected, line in found)
    return result


def main() -> str:
    unpack(WILD, PACKAGES)
    unpack(HELD, HELD_PACKAGES)
    unpack(HELD2, HELD2_PACKAGES)
    cases, case_labels = cases_file()
    sets = {
        "eslint-plugin-i18next's own cases (29 JSX lines)": {cases: case_labels},
        "real JSX/TSX, 6 pinned npm packages (tuned on)": real_labels(DATA / "i18n_jsx_labels.tsv", WILD),
        "held out: create-qwik@1.12.0 starters": real_labels(DATA / "i18n_jsx_heldout.tsv", HELD),
        "held out 2: create-t3-app, create-waku, create-rsbuild, create-rspack starters": real_labels(
            DATA / "i18n_jsx_heldout2.tsv", HELD2
        ),
    }
    out = [
        f"i18n-hardcoded-strings vs eslint-plugin-i18next; {machine()}",
        "",
        "| labelled set | tool | violations | TP | FP | FN | precision | recall |",
        "|---|---|---|---|---|---|---|---|",
    ]
    misses: list[str] = []
    for title, labels in sets.items():
        files = sorted(labels)
        total = sum(sum(by_line.values()) for by_line in labels.values())
        tools: list[tuple[str, dict[Path, set[int]]]] = [
            ("tinyarms-lint (static tier, clear findings)", ours(files)),
            ("tinyarms-lint (clear and undecided findings)", ours(files, undecided=True)),
        ]
        for mode in ("jsx-text-only", "jsx-only"):
            peer = eslint(files, mode)
            if peer is not None:
                flagged, version = peer
                tools.append(
                    (
                        f"eslint-plugin-i18next {mode}{' (default)' if mode == 'jsx-text-only' else ''}, ESLint {version}",
                        flagged,
                    )
                )
        for name, flagged in tools:
            s = score(labels, flagged)
            out.append(
                f"| {title} | {name} | {total} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} |"
            )
            if name.startswith("tinyarms-lint (static"):
                misses += [f"{title}: {m}" for m in s.misses]
    if misses:
        out += ["", "tinyarms-lint's misses and false alarms:", ""] + [f"- {m}" for m in misses]
    return "\n".join(out)


if __name__ == "__main__":
    print(main())
