"""Team rules with a real GGUF (TINYARMS_TEST_MODEL): calibration from the rule's own examples, narrow
questions on selected spans with margin and confidence, the cache, and ``tinyarms-lint test``
showing the calibration (``--calibrate`` without fixtures)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tinyarms_lint.cache import VerdictCache
from tinyarms_lint.llm.calibration import MIN_SEPARATION
from tinyarms_lint.llm.judge import ModelJudge
from tinyarms_lint.llm.llama import LlamaBackend
from tinyarms_lint.rules import parse_rule
from tinyarms_lint.selectors import selector_candidates

from ..conftest import git, run_cli
from .helpers import source, test_model

pytestmark = pytest.mark.llm

OPEN_RULE = """\
---
id: open-encoding
title: Text files are opened with an explicit encoding
severity: warning
languages: [python]
role: code
detector: none
match:
  calls: [open]
  not_text: 'encoding\\s*='
question: Is this file opened in text mode (its mode has no "b") without an encoding argument?
---

Pass `encoding=` when you `open()` a file in text mode. Binary mode needs no encoding.

## Bad

```python
with open(path) as handle:
    data = handle.read()
```

## Good

```python
with open(path, "rb") as handle:
    digest = hashlib.sha256(handle.read()).hexdigest()
```
"""
CODE = """\
def read(path):
    with open(path, "w") as out:
        out.write("x")
    with open(path, "rb") as raw:
        return raw.read()
"""


def test_thresholds_come_from_the_rules_examples_and_verdicts_carry_margin_and_confidence(tmp_path: Path) -> None:
    rule = parse_rule(OPEN_RULE, "team/open-encoding.md")
    assert rule.selector is not None
    judge = ModelJudge({"code": LlamaBackend(test_model(), threads=2)}, VerdictCache(tmp_path))
    calibration = judge.calibration(rule)
    assert calibration.source == "examples" and calibration.neutral is not None
    assert len(calibration.bad) == 1 and len(calibration.good) == 1  # the selector picks one call in each
    assert all(math.isfinite(m) for m in (*calibration.bad, *calibration.good, calibration.neutral))
    gap = (calibration.bad[0] - calibration.neutral) - max(calibration.good[0] - calibration.neutral, 0.0)
    assert calibration.calibrated == (gap >= MIN_SEPARATION)
    assert judge.calls == 4  # two content-free inputs, one Bad and one Good example

    file = source("app/io.py", CODE)
    candidates = selector_candidates(rule, rule.selector, file, clear=False)
    assert [c.span.line for c in candidates] == [2, 4]
    verdicts = judge.judge_candidates(rule, file, candidates)
    for verdict in verdicts:
        assert verdict.margin is not None and verdict.decided_by == "llm"
        assert verdict.violation == (verdict.margin > calibration.threshold)
        assert 0.5 <= verdict.confidence <= 1.0
        assert verdict.calibrated == calibration.calibrated
    judge.close()

    again = ModelJudge({"code": LlamaBackend(test_model(), threads=2)}, VerdictCache(tmp_path))
    assert again.calibration(rule) == calibration and again.calls == 0  # remembered in the verdict cache
    assert again.judge_candidates(rule, file, candidates) == [
        type(v)(v.violation, v.confidence, v.decided_by, True, v.message, v.margin, v.calibrated) for v in verdicts
    ]
    again.close()


def test_the_test_command_shows_the_example_calibration_without_fixtures(repo: Path, tmp_path: Path) -> None:
    model = test_model()
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "open-encoding.md").write_text(OPEN_RULE)
    git(repo, "add", "-A")
    env = {"TINYARMS_CODE_MODEL": str(model), "TINYARMS_CACHE_DIR": str(tmp_path / "cache"), "TINYARMS_LANGUAGE_MODEL": ""}
    done = run_cli("test", "open-encoding", "--calibrate", "--format", "json", cwd=repo, env=env)
    assert done.code in (0, 1), done.stderr
    (entry,) = json.loads(done.stdout)["calibrations"]
    assert entry["rule"] == "open-encoding" and entry["source"] == "examples"
    assert len(entry["bad"]) == 1 and len(entry["good"]) == 1
    text = run_cli("test", "open-encoding", cwd=repo, env=env)
    assert f"calibration open-encoding: threshold {entry['threshold']:+.3f} from examples" in text.stdout
