"""Team rules through the engine: selected candidates and narrow questions, example calibration (cached),
softened and hidden uncertain verdicts, the relevance test, findings on the pointed line.

The fake backend routes questions only (which are asked, with what, how often); judging quality is
measured with real models in bench/team_rules_accuracy.py and tests/llm/test_team_rules_model.py.
"""

from __future__ import annotations

import functools
from pathlib import Path

from tinyarms_lint.cache import VerdictCache
from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.llm.fake import FakeBackend
from tinyarms_lint.llm.judge import ModelJudge
from tinyarms_lint.rules import Rule, parse_rule
from tinyarms_lint.team_rules import keywords, relevant
from tinyarms_lint.types import Finding

PRINTS = """\
---
id: no-debug-print
title: Library code logs with logging, not print
severity: warning
languages: [python]
role: code
detector: none
match:
  calls: [print]
question: Is this print() call debugging output?
{extra}---

Library code reports through `logging`, never `print()`.

## Bad

```python
print("syncing", items)
```

## Good

```python
print(render_report(path))
```
"""
CODE = """\
import logging


def sync(items):
    print("syncing", items)
    for item in items:
        upload(item)


def main():
    print(render_report(path))
"""


def _rule(extra: str = "") -> Rule:
    return parse_rule(PRINTS.format(extra=extra), "team/no-debug-print.md")


def _debug_yes(prefix: str, suffix: str) -> float:
    """Yes (+3) for snippets mentioning "syncing", no (-1) for other code, 0 for content-free input."""
    if "syncing" in suffix:
        return 3.0
    return -1.0 if suffix.startswith("print(") or "\nprint(" in suffix else 0.0


def _run(rule: Rule, backend: FakeBackend, cache: VerdictCache | None = None) -> tuple[list[Finding], ModelJudge]:
    judge = ModelJudge({"code": backend}, cache)
    engine = Engine(Config(root=Path(".")), [rule], judge)
    result = engine.run([Target("lib/sync.py", functools.partial(bytes, CODE.encode("utf-8")), None)])
    return result.findings, judge


def test_each_selected_span_gets_the_rules_narrow_question_after_example_calibration() -> None:
    backend = FakeBackend(_debug_yes)
    findings, judge = _run(_rule(), backend)
    assert [(f.line, f.column, f.end_column, f.tier, f.severity) for f in findings] == [(5, 5, 28, "llm", "warning")]
    assert findings[0].margin == 3.0 and findings[0].confidence == 0.9  # as sure as at the Bad example
    prefixes = {prefix for prefix, _ in backend.questions}
    suffixes = [suffix for _, suffix in backend.questions]
    # two content-free inputs, the Bad example, the Good example, then the file's two print calls
    assert len(suffixes) == 6
    # the question comes before the span, in the prefix every question about the rule shares
    assert len(prefixes) == 1
    assert prefixes.pop().endswith("Is this print() call debugging output? Answer yes or no.\n\n```python\n")
    assert suffixes[0].startswith("\n```<|im_end|>")
    assert suffixes[4].startswith('print("syncing", items)\n```<|im_end|>')
    calibration = judge.calibration(_rule())
    assert (calibration.source, calibration.calibrated, calibration.neutral) == ("examples", True, 0.0)
    assert calibration.bad == (3.0,) and calibration.good == (-1.0,) and calibration.threshold == 1.5


def test_example_calibration_is_cached_with_the_verdicts(tmp_path: Path) -> None:
    _run(_rule(), FakeBackend(_debug_yes), VerdictCache(tmp_path))
    again = FakeBackend(lambda p, s: -5.0)  # would change every answer if asked
    findings, judge = _run(_rule(), again, VerdictCache(tmp_path))
    assert again.questions == [] and judge.calls == 0
    assert [f.line for f in findings] == [5]


def test_examples_the_model_does_not_separate_report_at_info_with_a_note() -> None:
    backend = FakeBackend(lambda p, s: 2.0 if s.startswith("print(") else 0.0)  # yes to every print, bad or good
    findings, judge = _run(_rule(), backend)
    assert [(f.line, f.severity) for f in findings] == [(5, "info"), (11, "info")]
    assert any("does not separate the rule's examples" in note for note in judge.notes)
    assert judge.calibration(_rule()).calibrated is False


def test_uncertain_verdicts_are_softened_or_hidden_as_the_rule_says() -> None:
    # threshold 1.5 with half gap 2: a margin of 2.0 is a "yes" with confidence below 0.75
    def unsure(prefix: str, suffix: str) -> float:
        if suffix.startswith('print("syncing", items)\n```'):
            return 2.0 if unsure.examples_done else 3.0  # type: ignore[attr-defined]
        return _debug_yes(prefix, suffix)

    for mode, expected in (("soften", [(5, "info")]), ("hide", []), ("report", [(5, "warning")])):
        unsure.examples_done = False  # type: ignore[attr-defined]
        rule = _rule(f"uncertain: {mode}\n")
        backend = FakeBackend(unsure)
        judge = ModelJudge({"code": backend}, None)
        judge.calibration(rule)  # the Bad example answered with 3.0
        unsure.examples_done = True  # type: ignore[attr-defined]
        engine = Engine(Config(root=Path(".")), [rule], judge)
        result = engine.run([Target("lib/sync.py", functools.partial(bytes, CODE.encode("utf-8")), None)])
        assert [(f.line, f.severity) for f in result.findings] == expected, mode


def test_a_frontmatter_threshold_wins_over_the_examples() -> None:
    backend = FakeBackend(_debug_yes)
    findings, judge = _run(_rule("threshold: -2\n"), backend)
    # the threshold decides; a threshold written by hand is not a calibration, so its findings are info
    assert [(f.line, f.severity) for f in findings] == [(5, "info"), (11, "info")]
    assert len(backend.questions) == 2  # no example questions
    assert judge.calibration(_rule("threshold: -2\n")).source == "frontmatter"


def test_relevance_keywords_come_from_the_rules_opening_inline_code() -> None:
    rule = _rule()
    assert keywords(rule) == frozenset({"logging", "print"})
    assert relevant(keywords(rule), "def f():\n    print(x)\n")
    assert not relevant(keywords(rule), "def f():\n    return x\n")
    assert relevant(frozenset(), "anything")


PLAIN = """\
---
id: no-secrets
title: Secrets come from the environment
severity: error
languages: [python]
role: code
detector: none
threshold: 0
---

Never write a `password` or `token` in code.
"""


def test_a_plain_rule_asks_only_relevant_units_and_lands_on_the_pointed_line() -> None:
    text = "def a():\n    return 1\n\n\ndef b():\n    x = 1\n    password = 'hunter2'\n    return x\n"
    backend = FakeBackend(lambda p, s: 4.0 if "hunter2" in s else -4.0, json_answer={"line": 7})
    judge = ModelJudge({"code": backend}, None)
    engine = Engine(Config(root=Path(".")), [parse_rule(PLAIN, "team/no-secrets.md")], judge)
    result = engine.run([Target("app.py", functools.partial(bytes, text.encode("utf-8")), None)])
    assert [(f.line, f.column, f.end_line, f.end_column) for f in result.findings] == [(7, 5, 7, 25)]
    assert len(backend.questions) == 1  # def a() mentions neither name: not asked
    assert (
        len(backend.generations) == 1 and 'Which line breaks it? Reply with JSON: {"line": N}' in backend.generations[0]
    )
    assert any("was not asked about" in note for note in result.stats.notes)
