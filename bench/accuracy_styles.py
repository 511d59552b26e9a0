"""Precision and recall of ``hardcoded-colors`` and ``design-tokens`` and of stylelint on the same marked fixtures.

Installs stylelint, postcss-scss and stylelint-declaration-strict-value into ``bench/.work`` with npm, then
runs on the CSS/SCSS files of ``fixtures/hardcoded-colors`` and ``fixtures/design-tokens``:

- stylelint ``scale-unlimited/declaration-strict-value`` for the color properties (``/color$/``, ``fill``,
  ``stroke``, ``background``, ``border``, ``outline``, ``box-shadow``, ``text-shadow``, ...) with
  ``expandShorthand`` and the keywords ``currentColor``, ``transparent``, ``inherit``, ``initial``, ``unset``,
  ``none`` allowed; once with the plugin's default ``ignoreFunctions: true`` and once with ``false`` (so
  ``rgba(...)`` counts, but so does ``darken($x, 5%)``). For ``design-tokens`` the same plugin also covers the
  token properties (margin, padding, gap, font-size, border-radius); it cannot know token values, so it
  demands a variable for every literal;
- stylelint's own ``color-no-hex`` + ``color-named: never`` + ``function-disallowed-list: [rgb, rgba, hsl,
  hsla]`` (for ``hardcoded-colors``);
- tinyarms-lint's static tier the way the fixture tests run it (every file whole, the rule's folder as root,
  all bundled rules active so ``hardcoded-colors`` leaves token values to ``design-tokens``).

Everything is scored against the same ``expect:``/``ok:`` marks (``tinyarms_lint.marks.parse_marks``); a
finding counts on the line where it starts. TP: an ``expect`` line flagged; FN: an ``expect`` line not
flagged; FP: an ``ok`` line flagged. Flagged lines with no mark are shown in their own column (for
tinyarms-lint they are 0 on its own folders: the fixture tests require it). A last row per rule gives
tinyarms-lint on all of the folder's files (TS, TSX, JS, Python too), which stylelint does not read.

Usage: ``.venv/bin/python bench/accuracy_styles.py``. Prints a markdown table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from common import Rates, machine, table

from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.marks import parse_marks
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rules

PACKAGES = ["stylelint", "postcss-scss", "stylelint-declaration-strict-value"]
STYLE_LANGUAGES = frozenset({"css", "scss"})
RULE_IDS = ("hardcoded-colors", "design-tokens")
KEYWORDS = ["currentColor", "currentcolor", "transparent", "inherit", "initial", "unset", "none", "auto"]
COLOR_PROPERTIES = [
    "/color$/",
    "fill",
    "stroke",
    "background",
    "background-image",
    "border",
    "/^border-(top|right|bottom|left|block|inline)$/",
    "outline",
    "box-shadow",
    "text-shadow",
    "text-decoration",
    "filter",
]
TOKEN_PROPERTIES = [
    "/^(margin|padding)(-.+)?$/",
    "/^(row-|column-|grid-)?gap$/",
    "font-size",
    "/radius$/",
]

Hit = tuple[str, int]  # (path relative to the fixture folder, line)


@dataclass
class Score(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unmarked: int = 0


def stylelint_binary() -> Path:
    binary = WORK / "node_modules" / ".bin" / "stylelint"
    if not binary.exists() or not all((WORK / "node_modules" / name).is_dir() for name in PACKAGES):
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(WORK), *PACKAGES], check=True, capture_output=True)
    return binary


def files_of(folder: Path, languages: frozenset[str] | None) -> list[Path]:
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (lang := language_for_path(p.name)) is not None and (languages is None or lang in languages)
    ]


def strict_value(properties: list[str], ignore_functions: bool) -> dict[str, object]:
    options = {"expandShorthand": True, "ignoreValues": KEYWORDS, "ignoreFunctions": ignore_functions}
    return {"scale-unlimited/declaration-strict-value": [properties, options]}


CONFIGS: dict[str, list[tuple[str, dict[str, object]]]] = {
    "hardcoded-colors": [
        ("stylelint declaration-strict-value (colors, ignoreFunctions: true)", strict_value(COLOR_PROPERTIES, True)),
        ("stylelint declaration-strict-value (colors, ignoreFunctions: false)", strict_value(COLOR_PROPERTIES, False)),
        (
            "stylelint color-no-hex + color-named + function-disallowed-list",
            {
                "color-no-hex": True,
                "color-named": "never",
                "function-disallowed-list": ["rgb", "rgba", "hsl", "hsla"],
            },
        ),
    ],
    "design-tokens": [
        (
            "stylelint declaration-strict-value (colors + token properties, ignoreFunctions: true)",
            strict_value(COLOR_PROPERTIES + TOKEN_PROPERTIES, True),
        ),
        (
            "stylelint declaration-strict-value (colors + token properties, ignoreFunctions: false)",
            strict_value(COLOR_PROPERTIES + TOKEN_PROPERTIES, False),
        ),
    ],
}


def run_stylelint(label: str, rules: dict[str, object], folder: Path) -> set[Hit]:
    config = {"plugins": ["stylelint-declaration-strict-value"], "customSyntax": "postcss-scss", "rules": rules}
    config_path = WORK / f"stylelint.{abs(hash(label))}.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    files = files_of(folder, STYLE_LANGUAGES)
    done = subprocess.run(
        [str(stylelint_binary()), "--config", str(config_path), "--formatter", "json",
         "--allow-empty-input", *[str(p) for p in files]],
        cwd=WORK,
        check=False,
        capture_output=True,
        text=True,
    )  # fmt: skip
    output = done.stdout.strip() or done.stderr.strip()
    start = output.find("[")
    try:
        results = json.loads(output[start:]) if start != -1 else None
    except json.JSONDecodeError:
        results = None
    if results is None:
        raise SystemExit(f"stylelint failed ({done.returncode}): {done.stderr.strip()[:500]}")
    hits: set[Hit] = set()
    for result in results:
        relative = Path(result["source"]).resolve().relative_to(folder.resolve()).as_posix()
        for warning in result.get("warnings", []):
            if warning.get("rule") == "CssSyntaxError":
                raise SystemExit(f"stylelint could not parse {relative}: {warning.get('text')}")
            hits.add((relative, int(warning["line"])))
    return hits


def run_tinyarms(rule_id: str, folder: Path, languages: frozenset[str] | None) -> set[Hit]:
    config = Config(root=folder)
    engine = Engine(config, active_rules(load_rules([]), config), judge=None, repository=DirectoryRepository(folder))
    targets = [Target(p.relative_to(folder).as_posix(), p.read_bytes, None) for p in files_of(folder, languages)]
    return {(f.path, f.line) for f in engine.run(targets).findings if f.rule == rule_id}


def score(rule_id: str, folder: Path, files: list[Path], hits: set[Hit]) -> Score:
    result = Score()
    for path in files:
        relative = path.relative_to(folder).as_posix()
        marks = parse_marks(path.read_text(encoding="utf-8"))
        expected = set(marks.expected.get(rule_id, ()))
        ok = set(marks.ok.get(rule_id, ()))
        flagged = {line for hit_path, line in hits if hit_path == relative}
        result.tp += len(expected & flagged)
        result.fn += len(expected - flagged)
        result.fp += len(ok & flagged)
        result.unmarked += len(flagged - expected - ok)
    return result


def row(rule_id: str, tool: str, folder: Path, files: list[Path], hits: set[Hit]) -> list[str]:
    marks = [parse_marks(p.read_text(encoding="utf-8")) for p in files]
    expected = sum(len(m.expected.get(rule_id, ())) for m in marks)
    ok = sum(len(m.ok.get(rule_id, ())) for m in marks)
    s = score(rule_id, folder, files, hits)
    return [rule_id, tool, str(len(files)), f"{expected}/{ok}", str(s.tp), str(s.fp), str(s.fn),
            f"{s.precision:.3f}", f"{s.recall:.3f}", str(s.unmarked)]  # fmt: skip


def main() -> int:
    rows: list[list[str]] = []
    for rule_id in RULE_IDS:
        folder = PROJECT / "fixtures" / rule_id
        styles = files_of(folder, STYLE_LANGUAGES)
        for label, rules in CONFIGS[rule_id]:
            rows.append(row(rule_id, label, folder, styles, run_stylelint(label, rules, folder)))
        rows.append(
            row(rule_id, "tinyarms-lint (static tier)", folder, styles, run_tinyarms(rule_id, folder, STYLE_LANGUAGES))
        )
        every = files_of(folder, None)
        rows.append(
            row(rule_id, "tinyarms-lint (static tier), all files", folder, every, run_tinyarms(rule_id, folder, None))
        )
    modules = WORK / "node_modules"
    versions = {name: json.loads((modules / name / "package.json").read_text())["version"] for name in PACKAGES}
    print(
        f"Measured {date.today().isoformat()} on {machine()}; "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
        + "."
    )
    print("CSS/SCSS fixture files unless the row says all files. Marks: expect/ok lines.\n")
    print(
        table(
            ["rule", "tool", "files", "expect/ok", "TP", "FP", "FN", "precision", "recall", "unmarked flagged"],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
