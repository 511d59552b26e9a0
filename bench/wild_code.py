"""Rules on pinned real codebases: counts, rates and a sample to read (by default ``magic-numbers``
and ``import-aliases``; ``--select`` picks others, such as the style and i18n rules).

Fetches pinned releases with the registries' own clients (``npm pack``; ``pip download --no-deps
--no-binary :all:`` for sdists) into ``bench/.work/wild``, keeps each one's source folders (code,
stylesheets, HTML and YAML), makes it a git repository and runs ``tinyarms-lint check --all --no-llm
--select RULES --format json`` there. Prints a markdown section: findings per rule, per 1,000 lines
of the files the rules check (test files left out, as the rules skip them by default), and a seeded
random sample of findings with their source line, for a person to label.

Without ``--only``, the default selection runs on ``CODEBASES``; a selection with other rules also
runs on ``STYLE_CODEBASES`` (component libraries, stylesheets, an app translated with react-i18next).

Usage: ``.venv/bin/python bench/wild_code.py [--select RULE,...] [--sample N] [--seed S]
[--only NAME,...] [--dump FILE.jsonl]``. ``--dump`` writes every finding with its source line.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work" / "wild"
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from common import git, table

from tinyarms_lint.config import DEFAULT_TEST_FILES, matches_any
from tinyarms_lint.languages import language_for_path

RULES = ("magic-numbers", "import-aliases")  # the default selection
CODE_LANGUAGES = frozenset({"python", "javascript", "jsx", "typescript", "tsx"})
STYLE_LANGUAGES = frozenset({"css", "scss"})
# Kept besides code: stylesheets (hardcoded-colors, design-tokens) and HTML/YAML (comment-language).
# None of them is a language of the default rules, so their numbers do not depend on it.
KEPT_LANGUAGES = CODE_LANGUAGES | STYLE_LANGUAGES | {"html", "yaml"}
CONFIG_FILES = ("tsconfig.json", "jsconfig.json", "package.json")
# JSON kept as design-token files (design-tokens reads them through the default ``token_files``).
TOKEN_JSON = ("**/tokens.json", "**/*.tokens.json", "**/design-tokens/**")
# The languages each rule checks, for the "lines checked" column.
RULE_LANGUAGES = {
    "magic-numbers": CODE_LANGUAGES,
    "import-aliases": CODE_LANGUAGES,
    "hardcoded-colors": CODE_LANGUAGES | STYLE_LANGUAGES,
    "design-tokens": CODE_LANGUAGES | STYLE_LANGUAGES,
    "i18n-hardcoded-strings": CODE_LANGUAGES,
    "comment-language": KEPT_LANGUAGES,
}
_KEEP_VERSION = "2"  # bump when what ``_kept`` keeps changes, so trees are rebuilt


@dataclass(frozen=True)
class Codebase:
    """A pinned release and which of its files to keep (``test_files``-style globs, relative to its root)."""

    name: str
    registry: str  # "npm" or "pypi"
    spec: str  # npm "name@version", PyPI "name==version"
    keep: tuple[str, ...]
    drop: tuple[str, ...] = ()
    # (folder in the archive, folder in the tree): for templates that ship their app in parts
    remap: tuple[tuple[str, str], ...] = ()
    # JSON files kept besides the token JSON (locale files, for i18n-locale-consistency)
    keep_json: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        return self.spec.rsplit("@" if self.registry == "npm" else "==", 1)[1]


CODEBASES = (
    Codebase("ra-ui-materialui", "npm", "ra-ui-materialui@5.15.4", ("src/**",)),
    Codebase("docusaurus-theme-classic", "npm", "@docusaurus/theme-classic@3.10.2", ("src/**",)),
    Codebase("refine-core", "npm", "@refinedev/core@5.0.12", ("src/**", "tsconfig.json")),
    Codebase("tanstack-query-core", "npm", "@tanstack/query-core@5.108.0", ("src/**",)),
    Codebase(
        "date-fns", "npm", "date-fns@4.4.0", ("*.js",), ("locale/**", "fp/**", "docs/**", "*.cjs", "*.d.*", "cdn*.js")
    ),
    Codebase(
        "create-t3-app-template",
        "npm",
        "create-t3-app@7.40.0",
        ("tsconfig.json", "src/**"),
        remap=(("template/base/", ""), ("template/extras/src/", "src/")),
    ),
    Codebase("requests", "pypi", "requests==2.32.3", ("src/**",)),
    Codebase("rich", "pypi", "rich==13.9.4", ("rich/**",)),
    Codebase("flask", "pypi", "flask==3.1.0", ("src/**",)),
    Codebase("seaborn", "pypi", "seaborn==0.13.2", ("seaborn/**",)),
    Codebase("django", "pypi", "django==5.1.4", ("django/**",), ("**/vendor/**", "**/*.min.js", "**/locale/**")),
)
# For the style and i18n rules: component libraries with styles, SCSS kits with token files, an
# app translated with react-i18next; the last four were kept out of the rules' tuning (held out).
STYLE_CODEBASES = (
    Codebase(
        "mui-material",
        "npm",
        "@mui/material@5.16.7",
        ("**/*.js",),
        ("node/**", "legacy/**", "modern/**", "umd/**", "**/*.d.ts", "index.js"),
    ),
    Codebase("react-bootstrap", "npm", "react-bootstrap@2.10.10", ("esm/**",), ("**/*.d.ts",)),
    Codebase("bootstrap", "npm", "bootstrap@5.3.3", ("scss/**", "js/src/**")),
    Codebase("antd", "npm", "antd@5.22.5", ("es/**",), ("es/locale/**", "es/**/locale/**", "**/*.d.ts")),
    Codebase("medusa-dashboard", "npm", "@medusajs/dashboard@2.5.0", ("src/**",), ("src/i18n/translations/**",)),
    Codebase("tabler", "npm", "@tabler/core@1.0.0", ("src/scss/**",)),
    Codebase("pico", "npm", "@picocss/pico@2.0.6", ("scss/**",)),
    Codebase("coreui", "npm", "@coreui/coreui@5.2.0", ("scss/**", "js/src/**")),
    Codebase("react-datepicker", "npm", "react-datepicker@7.5.0", ("src/**",)),
    Codebase("refine-antd", "npm", "@refinedev/antd@5.45.1", ("src/**",)),
    Codebase("missingno", "pypi", "missingno==0.5.2", ("missingno/**",)),
)

# Python codebases the team rules' labels (bench/team_rules/labels.jsonl) also come from.
TEAM_CODEBASES = (
    Codebase("cookiecutter", "pypi", "cookiecutter==2.6.0", ("cookiecutter/**",)),
    Codebase("pre-commit", "pypi", "pre_commit==4.0.1", ("pre_commit/**",)),
    Codebase("mkdocs", "pypi", "mkdocs==1.6.1", ("mkdocs/**",)),
    Codebase("gdown", "pypi", "gdown==5.2.0", ("gdown/**",)),
    Codebase("scrapy", "pypi", "scrapy==2.11.2", ("scrapy/**",)),
)


def codebase_named(name: str) -> Codebase:
    """The pinned codebase called ``name`` in any of the lists above."""
    for codebase in (*CODEBASES, *STYLE_CODEBASES, *TEAM_CODEBASES):
        if codebase.name == name:
            return codebase
    raise KeyError(name)


def _run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, check=False, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    return done.stdout


def _download(codebase: Codebase) -> Path:
    """The release archive, fetched once into ``WORK/dl/<name>``."""
    folder = WORK / "dl" / codebase.name
    folder.mkdir(parents=True, exist_ok=True)
    found = sorted(folder.glob("*.tgz")) + sorted(folder.glob("*.tar.gz"))
    if found:
        return found[0]
    if codebase.registry == "npm":
        _run(["npm", "pack", "--silent", codebase.spec], folder)
    else:
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", str(folder)]
        _run([*pip, codebase.spec], folder)
    found = sorted(folder.glob("*.tgz")) + sorted(folder.glob("*.tar.gz"))
    if not found:
        raise RuntimeError(f"{codebase.spec}: no archive downloaded")
    return found[0]


def _remapped(codebase: Codebase, relative: str) -> str | None:
    """Where an archive member goes in the tree (None: not kept) when the codebase remaps folders."""
    if not codebase.remap:
        return relative
    for source, target in codebase.remap:
        if relative.startswith(source):
            return target + relative[len(source) :]
    return None


def _kept(codebase: Codebase, relative: str) -> bool:
    if not matches_any(relative, codebase.keep) or matches_any(relative, codebase.drop):
        return False
    name = relative.rsplit("/", 1)[-1]
    if name in CONFIG_FILES or name == "__init__.py" or language_for_path(name) in KEPT_LANGUAGES:
        return True
    return name.endswith(".json") and matches_any(relative, TOKEN_JSON + codebase.keep_json)


def prepare(codebase: Codebase) -> Path:
    """The codebase's kept files as a git repository with one commit (reused when already made)."""
    repo = WORK / "repos" / codebase.name
    stamp = repo / ".tinyarms-wild"
    signature = f"{codebase!r} keep={_KEEP_VERSION}"
    if stamp.is_file() and stamp.read_text() == signature and (repo / ".git").is_dir():
        return repo
    archive = _download(codebase)
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.isfile() or ".." in member.name.split("/"):
                continue
            archived = member.name.split("/", 1)[1] if "/" in member.name else member.name
            relative = _remapped(codebase, archived)
            if relative is None or not _kept(codebase, relative):
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            target = repo / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", codebase.spec, "--no-verify")
    stamp.write_text(signature)  # untracked, outside the commit
    return repo


