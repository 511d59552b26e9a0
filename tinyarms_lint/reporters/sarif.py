"""SARIF 2.1.0 for code-scanning UIs, with rule metadata and ``partialFingerprints``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .. import __version__
from ..severity import sarif_rank
from ..types import Finding, RunResult

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _fingerprint(rule: str, path: str, snippet: str) -> str:
    normalized = " ".join(snippet.split())
    return hashlib.sha256(f"{rule}\0{path}\0{normalized}".encode()).hexdigest()[:32]


def _properties(finding: Finding) -> dict[str, Any]:
    """Which tier decided, how sure it was (``confidence`` 0-1, ``margin`` for a model), and ``undecided``."""
    properties: dict[str, Any] = {"tier": finding.tier, "severity": finding.severity}
    if finding.confidence is not None:
        properties["confidence"] = finding.confidence
    if finding.margin is not None:
        properties["margin"] = finding.margin
    if finding.undecided:
        properties["undecided"] = True
    return properties


def render(result: RunResult) -> str:
    rules = sorted(result.rules, key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    descriptors = [
        {
            "id": rule.id,
            "name": "".join(part.capitalize() for part in rule.id.split("-")),
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.body.split("\n\n", 1)[0][:1000] or rule.title},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tier": rule.tier, "role": rule.role},
        }
        for rule in rules
    ]
    results: list[dict[str, Any]] = []
    for f in result.findings:
        item: dict[str, Any] = {
            "ruleId": f.rule,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                            "snippet": {"text": f.snippet},
                        },
                    }
                }
            ],
            "partialFingerprints": {"tinyarmsFingerprint/v1": _fingerprint(f.rule, f.path, f.snippet)},
            "properties": _properties(f),
        }
        if f.related:
            item["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": {
                        "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": line, "endLine": end},
                    },
                }
                for number, (path, line, end) in enumerate(f.related)
            ]
        rank = sarif_rank(f.confidence)
        if rank is not None:
            item["rank"] = rank
        if f.rule in index:
            item["ruleIndex"] = index[f.rule]
        results.append(item)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tinyarms-lint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/tinyarms-lint/",
                        "rules": descriptors,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
