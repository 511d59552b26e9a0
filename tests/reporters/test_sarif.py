"""SARIF output validates against the official 2.1.0 schema and carries rules and fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from ..conftest import PROJECT, run_cli

SCHEMA = json.loads((PROJECT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


def test_sarif_validates_and_has_metadata(repo: Path) -> None:
    (repo / "a.css").write_text(".a {\n  color: #ff0000;\n  background: rgb(1, 2, 3);\n}\n")
    (repo / "b.py").write_text("def f(x):\n    return x * 86400\n")
    result = run_cli("--format", "sarif", "a.css", "b.py", cwd=repo)
    assert result.code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    run = document["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "hardcoded-colors" in rule_ids and "magic-numbers" in rule_ids
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"hardcoded-colors", "magic-numbers"}
    for item in results:
        assert rule_ids[item["ruleIndex"]] == item["ruleId"]
        assert len(item["partialFingerprints"]["tinyarmsFingerprint/v1"]) == 32
        region = item["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_fingerprint_survives_line_moves(repo: Path) -> None:
    (repo / "a.css").write_text(".a {\n  color: #ff0000;\n}\n")
    first = json.loads(run_cli("--format", "sarif", "a.css", cwd=repo).stdout)["runs"][0]["results"][0]
    (repo / "a.css").write_text("/* moved */\n\n.a {\n  color: #ff0000;\n}\n")
    second = json.loads(run_cli("--format", "sarif", "a.css", cwd=repo).stdout)["runs"][0]["results"][0]
    assert first["partialFingerprints"] == second["partialFingerprints"]
    assert first["locations"] != second["locations"]


def test_empty_run_is_valid_sarif(repo: Path) -> None:
    (repo / "a.css").write_text(".a { color: var(--x); }\n")
    document = json.loads(run_cli("--format", "sarif", "a.css", cwd=repo).stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["runs"][0]["results"] == []


def test_sarif_carries_tier_confidence_and_margin_in_rank_and_properties(repo: Path) -> None:
    """Hand-built findings from each tier (a model verdict, a clear and an undecided static call) validate,
    with ``rank`` = confidence x 100 and the same numbers in the result's properties."""
    from tinyarms_lint.reporters import sarif
    from tinyarms_lint.rules import load_rules
    from tinyarms_lint.types import Finding, RunResult, RunStats

    model = Finding("a.py", 8, 1, 9, 1, "magic-numbers", "info", "sleep(15)", "llm", "x", confidence=0.8176, margin=1.5)
    clear = Finding("a.py", 6, 16, 6, 21, "magic-numbers", "warning", "86400", "static", "y", confidence=1.0)
    undecided = Finding(
        "a.py", 5, 16, 5, 18, "magic-numbers", "info", "15", "static", "z", confidence=0.5, undecided=True
    )
    unstated = Finding("b.py", 1, 1, 1, 2, "magic-numbers", "warning", "7", "static", "w")
    rules = [load_rules([])["magic-numbers"]]
    document = json.loads(sarif.render(RunResult([model, clear, undecided, unstated], RunStats(), rules)))
    jsonschema.validate(document, SCHEMA)
    got = [(r.get("rank"), r["level"], r["properties"]) for r in document["runs"][0]["results"]]
    assert got == [
        (81.8, "note", {"tier": "llm", "severity": "info", "confidence": 0.8176, "margin": 1.5}),
        (100.0, "warning", {"tier": "static", "severity": "warning", "confidence": 1.0}),
        (50.0, "note", {"tier": "static", "severity": "info", "confidence": 0.5, "undecided": True}),
        (None, "warning", {"tier": "static", "severity": "warning"}),
    ]


def test_sarif_from_a_run_with_undecided_candidates_validates(repo: Path) -> None:
    (repo / "a.py").write_text("import time\n\n\ndef wait(x):\n    time.sleep(15)\n    return x * 86400\n")
    (repo / ".tinyarms.toml").write_text("[rules.magic-numbers]\nllm = true\n")  # the delay: left to a model
    result = run_cli("--format", "sarif", "--no-llm", "a.py", cwd=repo)
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    results = document["runs"][0]["results"]
    assert [(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["rank"]) for r in results] == [
        (5, 50.0),
        (6, 100.0),
    ]
    assert results[0]["properties"]["undecided"] is True and results[0]["level"] == "note"