def checked_lines(repo: Path, kinds: frozenset[str] = CODE_LANGUAGES) -> int:
    """Lines of tracked files of the languages ``kinds`` that are not test files (by default
    Python/JS/TS: what ``magic-numbers`` checks)."""
    total = 0
    for path in _run(["git", "ls-files"], repo).splitlines():
        if language_for_path(path) in kinds and not matches_any(path, DEFAULT_TEST_FILES):
            with open(repo / path, "rb") as handle:
                total += sum(1 for _ in handle)
    return total


def lint(repo: Path, rules: tuple[str, ...] = RULES) -> list[dict[str, object]]:
    cmd = [sys.executable, "-m", "tinyarms_lint", "check", "--all", "--no-llm", "--select", ",".join(rules)]
    done = subprocess.run([*cmd, "--format", "json"], check=False, cwd=repo, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"tinyarms-lint failed in {repo.name}: {done.stderr.strip()[-300:]}")
    findings: list[dict[str, object]] = json.loads(done.stdout)["findings"]
    return findings


# Checks every import-aliases suggestion with TypeScript's own resolver (when bench/.work has the
# typescript package, which accuracy_code.py installs): the aliased specifier must resolve to the
# same file as the relative one, under the nearest tsconfig's compilerOptions.
_VERIFY_JS = r"""
const ts = require(process.argv[2]);
const path = require("path");
const checks = JSON.parse(require("fs").readFileSync(0, "utf8"));
const configs = new Map();
function options(dir) {
  const found = ts.findConfigFile(dir, ts.sys.fileExists);
  if (!found) return {};
  if (!configs.has(found)) {
    const read = ts.readConfigFile(found, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config || {}, ts.sys, path.dirname(found));
    configs.set(found, { ...parsed.options, moduleResolution: ts.ModuleResolutionKind.Bundler,
                         module: ts.ModuleKind.ESNext, allowJs: true });
  }
  return configs.get(found);
}
let same = 0, different = 0;
for (const c of checks) {
  const opts = options(path.dirname(c.file));
  const a = ts.resolveModuleName(c.relative, c.file, opts, ts.sys).resolvedModule;
  const b = ts.resolveModuleName(c.alias, c.file, opts, ts.sys).resolvedModule;
  if (a && b && path.resolve(a.resolvedFileName) === path.resolve(b.resolvedFileName)) same++;
  else different++;
}
console.log(JSON.stringify({ same, different }));
"""


