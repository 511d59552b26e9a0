"""engine.py: rule selection, region filtering, the parallel static tier, and the model-tier routing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest

from tinyarms_lint.config import Config, RuleSettings, load_config
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.errors import ConfigError
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rules
from tinyarms_lint.types import Verdict

from .conftest import git

CSS = b".a {\n  color: #ff0000;\n}\n\n.b {\n  color: #00ff00;\n}\n"


def _engine(tmp_path: Path, **kwargs: object) -> Engine:
    config = Config(root=tmp_path, **kwargs)  # type: ignore[arg-type]
    return Engine(config, active_rules(load_rules([]), config), None, DirectoryRepository(tmp_path))


def test_only_changed_regions_are_reported(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    whole = engine.run([Target("a.css", lambda: CSS, None)])
    assert [f.line for f in whole.findings] == [2, 6]
    changed = engine.run([Target("a.css", lambda: CSS, frozenset({6}))])
    assert [f.line for f in changed.findings] == [6]
    assert changed.stats.regions == 1 and changed.stats.whole_files == []


def test_unknown_option_and_rule_in_config(tmp_path: Path) -> None:
    rules = load_rules([])
    with pytest.raises(ConfigError, match="unknown option 'colour'"):
        active_rules(rules, Config(root=tmp_path, rules={"hardcoded-colors": RuleSettings(options={"colour": 1})}))
    with pytest.raises(ConfigError, match="unknown rule 'nope'"):
        active_rules(rules, Config(root=tmp_path, ignore=("nope",)))


def test_severity_override(tmp_path: Path) -> None:
    config = Config(root=tmp_path, rules={"hardcoded-colors": RuleSettings(severity="error")})
    engine = Engine(config, active_rules(load_rules([]), config))
    (finding, _) = engine.run([Target("a.css", lambda: CSS, None)]).findings
    assert finding.severity == "error"


def test_parallel_static_tier_matches_serial(tmp_path: Path) -> None:
    targets = [Target(f"f{i}.css", (lambda i=i: CSS.replace(b"ff0000", f"{i:06x}".encode())), None) for i in range(24)]
    serial = _engine(tmp_path).run(targets)
    parallel_engine = _engine(tmp_path)
    seen: list[int] = []
    parallel = parallel_engine.run(targets, jobs=2, on_file=lambda stats: seen.append(stats.processed))
    assert parallel.findings == serial.findings and len(serial.findings) == 48
    assert parallel.stats.files == serial.stats.files == 24
    assert seen[-1] == 24 and seen == sorted(seen)


def test_changed_only_candidates_are_not_judged_on_whole_files(tmp_path: Path) -> None:
    asked: list[str] = []

    class RecordingJudge:
        calls = 0
        cache_hits = 0
        notes: ClassVar[list[str]] = []

        def judge_candidates(self, rule, file, candidates):  # type: ignore[no-untyped-def]
            from tinyarms_lint.types import Verdict

            asked.extend(c.data.get("kind", "") for c in candidates)
            return [Verdict(False, 0.0, "llm") for _ in candidates]

        def judge_region(self, rule, file, region):  # type: ignore[no-untyped-def]
            raise AssertionError("no model-only rule here")

        def close(self) -> None:
            pass

    (tmp_path / "locales" / "en").mkdir(parents=True)
    (tmp_path / "locales" / "hu").mkdir(parents=True)
    (tmp_path / "locales" / "en" / "common.json").write_text('{\n  "greeting": "Good morning, {name}!"\n}\n')
    hu = '{\n  "greeting": "Jó estét, {name}!"\n}\n'.encode()
    (tmp_path / "locales" / "hu" / "common.json").write_bytes(hu)
    (tmp_path / ".tinyarms.toml").write_text("[rules.i18n-locale-consistency]\nllm = true\n")  # ships off
    config = load_config(tmp_path)
    rules = active_rules(load_rules([]), config, select=("i18n-locale-consistency",))
    engine = Engine(config, rules, RecordingJudge(), DirectoryRepository(tmp_path))  # type: ignore[arg-type]
    engine.run([Target("locales/hu/common.json", lambda: hu, None)])
    assert "meaning" not in asked
    engine.run([Target("locales/hu/common.json", lambda: hu, frozenset({2}))])
    assert "meaning" in asked


# -- every candidate decided, reported undecided, or dropped by the rule's explicit choice -----------

PY = b"import time\n\n\ndef wait(x):\n    time.sleep(15)\n    return x * 86400\n"  # line 5 ambiguous, 6 clear
TEAM_RULE = """\
---
id: no-prints
title: No print() calls left in code
severity: error
languages: [python]
role: code
detector: none
---

