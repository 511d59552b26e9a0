"""detectors/import_aliases.py: alias suggestions that resolve, fixes, options, and the Python checks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tinyarms_lint.aliases import (
    AliasIndex,
    python_search_root,
    resolve_python_module,
    resolve_relative_module,
    resolve_specifier,
)
from tinyarms_lint.config import Config
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.detectors.import_aliases import detect
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.fixes import apply_fixes
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import load_rule_file, load_rules
from tinyarms_lint.types import Candidate

from ..conftest import FIXTURES, PROJECT

RULE = load_rule_file(PROJECT / "rules" / "import-aliases.md")
PROJECT_FIXTURE = FIXTURES / "import-aliases"

TSCONFIG = """{
  // app aliases
  "compilerOptions": {
    "baseUrl": ".",
    "paths": { "@/*": ["src/*"], "@ui/*": ["src/components/ui/*"], },
  },
}"""
TREE = {
    "tsconfig.json": TSCONFIG,
    "src/components/ui/Button.tsx": "export const Button = () => null;\n",
    "src/lib/format.ts": "export const f = 1;\n",
    "src/lib/index.ts": "export * from './format';\n",
    "scripts/seed.ts": "export {};\n",
}


def make_project(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run(root: Path, path: str, code: str, ctx: DetectContext | None = None, **options: Any) -> list[Candidate]:
    make_project(root, {path: code})
    language = language_for_path(path)
    assert language is not None
    file = SourceFile.parse(path, language, code.encode("utf-8"))
    return detect(file, RULE.with_overrides(None, options), ctx or DetectContext(root=root))


def test_parent_import_gets_the_most_specific_alias_and_a_fix(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    code = 'import { Button } from "../../components/ui/Button";\nimport { f } from "../../lib/format";\n'
    first, second = run(tmp_path, "src/features/cart/Cart.tsx", code)
    assert first.message == (
        "relative import '../../components/ui/Button' climbs 2 folders: write '@ui/Button' (@ui/* → src/components/ui/*)"
    )
    assert (first.span.line, first.span.column) == (1, 24)
    assert first.fix is not None and first.fix.replacement == "@ui/Button"
    assert code[first.fix.span.start_byte : first.fix.span.end_byte] == "../../components/ui/Button"
    assert second.data["alias"] == "@/lib/format"


def test_every_import_form_is_checked(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    code = (
        "import '../../lib/format';\n"
        "import type { X } from '../../lib/format';\n"
        "export * from '../../lib';\n"
        "export { f } from '../../lib/format';\n"
        "const lazy = () => import('../../lib/format');\n"
        "const cjs = require('../../lib/format');\n"
        "import legacy = require('../../lib/format');\n"
        "jest.mock('../../lib/format');\n"
        "vi.mock('../../lib/format', async () => ({}));\n"
        "const real = jest.requireActual('../../lib/format');\n"
        "fetch('../../lib/format');\n"
        "import(`../../lib/${name}`);\n"
    )
    lines = [c.span.line for c in run(tmp_path, "src/features/x/a.ts", code)]
    assert lines == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    off = run(tmp_path, "src/features/x/a.ts", code, include_calls=False)
    assert [c.span.line for c in off] == [1, 2, 3, 4, 7]


def test_not_flagged_without_alias_coverage_or_when_not_a_parent_import(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    code = (
        "import { f } from './format';\n"
        "import seed from '../../scripts/seed';\n"
        "import missing from '../generated/api';\n"
        "import React from 'react';\n"
        "import { Button } from '@ui/Button';\n"
    )
    assert run(tmp_path, "src/lib/other.ts", code) == []


def test_min_parent_depth_option(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    code = "import { f } from '../lib/format';\nimport { Button } from '../../src/components/ui/Button';\n"
    assert len(run(tmp_path, "src/app/a.ts", code)) == 2
    assert [c.span.line for c in run(tmp_path, "src/app/a.ts", code, min_parent_depth=2)] == [2]


def test_no_config_means_no_aliases_unless_configured(tmp_path: Path) -> None:
    make_project(tmp_path, {"app/components/Nav.jsx": "export default 1;\n"})
    code = "import Nav from '../components/Nav';\n"
    assert run(tmp_path, "app/pages/home.jsx", code) == []
    (candidate,) = run(tmp_path, "app/pages/home.jsx", code, aliases={"~/*": "app/*"})
    assert candidate.data["alias"] == "~/components/Nav"


def test_configured_aliases_come_before_tsconfig_paths(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    code = "import { f } from '../../lib/format';\n"
    (candidate,) = run(tmp_path, "src/features/x/a.ts", code, aliases={"#lib/*": ["src/lib/*"]})
    assert candidate.data["alias"] == "#lib/format"


@pytest.mark.parametrize(
    ("config", "use_base_url", "expected"),
    [
        ('{"compilerOptions": {"baseUrl": "src"}}', "auto", ["utils/time"]),
        ('{"compilerOptions": {"baseUrl": "."}}', "auto", []),
        ('{"compilerOptions": {"baseUrl": "."}}', "true", ["src/utils/time"]),
        ('{"compilerOptions": {"baseUrl": "src"}}', "false", []),
    ],
)
def test_base_url_option(tmp_path: Path, config: str, use_base_url: str, expected: list[str]) -> None:
    make_project(tmp_path, {"jsconfig.json": config, "src/utils/time.js": "export const t = 1;\n"})
    code = "import { t } from '../utils/time';\n"
    found = run(tmp_path, "src/widgets/Clock.jsx", code, use_base_url=use_base_url)
    assert [c.data["alias"] for c in found] == expected


def test_broken_tsconfig_does_not_crash(tmp_path: Path) -> None:
    make_project(tmp_path, {**TREE, "tsconfig.json": '{"compilerOptions": {"paths": '})
    ctx = DetectContext(root=tmp_path)
    assert run(tmp_path, "src/app/a.ts", "import { f } from '../lib/format';\n", ctx) == []
    index = ctx.project["import-aliases"]
    assert isinstance(index, AliasIndex) and index.problems


def test_alias_index_is_cached_per_run(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    ctx = DetectContext(root=tmp_path)
    run(tmp_path, "src/app/a.ts", "import { f } from '../lib/format';\n", ctx)
    index = ctx.project["import-aliases"]
    run(tmp_path, "src/app/b.ts", "import { f } from '../lib/format';\n", ctx)
    assert ctx.project["import-aliases"] is index


def _fixture_findings() -> list[tuple[str, Any]]:
    config = Config(root=PROJECT_FIXTURE)
    rules = [r for r in active_rules(load_rules([]), config) if r.id == "import-aliases"]
    engine = Engine(config, rules, judge=None, repository=DirectoryRepository(PROJECT_FIXTURE))
    targets = [
        Target(p.relative_to(PROJECT_FIXTURE).as_posix(), p.read_bytes, None)
        for p in sorted(PROJECT_FIXTURE.rglob("*"))
        if p.is_file() and language_for_path(p.name) in ("python", "javascript", "jsx", "typescript", "tsx")
    ]
    return [(f.path, f) for f in engine.run(targets).findings]


def test_every_fix_in_the_fixture_project_resolves_to_the_same_file() -> None:
    index = AliasIndex(PROJECT_FIXTURE)
    checked = 0
    for path, finding in _fixture_findings():
        if finding.fix is None:
            continue
        importer = (PROJECT_FIXTURE / path).resolve()
        data = (PROJECT_FIXTURE / path).read_bytes()
        old = data[finding.fix.span.start_byte : finding.fix.span.end_byte].decode("utf-8")
        new = finding.fix.replacement
        if path.endswith(".py"):
            level = len(old) - len(old.lstrip("."))
            root = python_search_root(importer)
            assert root is not None
            before = resolve_relative_module(importer, level, old.lstrip("."))
            after = resolve_python_module(root, new)
        else:
            aliases = index.for_file(importer)
            before = resolve_specifier(old, importer, aliases)
            after = resolve_specifier(new, importer, aliases)
        assert before is not None, f"{path}: {old} does not resolve"
        assert before == after, f"{path}: {old} -> {before}, {new} -> {after}"
        checked += 1
    assert checked >= 55


def test_fix_rewrites_imports_and_a_second_run_is_clean(tmp_path: Path) -> None:
    project = tmp_path / "web"
    shutil.copytree(PROJECT_FIXTURE, project)
    config = Config(root=project)
    rules = [r for r in active_rules(load_rules([]), config) if r.id == "import-aliases"]
    rel = "src/features/cart/CartPage.tsx"
    linted = {rel: (project / rel).read_bytes()}
    result = Engine(config, rules, repository=DirectoryRepository(project)).run(
        [Target(rel, lambda: linted[rel], None)]
    )
    applied, _, notes = apply_fixes(project, result.findings, linted)
    assert notes == [] and len(applied) == 4
    text = (project / rel).read_text(encoding="utf-8")
    assert 'import { Button } from "@components/Button"; // expect' in text
    assert 'export type { OrderLine } from "@/types/order";' in text
    again = Engine(config, rules, repository=DirectoryRepository(project)).run(
        [Target(rel, (project / rel).read_bytes, None)]
    )
    assert again.findings == []


def test_python_deep_relative_import_gets_an_absolute_fix(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"shop/__init__.py": "", "shop/models.py": "", "shop/api/__init__.py": "", "shop/api/v1/__init__.py": ""},
    )
    code = "from ...models import Order\nfrom ..deps import get_db\nfrom . import schemas\n"
    (candidate,) = run(tmp_path, "shop/api/v1/orders.py", code)
    assert candidate.fix is not None and candidate.fix.replacement == "shop.models"
    assert code[candidate.fix.span.start_byte : candidate.fix.span.end_byte] == "...models"
    assert "write 'from shop.models import ...'" in candidate.message
    assert len(run(tmp_path, "shop/api/v1/orders.py", code, max_relative_level=1)) == 2
    assert run(tmp_path, "shop/api/v1/orders.py", code, max_relative_level=3) == []


def test_python_deep_relative_import_without_package_has_no_fix(tmp_path: Path) -> None:
    (candidate,) = run(tmp_path, "scripts/a/b/c.py", "from ...util import x\n")
    assert candidate.fix is None and candidate.message.endswith("use an absolute import")


def test_python_alias_conventions_and_banned_aliases(tmp_path: Path) -> None:
    code = (
        "import numpy as nmp\n"
        "import numpy as np\n"
        "import pandas\n"
        "from matplotlib import pyplot as pp\n"
        "import xml.etree.ElementTree as ET\n"
        "import typing as t\n"
        "from pandas import DataFrame as DF\n"
        "import numpy as _np\n"
    )
    found = run(tmp_path, "app/report.py", code)
    assert [(c.span.line, c.data["expected"]) for c in found] == [(1, "np"), (4, "plt")]
    banned = run(tmp_path, "app/report.py", code, banned_aliases={"typing": ["t"]}, python_aliases={})
    assert [c.span.line for c in banned] == [6]
    assert banned[0].message == "the alias t for typing is banned: import it under another name"


def test_syntax_errors_do_not_crash(tmp_path: Path) -> None:
    make_project(tmp_path, TREE)
    assert isinstance(run(tmp_path, "src/app/a.ts", "import { from '../lib/format\n"), list)
    assert isinstance(run(tmp_path, "app/x.py", "from ... import (\n"), list)
