"""Hand-labelled sites of design-tokens, import-aliases and i18n-locale-consistency from pinned public
codebases, and P/R of us and of a peer (or a named baseline) on exactly those sites.

The sibling of ``wild_labels.py`` (magic-numbers, hardcoded-colors): the same TSV format in
``bench/labels/<rule>.tsv``, the same scoring (``wild_labels.score_rows``) and stylelint runner.

``sample`` lists candidate sites with an extractor that knows nothing of the detectors, draws a
seeded random sample per codebase, writes it with empty labels and prints what a person needs to
label it against the rule text:

- design-tokens: every non-zero ``px``/``rem``/``em`` dimension and every hex, functional or named
  color in the stylesheets that are not token files (default ``token_files``), outside comments and
  outside the lines that define a custom property or an SCSS variable; printed with its context and
  the variables of the token files (and of the file itself, above the line) that have the same text;
- import-aliases: every relative module specifier (``from``, ``import``, ``import()``,
  ``require()``, ``*.mock()``) in JS/TS files that are not test or ``.d.ts`` files; printed with the
  file it resolves to and the tsconfig ``paths`` pattern that covers that file, if any;
- i18n-locale-consistency: every key of the source locale file and of its hu/vi translations;
  printed with the values in each of them.

``score`` runs ``tinyarms-lint check --all --no-llm --select RULE --format json`` in each codebase
(clear findings, and clear + undecided ones) and the peer on the labelled files:

- design-tokens: stylelint ``declaration-strict-value`` on the color and token properties (as in
  ``accuracy_styles.py``), CSS/SCSS;
- import-aliases: ESLint ``no-restricted-imports`` with ``patterns: ["../*"]`` (as in
  ``accuracy_code.py``); an import counts as reported when a report's span covers its specifier;
- i18n-locale-consistency: no listed peer lints locale files, so a named baseline: a plain key diff
  (a source key any translation lacks is reported at the source key; a translation key the source
  lacks, or whose placeholder set differs, at the translation key).

Usage: ``.venv/bin/python bench/wild_labels_rules.py sample RULE --set SET [--per N] [--seed S]
[--only NAMES]``
and ``.venv/bin/python bench/wild_labels_rules.py score RULE [--set SET|all] [--verbose]``.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from common import machine
from wild_code import Codebase, prepare
from wild_labels import (
    _FUNC,
    _HEX,
    FIELDS,
    JS,
    LABELS,
    STYLES,
    Key,
    Literal,
    Report,
    Tool,
    _named_colors,
    checked_files,
    print_scores,
    read_labels,
    run_eslint,
    score_tools,
    stylelint,
)

from tinyarms_lint.config import DEFAULT_TOKEN_FILES, matches_any
from tinyarms_lint.languages import parser

WORK = HERE / ".work"
REPOS = WORK / "wild" / "repos"
RULE_IDS = ("design-tokens", "import-aliases", "i18n-locale-consistency")
# "-eq": drawn only among the sites whose text equals a variable of a token file or of the file itself
# (enriched in likely violations; the plain sets are drawn among all sites).
SETS = ("tuning", "heldout", "heldout2", "heldout3", "tuning-eq", "heldout-eq", "heldout2-eq", "heldout3-eq")

# name -> (rule, set, codebase). tuning: read while changing the detector; heldout: labelled with the
# tuning sets, before any tool ran on it, scored once (then read); heldout2: drawn and labelled after
# the fixes, scored once; heldout3 (i18n): drawn and labelled after the lexicon change, scored once.
CODEBASES: dict[str, tuple[str, str, Codebase]] = {
    c.name: (rule, s, c)
    for rule, s, c in (
        ("design-tokens", "tuning", Codebase("spectre", "npm", "spectre.css@0.5.9", ("src/**",))),
        ("design-tokens", "tuning", Codebase("mvp-css", "npm", "mvp.css@1.18.0", ("mvp.css",))),
        ("design-tokens", "tuning", Codebase("simple-css", "npm", "simpledotcss@2.3.7", ("simple.css",))),
        (
            "design-tokens",
            "tuning",
            Codebase("sb-admin-2", "npm", "startbootstrap-sb-admin-2@4.1.4", ("scss/**",), ("scss/vendor/**",)),
        ),
        ("design-tokens", "tuning", Codebase("mdb-ui-kit", "npm", "mdb-ui-kit@9.3.0", ("src/scss/free/**",))),
        ("design-tokens", "heldout", Codebase("admin-lte", "npm", "admin-lte@3.2.0", ("build/scss/**",))),
        (
            "design-tokens",
            "heldout",
            Codebase("bootstrap-material-design", "npm", "bootstrap-material-design@4.1.3", ("scss/**",)),
        ),
        ("design-tokens", "heldout", Codebase("shards-ui", "npm", "shards-ui@3.0.0", ("src/scss/**",))),
        (
            "design-tokens",
            "heldout2",
            Codebase("sb-freelancer", "npm", "startbootstrap-freelancer@6.0.5", ("src/scss/**",)),
        ),
        (
            "design-tokens",
            "heldout2",
            Codebase("sb-creative", "npm", "startbootstrap-creative@6.0.4", ("src/scss/**",)),
        ),
        ("design-tokens", "heldout", Codebase("materialize", "npm", "materialize-css@1.0.0", ("sass/**",))),
        (
            "design-tokens",
            "heldout",
            Codebase(
                "bootswatch",
                "npm",
                "bootswatch@5.3.8",
                ("dist/flatly/*.scss", "dist/lux/*.scss", "dist/sketchy/*.scss", "dist/vapor/*.scss"),
            ),
        ),
        ("design-tokens", "heldout", Codebase("halfmoon", "npm", "halfmoon@2.0.2", ("css/halfmoon.css",))),
        (
            "import-aliases",
            "tuning",
            Codebase("refine-mui", "npm", "@refinedev/mui@6.0.1", ("src/**", "tsconfig.json")),
        ),
        (
            "import-aliases",
            "tuning",
            Codebase("refine-chakra-ui", "npm", "@refinedev/chakra-ui@3.0.2", ("src/**", "tsconfig.json")),
        ),
        (
            "import-aliases",
            "heldout",
            Codebase("refine-antd-ts", "npm", "@refinedev/antd@5.45.1", ("src/**", "tsconfig.json")),
        ),
        (
            "import-aliases",
            "heldout",
            Codebase("refine-mantine", "npm", "@refinedev/mantine@3.0.2", ("src/**", "tsconfig.json")),
        ),
        (
            "import-aliases",
            "heldout",
            Codebase("refine-inferencer", "npm", "@refinedev/inferencer@7.0.0", ("src/**", "tsconfig.json")),
        ),
        (
            "i18n-locale-consistency",
            "tuning",
            Codebase(
                "iso-countries",
                "npm",
                "i18n-iso-countries@7.14.0",
                ("langs/**",),
                keep_json=("langs/en.json", "langs/hu.json", "langs/vi.json"),
            ),
        ),
        (
            "i18n-locale-consistency",
            "tuning",
            Codebase(
                "vee-validate-i18n",
                "npm",
                "@vee-validate/i18n@4.15.1",
                ("dist/locale/**",),
                keep_json=("dist/locale/en.json", "dist/locale/hu.json", "dist/locale/vi.json"),
            ),
        ),
        (
            "i18n-locale-consistency",
            "heldout",
            Codebase(
                "videojs-lang",
                "npm",
                "video.js@8.21.0",
                ("dist/lang/**",),
                keep_json=("dist/lang/en.json", "dist/lang/hu.json", "dist/lang/vi.json"),
            ),
        ),
        (
            "i18n-locale-consistency",
            "heldout",
            Codebase(
                "phone-number-input",
                "npm",
                "react-phone-number-input@3.4.18",
                ("locale/**",),
                keep_json=("locale/en.json", "locale/vi.json"),
            ),
        ),
        (
            "i18n-locale-consistency",
            "heldout",
            Codebase(
                "emoji-mart-data",
                "npm",
                "@emoji-mart/data@1.2.1",
                ("i18n/**",),
                keep_json=("i18n/en.json", "i18n/vi.json"),
            ),
        ),
        (
            "i18n-locale-consistency",
            "heldout3",
            Codebase(
                "medusa-dashboard",
                "npm",
                "@medusajs/dashboard@2.21.2",
                ("src/i18n/translations/**",),
                keep_json=(
                    "src/i18n/translations/en.json",
                    "src/i18n/translations/hu.json",
                    "src/i18n/translations/vi.json",
                ),
            ),
        ),
        (
            "i18n-locale-consistency",
            "heldout3",
            Codebase(
                "polaris",
                "npm",
                "@shopify/polaris@13.9.5",
                ("locales/**",),
                keep_json=("locales/en.json", "locales/vi.json"),
            ),
        ),
        (
            "i18n-locale-consistency",
            "heldout3",
            Codebase(
                "iso-languages",
                "npm",
                "@cospired/i18n-iso-languages@4.2.0",
                ("langs/**",),
                keep_json=("langs/en.json", "langs/hu.json", "langs/vi.json"),
            ),
        ),
    )
}
SOURCE_LANGUAGE = "en"
TRANSLATIONS = ("hu", "vi")

# ---------------------------------------------------------------- extractors (know nothing of the detectors)

_DIMENSION = re.compile(r"(?<![\w.#$-])(\d*\.?\d+)(px|rem|em)\b")
_DEFINITION = re.compile(r"^\s*(--[\w-]+|\$[\w-]+)\s*:")
_RELATIVE = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\.mock\s*\(\s*|\.importActual\s*\(\s*)"""
    r"""(['"])(\.\.?(?:/[^'"\n]*)?)\1"""
)


