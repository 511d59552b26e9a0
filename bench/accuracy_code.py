"""Precision and recall of ``magic-numbers`` and ``import-aliases`` and of ESLint on the same marked fixtures.

Installs ESLint 10 and typescript-eslint into ``bench/.work`` with npm, then runs on the JS/TS files of
``fixtures/magic-numbers`` and ``fixtures/import-aliases``:

- ESLint ``no-magic-numbers`` (``@typescript-eslint/no-magic-numbers`` for .ts/.tsx) with options close
  to our defaults: ``ignore: [0, 1, -1, 2]``, ``ignoreArrayIndexes``, ``ignoreDefaultValues`` (and, for
  TypeScript, ``ignoreEnums``, ``ignoreNumericLiteralTypes``, ``ignoreReadonlyClassProperties``,
  ``ignoreTypeIndexes``);
- ESLint ``no-restricted-imports`` with ``patterns: ["../*"]`` (eslint-plugin-import does not declare
  support for ESLint 10; this core rule flags the same parent imports in import/export declarations);
- tinyarms-lint's static tier the way the fixture tests run it (every file whole, the folder as root).

Both are scored against the same ``expect:``/``ok:`` marks (``tinyarms_lint.marks.parse_marks``); a
finding counts on the line where it starts. TP: an ``expect`` line flagged; FN: an ``expect`` line not
flagged; FP: an ``ok`` line flagged. Flagged lines with no mark are neither (the model tier's ambiguous
cases are left unmarked) and are shown in their own column.

Usage: ``.venv/bin/python bench/accuracy_code.py``. Prints a markdown table.
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

JS_LANGUAGES = frozenset({"javascript", "jsx", "typescript", "tsx"})
PACKAGES = ["eslint@10", "@eslint/js@10", "typescript-eslint"]
MAGIC_OPTIONS = {"ignore": [0, 1, -1, 2], "ignoreArrayIndexes": True, "ignoreDefaultValues": True}
TS_MAGIC_OPTIONS = {
    **MAGIC_OPTIONS,
    "ignoreEnums": True,
    "ignoreNumericLiteralTypes": True,
    "ignoreReadonlyClassProperties": True,
    "ignoreTypeIndexes": True,
}
# (our rule id, ESLint config body for .js/.jsx, for .ts/.tsx)
RULES = {
    "magic-numbers": (
        {"no-magic-numbers": ["error", MAGIC_OPTIONS]},
        {"@typescript-eslint/no-magic-numbers": ["error", TS_MAGIC_OPTIONS]},
    ),
    "import-aliases": (
        {"no-restricted-imports": ["error", {"patterns": ["../*"]}]},
        {"no-restricted-imports": ["error", {"patterns": ["../*"]}]},
    ),
}

Hit = tuple[str, int]  # (path relative to the fixture folder, line)


@dataclass
class Score(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unmarked: int = 0


def eslint_binary() -> Path:
    binary = WORK / "node_modules" / ".bin" / "eslint"
    manifest = WORK / "node_modules" / "eslint" / "package.json"
    installed = json.loads(manifest.read_text()).get("version", "") if manifest.is_file() else ""
    if not installed.startswith("10.") or not (WORK / "node_modules" / "typescript-eslint").is_dir():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(WORK), *PACKAGES], check=True, capture_output=True)
    return binary


def js_files(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and language_for_path(p.name) in JS_LANGUAGES]


def eslint_config(js_rules: dict[str, object], ts_rules: dict[str, object]) -> str:
    """A flat ESLint config: ``js_rules`` for JS/JSX files, ``ts_rules`` (typescript-eslint parser) for TS/TSX."""
    return f"""import tseslint from "typescript-eslint";

