"""The MCP server, driven over stdio by the official SDK's own client."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

mcp = pytest.importorskip("mcp", reason="needs the mcp extra: pip install -e '.[dev]'")
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.conftest import git


@asynccontextmanager
async def connect(root: Path, *extra: str) -> AsyncIterator[Any]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "tinyarms_lint", "mcp", "--no-llm", *extra], cwd=str(root)
    )
    async with Client(params) as client:
        yield client


def text_of(result: Any) -> str:
    return "".join(block.text for block in result.content if getattr(block, "type", "") == "text")


@pytest.mark.asyncio
async def test_lists_the_four_tools(repo: Path) -> None:
    async with connect(repo) as client:
        listed = await client.list_tools()
    names = sorted(tool.name for tool in listed.tools)
    assert names == ["explain_rule", "lint_changes", "lint_code", "list_rules"]
    lint_code = next(t for t in listed.tools if t.name == "lint_code")
    assert set(lint_code.input_schema["required"]) == {"code", "path"}


@pytest.mark.asyncio
async def test_lint_code_returns_the_violation_in_the_json_schema(repo: Path) -> None:
    code = "export const Title = ({ title }) => <h1 style={{ color: '#123456' }}>{title}</h1>;\n"
    async with connect(repo) as client:
        result = await client.call_tool("lint_code", {"code": code, "path": "src/Title.tsx"})
    assert result.is_error is False
    document = result.structured_content
    assert document is not None and document["version"] == 1
    assert [(f["rule"], f["path"], f["line"], f["column"], f["snippet"]) for f in document["findings"]] == [
        ("hardcoded-colors", "src/Title.tsx", 1, 58, "#123456")
    ]
    assert document["summary"]["findings"] == 1
    assert json.loads(text_of(result)) == document  # the text block carries the same document
    assert not (repo / "src").exists()  # linting text never writes the file


@pytest.mark.asyncio
async def test_changed_lines_limit_the_check(repo: Path) -> None:
    code = ".a { color: #123456; }\n.b { color: #abcdef; }\n"
    async with connect(repo) as client:
        result = await client.call_tool("lint_code", {"code": code, "path": "a.css", "changed_lines": [2]})
    assert [f["line"] for f in result.structured_content["findings"]] == [2]


@pytest.mark.asyncio
async def test_bad_inputs_are_tool_errors_and_the_server_keeps_serving(repo: Path) -> None:
    async with connect(repo) as client:
        unknown = await client.call_tool("explain_rule", {"rule_id": "no-such-rule"})
        assert unknown.is_error is True
        assert "unknown rule 'no-such-rule' (known: comment-language, " in text_of(unknown)
        empty = await client.call_tool("lint_code", {"code": "x = 1\n", "path": " "})
        assert empty.is_error is True and "path is empty" in text_of(empty)
        outside = await client.call_tool("lint_code", {"code": "x = 1\n", "path": "/etc/x.py"})
        assert outside.is_error is True and "outside the repository" in text_of(outside)
        escaping = await client.call_tool("lint_code", {"code": "x = 1\n", "path": "../x.py"})
        assert escaping.is_error is True and "without '..'" in text_of(escaping)
        wrong_type = await client.call_tool("lint_code", {"code": 12, "path": "a.py"})
        assert wrong_type.is_error is True
        no_head = await client.call_tool("lint_changes", {})
        assert no_head.is_error is True and "no commit yet" in text_of(no_head)
        still = await client.call_tool("list_rules", {})
        assert still.is_error is False


@pytest.mark.asyncio
async def test_broken_config_is_a_tool_error_then_a_fixed_one_is_reloaded(repo: Path) -> None:
    (repo / ".tinyarms.toml").write_text("selct = []\n")
    async with connect(repo) as client:
        broken = await client.call_tool("list_rules", {})
        assert broken.is_error is True
        assert text_of(broken).endswith(": .tinyarms.toml: unknown key 'selct'")
        (repo / ".tinyarms.toml").write_text("ignore = ['dry']\n")
        fixed = await client.call_tool("list_rules", {})
    assert fixed.is_error is False
    active = {r["id"]: r["active"] for r in fixed.structured_content["rules"]}
    assert active["dry"] is False and active["hardcoded-colors"] is True


@pytest.mark.asyncio
async def test_list_and_explain_rules(repo: Path) -> None:
    async with connect(repo) as client:
        listed = await client.call_tool("list_rules", {})
        explained = await client.call_tool("explain_rule", {"rule_id": "magic-numbers"})
    ids = [r["id"] for r in listed.structured_content["rules"]]
    assert "magic-numbers" in ids and ids == sorted(ids)
    text = text_of(explained)
    assert text.startswith("# magic-numbers: ")
    assert "## Bad" in text and "## Good" in text


@pytest.mark.asyncio
async def test_lint_changes_staged_and_uncommitted(repo: Path) -> None:
    (repo / "a.css").write_text(".a { margin: 0; }\n")
    git(repo, "add", "a.css")
    git(repo, "commit", "-q", "-m", "init")
    (repo / "a.css").write_text(".a { margin: 0; }\n.b { color: #123456; }\n")  # unstaged edit
    (repo / "new.css").write_text(".n { color: #abcdef; }\n")  # untracked file
    (repo / "staged.css").write_text(".s { color: #fedcba; }\n")
    git(repo, "add", "staged.css")
    async with connect(repo) as client:
        staged = await client.call_tool("lint_changes", {"staged": True})
        everything = await client.call_tool("lint_changes", {})
    assert [(f["path"], f["snippet"]) for f in staged.structured_content["findings"]] == [("staged.css", "#fedcba")]
    assert [(f["path"], f["line"]) for f in everything.structured_content["findings"]] == [
        ("a.css", 2),
        ("new.css", 1),
        ("staged.css", 1),
    ]


def test_without_the_sdk_the_command_names_the_extra(tmp_path: Path) -> None:
    import subprocess

    code = "import sys; sys.modules['mcp'] = None; from tinyarms_lint.cli import run; sys.exit(run(['mcp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "tinyarms-lint: error: the MCP server needs the mcp package, which is not installed:"
        + " pip install 'tinyarms-lint[mcp]'"
    ]
