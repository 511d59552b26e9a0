"""Hand-labelled numbers and colors from pinned public codebases, and P/R of us and the peers on them.

``sample`` lists literals with a detector-independent extractor (tree-sitter number nodes; a regex
for hex, functional and named colors), draws a seeded random sample per codebase and writes it to
``bench/labels/<rule>.tsv`` with empty labels, printing each literal's context for a person to label
against the rule text. ``score`` reads the labelled TSV and reports, on exactly those literals:

- tinyarms-lint's detector, counting clear candidates only, and clear + undecided (ambiguous) ones;
- ESLint ``no-magic-numbers`` (+ ``@typescript-eslint/no-magic-numbers``), ESLint's defaults and the
  options closest to ours (as in ``accuracy_code.py``), for magic-numbers on JS/TS;
- stylelint ``color-no-hex`` + ``color-named`` + ``function-disallowed-list`` and
  ``declaration-strict-value`` (as in ``accuracy_styles.py``), for hardcoded-colors on CSS/SCSS.

A literal counts as reported by a tool when a report on its line covers its column (ours: the
candidate's span; ESLint: the literal's own column, or the minus sign before it; stylelint: any report
on the line at or before the column, since declaration-strict-value reports the declaration). A peer
that does not read a file's language (ESLint on Python, stylelint on JS) is scored on the rows it reads.

Codebases are split into ``tuning`` (read while changing the detectors), ``heldout1`` (scored once,
then read while changing the detectors again) and ``heldout2`` (drawn after that, scored once).

Usage: ``.venv/bin/python bench/wild_labels.py sample RULE --set SET [--per N] [--seed S] [--add]
[--only NAMES]`` and ``.venv/bin/python bench/wild_labels.py score [--set SET|all] [--verbose]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from common import Rates, machine, table
from wild_code import Codebase, prepare

from tinyarms_lint.config import DEFAULT_TEST_FILES, Config, matches_any
from tinyarms_lint.languages import language_for_path, parser

LABELS = HERE / "labels"
WORK = HERE / ".work"
RULE_IDS = ("magic-numbers", "hardcoded-colors")
# tuning: read while changing the detectors; heldout1: scored once, then read (it became tuning
# data); heldout2: drawn and labelled after that, scored once at the end.
SETS = ("tuning", "heldout1", "heldout2")
JS = frozenset({"javascript", "jsx", "typescript", "tsx"})
STYLES = frozenset({"css", "scss"})
CODE = JS | {"python"}
FIELDS = ["set", "codebase", "path", "line", "column", "literal", "label", "reason"]

# (set, codebase, literals to draw per rule). Tuning: read while changing the detectors; held out:
# sampled, labelled and scored once at the end.
CODEBASES: dict[str, tuple[str, Codebase]] = {
    c.name: (s, c)
    for s, c in (
        ("tuning", Codebase("chartjs", "npm", "chart.js@4.4.7", ("dist/chart.js", "dist/chunks/helpers.segment.js"))),
        ("tuning", Codebase("react-hot-toast", "npm", "react-hot-toast@2.4.1", ("src/**",))),
        ("tuning", Codebase("sweetalert2", "npm", "sweetalert2@11.14.5", ("src/**",))),
        ("tuning", Codebase("tqdm", "pypi", "tqdm==4.67.1", ("tqdm/**",))),
        ("tuning", Codebase("bulma", "npm", "bulma@1.0.2", ("sass/**",))),
        ("tuning", Codebase("cm-theme-dracula", "npm", "@uiw/codemirror-theme-dracula@4.23.6", ("src/**",))),
        ("tuning", Codebase("cm-theme-github", "npm", "@uiw/codemirror-theme-github@4.23.6", ("src/**",))),
        ("tuning", Codebase("axios", "npm", "axios@1.7.9", ("lib/**",))),
        ("tuning", Codebase("toastr", "npm", "toastr@2.1.4", ("toastr.scss",))),
        ("heldout1", Codebase("apexcharts", "npm", "apexcharts@3.54.1", ("src/**",), ("src/locales/**",))),
        ("heldout1", Codebase("dayjs", "npm", "dayjs@1.11.13", ("esm/**",), ("esm/locale/**",))),
        ("heldout1", Codebase("humanize", "pypi", "humanize==4.11.0", ("src/**",))),
        ("heldout1", Codebase("recharts", "npm", "recharts@2.13.3", ("es6/**",))),
        ("heldout1", Codebase("react-toastify", "npm", "react-toastify@10.0.6", ("scss/**",))),
        ("heldout1", Codebase("cm-theme-nord", "npm", "@uiw/codemirror-theme-nord@4.23.6", ("src/**",))),
        ("heldout1", Codebase("cm-theme-tokyo-night", "npm", "@uiw/codemirror-theme-tokyo-night@4.23.6", ("src/**",))),
        ("heldout1", Codebase("introjs", "npm", "intro.js@7.2.0", ("introjs.css",))),
        ("heldout1", Codebase("select2", "npm", "select2@4.0.13", ("dist/css/select2.css", "src/js/select2/*.js"))),
        ("heldout2", Codebase("ky", "npm", "ky@1.7.2", ("distribution/**",), ("distribution/types/**",))),
        ("heldout2", Codebase("marked", "npm", "marked@15.0.4", ("lib/marked.esm.js",))),
        ("heldout2", Codebase("frappe-charts", "npm", "frappe-charts@1.6.2", ("src/**",), ("src/js/utils/test/**",))),
        ("heldout2", Codebase("toastify-js", "npm", "toastify-js@1.12.0", ("src/**",))),
        ("heldout2", Codebase("httpx", "pypi", "httpx==0.28.1", ("httpx/**",))),
        ("heldout2", Codebase("pretty-checkbox", "npm", "pretty-checkbox@3.0.3", ("src/scss/**",))),
        ("heldout2", Codebase("nprogress", "npm", "nprogress@0.2.0", ("nprogress.css", "nprogress.js"))),
        ("heldout2", Codebase("cm-theme-material", "npm", "@uiw/codemirror-theme-material@4.23.6", ("src/**",))),
    )
}

_NUMBER_NODES = {"number", "integer", "float"}
_ZERO_ONE = {"0", "1", "0.0", "1.0", "0.", "1."}  # ignored by every tool's defaults: not sampled
_HEX = re.compile(r"(?<![\w&#$-])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![\w-])")
_FUNC = re.compile(r"(?<![\w-])(?:rgba?|hsla?|hwb|oklab|oklch|lab|lch)\(", re.IGNORECASE)
_COMMENT_LINE = re.compile(r"^\s*(?://|/\*|\*|#(?![0-9a-fA-F]{3}))")


def _named_colors() -> frozenset[str]:
    from tinyarms_lint.detectors.color_values import NAMED_COLORS  # the CSS vocabulary only, not the detector

    return frozenset(n for n in NAMED_COLORS if n not in {"transparent", "currentcolor"})


@dataclass(frozen=True)
class Literal:
    codebase: str
    path: str
    line: int
    column: int  # 1-based, characters
    text: str


def checked_files(repo: Path, languages: frozenset[str]) -> list[str]:
    out = []
    for path in sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()):
        if ".git/" in path or path.startswith(".git"):
            continue
        if language_for_path(path) in languages and not matches_any(path, DEFAULT_TEST_FILES):
            out.append(path)
    return out


def numbers_in(codebase: str, repo: Path, path: str) -> list[Literal]:
    language = language_for_path(path)
    assert language is not None
    data = (repo / path).read_bytes()
    tree = parser(language).parse(data)
    lines = data.split(b"\n")
    out: list[Literal] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        text = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        is_number = node.type in _NUMBER_NODES and node.is_named and node.child_count == 0
        if is_number and text[:1] in "0123456789." and text.rstrip("n") not in _ZERO_ONE:
            row, byte_col = node.start_point
            col = len(lines[row][:byte_col].decode("utf-8", "replace")) + 1
            out.append(Literal(codebase, path, row + 1, col, text))
        stack.extend(reversed(node.children))
    return out


def colors_in(codebase: str, repo: Path, path: str, named: frozenset[str]) -> list[Literal]:
    text = (repo / path).read_text(encoding="utf-8", errors="replace")
    style = language_for_path(path) in STYLES
    named_re = re.compile(
        r"(?<![\w$@.#-])(" + "|".join(sorted(named, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
    )
    quoted_named = re.compile(
        r"""(['"])(""" + "|".join(sorted(named, key=len, reverse=True)) + r""")\1""", re.IGNORECASE
    )
    out: list[Literal] = []
    for number, line in enumerate(text.splitlines(), 1):
        if _COMMENT_LINE.match(line) or len(line) > 400:
            continue
        hits = [(m.start(), m.group(0)) for m in _HEX.finditer(line)]
        hits += [(m.start(), m.group(0)[:-1]) for m in _FUNC.finditer(line)]
        if style:  # named colors in the value of a declaration
            colon = line.find(":")
            if colon >= 0 and not line.lstrip().startswith("@"):
                hits += [(colon + 1 + m.start(1), m.group(1)) for m in named_re.finditer(line[colon + 1 :])]
        else:
            hits += [(m.start(2), m.group(2)) for m in quoted_named.finditer(line)]
        for start, literal in sorted(set(hits)):
            out.append(Literal(codebase, path, number, start + 1, literal))
    return out


def sample(rule: str, which: str, per: int, seed: int, add: bool = False, only: frozenset[str] = frozenset()) -> None:
    rng = random.Random(seed)
    named = _named_colors()
    rows: list[dict[str, str]] = []
    existing = read_labels(rule)
    known = {(r["codebase"], r["path"], r["line"], r["column"]): r for r in existing}
    for name, (split, codebase) in CODEBASES.items():
        if split != which or (only and name not in only):
            continue
        repo = prepare(codebase)
        literals: list[Literal] = []
        if rule == "magic-numbers":
            for path in checked_files(repo, CODE):
                literals += numbers_in(name, repo, path)
        else:
            for path in checked_files(repo, CODE | STYLES):
                literals += colors_in(name, repo, path, named)
        if add:  # draw among the literals not labelled yet
            literals = [x for x in literals if (x.codebase, x.path, str(x.line), str(x.column)) not in known]
        picked = rng.sample(literals, min(per, len(literals)))
        print(f"# {name}: {len(literals)} literals, {len(picked)} drawn", file=sys.stderr)
        for lit in sorted(picked, key=lambda x: (x.path, x.line, x.column)):
            rows.append(
                {
                    "set": which,
                    "codebase": name,
                    "path": lit.path,
                    "line": str(lit.line),
                    "column": str(lit.column),
                    "literal": lit.text,
                    "label": "",
                    "reason": "",
                }
            )
    target = LABELS / f"{rule}.tsv"
    if add:
        kept = existing
    else:
        rows = [known.get((r["codebase"], r["path"], r["line"], r["column"]), r) for r in rows]
        kept = [r for r in existing if r["set"] != which]
    LABELS.mkdir(exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in kept + rows:
            writer.writerow(row)
    for i, row in enumerate(rows):
        repo = WORK / "wild" / "repos" / row["codebase"]
        lines = (repo / row["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
        n = int(row["line"])
        print(f"\n[{i}] {row['codebase']}/{row['path']}:{n}:{row['column']}  {row['literal']}")
        for k in range(max(1, n - 3), min(len(lines), n + 1) + 1):
            print(f"{'>' if k == n else ' '} {lines[k - 1][:160]}")


def read_labels(rule: str) -> list[dict[str, str]]:
    path = LABELS / f"{rule}.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# ---------------------------------------------------------------- scoring

Key = tuple[str, str, int]  # codebase, path, line
Report = tuple[int, int | None]  # column, end column on that line (None: to the end of the line)


@dataclass
class Score(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def ours(rule: str, rows: list[dict[str, str]]) -> tuple[dict[Key, list[Report]], dict[Key, list[Report]]]:
    """(clear, ambiguous) candidate spans of our detector, by line, on the labelled files."""
    from tinyarms_lint.detectors import get_detector
    from tinyarms_lint.detectors.base import DetectContext
    from tinyarms_lint.regions import SourceFile
    from tinyarms_lint.rules import load_rules

    bundled = load_rules([])
    clear: dict[Key, list[Report]] = {}
    ambiguous: dict[Key, list[Report]] = {}
    for codebase, path in sorted({(r["codebase"], r["path"]) for r in rows}):
        repo = WORK / "wild" / "repos" / codebase
        config = Config(root=repo)
        language = language_for_path(path)
        assert language is not None
        file = SourceFile.parse(path, language, (repo / path).read_bytes())
        ctx = DetectContext(
            root=repo,
            is_token_file=config.is_token_file(path),
            is_test_file=config.is_test_file(path),
            token_files=config.token_files,
            rules={r: bundled[r] for r in RULE_IDS},
        )
        rule_obj = bundled[rule]
        if not rule_obj.applies_to(language):
            continue
        for cand in get_detector(rule_obj.detector or rule)(file, rule_obj, ctx):
            target = clear if cand.clear else ambiguous
            for line in range(cand.span.line, cand.span.end_line + 1):
                start = cand.span.column if line == cand.span.line else 1
                end = cand.span.end_column if line == cand.span.end_line else None
                target.setdefault((codebase, path, line), []).append((start, end))
    return clear, ambiguous


def _eslint_config(options: dict[str, object]) -> str:
    from accuracy_code import eslint_config

    ts_options = {
        **options,
        "ignoreEnums": True,
        "ignoreNumericLiteralTypes": True,
        "ignoreReadonlyClassProperties": True,
        "ignoreTypeIndexes": True,
    }
    if not options:
        ts_options = {}
    return eslint_config(
        {"no-magic-numbers": ["error", options]}, {"@typescript-eslint/no-magic-numbers": ["error", ts_options]}
    )


def eslint(rows: list[dict[str, str]], options: dict[str, object]) -> dict[Key, list[Report]]:
    return run_eslint(rows, _eslint_config(options), "eslint.wild-labels.config.mjs")


def run_eslint(
    rows: list[dict[str, str]], config_text: str, config_name: str, *, spans: bool = False
) -> dict[Key, list[Report]]:
    """ESLint with the flat config ``config_text`` (written to ``config_name`` in bench/.work) on the
    JS/TS files of ``rows``; its reports by (codebase, path, line) (``spans``: see _peer_hits)."""
    from accuracy_code import eslint_binary

    files = sorted({(r["codebase"], r["path"]) for r in rows if language_for_path(r["path"]) in JS})
    config = WORK / config_name
    config.write_text(config_text, encoding="utf-8")
    paths = [str(WORK / "wild" / "repos" / c / p) for c, p in files]
    done = subprocess.run(
        [str(eslint_binary()), "--no-ignore", "-c", str(config), "--format", "json", *paths],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"eslint failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return _peer_hits(json.loads(done.stdout), spans=spans)


def stylelint(rows: list[dict[str, str]], rules: dict[str, object]) -> dict[Key, list[Report]]:
    from accuracy_styles import stylelint_binary

    files = sorted({(r["codebase"], r["path"]) for r in rows if language_for_path(r["path"]) in STYLES})
    config = WORK / "stylelint.wild-labels.json"
    config.write_text(
        json.dumps(
            {
                "plugins": ["stylelint-declaration-strict-value"],
                "overrides": [{"files": ["**/*.scss"], "customSyntax": "postcss-scss"}],
                "rules": rules,
            }
        ),
        encoding="utf-8",
    )
    paths = [str(WORK / "wild" / "repos" / c / p) for c, p in files]
    done = subprocess.run(
        [
            str(stylelint_binary()),
            "--config",
            str(config),
            "--formatter",
            "json",
            "--config-basedir",
            str(WORK),
            *paths,
        ],
        cwd=WORK,
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout.strip() or done.stderr.strip()
    start = output.find("[")
    if start < 0:
        raise SystemExit(f"stylelint failed ({done.returncode}): {done.stderr.strip()[:500]}")
    results = json.loads(output[start:])
    return _peer_hits([{"filePath": r["source"], "messages": r["warnings"]} for r in results], loose=True)


def _peer_hits(results: list[dict[str, object]], loose: bool = False, spans: bool = False) -> dict[Key, list[Report]]:
    """Reports by line; ``spans``: each report covers its whole span (line/column to endLine/endColumn)."""
    repos = (WORK / "wild" / "repos").resolve()
    hits: dict[Key, list[Report]] = {}
    for result in results:
        relative = Path(str(result["filePath"])).resolve().relative_to(repos).as_posix()
        codebase, path = relative.split("/", 1)
        for message in result["messages"]:  # type: ignore[attr-defined]
            if message.get("fatal") or not (message.get("ruleId") or message.get("rule")):
                continue
            column = int(message.get("column") or 1)
            if spans:
                first, last = int(message["line"]), int(message.get("endLine") or message["line"])
                for line in range(first, last + 1):
                    start = column if line == first else 1
                    end = int(message["endColumn"]) if line == last and message.get("endColumn") else None
                    hits.setdefault((codebase, path, line), []).append((start, end))
                continue
            end = None if loose else column + 2  # ESLint: the literal (or a minus sign before it)
            hits.setdefault((codebase, path, int(message["line"])), []).append((1 if loose else column, end))
    return hits


def _covers(reports: list[Report], column: int) -> bool:
    return any(start <= column and (end is None or column < end) for start, end in reports)


def score_rows(rows: list[dict[str, str]], *reported: dict[Key, list[Report]]) -> Score:
    result = Score()
    for row in rows:
        key = (row["codebase"], row["path"], int(row["line"]))
        hit = any(_covers(r.get(key, []), int(row["column"])) for r in reported)
        where = f"{row['codebase']}/{row['path']}:{row['line']}:{row['column']} {row['literal']} ({row['reason']})"
        if row["label"] == "violation":
            result.tp += hit
            result.fn += not hit
            if not hit:
                result.misses.append(where)
        else:
            result.fp += hit
            result.tn += not hit
            if hit:
                result.false_alarms.append(where)
    return result


def score(which: str, verbose: bool) -> None:
    print(f"Measured {date.today().isoformat()} on {machine()}.\n")
    out_rows: list[list[str]] = []
    details: list[str] = []
    for rule in RULE_IDS:
        rows = [r for r in read_labels(rule) if r["label"] and (which == "all" or r["set"] == which)]
        if not rows:
            continue
        for codebase in {r["codebase"] for r in rows}:
            prepare(CODEBASES[codebase][1])
        clear, ambiguous = ours(rule, rows)
        tools: list[tuple[str, list[dict[str, str]], list[dict[Key, list[Report]]]]] = [
            ("tinyarms-lint, clear only", rows, [clear]),
            ("tinyarms-lint, clear + undecided", rows, [clear, ambiguous]),
        ]
        if rule == "magic-numbers":
            js_rows = [r for r in rows if language_for_path(r["path"]) in JS]
            tools.append(("tinyarms-lint, clear only (JS/TS rows)", js_rows, [clear]))
            tools.append(("ESLint no-magic-numbers, default options (JS/TS rows)", js_rows, [eslint(js_rows, {})]))
            near = {"ignore": [0, 1, -1, 2], "ignoreArrayIndexes": True, "ignoreDefaultValues": True}
            tools.append(("ESLint no-magic-numbers, options near ours (JS/TS rows)", js_rows, [eslint(js_rows, near)]))
        else:
            from accuracy_styles import COLOR_PROPERTIES, strict_value

            css_rows = [r for r in rows if language_for_path(r["path"]) in STYLES]
            tools.append(("tinyarms-lint, clear only (CSS/SCSS rows)", css_rows, [clear]))
            native = {
                "color-no-hex": True,
                "color-named": "never",
                "function-disallowed-list": ["rgb", "rgba", "hsl", "hsla"],
            }
            tools.append(
                (
                    "stylelint color-no-hex + color-named + function-disallowed-list (CSS/SCSS rows)",
                    css_rows,
                    [stylelint(css_rows, native)],
                )
            )
            strict = strict_value(COLOR_PROPERTIES, False)
            tools.append(
                (
                    "stylelint declaration-strict-value, ignoreFunctions: false (CSS/SCSS rows)",
                    css_rows,
                    [stylelint(css_rows, strict)],
                )
            )
        rows_here, details_here = score_tools(rule, which, tools, verbose)
        out_rows += rows_here
        details += details_here
    print_scores(out_rows, details)


Tool = tuple[str, list[dict[str, str]], list[dict[Key, list[Report]]]]  # name, rows it reads, its reports


def score_tools(rule: str, which: str, tools: list[Tool], verbose: bool) -> tuple[list[list[str]], list[str]]:
    """One table row per tool (rule, set, tool, codebases, labelled, TP, FP, FN, P, R) and, when
    ``verbose``, our misses and false alarms (the tools named "tinyarms-lint, clear ...")."""
    out_rows: list[list[str]] = []
    details: list[str] = []
    for name, subset, reported in tools:
        s = score_rows(subset, *reported)
        codebases = len({r["codebase"] for r in subset})
        labelled = f"{len(subset)} ({s.tp + s.fn} violations)"
        counts = [str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.2f}", f"{s.recall:.2f}"]
        out_rows.append([rule, which, name, str(codebases), labelled, *counts])
        if verbose and name.startswith("tinyarms-lint, clear"):
            details += [f"{rule} [{name}] miss: {m}" for m in s.misses]
            details += [f"{rule} [{name}] false alarm: {m}" for m in s.false_alarms]
    return out_rows, details


def print_scores(out_rows: list[list[str]], details: list[str]) -> None:
    headers = ["rule", "set", "tool", "codebases", "labelled (violations)", "TP", "FP", "FN", "P", "R"]
    print(table(headers, out_rows))
    for line in details:
        print(line)


def main(argv: list[str]) -> int:
    parser_ = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser_.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("rule", choices=RULE_IDS)
    s.add_argument("--set", dest="which", choices=SETS, required=True)
    s.add_argument("--per", type=int, default=20, help="literals drawn per codebase")
    s.add_argument("--seed", type=int, default=12)
    s.add_argument("--add", action="store_true", help="keep the set's rows and add new ones")
    s.add_argument("--only", default="", help="comma-separated codebase names")
    c = sub.add_parser("score")
    c.add_argument("--set", dest="which", choices=(*SETS, "all"), default="tuning")
    c.add_argument("--verbose", action="store_true", help="list our misses and false alarms")
    args = parser_.parse_args(argv)
    if args.command == "sample":
        sample(args.rule, args.which, args.per, args.seed, args.add, frozenset(n for n in args.only.split(",") if n))
    else:
        score(args.which, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
