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