def verify_with_typescript(findings: list[dict[str, object]]) -> tuple[int, int] | None:
    """(same file, not the same file) for JS/TS import-aliases fixes, by ``ts.resolveModuleName``."""
    typescript = HERE / ".work" / "node_modules" / "typescript"
    if not typescript.is_dir() or shutil.which("node") is None:
        return None
    checks = []
    for finding in findings:
        fix = finding.get("fix")
        path = str(finding["path"])
        if finding["rule"] != "import-aliases" or not isinstance(fix, dict) or path.endswith(".py"):
            continue
        relative = str(finding["message"]).split("'")[1]
        repo = WORK / "repos" / str(finding["codebase"])
        checks.append({"file": str(repo / path), "relative": relative, "alias": fix["replacement"]})
    if not checks:
        return (0, 0)
    script = WORK / "verify_aliases.cjs"
    script.write_text(_VERIFY_JS)
    done = subprocess.run(
        ["node", str(script), str(typescript)], input=json.dumps(checks), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return int(result["same"]), int(result["different"])


def source_line(repo: Path, path: str, line: int) -> str:
    try:
        lines = (repo / path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def _lines_note(kinds: frozenset[str]) -> str:
    if kinds == CODE_LANGUAGES:
        return "Lines: tracked Python/JS/TS files outside the default `test_files` globs."
    names = ", ".join(sorted(kinds))
    return f"Lines: tracked files of the languages the selected rules check ({names}), outside `test_files`."


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--select", default=",".join(RULES), help="comma-separated rule ids (default: %(default)s)")
    parser.add_argument("--sample", type=int, default=20, help="findings to show (default 20)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated codebase names")
    parser.add_argument("--dump", type=Path, help="write every finding with its source line as JSON lines")
    args = parser.parse_args(argv)
    rules = tuple(r for r in args.select.split(",") if r)
    unknown = [r for r in rules if r not in RULE_LANGUAGES]
    if unknown:
        parser.error(f"no language set for rule {unknown[0]!r} (add it to RULE_LANGUAGES)")
    kinds = frozenset().union(*(RULE_LANGUAGES[r] for r in rules))
    only = {n for n in args.only.split(",") if n}
    codebases = CODEBASES if set(rules) <= set(RULES) and not only else CODEBASES + STYLE_CODEBASES
    rows: list[list[str]] = []
    everything: list[dict[str, object]] = []
    totals: Counter[str] = Counter()
    total_lines = 0
    for codebase in codebases:
        if only and codebase.name not in only:
            continue
        print(f"{codebase.spec} ...", file=sys.stderr, flush=True)
        repo = prepare(codebase)
        lines = checked_lines(repo, kinds)
        findings = lint(repo, rules)
        counts = Counter(str(f["rule"]) for f in findings)
        totals.update(counts)
        total_lines += lines
        per_k = [f"{counts[r]} ({1000 * counts[r] / max(lines, 1):.2f})" for r in rules]
        rows.append([codebase.name, f"{codebase.registry} {codebase.version}", f"{lines:,}", *per_k])
        for finding in findings:
            line = int(str(finding["line"]))
            code = source_line(repo, str(finding["path"]), line)
            everything.append({"codebase": codebase.name, **finding, "source": code})
    per_k_total = [f"{totals[r]} ({1000 * totals[r] / max(total_lines, 1):.2f})" for r in rules]
    rows.append(["**all**", "", f"{total_lines:,}", *per_k_total])
    headers = ["codebase", "release", "lines checked", *(f"{r} (per 1k lines)" for r in rules)]
    print("Static tier only (`--no-llm`): ambiguous candidates, which go to the model tier, are not counted.")
    print(_lines_note(kinds) + "\n")
    print(table(headers, rows))
    verified = verify_with_typescript(everything)
    if verified is not None and verified[0] + verified[1]:
        same, different = verified
        print(
            f"\nimport-aliases fixes checked with TypeScript's `resolveModuleName` (nearest tsconfig): "
            f"{same} of {same + different} resolve to the same file as the relative import."
        )
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as out:
            for item in everything:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    sample = random.Random(args.seed).sample(everything, min(args.sample, len(everything)))
    if sample:
        print(f"\nRandom sample of {len(sample)} findings (seed {args.seed}):\n")
        sample_rows = [
            [
                str(f["rule"]),
                f"{f['codebase']}/{f['path']}:{f['line']}",
                "`" + _short(str(f["source"])).replace("|", "\\|").replace("`", "'") + "`",
            ]
            for f in sorted(sample, key=lambda f: (str(f["rule"]), str(f["codebase"]), str(f["path"])))
        ]
        print(table(["rule", "where", "source line"], sample_rows))
    return 0


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