def _without_comments(lines: list[str], scss: bool) -> list[str]:
    """Each line with ``/* */`` (and, in SCSS, ``//``) comments blanked, columns kept."""
    out: list[str] = []
    in_block = False
    for line in lines:
        chars = list(line)
        i = 0
        while i < len(chars):
            if in_block:
                if line.startswith("*/", i):
                    chars[i] = chars[i + 1] = " "
                    in_block = False
                    i += 2
                    continue
                chars[i] = " "
            elif line.startswith("/*", i):
                in_block = True
                chars[i] = chars[i + 1] = " "
                i += 2
                continue
            elif scss and line.startswith("//", i) and (i == 0 or line[i - 1] != ":"):
                chars[i:] = " " * (len(chars) - i)
                break
            i += 1
        out.append("".join(chars))
    return out


def style_sites(codebase: str, repo: Path, path: str, named: frozenset[str]) -> list[Literal]:
    lines = (repo / path).read_text(encoding="utf-8", errors="replace").splitlines()
    clean = _without_comments(lines, path.endswith(".scss"))
    named_re = re.compile(
        r"(?<![\w$@.#-])(" + "|".join(sorted(named, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
    )
    out: list[Literal] = []
    for number, line in enumerate(clean, 1):
        stripped = line.strip()
        if not stripped or _DEFINITION.match(line) or stripped.startswith(("@import", "@use", "@forward")):
            continue
        hits = [(m.start(), m.group(0)) for m in _DIMENSION.finditer(line) if float(m.group(1)) != 0]
        hits += [(m.start(), m.group(0)) for m in _HEX.finditer(line)]
        hits += [(m.start(), m.group(0)[:-1]) for m in _FUNC.finditer(line)]
        colon = line.find(":")
        if colon >= 0 and not stripped.startswith("@") and not stripped.endswith("{"):
            hits += [(colon + 1 + m.start(1), m.group(1)) for m in named_re.finditer(line[colon + 1 :])]
        for start, text in sorted(set(hits)):
            out.append(Literal(codebase, path, number, start + 1, text))
    return out


def import_sites(codebase: str, repo: Path, path: str) -> list[Literal]:
    lines = (repo / path).read_text(encoding="utf-8", errors="replace").splitlines()
    out: list[Literal] = []
    for number, line in enumerate(_without_comments(lines, True), 1):
        for m in _RELATIVE.finditer(line):
            out.append(Literal(codebase, path, number, m.start(1) + 1, m.group(2)))
    return out


def locale_files(repo: Path) -> dict[str, dict[str, Path]]:
    """Locale files by folder: {folder: {language: path}} for folders with the source and a translation."""
    found: dict[str, dict[str, Path]] = {}
    for file in repo.rglob("*.json"):
        if file.stem in (SOURCE_LANGUAGE, *TRANSLATIONS):
            found.setdefault(file.parent.relative_to(repo).as_posix(), {})[file.stem] = file
    return {k: v for k, v in found.items() if SOURCE_LANGUAGE in v and len(v) > 1}


def json_keys(file: Path) -> list[tuple[str, int, int, str]]:
    """(dotted key path, line, column, string value or "") of every key in a JSON file."""
    data = file.read_bytes()
    lines = data.split(b"\n")
    tree = parser("json").parse(data)
    out: list[tuple[str, int, int, str]] = []

    def walk(node: object, prefix: str) -> None:
        for child in node.named_children:  # type: ignore[attr-defined]
            if child.type != "pair":
                continue
            key_node = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            key = json.loads(data[key_node.start_byte : key_node.end_byte])
            dotted = f"{prefix}.{key}" if prefix else key
            row, byte_col = key_node.start_point
            col = len(lines[row][:byte_col].decode("utf-8", "replace")) + 1
            text = json.loads(data[value.start_byte : value.end_byte]) if value.type == "string" else ""
            out.append((dotted, row + 1, col, text))
            if value.type == "object":
                walk(value, dotted)

    root = tree.root_node.named_children[0]
    walk(root, "")
    return out


def locale_sites(codebase: str, repo: Path) -> list[Literal]:
    out: list[Literal] = []
    for files in locale_files(repo).values():
        for file in files.values():
            path = file.relative_to(repo).as_posix()
            out += [Literal(codebase, path, line, col, key) for key, line, col, _ in json_keys(file)]
    return out


def sites(rule: str, name: str, repo: Path) -> list[Literal]:
    if rule == "design-tokens":
        named = _named_colors()
        files = [p for p in checked_files(repo, STYLES) if not matches_any(p, DEFAULT_TOKEN_FILES)]
        return [s for p in files for s in style_sites(name, repo, p, named)]
    if rule == "import-aliases":
        files = [p for p in checked_files(repo, JS) if not p.endswith(".d.ts")]
        return [s for p in files for s in import_sites(name, repo, p)]
    return locale_sites(name, repo)


# ---------------------------------------------------------------- what the labeller sees

_VARIABLE = re.compile(r"(--[\w-]+|\$[\w-]+)\s*:\s*([^;{}]+?)\s*(?:!default\s*)?(?:;|$)")


def _norm(value: str) -> str:
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


_TOKEN_VALUES: dict[Path, list[tuple[str, str, str]]] = {}


def _token_values(repo: Path) -> list[tuple[str, str, str]]:
    """(where, name, value) of the variables of the token files, SCSS aliases (``$a: $b``) resolved."""
    if repo not in _TOKEN_VALUES:
        found: list[tuple[str, str, str]] = []
        for token_file in [p for p in checked_files(repo, STYLES) if matches_any(p, DEFAULT_TOKEN_FILES)]:
            for number, text in enumerate((repo / token_file).read_text(encoding="utf-8").splitlines(), 1):
                found += [(f"{token_file}:{number}", m.group(1), m.group(2)) for m in _VARIABLE.finditer(text)]
        values = {name: value for _, name, value in found}
        resolved = []
        for where, name, value in found:
            for _ in range(5):
                value = values.get(value.strip(), value)
            resolved.append((where, name, value))
        _TOKEN_VALUES[repo] = resolved
    return _TOKEN_VALUES[repo]


def _same_valued(repo: Path, path: str, line: int, literal: str) -> list[str]:
    """The token-file variables, and the file's own above ``line``, whose value is the text ``literal``."""
    want = _norm(literal)
    out = [f"{where} {name}: {value}" for where, name, value in _token_values(repo) if _norm(value) == want]
    own = (repo / path).read_text(encoding="utf-8").splitlines()[: line - 1]
    for number, text in enumerate(own, 1):
        for m in _VARIABLE.finditer(text):
            if _norm(m.group(2)) == want:
                out.append(f"(same file):{number} {m.group(1)}: {m.group(2)}")
    return out


@functools.cache
def _locale_values(repo: Path, path: str) -> dict[str, dict[str, str | None]]:
    """{language: {key: value}} of the locale file ``path`` and its siblings (read once per file)."""
    folder = (repo / path).parent
    out: dict[str, dict[str, str | None]] = {}
    for language in (SOURCE_LANGUAGE, *TRANSLATIONS):
        file = folder / f"{language}.json"
        if file.is_file():
            out[language] = {k: v for k, _, _, v in json_keys(file)}
    return out


def _enriched(rule: str, repo: Path, site: Literal) -> bool:
    """Whether a site belongs to the "-eq" strata: design-tokens, its text is a token's value;
    i18n-locale-consistency, its key is missing on some side, or its value equals the source's."""
    if rule == "design-tokens":
        return bool(_same_valued(repo, site.path, site.line, site.text))
    values = _locale_values(repo, site.path)
    if any(site.text not in v for v in values.values()):
        return True
    source = values[SOURCE_LANGUAGE][site.text]
    return bool(source) and any(v[site.text] == source for k, v in values.items() if k != SOURCE_LANGUAGE)


def _selector(lines: list[str], line: int) -> str:
    for k in range(line - 1, -1, -1):
        if "{" in lines[k]:
            return lines[k].strip()[:100]
    return "?"


def _resolve(repo: Path, path: str, spec: str) -> str:
    base = os.path.normpath(os.path.join(os.path.dirname(path), spec))
    for suffix in ("", ".ts", ".tsx", ".js", ".jsx", "/index.ts", "/index.tsx", "/index.js"):
        candidate = repo / (base + suffix)
        if candidate.is_file():
            return base + suffix
    return f"{base} (not found)"


def _paths(repo: Path) -> dict[str, list[str]]:
    config = repo / "tsconfig.json"
    if not config.is_file():
        return {}
    text = re.sub(r"//[^\n]*", "", config.read_text(encoding="utf-8"))
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    paths: dict[str, list[str]] = json.loads(text).get("compilerOptions", {}).get("paths", {})
    return paths


def _covering(paths: dict[str, list[str]], target: str) -> list[str]:
    out = []
    for pattern, targets in paths.items():
        for t in targets:
            t = t.removeprefix("./")
            if t.endswith("*") and target.startswith(t[:-1]) or target.split(".")[0] in (t, t + "/index"):
                out.append(pattern)
    return out


def describe(rule: str, row: dict[str, str]) -> list[str]:
    repo = REPOS / row["codebase"]
    lines = (repo / row["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    n = int(row["line"])
    context = [
        f"{'>' if k == n else ' '} {lines[k - 1][:160]}" for k in range(max(1, n - 2), min(len(lines), n + 1) + 1)
    ]
    if rule == "design-tokens":
        same = _same_valued(repo, row["path"], n, row["literal"])
        return [f"  selector: {_selector(lines, n)}", *context, *(f"  = {s}" for s in same[:8])]
    if rule == "import-aliases":
        target = _resolve(repo, row["path"], row["literal"])
        return [lines[n - 1].strip()[:160], f"  -> {target}; aliases covering it: {_covering(_paths(repo), target)}"]
    folder = (repo / row["path"]).parent
    values = []
    for language in (SOURCE_LANGUAGE, *TRANSLATIONS):
        file = folder / f"{language}.json"
        if file.is_file():
            found = {k: v for k, _, _, v in json_keys(file)}
            values.append(
                f"  {language}: {found[row['literal']]!r}" if row["literal"] in found else f"  {language}: MISSING"
            )
    return values


def sample(rule: str, which: str, per: int, seed: int, only: frozenset[str] = frozenset()) -> None:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for name, (rule_of, split, codebase) in CODEBASES.items():
        if rule_of != rule or split != which.removesuffix("-eq") or (only and name not in only):
            continue
        repo = prepare(codebase)
        found = sites(rule, name, repo)
        if which.endswith("-eq"):
            found = [x for x in found if _enriched(rule, repo, x)]
        picked = rng.sample(found, min(per, len(found)))
        print(f"# {name}: {len(found)} sites, {len(picked)} drawn", file=sys.stderr)
        for site in sorted(picked, key=lambda x: (x.path, x.line, x.column)):
            rows.append(
                {
                    "set": which,
                    "codebase": name,
                    "path": site.path,
                    "line": str(site.line),
                    "column": str(site.column),
                    "literal": site.text,
                    "label": "",
                    "reason": "",
                }
            )
    kept = [r for r in read_labels(rule) if r["set"] != which or (only and r["codebase"] not in only)]
    LABELS.mkdir(exist_ok=True)
    with (LABELS / f"{rule}.tsv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in kept + rows:
            writer.writerow(row)
    for i, row in enumerate(rows):
        print(f"\n[{i}] {row['codebase']}/{row['path']}:{row['line']}:{row['column']}  {row['literal']}")
        print("\n".join(describe(rule, row)))


# ---------------------------------------------------------------- scoring


def ours(rule: str, rows: list[dict[str, str]]) -> tuple[dict[Key, list[Report]], dict[Key, list[Report]]]:
    """(clear, undecided) findings of ``check --all --no-llm --select RULE`` in each labelled codebase."""
    clear: dict[Key, list[Report]] = {}
    undecided: dict[Key, list[Report]] = {}
    for codebase in sorted({r["codebase"] for r in rows}):
        repo = prepare(CODEBASES[codebase][2])
        cmd = [sys.executable, "-m", "tinyarms_lint", "check", "--all", "--no-llm", "--select", rule]
        done = subprocess.run([*cmd, "--format", "json"], cwd=repo, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"tinyarms-lint failed in {codebase}: {done.stderr.strip()[-300:]}")
        for finding in json.loads(done.stdout)["findings"]:
            target = undecided if finding.get("undecided") else clear
            for line in range(finding["line"], finding["end_line"] + 1):
                start = finding["column"] if line == finding["line"] else 1
                end = finding["end_column"] if line == finding["end_line"] else None
                target.setdefault((codebase, finding["path"], line), []).append((start, end))
    return clear, undecided


def eslint_restricted_imports(rows: list[dict[str, str]]) -> dict[Key, list[Report]]:
    from accuracy_code import eslint_config

    rules = {"no-restricted-imports": ["error", {"patterns": ["../*"]}]}
    return run_eslint(rows, eslint_config(rules, rules), "eslint.wild-labels-rules.config.mjs", spans=True)


_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]+\}|%\([\w.]+\)[sd]|%\{[\w.]+\}|%[sd]")


def key_diff(rows: list[dict[str, str]]) -> dict[Key, list[Report]]:
    """The baseline: missing keys at the source key, extra keys and placeholder-set diffs at the translation key."""
    hits: dict[Key, list[Report]] = {}
    for codebase in sorted({r["codebase"] for r in rows}):
        repo = REPOS / codebase
        for files in locale_files(repo).values():
            source = {k: (line, v) for k, line, _, v in json_keys(files[SOURCE_LANGUAGE])}
            source_path = files[SOURCE_LANGUAGE].relative_to(repo).as_posix()
            for language, file in files.items():
                if language == SOURCE_LANGUAGE:
                    continue
                path = file.relative_to(repo).as_posix()
                translated = {k: (line, v) for k, line, _, v in json_keys(file)}
                for key, (line, _) in source.items():
                    if key not in translated:
                        hits.setdefault((codebase, source_path, line), []).append((1, None))
                for key, (line, value) in translated.items():
                    wanted = set(_PLACEHOLDER.findall(source[key][1])) if key in source else None
                    if wanted is None or set(_PLACEHOLDER.findall(value)) != wanted:
                        hits.setdefault((codebase, path, line), []).append((1, None))
    return hits


def score(rule: str, which: str, verbose: bool) -> None:
    print(f"Measured {date.today().isoformat()} on {machine()}.\n")
    chosen = set(which.split(","))
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str, str, str]] = set()
    for row in read_labels(rule):  # a site drawn in two strata counts once
        site = (row["codebase"], row["path"], row["line"], row["column"])
        if row["label"] and ("all" in chosen or row["set"] in chosen) and site not in seen:
            seen.add(site)
            rows.append(row)
    clear, undecided = ours(rule, rows)
    tools: list[Tool] = [
        ("tinyarms-lint, clear only", rows, [clear]),
        ("tinyarms-lint, clear + undecided", rows, [clear, undecided]),
    ]
    if rule == "design-tokens":
        from accuracy_styles import COLOR_PROPERTIES, TOKEN_PROPERTIES, strict_value

        properties = COLOR_PROPERTIES + TOKEN_PROPERTIES
        for functions in (True, False):
            name = f"stylelint declaration-strict-value (colors + token properties, ignoreFunctions: {str(functions).lower()})"
            tools.append((name, rows, [stylelint(rows, strict_value(properties, functions))]))
    elif rule == "import-aliases":
        tools.append(('ESLint no-restricted-imports ["../*"]', rows, [eslint_restricted_imports(rows)]))
    else:
        tools.append(("baseline: plain key diff (missing, extra, placeholder set)", rows, [key_diff(rows)]))
    out_rows, details = score_tools(rule, which, tools, verbose)
    print_scores(out_rows, details)


def main(argv: list[str]) -> int:
    parser_ = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser_.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("rule", choices=RULE_IDS)
    s.add_argument("--set", dest="which", choices=SETS, required=True)
    s.add_argument("--per", type=int, default=20, help="sites drawn per codebase")
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--only", default="", help="comma-separated codebase names (keeps the set's other rows)")
    c = sub.add_parser("score")
    c.add_argument("rule", choices=RULE_IDS)
    c.add_argument("--set", dest="which", default="tuning", help="a set, comma-separated sets, or all")
    c.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    args = parser_.parse_args(argv)
    if args.command == "sample":
        sample(args.rule, args.which, args.per, args.seed, frozenset(n for n in args.only.split(",") if n))
    else:
        score(args.rule, args.which, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
