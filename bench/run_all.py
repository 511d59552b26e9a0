"""Runs every benchmark in one go and writes bench/README.md (date, machine, each section's table).

Each benchmark is a script that prints its own markdown section; a failing one is recorded as
failed with its last error line rather than stopping the others.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

from common import PROJECT, machine

HERE = Path(__file__).resolve().parent
# (title, script, extra args)
BENCHMARKS: list[tuple[str, str, list[str]]] = [
    ("Hook speed, static tier", "hook_speed.py", []),
    ("Commit fixture: cold, warm server, warm cache", "commit_speed.py", []),
    ("`--all --no-llm` on a real repository vs ESLint + stylelint + jscpd", "peers_speed.py", []),
    ("Model tier speed and memory", "llm_speed.py", []),
    ("Accuracy: style rules vs stylelint", "accuracy_styles.py", []),
    ("Accuracy: code rules vs ESLint", "accuracy_code.py", []),
    ("Accuracy: dry vs jscpd", "accuracy_dry.py", []),
    ("Accuracy: model tier", "accuracy_llm.py", []),
    ("Accuracy: language rules", "accuracy_language.py", []),
    ("Language detector cost", "langid_speed.py", []),
    ("DRY index speed", "dry_speed.py", []),
    ("Real code: magic-numbers and import-aliases", "wild_code.py", []),
]


def main(only: list[str]) -> int:
    sections = []
    for title, script, args in BENCHMARKS:
        if only and script not in only:
            continue
        if not (HERE / script).is_file():
            continue
        print(f"running {script} ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), *args], cwd=PROJECT, capture_output=True, text=True)
        if done.returncode == 0:
            body = done.stdout.strip()
        else:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            body = f"FAILED (exit {done.returncode}): {last}"
        sections.append(f"## {title}\n\n`python bench/{script}`\n\n{body}\n")
    today = datetime.date.today().isoformat()
    header = (
        "# Benchmarks\n\n"
        f"Measured {today} on {machine()} by `make bench` (`python bench/run_all.py`).\n"
        "Every number below comes from that run; ratios compare against a named baseline measured in the same run.\n"
    )
    document = header + "\n" + "\n".join(sections)
    if only:
        print(document)  # a partial run never overwrites the full README
    else:
        (HERE / "README.md").write_text(document)
        print(document)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
