"""The ``match:`` key: parsing, real tree-sitter selections in several languages, and the CLI on a real
repository (structural team rules without a model; bad queries are exit 2 naming the rule file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyarms_lint.errors import RuleFileError
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import parse_rule
from tinyarms_lint.selectors import check_selector, parse_selector, selected_nodes, selector_candidates

from .conftest import git, run_cli


def _rule(match: str, languages: str = "[python]", extra: str = "decides: true\n") -> str:
    return (
        "---\nid: team-rule\ntitle: A team rule\nseverity: error\n"
        f"languages: {languages}\nrole: code\ndetector: none\n{match}{extra}---\n\nText.\n"
    )


def _texts(match: dict[str, object], language: str, code: str) -> list[str]:
    file = SourceFile.parse("x", language, code.encode("utf-8"))
    return [file.node_text(n) for n in selected_nodes(parse_selector(match, "r.md"), file)]


PY = """\
import requests, subprocess

def fetch(url):
    a = requests.get(url)
    b = requests.get(url, timeout=5)
    c = session.requests.get(url)
    subprocess.run(f"ls {url}", shell=True)
    subprocess.run(["ls", url])
    return eval(url), obj.eval(url)
"""


def test_calls_match_exact_names_and_globs() -> None:
    assert _texts({"calls": ["requests.get"]}, "python", PY) == [
        "requests.get(url)",
        "requests.get(url, timeout=5)",
    ]
    assert _texts({"calls": ["requests.get"], "not_text": r"timeout\s*="}, "python", PY) == ["requests.get(url)"]
    assert _texts({"calls": "subprocess.*", "text": r"shell\s*=\s*True"}, "python", PY) == [
        'subprocess.run(f"ls {url}", shell=True)'
    ]
    assert _texts({"calls": ["eval"]}, "python", PY) == ["eval(url)"]
    assert _texts({"calls": ["*.eval"]}, "python", PY) == ["obj.eval(url)"]


def test_calls_and_kinds_in_typescript_and_css() -> None:
    ts = "const a: any = load();\nconsole.log(a!.b);\nnew Widget(a);\nconsole.error(a);\n"
    assert _texts({"calls": ["console.log"]}, "typescript", ts) == ["console.log(a!.b)"]
    assert _texts({"calls": ["Widget"]}, "typescript", ts) == ["new Widget(a)"]
    assert _texts({"kinds": ["non_null_expression"]}, "typescript", ts) == ["a!"]
    assert _texts({"kinds": "predefined_type", "text": r"\Aany\z"}, "typescript", ts) == ["any"]
    css = ".a { color: red !important; z-index: 10; }\n#main { z-index: 1; }\n"
    assert _texts({"kinds": ["important"]}, "css", css) == ["!important"]
    assert _texts({"kinds": ["id_selector"]}, "css", css) == ["#main"]
    query = '(declaration (property_name) @p (integer_value) @candidate (#eq? @p "z-index"))'
    assert _texts({"query": query, "not_text": r"\A-?[01]\z"}, "css", css) == ["10"]


def test_query_capture_defaults_and_per_language_queries() -> None:
    code = "def f(a=[], b=None, *, c: dict = {}):\n    pass\n"
    query = "[(default_parameter value: (list) @candidate) (typed_default_parameter value: (dictionary) @candidate)]"
    assert _texts({"query": query}, "python", code) == ["[]", "{}"]
    # one capture needs no name; several need @candidate or capture:
    assert _texts({"query": "(default_parameter value: (none) @v)"}, "python", code) == ["None"]
    assert _texts({"query": "(default_parameter name: (_) @n value: (list) @v)", "capture": "n"}, "python", code) == [
        "a"
    ]
    per_language = parse_selector({"query": {"python": "(pass_statement) @p", "js": "(debugger_statement) @d"}}, "r.md")
    assert per_language.query_for("python") == "(pass_statement) @p"
    assert per_language.query_for("tsx") == "(debugger_statement) @d"
    assert per_language.query_for("css") is None


@pytest.mark.parametrize(
    ("match", "problem"),
    [
        ("match: 42\n", "match must be a tree-sitter query or a mapping"),
        ("match:\n  text: foo\n", "match needs a query, calls or kinds"),
        ("match:\n  calls: []\n", "match.calls must be a name or a non-empty list"),
        ("match:\n  kinds: [x]\n  colour: red\n", "unknown match field 'colour'"),
        ("match:\n  kinds: [x]\n  text: '(unclosed'\n", "match.text: not a regular expression RE2 accepts"),
        ("match:\n  kinds: [x]\n  text: '(a)\\1'\n", "match.text: not a regular expression RE2 accepts"),
        ("match: '((identifier) @i (#match? @i \"^a+$\"))'\n", "#match?, which runs a backtracking regex"),
        ("match:\n  query:\n    cobol: '(x) @x'\n", "unknown language 'cobol'"),
    ],
)
def test_malformed_match_names_the_rule_file(match: str, problem: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_rule(_rule(match), "team/rule.md")
    assert str(caught.value).startswith("team/rule.md: ")
    assert problem in str(caught.value)


def test_queries_that_do_not_compile_name_the_language_and_the_problem() -> None:
    rule = parse_rule(_rule("match: '(call function: (no_such_node)) @c'\n"), "team/rule.md")
    assert rule.selector is not None
    with pytest.raises(RuleFileError, match=r"team/rule.md: match.query does not compile for python: .*no_such_node"):
        check_selector(rule.selector, rule.languages)
    two = parse_rule(_rule("match: '(call function: (_) @f arguments: (_) @a)'\n"), "team/rule.md")
    assert two.selector is not None
    with pytest.raises(RuleFileError, match="has 2 captures; name the candidate @candidate"):
        check_selector(two.selector, two.languages)


def test_team_keys_are_checked_together() -> None:
    with pytest.raises(RuleFileError, match="decides: true needs a match"):
        parse_rule(_rule("", extra="decides: true\n"), "r.md")
    with pytest.raises(RuleFileError, match="asks no question"):
        parse_rule(_rule("match:\n  kinds: [call]\n", extra="decides: true\nquestion: Is it?\n"), "r.md")
    with pytest.raises(RuleFileError, match="uncertain must be one of"):
        parse_rule(_rule("match:\n  kinds: [call]\n", extra="uncertain: maybe\n"), "r.md")
    asking = parse_rule(_rule("match:\n  kinds: [call]\n", extra="question: Is  it\n  risky?\n"), "r.md")
    assert (asking.tier, asking.question, asking.decides, asking.uncertain) == ("llm", "Is it risky?", False, "soften")
    deciding = parse_rule(_rule("match:\n  kinds: [call]\n"), "r.md")
    assert deciding.tier == "static"


def test_candidates_have_exact_spans() -> None:
    rule = parse_rule(_rule("match:\n  calls: [requests.get]\n  not_text: 'timeout\\s*='\n"), "r.md")
    assert rule.selector is not None
    file = SourceFile.parse("a.py", "python", PY.encode("utf-8"))
    (candidate,) = selector_candidates(rule, rule.selector, file, clear=True)
    assert (candidate.span.line, candidate.span.column, candidate.span.end_line, candidate.span.end_column) == (
        4,
        9,
        4,
        26,
    )
    assert candidate.clear and candidate.snippet == "requests.get(url)"


def test_regexes_run_in_linear_time_on_a_megabyte() -> None:
    # (a|a)*b-style patterns take exponential time in a backtracking engine; RE2 answers at once
    code = "x = '" + "a" * 1_000_000 + "'\n"
    assert _texts({"kinds": ["string"], "text": r"(a|aa)*b"}, "python", code) == []
    assert _texts({"kinds": ["string"], "text": r"\A'(a|aa)*'\z"}, "python", code) == ["'" + "a" * 1_000_000 + "'"]


STRUCTURAL = """\
---
id: no-requests-without-timeout
title: HTTP calls with requests pass a timeout
severity: error
languages: [python]
role: code
detector: none
match:
  calls: [requests.get, requests.post]
  not_text: 'timeout\\s*='