Use logging.
"""


def _magic(tmp_path: Path, judge: object = None, **settings: object) -> Engine:
    """magic-numbers with its model tier on (``llm`` true unless given): its judgement calls (line 5's
    sleep delay) are then ambiguous candidates for a model; with the tier off the detector decides them."""
    settings = {"llm": True, **settings}
    config = Config(root=tmp_path, rules={"magic-numbers": RuleSettings(**settings)})  # type: ignore[arg-type]
    rules = active_rules(load_rules([]), config, select=("magic-numbers",))
    return Engine(config, rules, judge, DirectoryRepository(tmp_path))  # type: ignore[arg-type]


class VerdictJudge:
    """Routing only: answers every question with one fixed verdict (the real model is in tests/llm)."""

    calls = 0
    cache_hits = 0
    notes: ClassVar[list[str]] = []

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict

    def judge_candidates(self, rule, file, candidates):  # type: ignore[no-untyped-def]
        return [self.verdict for _ in candidates]

    def judge_region(self, rule, file, region):  # type: ignore[no-untyped-def]
        return self.verdict

    def close(self) -> None:
        pass


def test_ambiguous_candidates_without_a_model_are_reported_undecided(tmp_path: Path) -> None:
    result = _magic(tmp_path).run([Target("a.py", lambda: PY, None)])
    undecided, clear = result.findings
    assert (undecided.line, undecided.severity, undecided.tier, undecided.undecided) == (5, "info", "static", True)
    assert undecided.confidence == 0.5 and undecided.margin is None
    assert (clear.line, clear.severity, clear.undecided, clear.confidence) == (6, "warning", False, 1.0)
    assert undecided.to_json()["undecided"] is True and "undecided" not in clear.to_json()
    assert result.stats.unjudged == 1 and result.stats.dropped == {}


def test_undecided_drop_is_the_rules_explicit_choice_and_is_counted(tmp_path: Path) -> None:
    result = _magic(tmp_path, undecided="drop").run([Target("a.py", lambda: PY, None)])
    assert [f.line for f in result.findings] == [6]
    assert result.stats.dropped == {"magic-numbers": 1} and result.stats.unjudged == 1
    assert 'magic-numbers: 1 undecided candidate dropped (undecided = "drop")' in result.stats.notes


def test_undecided_severity_is_never_above_the_rules(tmp_path: Path) -> None:
    target = [Target("a.py", lambda: PY, None)]
    assert _magic(tmp_path, undecided="error").run(target).findings[0].severity == "warning"
    assert _magic(tmp_path, undecided="warning").run(target).findings[0].severity == "warning"
    softer = _magic(tmp_path, severity="info", undecided="error").run(target).findings
    assert [(f.severity, f.undecided) for f in softer] == [("info", True), ("info", False)]


def test_model_verdicts_block_only_when_calibrated(tmp_path: Path) -> None:
    target = [Target("a.py", lambda: PY, None)]
    unsure = Verdict(True, 0.8176, "llm", margin=1.5)
    found = _magic(tmp_path, VerdictJudge(unsure), llm=True).run(target).findings
    assert [(f.line, f.tier, f.severity, f.confidence, f.margin) for f in found] == [
        (5, "llm", "info", 0.8176, 1.5),
        (6, "static", "warning", 1.0, None),
    ]
    calibrated = Verdict(True, 0.8176, "llm", margin=1.5, calibrated=True)
    found = _magic(tmp_path, VerdictJudge(calibrated), llm=True).run(target).findings
    assert [(f.line, f.tier, f.severity) for f in found] == [(5, "llm", "warning"), (6, "static", "warning")]
    fine = _magic(tmp_path, VerdictJudge(Verdict(False, 0.9, "llm", margin=-2.0)), llm=True).run(target)
    assert [f.line for f in fine.findings] == [6] and fine.stats.unjudged == 0


def test_a_question_no_model_answered_is_undecided_not_fine(tmp_path: Path) -> None:
    """Confidence 0 is the judge's "nobody decided" (no model for the rule's role, a failed question)."""
    result = _magic(tmp_path, VerdictJudge(Verdict(False, 0.0, "llm")), llm=True).run(
        [Target("a.py", lambda: PY, None)]
    )
    assert [(f.line, f.undecided, f.severity) for f in result.findings] == [(5, True, "info"), (6, False, "warning")]
    assert result.stats.unjudged == 1


def test_a_rule_with_llm_off_never_asks_the_model(tmp_path: Path) -> None:
    judge = VerdictJudge(Verdict(True, 0.99, "llm", calibrated=True))
    findings = _magic(tmp_path, judge, llm=False).run([Target("a.py", lambda: PY, None)]).findings
    # with its model tier off, magic-numbers decides its judgement calls itself
    assert [(f.line, f.tier, f.undecided) for f in findings] == [(5, "static", False), (6, "static", False)]


def test_ambiguous_candidates_of_a_rule_with_llm_off_are_undecided_even_with_a_model(tmp_path: Path) -> None:
    judge = VerdictJudge(Verdict(True, 0.99, "llm", calibrated=True))
    config = Config(root=tmp_path)
    rules = active_rules(load_rules([]), config, select=("hardcoded-colors",))  # llm false as shipped
    engine = Engine(config, rules, judge, DirectoryRepository(tmp_path))  # type: ignore[arg-type]
    source = b'def draw(ax):\n    ax.plot([1, 2], color="red")\n'  # a named color in a call: a judgement call
    findings = engine.run([Target("a.py", lambda: source, None)]).findings
    assert [(f.line, f.tier, f.undecided, f.severity) for f in findings] == [(2, "static", True, "info")]


def _team_engine(tmp_path: Path, judge: object = None) -> Engine:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir(exist_ok=True)
    (rules_dir / "no-prints.md").write_text(TEAM_RULE)
    config = Config(root=tmp_path)
    rules = active_rules(load_rules([rules_dir]), config, select=("no-prints",))
    return Engine(config, rules, judge, DirectoryRepository(tmp_path))  # type: ignore[arg-type]


def test_model_only_rule_without_a_model_is_shown_as_undecided(tmp_path: Path) -> None:
    source = b"def a():\n    print(1)\n\n\ndef b():\n    print(2)\n"
    targets = [Target(f"m{i}.py", lambda: source, frozenset({2, 6})) for i in range(24)]
    serial = _team_engine(tmp_path).run(targets)
    assert serial.findings == [] and serial.stats.unjudged_rules == {"no-prints": 48}
    note = "no-prints: 48 regions not judged: only a model can judge this rule and none answered"
    assert any(n.startswith(note) for n in serial.stats.notes)
    parallel = _team_engine(tmp_path).run(targets, jobs=2)  # counts merge across worker processes
    assert parallel.stats.unjudged_rules == {"no-prints": 48} and parallel.stats.notes == serial.stats.notes


def test_model_only_rule_findings_carry_the_verdict(tmp_path: Path) -> None:
    source = b"def a():\n    print(1)\n"
    yes = Verdict(True, 0.7, "llm", margin=0.85)
    (finding,) = _team_engine(tmp_path, VerdictJudge(yes)).run([Target("m.py", lambda: source, None)]).findings
    assert (finding.tier, finding.severity, finding.confidence, finding.margin) == ("llm", "info", 0.7, 0.85)
    unanswered = _team_engine(tmp_path, VerdictJudge(Verdict(False, 0.0, "llm")))
    result = unanswered.run([Target("m.py", lambda: source, None)])
    assert result.findings == [] and result.stats.unjudged_rules == {"no-prints": 1}
def test_ctrl_c_during_a_parallel_run_is_one_line_and_exit_130(repo: Path) -> None:
    """A real SIGINT to the whole process group (what a terminal's Ctrl-C sends) while workers run."""
    body = "".join(f"def f{j}(a):\n    x = a * {j + 2}.5 + {j}\n    return x / 7.25\n\n" for j in range(60))
    for i in range(200):
        (repo / f"m{i}.py").write_text(body)
    git(repo, "add", "-A")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    run = subprocess.Popen(
        [sys.executable, "-m", "tinyarms_lint", "--all", "--no-llm", "--jobs", "2"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a foreground job
    )
    workers: list[str] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and run.poll() is None:
        try:
            workers = Path(f"/proc/{run.pid}/task/{run.pid}/children").read_text().split()
        except OSError:
            pass
        time.sleep(0.05)
    time.sleep(0.3)  # the workers are checking files
    assert run.poll() is None and len(workers) >= 2, "the run ended before it could be interrupted"
    os.killpg(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130
    assert [line for line in err.splitlines() if line.strip()] == ["tinyarms-lint: interrupted"], err
    assert out == ""
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # no worker left behind


# The hook run in a fresh interpreter; prints the detector and grammar modules it imported.
_IMPORTED_BY_HOOK = """
import sys
from tinyarms_lint.cli import run
code = run(["--no-llm", *sys.argv[1:]])
print(code, " ".join(sorted(m for m in sys.modules if m.startswith(("tinyarms_lint.detectors.", "tree_sitter_")))))
"""


@pytest.mark.parametrize(
    ("staged", "language", "grammar"),
    [("a.scss", "scss", "tree_sitter_scss"), ("app.py", "python", "tree_sitter_python")],
)
def test_the_hook_imports_only_the_detectors_and_grammar_of_the_staged_languages(
    repo: Path, staged: str, language: str, grammar: str
) -> None:
    (repo / staged).write_text(".a {\n  color: #ff0000;\n}\n" if language == "scss" else "LIMIT = 3\n")
    git(repo, "add", staged)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env.update(PRE_COMMIT="1", TINYARMS_CACHE_DIR=str(repo.parent / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED_BY_HOOK, staged], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    code, _, modules = done.stdout.splitlines()[-1].partition(" ")
    imported = set(modules.split())
    assert code in ("0", "1"), done.stderr
    from tinyarms_lint.detectors import DETECTORS

    bundled = [r for r in load_rules([]).values() if r.detector is not None]
    wanted = {
        f"tinyarms_lint.detectors.{DETECTORS[r.detector].split(':')[0]}" for r in bundled if r.applies_to(language)
    }
    others = {f"tinyarms_lint.detectors.{module.split(':')[0]}" for module in DETECTORS.values()} - wanted
    assert wanted and others  # each case leaves some bundled detector out
    assert wanted <= imported, sorted(wanted - imported)
    assert not (others & imported), sorted(others & imported)
    assert {m for m in imported if m.startswith("tree_sitter_") and "." not in m} == {grammar}
