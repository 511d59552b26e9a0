"""Accuracy of the language rules (static tier) on their fixtures, and on comments in the wild.

- comment-language, i18n-hardcoded-strings, i18n-locale-consistency: precision and recall over
  the annotated lines of fixtures/<rule>/ (inline marks, and expected.json for JSON locale files).
  comment-language is also measured with the fallback identifier (no lingua installed).
- Plain English comments in the wild: every comment and docstring of several installed Python
  packages and of the JS in bench/.work/node_modules must give no comment-language finding.
- Baseline: eslint-plugin-i18next's no-literal-string on the same JSX/TSX fixtures (npm:
  `npm install --prefix bench/.work eslint@10 eslint-plugin-i18next typescript-eslint`), in its
  default mode (jsx-text-only) and in jsx-only mode (JSX text and attributes).

Prints markdown; `bench/run_all.py` collects it into bench/README.md.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from common import PROJECT, WORK, Rates, machine, table

sys.path.insert(0, str(PROJECT))

from tinyarms_lint import langid
from tinyarms_lint.config import Config
from tinyarms_lint.detectors import comment_language
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.marks import Marks, merge_marks, parse_marks, sidecar_marks
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rules

FIXTURES = PROJECT / "fixtures"
RULES = ("comment-language", "i18n-hardcoded-strings", "i18n-locale-consistency")
WILD_PYTHON = ("click", "yaml", "_pytest", "jsonschema", "pre_commit", "tree_sitter", "mypy/server", "pygments/lexers")
WILD_JS_LIMIT = 400  # files from node_modules, sorted by path, for a bounded run


@dataclass
class Counts(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    files: int = 0

    def add(self, flagged: set[int], expected: set[int]) -> None:
        self.tp += len(flagged & expected)
        self.fp += len(flagged - expected)
        self.fn += len(expected - flagged)
        self.files += 1

    def row(self, label: str) -> list[str]:
        return [
            label,
            str(self.files),
            str(self.tp),
            str(self.fp),
            str(self.fn),
            f"{self.precision:.3f}",
            f"{self.recall:.3f}",
        ]


def labeled_files(rule_id: str) -> list[tuple[Path, str, Marks]]:
    folder = FIXTURES / rule_id
    sidecar = sidecar_marks(folder)
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or language_for_path(path.name) is None or path.name == "expected.json":
            continue
        rel = path.relative_to(folder).as_posix()
        marks = parse_marks(path.read_text(encoding="utf-8"))
        if rel in sidecar:
            marks = merge_marks(marks, sidecar[rel])
        out.append((path, rel, marks))
    return out


def score_rule(rule_id: str) -> tuple[Counts, list[str]]:
    folder = FIXTURES / rule_id
    rule = load_rules([])[rule_id]
    engine = Engine(Config(root=folder), [rule], judge=None, repository=DirectoryRepository(folder))
    counts, misses = Counts(), []
    for path, rel, marks in labeled_files(rule_id):
        result = engine.run([Target(rel, path.read_bytes, None)])
        # an undecided finding (ambiguous, no model) is not a clear finding: listed, not counted
        flagged = {f.line for f in result.findings if f.rule == rule_id and not f.undecided}
        undecided = {f.line for f in result.findings if f.rule == rule_id and f.undecided} - flagged
        expected = set(marks.expected.get(rule_id, ()))
        counts.add(flagged, expected)
        misses += [f"{rule_id}/{rel}:{n} undecided (not counted)" for n in sorted(undecided)]
        misses += [f"{rule_id}/{rel}:{n} false positive" for n in sorted(flagged - expected)]
        misses += [f"{rule_id}/{rel}:{n} missed" for n in sorted(expected - flagged)]
    return counts, misses


def with_identifier(
    make: Callable[[tuple[str, ...]], langid.LanguageIdentifier], action: Callable[[], object]
) -> object:
    """Run ``action`` with identifiers built by ``make`` instead of the default ones."""
    original = langid.identifier
    built: dict[tuple[str, ...], langid.LanguageIdentifier] = {}

    def replacement(candidates: tuple[str, ...]) -> langid.LanguageIdentifier:
        if candidates not in built:
            built[candidates] = make(candidates)
        return built[candidates]

    langid.identifier = replacement  # type: ignore[assignment]
    try:
        return action()
    finally:
        langid.identifier = original


def with_fallback_identifier(action: Callable[[], object]) -> object:
    """Run ``action`` as if lingua were not installed (the heuristic identifier)."""
    return with_identifier(lambda c: langid.LanguageIdentifier(c, use_lingua=False), action)


def english_comment_counts() -> tuple[int, int, int]:
    """(comment blocks in en/ fixtures, blocks that reached lingua, findings) for plain English."""
    rule = load_rules([])["comment-language"]
    blocks = lingua_calls = findings = 0
    for path in sorted((FIXTURES / "comment-language" / "en").rglob("*")):
        language = language_for_path(path.name)
        if language is None:
            continue
        file = SourceFile.parse(path.name, language, path.read_bytes())
        for block in comment_language.comment_blocks(file):
            text = comment_language.prose_of(block.body)
            if not text:
                continue
            blocks += 1
            if not langid.plainly_english(langid.words(text)):
                lingua_calls += 1
        from tinyarms_lint.detectors.base import DetectContext

        findings += len(comment_language.detect(file, rule, DetectContext(root=path.parent)))
    return blocks, lingua_calls, findings


def parsed(paths: list[Path]) -> Iterator[tuple[Path, SourceFile]]:
    """Each of ``paths`` in a language we parse, UTF-8, readable: with its parse."""
    for path in paths:
        language = language_for_path(path.name)
        if language is None:
            continue
        try:
            data = path.read_bytes()
            data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        yield path, SourceFile.parse(path.name, language, data)


def wild_files() -> list[Path]:
    import click  # a package of the list, found wherever the environment keeps it (a worktree venv shares main's)

    packages = [Path(click.__file__).resolve().parent.parent]
    files: list[Path] = []
    for root in packages[:1]:
        for name in WILD_PYTHON:
            files += sorted((root / name).rglob("*.py"))
    modules = WORK / "node_modules"
    if modules.is_dir():
        js = sorted(p for p in modules.rglob("*.js") if ".min." not in p.name and p.stat().st_size < 200_000)
        files += js[:WILD_JS_LIMIT]
    return files


def wild_comments() -> tuple[int, int, int, int, list[str]]:
    """(files, comment blocks, blocks past the English check, findings, where) over comments in the wild."""
    from tinyarms_lint.detectors.base import DetectContext

    rule = load_rules([])["comment-language"]
    files = blocks = past_check = 0
    flagged: list[str] = []
    for path, file in parsed(wild_files()):
        files += 1
        for block in comment_language.comment_blocks(file):
            blocks += 1
            tokens = langid.words(comment_language.prose_of(block.body))
            past_check += bool(tokens) and not langid.plainly_english(tokens)
        for candidate in comment_language.detect(file, rule, DetectContext(root=path.parent)):
            if candidate.clear:
                shown = path.relative_to(PROJECT) if PROJECT in path.parents else path
                flagged.append(f"{shown}:{candidate.span.line} [{candidate.data['language']}] {candidate.snippet[:70]}")
    return files, blocks, past_check, len(flagged), flagged


# ---------------------------------------------------------------------------------------------
# eslint-plugin-i18next baseline

ESLINT_CONFIG = """import i18next from "eslint-plugin-i18next";
import tseslint from "typescript-eslint";