decides: true
---

Every `requests` call passes `timeout=`.

## Bad

```python
requests.get(url)
```

## Good

```python
requests.get(url, timeout=5)
```
"""


def test_a_structural_team_rule_runs_without_a_model(repo: Path) -> None:
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "timeout.md").write_text(STRUCTURAL)
    (repo / "app.py").write_text(
        "import requests\n\n\ndef sync(url):\n    data = requests.get(url).json()\n"
        "    requests.post(url, json=data, timeout=3)\n    return data\n"
    )
    git(repo, "add", "-A")
    done = run_cli("--all", "--no-llm", "--select", "no-requests-without-timeout", "--format", "json", cwd=repo)
    assert done.code == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [(f["line"], f["column"], f["end_column"], f["tier"], f["snippet"]) for f in findings] == [
        (5, 12, 29, "static", "requests.get(url)")
    ]


def test_a_bad_query_is_exit_2_naming_the_rule_file(repo: Path) -> None:
    rules = repo / ".tinyarms" / "rules"
    rules.mkdir(parents=True)
    (rules / "broken.md").write_text(
        _rule("match: '(call function: (no_such_node)) @c'\n").replace("team-rule", "broken")
    )
    (repo / "app.py").write_text("print(1)\n")
    git(repo, "add", "-A")
    done = run_cli("--all", "--no-llm", "--select", "broken", cwd=repo)
    assert done.code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.md: match.query does not compile for python" in lines[0]
    assert "Traceback" not in done.stderr
