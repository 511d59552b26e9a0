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