export default [
  {{
    files: ["**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"],
    languageOptions: {{
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: {{ ecmaFeatures: {{ jsx: true }} }},
    }},
    rules: {json.dumps(js_rules)},
  }},
  {{
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
    languageOptions: {{ parser: tseslint.parser, parserOptions: {{ ecmaFeatures: {{ jsx: true }} }} }},
    plugins: {{ "@typescript-eslint": tseslint.plugin }},
    rules: {json.dumps(ts_rules)},
  }},
];
"""


def write_config(rule_id: str) -> Path:
    config = eslint_config(*RULES[rule_id])
    path = WORK / f"eslint.{rule_id}.config.mjs"
    path.write_text(config, encoding="utf-8")
    return path


def run_eslint(rule_id: str, folder: Path) -> tuple[set[Hit], list[str]]:
    files = js_files(folder)
    done = subprocess.run(
        [
            str(eslint_binary()),
            "--no-ignore",
            "-c",
            str(write_config(rule_id)),
            "--format",
            "json",
            *[str(p) for p in files],
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"eslint failed ({done.returncode}): {done.stderr.strip()[:500]}")
    hits: set[Hit] = set()
    problems: list[str] = []
    for result in json.loads(done.stdout):
        relative = Path(result["filePath"]).resolve().relative_to(folder.resolve()).as_posix()
        for message in result["messages"]:
            if message.get("fatal"):
                problems.append(f"{relative}:{message.get('line')}: {message.get('message')}")
            elif message.get("ruleId"):
                hits.add((relative, int(message["line"])))
    return hits, problems


def run_tinyarms(rule_id: str, folder: Path) -> set[Hit]:
    config = Config(root=folder)
    rules = [r for r in active_rules(load_rules([]), config) if r.id == rule_id]
    engine = Engine(config, rules, judge=None, repository=DirectoryRepository(folder))
    targets = [Target(p.relative_to(folder).as_posix(), p.read_bytes, None) for p in js_files(folder)]
    return {(f.path, f.line) for f in engine.run(targets).findings if f.rule == rule_id}


def score(rule_id: str, folder: Path, hits: set[Hit]) -> Score:
    result = Score()
    for path in js_files(folder):
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


def main() -> int:
    rows: list[list[str]] = []
    notes: list[str] = []
    eslint_names = {
        "magic-numbers": "ESLint no-magic-numbers (+ typescript-eslint)",
        "import-aliases": 'ESLint no-restricted-imports ["../*"]',
    }
    for rule_id in RULES:
        folder = PROJECT / "fixtures" / rule_id
        files = js_files(folder)
        marks = [parse_marks(p.read_text(encoding="utf-8")) for p in files]
        expected = sum(len(m.expected.get(rule_id, ())) for m in marks)
        ok = sum(len(m.ok.get(rule_id, ())) for m in marks)
        eslint_hits, problems = run_eslint(rule_id, folder)
        notes += [f"ESLint could not parse {p}" for p in problems]
        for tool, hits in (
            (eslint_names[rule_id], eslint_hits),
            ("tinyarms-lint (static tier)", run_tinyarms(rule_id, folder)),
        ):
            s = score(rule_id, folder, hits)
            rows.append(
                [
                    rule_id,
                    tool,
                    str(len(files)),
                    f"{expected}/{ok}",
                    str(s.tp),
                    str(s.fp),
                    str(s.fn),
                    f"{s.precision:.3f}",
                    f"{s.recall:.3f}",
                    str(s.unmarked),
                ]
            )
    eslint_version = json.loads((WORK / "node_modules" / "eslint" / "package.json").read_text())["version"]
    tse_version = json.loads((WORK / "node_modules" / "typescript-eslint" / "package.json").read_text())["version"]
    print(
        f"Measured {date.today().isoformat()} on {machine()}; ESLint {eslint_version}, typescript-eslint {tse_version}."
    )
    print("JS/TS fixture files only (ESLint does not read Python). Marks: expect/ok lines.\n")
    print(
        table(
            ["rule", "tool", "files", "expect/ok", "TP", "FP", "FN", "precision", "recall", "unmarked flagged"],
            rows,
        )
    )
    for note in notes:
        print(f"\n- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
