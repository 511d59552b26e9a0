"""Pick lines of real code to label for the team rules in bench/team_rules (before any tool output).

For each rule, a seeded random sample of lines that mention its topic (``likely``: where violations
would be) and of look-alike lines (``similar``: the same kind of code, usually fine), from the pinned
codebases of bench/wild_code.py. Writes a worksheet (JSON lines, ``label`` empty) for a person to fill
in; bench/team_rules/labels.jsonl is that worksheet, labeled by reading each line against the rule's text.

Usage: ``.venv/bin/python bench/team_labels_extract.py > worksheet.jsonl``
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import wild_code

PY = ("requests", "cookiecutter", "pre-commit", "mkdocs", "gdown", "scrapy", "flask", "rich", "django")
JS = ("ra-ui-materialui", "docusaurus-theme-classic", "refine-core", "tanstack-query-core", "react-bootstrap")
CSS = ("bootstrap",)
PY_EXT = (".py",)
JS_EXT = (".js", ".jsx", ".ts", ".tsx")
TS_EXT = (".ts", ".tsx")
CSS_EXT = (".scss", ".css")
# rule -> (codebases, extensions, likely pattern, how many, similar pattern, how many)
PLAN: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, int, str | None, int]] = {
    "py-requests-timeout": (
        PY,
        PY_EXT,
        r"requests\.(get|post|put|head|request|patch|delete)\(",
        6,
        r"\.(get|post)\(",
        3,
    ),
    "py-subprocess-shell": (PY, PY_EXT, r"shell\s*=\s*True", 3, r"subprocess\.\w+\(|Popen\(", 6),
    "py-bare-except": (PY, PY_EXT, r"^\s*except\s*:", 3, r"^\s*except\b", 5),
    "py-no-print": (PY, PY_EXT, r"^\s*print\(", 10, r"logger\.\w+\(", 2),
    "py-no-eval": (PY, PY_EXT, r"\b(eval|exec)\(", 6, r"literal_eval|\.eval\b|evaluate", 2),
    "py-yaml-safe-load": (PY, PY_EXT, r"yaml\.(load|safe_load|load_all)\(", 6, None, 0),
    "py-mutable-default": (PY, PY_EXT, r"=\s*(\[\]|\{\})\s*[,)]", 6, r"def .*=\s*None", 3),
    "py-no-assert": (PY, PY_EXT, r"^\s*assert ", 10, None, 0),
    "py-hardcoded-secret": (
        PY,
        PY_EXT,
        r"(?i)(passw|secret|token|api_?key)\w*['\"]?\s*[=:]\s*[rbuf]*['\"]",
        10,
        None,
        0,
    ),
    "py-open-encoding": (PY, PY_EXT, r"\bopen\(", 10, None, 0),
    "py-try-except-pass": (PY, PY_EXT, r"^\s*except\b.*:\s*$", 8, None, 0),
    "js-no-console": (JS, JS_EXT, r"console\.(log|debug|info|warn|error)\(", 10, None, 0),
    "ts-no-explicit-any": (JS, TS_EXT, r":\s*any\b|<any>|as any|any\[\]", 8, r":\s*(unknown|string)\b", 3),
    "js-eqeqeq": (JS, JS_EXT, r"[^=!]==[^=]|!=[^=]", 8, r"===|!==", 3),
    "react-no-danger": (JS, JS_EXT, r"dangerouslySetInnerHTML", 5, r"className=", 3),
    "ts-no-non-null-assertion": (JS, TS_EXT, r"[\w)\]]!(\.|\[|\)|;|,)", 4, r"\?\.", 3),
    "js-no-var": (JS, JS_EXT, r"^\s*var ", 5, r"^\s*(let|const) ", 3),
    "ts-no-ts-ignore": (JS, JS_EXT, r"@ts-", 6, r"^\s*//", 2),
    "js-todo-issue": (JS, JS_EXT, r"TODO|FIXME", 10, None, 0),
    "css-no-important": (CSS, CSS_EXT, r"!important", 6, r"^\s*[\w-]+:\s*[^;{]+;", 4),
    "css-no-id-selector": (CSS, CSS_EXT, r"#", 4, r"^\s*[.&][\w-].*\{", 4),
    "css-z-index-scale": (CSS, CSS_EXT, r"z-index", 8, None, 0),
}
TEST_PATH = re.compile(r"(^|/)(tests?|__tests__|testing)/|\.(test|spec|stories)\.")


def _lines(codebase: str, extensions: tuple[str, ...]) -> list[tuple[str, int, str]]:
    repo = wild_code.WORK / "repos" / codebase
    files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True).stdout.split()
    out = []
    for name in files:
        if not name.endswith(extensions) or TEST_PATH.search(name) or name.endswith(".d.ts"):
            continue
        text = (repo / name).read_text(encoding="utf-8", errors="replace")
        out.extend((name, number, line) for number, line in enumerate(text.split("\n"), start=1) if len(line) < 200)
    return out


def main() -> None:
    rng = random.Random(13)
    cache: dict[tuple[str, tuple[str, ...]], list[tuple[str, int, str]]] = {}
    for rule, (codebases, extensions, likely, n_likely, similar, n_similar) in PLAN.items():
        pool = []
        for codebase in codebases:
            key = (codebase, extensions)
            if key not in cache:
                cache[key] = _lines(codebase, extensions)
            pool.extend((codebase, *item) for item in cache[key])
        taken: set[tuple[str, str, int]] = set()
        for pattern, count in ((likely, n_likely), (similar, n_similar)):
            if pattern is None:
                continue
            hits = [item for item in pool if re.search(pattern, item[3]) and item[:3] not in taken]
            for codebase, path, line, text in sorted(rng.sample(hits, min(count, len(hits)))):
                taken.add((codebase, path, line))
                print(
                    json.dumps(
                        {"rule": rule, "codebase": codebase, "path": path, "line": line, "text": text, "label": None}
                    )
                )


if __name__ == "__main__":
    main()
