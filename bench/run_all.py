"""Runs every benchmark in one go and writes bench/README.md (date, machine, each section's table).

Each benchmark is a script that prints its own markdown section; a failing one is recorded as
failed with its last error line rather than stopping the others. A section of the README with the
same title is replaced; sections no script writes (hand-labeled samples) are kept as they are.
``python bench/run_all.py SCRIPT...`` runs and replaces only those sections.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

from common import PROJECT, machine

HERE = Path(__file__).resolve().parent
# (title, script, extra args)
BENCHMARKS: list[tuple[str, str, list[str]]] = [
    ("Hook speed, static tier", "hook_speed.py", []),
    ("Language server: didSave to diagnostics", "lsp_speed.py", ["--model"]),
    ("Commit fixture as shipped (bundled rules' model tier off)", "commit_speed.py", ["--as-shipped"]),
    ("Commit fixture with the model tier on (magic-numbers, hardcoded-colors)", "commit_speed.py", []),
    ("`--all --no-llm` on a real repository vs ESLint + stylelint + jscpd", "peers_speed.py", []),
    ("Model tier speed and memory", "llm_speed.py", ["--no-style"]),
    ("Accuracy: style rules vs stylelint", "accuracy_styles.py", []),
    ("Accuracy: code rules vs ESLint", "accuracy_code.py", []),
    ("Accuracy: dry vs jscpd", "accuracy_dry.py", []),
    ("Accuracy: model tier", "accuracy_llm.py", ["--cases"]),
    ("Accuracy table of `tinyarms-lint test`", "accuracy_table.py", []),
    ("Accuracy: language rules vs eslint-plugin-i18next", "accuracy_language.py", []),
    ("Language detector cost", "langid_speed.py", []),
    ("DRY index speed", "dry_speed.py", []),
    ("Nothing hangs: regexes, rules and `--all` on adversarial input", "adversarial_speed.py", []),
    ("Real code: magic-numbers and import-aliases", "wild_code.py", []),
]


def main(only: list[str]) -> int:
    sections = []
    for title, script, args in BENCHMARKS:
        if only and script not in only and f"{script} {' '.join(args)}".strip() not in only:
            continue
        if not (HERE / script).is_file():
            continue
        print(f"running {script} ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, str(HERE / script), *args], check=False, cwd=PROJECT, capture_output=True, text=True
        )
        if done.returncode == 0:
            body = done.stdout.strip()
        else:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            body = f"FAILED (exit {done.returncode}): {last}"
        sections.append(f"## {title}\n\n`python bench/{script}`\n\n{body}\n")
    today = datetime.date.today().isoformat()
    readme = HERE / "README.md"
    document = merge(readme.read_text(encoding="utf-8") if readme.is_file() else "", sections, today)
    readme.write_text(document, encoding="utf-8")
    print(document)
    return 0


def merge(existing: str, sections: list[str], today: str) -> str:
    """``existing`` README with each new section replacing the one of the same title (or appended)."""
    head, *old = re.split(r"(?m)^(?=## )", existing) if existing else [""]
    by_title = {section.splitlines()[0]: section for section in old}
    for section in sections:
        by_title[section.splitlines()[0]] = section.rstrip("\n") + "\n\n"
    header = (
        "# Benchmarks\n\n"
        f"Last run {today} on {machine()} by `make bench` (`python bench/run_all.py`). Each section names its\n"
        "script and date; ratios compare against a named baseline measured in the same run.\n\n"
    )
    if head.strip() and not head.startswith("# Benchmarks"):
        header = head
    return header + "".join(by_title.values()).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