export default [
  {{
    files: ["**/*.js", "**/*.jsx"],
    languageOptions: {{ ecmaVersion: "latest", sourceType: "module", parserOptions: {{ ecmaFeatures: {{ jsx: true }} }} }},
    plugins: {{ i18next }},
    rules: {{ "i18next/no-literal-string": ["error", {{ mode: "{mode}" }}] }},
  }},
  {{
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {{ parser: tseslint.parser, parserOptions: {{ ecmaFeatures: {{ jsx: true }} }} }},
    plugins: {{ i18next }},
    rules: {{ "i18next/no-literal-string": ["error", {{ mode: "{mode}" }}] }},
  }},
];
"""


def first_text_line(lines: list[str], line: int, column: int) -> int:
    """The line of the first non-blank character at or after (line, column): JSX text nodes start
    with the newline after ``>``, so ESLint reports them a line early."""
    row, col = line - 1, column - 1
    while row < len(lines):
        rest = lines[row][col:]
        if rest.strip():
            return row + 1
        row, col = row + 1, 0
    return line


def eslint_baseline(mode: str) -> tuple[Counts, str] | None:
    eslint = WORK / "node_modules" / ".bin" / "eslint"
    if not eslint.exists() or not (WORK / "node_modules" / "eslint-plugin-i18next").is_dir():
        return None
    rule_id = "i18n-hardcoded-strings"
    src = WORK / "i18n-fixtures"
    if src.exists():
        shutil.rmtree(src)
    files = [(p, rel, m) for p, rel, m in labeled_files(rule_id) if p.suffix in (".js", ".jsx", ".ts", ".tsx")]
    for path, rel, _ in files:
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    config = WORK / f"eslint.i18n-{mode}.config.mjs"
    config.write_text(ESLINT_CONFIG.format(mode=mode))
    done = subprocess.run(
        [
            str(eslint),
            "--no-config-lookup",
            "--config",
            config.name,
            "--format",
            "json",
            *[f"i18n-fixtures/{r}" for _, r, _ in files],
        ],
        check=False,
        cwd=WORK,
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return None
    version = subprocess.run(
        [str(eslint), "--version"], check=False, cwd=WORK, capture_output=True, text=True
    ).stdout.strip()
    by_file = {Path(entry["filePath"]).resolve(): entry["messages"] for entry in report}
    counts = Counts()
    for path, rel, marks in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        messages = by_file.get((src / rel).resolve(), [])
        flagged = {
            first_text_line(lines, m["line"], m["column"])
            for m in messages
            if m.get("ruleId") == "i18next/no-literal-string"
        }
        counts.add(flagged, set(marks.expected.get(rule_id, ())))
    return counts, version


def main() -> str:
    headers = ["rule (static tier)", "files", "TP", "FP", "FN", "precision", "recall"]
    rows, misses = [], []
    for rule_id in RULES:
        counts, rule_misses = score_rule(rule_id)
        rows.append(counts.row(rule_id))
        misses += rule_misses
    for rule_id in RULES:
        full = with_identifier(
            lambda c: langid.LanguageIdentifier(c, low_accuracy=False), lambda r=rule_id: score_rule(r)
        )
        assert isinstance(full, tuple)
        rows.append(full[0].row(f"{rule_id}, lingua high-accuracy mode"))
        misses += [f"(high accuracy) {m}" for m in full[1]]
    fallback = with_fallback_identifier(lambda: score_rule("comment-language"))
    assert isinstance(fallback, tuple)
    rows.append(fallback[0].row("comment-language, without lingua (fallback)"))
    misses += [f"(fallback) {m}" for m in fallback[1]]

    baseline_rows = []
    for mode in ("jsx-text-only", "jsx-only"):
        result = eslint_baseline(mode)
        if result is None:
            baseline_rows.append([f"eslint-plugin-i18next ({mode})", "not installed", "", "", "", "", ""])
            continue
        counts, version = result
        baseline_rows.append(counts.row(f"eslint-plugin-i18next no-literal-string, mode {mode} (ESLint {version})"))
    ours = next(r for r in rows if r[0] == "i18n-hardcoded-strings")

    blocks, lingua_calls, english_findings = english_comment_counts()
    started = time.perf_counter()
    wild_files_n, wild_blocks, wild_past, wild_findings, wild_where = wild_comments()
    wild_s = time.perf_counter() - started
    degraded = with_fallback_identifier(wild_comments)
    assert isinstance(degraded, tuple)

    out = [
        "Line-level counts over the annotated fixtures (`expect:` lines must be flagged, every other",
        "line of the rule's own folder must not). JSON locale files are labeled in `expected.json`.",
        "",
        table(headers, rows),
        "",
        "Same JSX/TSX fixtures, hard-coded strings only (eslint lines moved to the text's first line):",
        "",
        table(headers, [ours, *baseline_rows]),
        "",
        (
            f"Plain English comments in fixtures/comment-language/en: {blocks} comment blocks, "
            f"{english_findings} findings, {lingua_calls} reached lingua (all others passed the cheap English check)."
        ),
        "",
        (
            f"Comments in the wild ({', '.join(WILD_PYTHON)} from the venv, and up to {WILD_JS_LIMIT} JS files of "
            f"bench/.work/node_modules): {wild_files_n} files, {wild_blocks} comment blocks, {wild_past} of them "
            f"not plainly English (lingua asked), {wild_findings} comment-language findings ({wild_s:.1f} s); "
            f"without lingua: {degraded[3]} findings."
        ),
    ]
    if wild_where or degraded[4]:
        out += ["", "Flagged in the wild (review by hand):", ""]
        out += [f"- `{w}`" for w in wild_where[:40]]
        out += [f"- (without lingua) `{w}`" for w in degraded[4][:40]]
    if misses:
        out += ["", "Misses:", "", *[f"- {m}" for m in misses]]
    return "\n".join(out)


if __name__ == "__main__":
    print(f"machine: {machine()}\n")
    print(main())
