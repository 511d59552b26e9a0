"""Every annotated fixture under fixtures/<rule-id>/ is checked mark by mark with the static tier.

For the folder's own rule the flagged lines must equal the ``expect:`` lines exactly (so an
unmarked finding is a false positive); ``ok:`` marks for any rule must not be flagged. Undecided
candidates (reported at ``info`` with no model) are not decisions and are not scored here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.marks import merge_marks, parse_marks, sidecar_marks
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rules

from .conftest import FIXTURES

RULE_DIRS = (
    sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "demo" and not p.name.startswith("_"))
    if FIXTURES.is_dir()
    else []
)
CASES = [
    pytest.param(folder.name, path, id=f"{folder.name}/{path.relative_to(folder).as_posix()}")
    for folder in RULE_DIRS
    for path in sorted(folder.rglob("*"))
    if path.is_file() and language_for_path(path.name) is not None
]


def flagged_lines(folder: Path, path: Path) -> dict[str, set[int]]:
    config = Config(root=folder)
    rules = active_rules(load_rules([]), config)
    engine = Engine(config, rules, judge=None, repository=DirectoryRepository(folder))
    rel = path.relative_to(folder).as_posix()
    result = engine.run([Target(rel, path.read_bytes, None)])
    out: dict[str, set[int]] = {}
    for finding in result.findings:
        if not finding.undecided:  # the gate scores decisions; undecided candidates are counted by `test`
            out.setdefault(finding.rule, set()).add(finding.line)
    return out


@pytest.mark.parametrize(("rule_id", "path"), CASES)
def test_fixture_marks(rule_id: str, path: Path) -> None:
    marks = parse_marks(path.read_text(encoding="utf-8"))
    folder = FIXTURES / rule_id
    sidecar = sidecar_marks(folder).get(path.relative_to(folder).as_posix())
    if sidecar is not None:  # JSON cannot hold comments: its marks live in expected.json
        marks = merge_marks(marks, sidecar)
    flagged = flagged_lines(folder, path)
    own = flagged.get(rule_id, set())
    expected = set(marks.expected.get(rule_id, frozenset()))
    assert own - expected == set(), f"false positives of {rule_id} on lines {sorted(own - expected)}"
    assert expected - own == set(), f"missed {rule_id} on lines {sorted(expected - own)}"
    for other, lines in marks.ok.items():
        wrongly = flagged.get(other, set()) & lines
        assert not wrongly, f"{other} flagged lines marked ok: {sorted(wrongly)}"
