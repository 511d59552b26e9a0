"""Shared verdicts: how much of a pull request's model work main's exported verdicts answer.

A real codebase (a pinned PyPI release, see ``CODEBASE``) gets a team rule that only a model judges
(``detector: none``). "main" lints it with ``--all`` and exports its verdict cache
(``tinyarms-lint cache export``). A pull-request-like change then edits three functions in two files and
adds a new module; its CI job starts with an empty cache, imports main's verdicts (``cache import``) and
lints with ``--all``. Baseline, in the same run: the same pull request with an empty cache, no import.

Hit rate = verdicts answered from the cache / all verdicts the PR run needed.

  python bench/shared_verdicts.py [--model 0.5b|1.5b]

Every part of the code is asked about (the rule's text quotes no names for the relevance test to use).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from common import LINT, WORK, git, machine, table
from server_speed import MODELS, model_file
from wild_code import Codebase, prepare

# A team rule whose text quotes no code, so every part of the code is asked about (a rule that quotes
# names is asked only about code mentioning them, which would leave little for main to share).
RULE = """\
---
id: no-swallowed-errors
title: Errors are not silently swallowed
severity: error
languages: [python]
role: code
detector: none
---

An exception handler that only passes, or returns a default without logging, hides the failure from the
caller and from the logs. Re-raise, log with context, or handle the specific error you expect.

## Bad

```python
def load(path):
    try:
        return read(path)
    except Exception:
        return None
```

## Good

```python
def load(path):
    try:
        return read(path)
    except FileNotFoundError:
        log.warning("no file at %s", path)
        return None
```
"""
CODEBASE = Codebase("itsdangerous", "pypi", "itsdangerous==2.2.0", ("src/**",))
NEW_MODULE = '''\
import logging

log = logging.getLogger(__name__)


def rotate_keys(keys, keep):
    print("rotating", len(keys))
    return keys[-keep:]


def describe(signer):
    log.debug("signer %s", signer)
    return f"{type(signer).__name__}({signer.salt!r})"
'''


def lint(repo: Path, cache: Path, model: Path) -> tuple[dict[str, int], float]:
    env = {**os.environ, "TINYARMS_CACHE_DIR": str(cache), "TINYARMS_CODE_MODEL": str(model)}
    env["TINYARMS_LANGUAGE_MODEL"] = ""
    started = time.perf_counter()
    done = subprocess.run(
        [*LINT, "--all", "--format", "json", "--select", "no-swallowed-errors"],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"lint failed: {done.stderr}")
    summary = json.loads(done.stdout)["summary"]
    return {"calls": summary["llm_calls"], "hits": summary["cache_hits"]}, seconds


def cache_command(repo: Path, cache: Path, *args: str) -> str:
    env = {**os.environ, "TINYARMS_CACHE_DIR": str(cache)}
    done = subprocess.run([*LINT, "cache", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def pull_request(repo: Path) -> list[str]:
    """Edit three functions in two files and add a module, like a small pull request; the changed paths."""
    changed = []
    for path in sorted(repo.glob("src/itsdangerous/*.py"))[1:3]:
        text = path.read_text()
        edits = 0

        def add_print(match: re.Match[str]) -> str:
            nonlocal edits
            edits += 1
            indent = match.group(1)
            return f'{indent}print("DEBUG", {edits})\n{indent}return '

        text = re.sub(r"(?m)^( {8})return ", add_print, text, count=2 if not changed else 1)
        path.write_text(text)
        changed.append(path.relative_to(repo).as_posix())
    (repo / "src" / "itsdangerous" / "rotation.py").write_text(NEW_MODULE)
    changed.append("src/itsdangerous/rotation.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pull request", "--no-verify")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=sorted(MODELS), default="0.5b")
    args = parser.parse_args()
    model = model_file(args.model)
    source = prepare(CODEBASE)
    repo = WORK / "shared-verdicts"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(source, repo)
    (repo / ".tinyarms" / "rules").mkdir(parents=True)
    (repo / ".tinyarms" / "rules" / "no-swallowed-errors.md").write_text(RULE)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "team rule", "--no-verify")
    caches = WORK / "shared-verdicts-caches"
    if caches.exists():
        shutil.rmtree(caches)

    main_counts, main_seconds = lint(repo, caches / "main", model)
    exported = caches / "main-verdicts.jsonl"
    cache_command(repo, caches / "main", "export", str(exported))
    changed = pull_request(repo)
    cold_counts, cold_seconds = lint(repo, caches / "pr-cold", model)
    imported = cache_command(repo, caches / "pr", "import", str(exported))
    pr_counts, pr_seconds = lint(repo, caches / "pr", model)

    def rate(counts: dict[str, int]) -> str:
        total = counts["calls"] + counts["hits"]
        return f"{counts['hits'] / total:.2f}" if total else "-"

    rows = [
        ["main, empty cache", str(main_counts["calls"]), str(main_counts["hits"]), rate(main_counts),
         f"{main_seconds:.1f} s", ""],
        ["PR, empty cache (baseline)", str(cold_counts["calls"]), str(cold_counts["hits"]), rate(cold_counts),
         f"{cold_seconds:.1f} s", "1.00x"],
        ["PR, main's verdicts imported", str(pr_counts["calls"]), str(pr_counts["hits"]), rate(pr_counts),
         f"{pr_seconds:.1f} s", f"{cold_seconds / pr_seconds:.1f}x faster"],
    ]
    print(
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; load average before: {os.getloadavg()[0]:.1f}; "
        f"{CODEBASE.spec} ({len(list(repo.rglob('*.py')))} Python files), team rule `no-swallowed-errors`, "
        f"model {model.name}, `--all`. The PR changed {', '.join(changed)}. {imported}.\n"
    )
    print(table(["run", "model questions", "cache hits", "hit rate", "wall", "vs baseline"], rows))


if __name__ == "__main__":
    main()
