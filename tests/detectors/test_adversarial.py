"""Every bundled rule, on every language it checks, finishes on adversarial files (issue 11):
1 MB of base64, 1 MB of ``/`` and ``.``, a 1 MB minified bundle, 5,000-character lines and
5,000-deep nesting. The generated-file skip and the time budget are off here, so the detectors
themselves are what is tested; bench/adversarial_speed.py times them."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.conftest import git, run_cli
from tests.detectors.adversarial_inputs import EXTENSIONS, KINDS, adversarial_file
from tinyarms_lint.config import Config
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.rules import load_rules

# Generous: the slowest case (1 MB of minified YAML) took 13 s on a loaded 2-core machine.
LIMIT_SECONDS = 300


class _TooSlow(Exception):
    pass


def _stop(signum: int, frame: object) -> None:
    raise _TooSlow


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", sorted(EXTENSIONS))
def test_every_rule_finishes_on_adversarial_input(tmp_path: Path, language: str, kind: str) -> None:
    config = Config(root=tmp_path, skip_generated=False, file_time_budget=0, max_file_size=3_000_000)
    rules = [rule for rule in active_rules(load_rules([]), config) if rule.applies_to(language)]
    assert rules
    path, data = adversarial_file(language, kind)
    assert len(data) >= 990_000 or kind in ("long-lines", "deep-nesting")  # 1 MB, cut at a statement
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, LIMIT_SECONDS)
    try:
        result = Engine(config, rules).run([Target(path, lambda: data)])
    except _TooSlow:
        pytest.fail(f"{path} ({language}, {kind}) took more than {LIMIT_SECONDS} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert result.stats.files == 1
    # a rule may give up on deep nesting, but only with a note naming the file and the rule
    for note in result.stats.skipped:
        assert note.startswith(f"{path}: ") and "nested too deeply" in note and kind == "deep-nesting"


def test_locale_nested_5000_deep_does_not_end_the_run(repo: Path) -> None:
    """Issue 11: a RecursionError in one locale file ended the whole run."""
    (repo / "locales").mkdir()
    (repo / "locales" / "en.json").write_text('{"save": "Save changes", "deep": {"a": "b"}}\n')
    (repo / "locales" / "hu.json").write_text(
        '{"save": "Save changes", "deep": ' + '{"a": ' * 5000 + '"b"' + "}" * 5001 + "\n"
    )
    (repo / "a.css").write_text(".a { color: #ff0000; }\n")
    git(repo, "add", "-A")
    result = run_cli("--all", "--no-llm", cwd=repo)
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr + result.stdout
    assert "a.css:1" in result.stdout
    assert "locales/hu.json:1" in result.stdout  # "save" is not translated: the file was checked
    assert result.code == 1
