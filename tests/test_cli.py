"""The CLI end to end as a subprocess: modes, formats, exit codes, and bad input as one line + exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import git, run_cli

RED_CSS = ".button {\n  padding: 4px;\n  color: #ff0000;\n}\n"
CLEAN_CSS = ".button {\n  padding: 4px;\n  color: var(--danger);\n}\n"


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 1, stderr


def test_explicit_file_text_output_and_exit_1(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    result = run_cli("a.css", cwd=repo)
    assert result.code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("a.css:3:10: hardcoded-colors ")
    assert "1 finding in 1 file" in result.stdout


def test_clean_file_exits_0(repo: Path) -> None:
    (repo / "a.css").write_text(CLEAN_CSS)
    result = run_cli("a.css", cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("0 findings")


def test_json_schema_fields(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    result = run_cli("--format", "json", "a.css", cwd=repo)
    document = json.loads(result.stdout)
    assert document["version"] == 1
    (finding,) = [f for f in document["findings"] if f["rule"] == "hardcoded-colors"]
    assert {k: finding[k] for k in ("path", "line", "column", "end_line", "end_column", "severity", "tier")} == {
        "path": "a.css",
        "line": 3,
        "column": 10,
        "end_line": 3,
        "end_column": 17,
        "severity": finding["severity"],
        "tier": "static",
    }
    assert set(document["summary"]) >= {"files", "findings", "llm_calls", "cache_hits", "elapsed_ms"}


def test_github_annotations(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    result = run_cli("--format", "github", "a.css", cwd=repo)
    assert result.stdout.startswith("::") and "file=a.css,line=3,col=10" in result.stdout


def test_paths_relative_to_root_from_a_subdirectory(repo: Path) -> None:
    (repo / "web").mkdir()
    (repo / "web" / "a.css").write_text(RED_CSS)
    result = run_cli("--format", "json", "a.css", cwd=repo / "web")
    assert json.loads(result.stdout)["findings"][0]["path"] == "web/a.css"


def test_all_uses_tracked_files_and_excludes(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    (repo / "vendor").mkdir()
    (repo / "vendor" / "b.css").write_text(RED_CSS)
    (repo / "untracked.css").write_text(RED_CSS)
    (repo / ".tinyarms.toml").write_text('exclude = ["vendor/**"]\n')
    git(repo, "add", "a.css", "vendor/b.css", ".tinyarms.toml")
    result = run_cli("--all", "--format", "json", cwd=repo)
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {"a.css"}


def test_staged_mode_checks_only_changed_regions_from_the_index(repo: Path) -> None:
    (repo / "a.css").write_text(".old {\n  color: #123456;\n}\n")
    git(repo, "add", "a.css")
    git(repo, "commit", "-qm", "c")
    (repo / "a.css").write_text(".old {\n  color: #123456;\n}\n\n.new {\n  background: #abcdef;\n}\n")
    git(repo, "add", "a.css")
    (repo / "a.css").write_text("/* unstaged */\n")  # the working tree differs; the index is what counts
    result = run_cli("--staged", "--format", "json", cwd=repo)
    lines = [f["line"] for f in json.loads(result.stdout)["findings"]]
    assert lines == [6]


def test_pre_commit_env_means_staged(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    git(repo, "add", "a.css")
    (repo / "a.css").write_text(CLEAN_CSS)
    result = run_cli("a.css", cwd=repo, env={"PRE_COMMIT": "1"})
    assert result.code == 1  # the staged content has the color, the working tree does not


def test_diff_base_checks_lines_since_base(repo: Path) -> None:
    (repo / "a.css").write_text(".a {\n  color: #111111;\n}\n")
    git(repo, "add", "a.css")
    git(repo, "commit", "-qm", "base")
    git(repo, "branch", "base")
    (repo / "a.css").write_text(".a {\n  color: #111111;\n}\n.b {\n  color: #222222;\n}\n")
    git(repo, "commit", "-qam", "feature")
    result = run_cli("--diff-base", "base", "--format", "json", cwd=repo)
    assert [f["line"] for f in json.loads(result.stdout)["findings"]] == [5]


def test_stdin_filename(repo: Path) -> None:
    result = run_cli("--stdin-filename", "src/x.css", "--format", "json", cwd=repo, stdin=RED_CSS)
    findings = json.loads(result.stdout)["findings"]
    assert result.code == 1 and findings[0]["path"] == "src/x.css"


def test_select_and_ignore(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    assert run_cli("--ignore", "hardcoded-colors", "a.css", cwd=repo).code == 0
    assert run_cli("--select", "hardcoded-colors", "a.css", cwd=repo).code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "no-such-rule", "a.css"], "unknown rule 'no-such-rule'"),
        (["missing.css"], "missing.css: no such file"),
        (["--format", "xml", "a.css"], "Invalid value for '--format'"),
        ([], "no files given"),
        (["--diff-base", "nope"], "cannot diff against 'nope'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(repo: Path, args: list[str], message: str) -> None:
    (repo / "a.css").write_text(RED_CSS)
    git(repo, "add", "a.css")
    git(repo, "commit", "-qm", "c")
    result = run_cli(*args, cwd=repo)
    assert result.code == 2
    assert message in result.stderr
    no_traceback(result.stderr)


def test_not_a_git_repository(tmp_path: Path) -> None:
    for args in (["--all"], ["--staged"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.code == 2 and "not a git repository" in result.stderr
        no_traceback(result.stderr)
    (tmp_path / "a.css").write_text(RED_CSS)
    assert run_cli("a.css", cwd=tmp_path).code == 1  # explicit files work outside git


def test_bad_config_and_bad_rule_file(repo: Path) -> None:
    (repo / "a.css").write_text(RED_CSS)
    (repo / ".tinyarms.toml").write_text("selct = 1\n")
    result = run_cli("a.css", cwd=repo)
    assert result.code == 2 and "unknown key 'selct'" in result.stderr
    no_traceback(result.stderr)
    (repo / ".tinyarms.toml").unlink()
    (repo / ".tinyarms" / "rules").mkdir(parents=True)
    (repo / ".tinyarms" / "rules" / "broken.md").write_text("---\nid: x\n---\n")
    result = run_cli("a.css", cwd=repo)
    assert result.code == 2 and "broken.md: missing frontmatter field" in result.stderr
    no_traceback(result.stderr)


def test_binary_oversized_and_invalid_utf8_are_skipped_with_a_note(repo: Path) -> None:
    (repo / "bin.css").write_bytes(b"\x00\x01\x02color: #fff")
    (repo / "latin1.css").write_bytes(b".a { content: '\xe9'; color: #fff; }\n")
    (repo / "big.css").write_text(RED_CSS * 50)
    (repo / ".tinyarms.toml").write_text("max_file_size = 1000\n")
    result = run_cli("bin.css", "latin1.css", "big.css", cwd=repo)
    assert result.code == 0
    assert "bin.css: skipped, binary file" in result.stderr
    assert "latin1.css: skipped, not valid UTF-8" in result.stderr
    assert "big.css: skipped, larger than max_file_size" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_file_types_are_skipped_silently(repo: Path) -> None:
    (repo / "notes.txt").write_text("color: #ff0000\n")
    result = run_cli("notes.txt", cwd=repo)
    assert result.code == 0 and result.stderr == ""


def test_empty_staged_set_and_deleted_file(repo: Path) -> None:
    assert run_cli("--staged", cwd=repo).code == 0
    (repo / "a.css").write_text(RED_CSS)
    git(repo, "add", "a.css")
    git(repo, "commit", "-qm", "c")
    git(repo, "rm", "-q", "a.css")
    result = run_cli("--staged", cwd=repo)
    assert result.code == 0 and "Traceback" not in result.stderr


def test_syntax_error_file_is_still_checked(repo: Path) -> None:
    (repo / "a.css").write_text(".a {\n  color: #ff0000;\n\n.b { margin: 0 }}}\n")
    assert run_cli("a.css", cwd=repo).code == 1


def test_rules_list_and_show(repo: Path) -> None:
    listing = run_cli("rules", "list", cwd=repo)
    assert listing.code == 0
    assert any(line.startswith("hardcoded-colors ") for line in listing.stdout.splitlines())
    shown = run_cli("rules", "show", "magic-numbers", cwd=repo)
    assert shown.code == 0 and shown.stdout.startswith("magic-numbers: ")
    missing = run_cli("rules", "show", "nope", cwd=repo)
    assert missing.code == 2 and "unknown rule 'nope'" in missing.stderr


def test_debug_shows_traceback_for_errors(repo: Path) -> None:
    result = run_cli("--debug", "--select", "nope", "x.css", cwd=repo)
    assert result.code == 2 and "Traceback" in result.stderr


# -- severity decides the exit code (fail_on) ----------------------------------------------------

SLEEPY_PY = "import time\n\n\ndef wait():\n    time.sleep(15)\n"  # one judgement call, nothing clear
# magic-numbers with its model tier on: its judgement calls (a sleep delay) are left to a model, and with
# --no-llm none decides them (with the tier off, the detector decides them itself)
MODEL_TIER_ON = "[rules.magic-numbers]\nllm = true\n"
DAYS_PY = "def days(seconds):\n    return seconds / 86400\n"  # one clear magic number (a warning)


def test_undecided_candidates_are_shown_at_info_and_do_not_fail_by_default(repo: Path) -> None:
    (repo / "a.py").write_text(SLEEPY_PY)
    (repo / ".tinyarms.toml").write_text(MODEL_TIER_ON)
    shown = run_cli("a.py", "--no-llm", cwd=repo)
    assert shown.code == 0, shown.stdout + shown.stderr
    line, summary = shown.stdout.splitlines()
    assert line == (
        "a.py:5:16: magic-numbers magic number 15 as the delay of sleep: name it (e.g. a module-level constant"
        " ending in _MS) [info, undecided]"
    )
    assert summary.startswith("1 finding in 1 file: 0 errors, 0 warnings, 1 info (0 failing at fail_on = warning)")
    assert run_cli("a.py", "--no-llm", "--fail-on", "info", cwd=repo).code == 1
    document = json.loads(run_cli("a.py", "--no-llm", "--format", "json", cwd=repo).stdout)
    (finding,) = document["findings"]
    assert (finding["severity"], finding["tier"], finding["confidence"], finding["undecided"]) == (
        "info",
        "static",
        0.5,
        True,
    )
    summary = document["summary"]
    assert summary["severities"] == {"error": 0, "warning": 0, "info": 1}
    assert (summary["fail_on"], summary["failing"], summary["unjudged"]) == ("warning", 0, 1)


def test_fail_on_from_config_and_the_command_line(repo: Path) -> None:
    (repo / "a.py").write_text(DAYS_PY)
    assert run_cli("a.py", cwd=repo).code == 1  # a warning fails under the default fail_on = warning
    relaxed = run_cli("a.py", "--fail-on", "error", cwd=repo)
    assert relaxed.code == 0 and relaxed.stdout.startswith("a.py:2:22: magic-numbers ")  # still shown
    assert relaxed.stdout.splitlines()[0].endswith(" [warning]")
    (repo / ".tinyarms.toml").write_text('fail_on = "error"\n')
    assert run_cli("a.py", cwd=repo).code == 0
    assert run_cli("a.py", "--fail-on", "warning", cwd=repo).code == 1  # the command line wins
    (repo / ".tinyarms.toml").write_text('fail_on = "error"\n\n[rules.magic-numbers]\nseverity = "error"\n')
    assert run_cli("a.py", cwd=repo).code == 1
    (repo / ".tinyarms.toml").write_text(MODEL_TIER_ON + 'undecided = "drop"\n')
    (repo / "b.py").write_text(SLEEPY_PY)
    dropped = run_cli("b.py", "--no-llm", cwd=repo)
    assert dropped.code == 0 and dropped.stdout.startswith("0 findings")
    assert 'note: magic-numbers: 1 undecided candidate dropped (undecided = "drop")' in dropped.stderr


def test_bad_fail_on_is_one_line_and_exit_2(repo: Path) -> None:
    (repo / "a.py").write_text(DAYS_PY)
    bad = run_cli("a.py", "--fail-on", "never", cwd=repo)
    assert bad.code == 2 and "--fail-on" in bad.stderr
    no_traceback(bad.stderr)
    (repo / ".tinyarms.toml").write_text('fail_on = "warn"\n')
    bad = run_cli("a.py", cwd=repo)
    assert bad.code == 2 and "fail_on must be one of error, warning, info" in bad.stderr
    no_traceback(bad.stderr)


def test_a_model_only_rule_without_a_model_is_named_not_silent(repo: Path) -> None:
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "no-prints.md").write_text(
        "---\nid: no-prints\ntitle: No print() calls\nseverity: error\nlanguages: [python]\nrole: code\n"
        "detector: none\n---\n\nUse logging.\n"
    )
    (repo / "a.py").write_text("def a():\n    print(1)\n\n\ndef b():\n    print(2)\n")
    done = run_cli("a.py", "--no-llm", "--select", "no-prints", cwd=repo)
    assert done.code == 0 and done.stdout.startswith("0 findings")
    assert "note: no-prints: 1 region not judged: only a model can judge this rule" in done.stderr
    summary = json.loads(run_cli("a.py", "--no-llm", "--select", "no-prints", "--format", "json", cwd=repo).stdout)
    assert summary["summary"]["unjudged_rules"] == {"no-prints": 1}  # the whole file is one region
@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {".tinyarms.toml": '[rules.magic-numbers]\nignore_test_files = "yes"\n'},
            'tinyarms-lint: error: .tinyarms.toml: rules.magic-numbers.ignore_test_files must be true or false, got "yes"',
        ),
        (
            {".tinyarms.toml": 'rule_dirs = ["team-rules"]\n'},
            "tinyarms-lint: error: .tinyarms.toml: rule_dirs entry 'team-rules' is not a folder",
        ),
        (
            {
                ".tinyarms.toml": 'rule_dirs = ["r1", "r2"]\n',
                "r1/a.md": "---\nid: mine\ntitle: t\nseverity: info\nlanguages: [css]\nrole: code\n---\nx\n",
                "r2/b.md": "---\nid: mine\ntitle: t\nseverity: info\nlanguages: [css]\nrole: code\n---\nx\n",
            },
            "r1/a.md and ",
        ),
    ],
)
def test_bad_settings_and_rule_files_are_one_line_exit_2(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    (repo / "a.css").write_text(RED_CSS)
    result = run_cli("a.css", "--no-llm", cwd=repo)
    assert result.code == 2 and result.stdout == ""
    no_traceback(result.stderr)
    assert message in result.stderr


def test_double_dash_ends_the_options(repo: Path) -> None:
    (repo / "-rf.css").write_text(RED_CSS)
    git(repo, "add", "--", "-rf.css")
    for args in (["--no-llm", "--", "-rf.css"], ["check", "--no-llm", "--", "-rf.css"], ["--", "-rf.css"]):
        for env in ({}, {"PRE_COMMIT": "1"}):
            result = run_cli(*args, cwd=repo, env=env)
            assert result.code == 1, (args, env, result.stderr)
            assert result.stdout.startswith("-rf.css:3:10: hardcoded-colors"), (args, env)
