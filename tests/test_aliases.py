"""aliases.py: JSONC tsconfig reading, ``extends`` chains, TypeScript module resolution, Python modules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyarms_lint.aliases import (
    AliasIndex,
    TsconfigError,
    absolute_module,
    load_aliases,
    parent_depth,
    parse_jsonc,
    python_search_root,
    resolve_extends,
    resolve_file,
    resolve_python_module,
    resolve_relative_module,
    resolve_specifier,
    suggest_aliases,
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_jsonc_comments_and_trailing_commas_but_strings_untouched() -> None:
    text = """{
      // a line comment
      "compilerOptions": {
        /* a block
           comment */
        "baseUrl": ".",
        "paths": { "@/*": ["src/*",], "~//*": ["lib/*/*"], },
        "outDir": "dist, /* not a comment */ // nor this",
      },
    }"""
    data = parse_jsonc(text)
    options = data["compilerOptions"]
    assert options["paths"] == {"@/*": ["src/*"], "~//*": ["lib/*/*"]}
    assert options["outDir"] == "dist, /* not a comment */ // nor this"


def test_jsonc_escaped_quotes_and_bom() -> None:
    assert parse_jsonc('\ufeff{"a": "say \\"hi\\" // x", }') == {"a": 'say "hi" // x'}


def test_invalid_jsonc_raises_tsconfig_error() -> None:
    with pytest.raises(TsconfigError):
        parse_jsonc('{"compilerOptions": {"paths": }')


def test_extends_chain_paths_are_relative_to_the_config_that_declares_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config/tsconfig.base.json": '{"compilerOptions": {"paths": {"@shared/*": ["../packages/shared/*"]}}}',
            "apps/web/tsconfig.json": '{"extends": "../../config/tsconfig.base", "compilerOptions": {"strict": true}}',
        },
    )
    aliases = load_aliases(tmp_path / "apps/web/tsconfig.json", tmp_path)
    assert aliases.base_url is None
    assert aliases.paths == (("@shared/*", (str(tmp_path / "packages/shared/*"),)),)


def test_child_base_url_rebases_inherited_paths(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.base.json": '{"compilerOptions": {"baseUrl": "src", "paths": {"@/*": ["*"]}}}',
            "web/tsconfig.json": '{"extends": "../tsconfig.base.json", "compilerOptions": {"baseUrl": "app"}}',
        },
    )
    aliases = load_aliases(tmp_path / "web/tsconfig.json", tmp_path)
    assert aliases.base_url == tmp_path / "web/app"
    assert aliases.paths == (("@/*", (str(tmp_path / "web/app/*"),)),)
    assert aliases.base_url_is_subfolder


def test_extends_array_later_entries_win_and_own_options_win_last(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.json": '{"compilerOptions": {"baseUrl": "a", "paths": {"@a/*": ["a/*"]}}}',
            "b.json": '{"compilerOptions": {"paths": {"@b/*": ["b/*"]}}}',
            "tsconfig.json": '{"extends": ["./a.json", "./b.json"]}',
        },
    )
    aliases = load_aliases(tmp_path / "tsconfig.json", tmp_path)
    assert [pattern for pattern, _ in aliases.paths] == ["@b/*"]
    assert aliases.paths[0][1] == (str(tmp_path / "a/b/*"),)  # relative to the inherited baseUrl


def test_extends_from_node_modules_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "node_modules/@acme/tsconfig/package.json": json.dumps({"name": "@acme/tsconfig", "tsconfig": "base.json"}),
            "node_modules/@acme/tsconfig/base.json": '{"compilerOptions": {"baseUrl": "${configDir}/src"}}',
            "node_modules/@tsconfig/node20/tsconfig.json": '{"compilerOptions": {"paths": {"~/*": ["./*"]}}}',
            "packages/app/tsconfig.json": '{"extends": ["@acme/tsconfig", "@tsconfig/node20/tsconfig.json"]}',
        },
    )
    assert resolve_extends("@acme/tsconfig", tmp_path / "packages/app/tsconfig.json", tmp_path) == (
        tmp_path / "node_modules/@acme/tsconfig/base.json"
    )
    aliases = load_aliases(tmp_path / "packages/app/tsconfig.json", tmp_path)
    assert aliases.base_url == tmp_path / "packages/app/src"  # ${configDir} is the leaf config's folder
    assert aliases.paths == (("~/*", (str(tmp_path / "packages/app/src/*"),)),)


def test_missing_extends_package_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, {"tsconfig.json": '{"extends": "@not/installed", "compilerOptions": {"baseUrl": "."}}'})
    assert load_aliases(tmp_path / "tsconfig.json", tmp_path).base_url == tmp_path


def test_circular_extends_is_an_error_and_the_index_knows_no_aliases(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.json": '{"extends": "./b.json", "compilerOptions": {"paths": {"@/*": ["src/*"]}}}',
            "b.json": '{"extends": "./tsconfig.json"}',
            "src/a.ts": "",
        },
    )
    with pytest.raises(TsconfigError, match="circular"):
        load_aliases(tmp_path / "tsconfig.json", tmp_path)
    index = AliasIndex(tmp_path)
    assert index.for_file(tmp_path / "src/a.ts") is None
    assert index.problems and "circular" in index.problems[0]


def test_index_finds_the_nearest_config_within_the_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["src/*"]}}}',
            "packages/ui/jsconfig.json": '{"compilerOptions": {"baseUrl": "lib"}}',
            "packages/ui/lib/a.js": "",
            "src/deep/x.ts": "",
        },
    )
    index = AliasIndex(tmp_path)
    ui = index.for_file(tmp_path / "packages/ui/lib/a.js")
    assert ui is not None and ui.config == (tmp_path / "packages/ui/jsconfig.json").resolve()
    root = index.for_file(tmp_path / "src/deep/x.ts")
    assert root is not None and root.paths[0][0] == "@/*"
    outside = AliasIndex(tmp_path / "packages")
    assert outside.nearest_config(tmp_path / "packages" / "other") is None


def test_solution_config_uses_the_referenced_project_that_includes_the_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.json": '{"files": [], "references": [{"path": "./tsconfig.node.json"}, {"path": "./tsconfig.app.json"}]}',
            "tsconfig.node.json": '{"compilerOptions": {"paths": {"#/*": ["scripts/*"]}}, "include": ["vite.config.ts"]}',
            "tsconfig.app.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./src/*"]}}, "include": ["src"]}',
            "src/main.tsx": "",
        },
    )
    aliases = AliasIndex(tmp_path).for_file(tmp_path / "src/main.tsx")
    assert aliases is not None and aliases.paths[0][0] == "@/*"


def test_resolve_file_follows_typescript_rules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/util.ts": "",
            "a/util.js": "",
            "a/types.d.ts": "",
            "a/view.tsx": "",
            "a/esm.ts": "",
            "a/dir/index.tsx": "",
            "a/pkg/package.json": '{"main": "dist/main.js"}',
            "a/pkg/dist/main.js": "",
            "a/style.css": "",
        },
    )
    a = tmp_path / "a"
    assert resolve_file(a / "util") == (a / "util.ts").resolve()  # .ts before .js
    assert resolve_file(a / "types") == (a / "types.d.ts").resolve()
    assert resolve_file(a / "view") == (a / "view.tsx").resolve()
    assert resolve_file(a / "esm.js") == (a / "esm.ts").resolve()  # ESM style: .js written for .ts
    assert resolve_file(a / "dir") == (a / "dir/index.tsx").resolve()
    assert resolve_file(a / "pkg") == (a / "pkg/dist/main.js").resolve()
    assert resolve_file(a / "style.css") == (a / "style.css").resolve()
    assert resolve_file(a / "missing") is None


def test_resolve_specifier_longest_prefix_then_targets_in_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.json": """{"compilerOptions": {"baseUrl": ".", "paths": {
                "@/*": ["src/*"],
                "@/components/*": ["src/ui/*", "src/components/*"]
            }}}""",
            "src/components/Button.tsx": "",
            "src/ui/Card.tsx": "",
            "src/lib/x.ts": "",
            "vendor/y.ts": "",
        },
    )
    aliases = load_aliases(tmp_path / "tsconfig.json", tmp_path)
    importer = tmp_path / "src/app/App.tsx"
    assert resolve_specifier("@/components/Button", importer, aliases) == (tmp_path / "src/components/Button.tsx")
    assert resolve_specifier("@/components/Card", importer, aliases) == (tmp_path / "src/ui/Card.tsx")
    assert resolve_specifier("@/lib/x", importer, aliases) == (tmp_path / "src/lib/x.ts")
    assert resolve_specifier("vendor/y", importer, aliases) == (tmp_path / "vendor/y.ts")  # baseUrl
    assert resolve_specifier("react", importer, aliases) is None
    assert resolve_specifier("../lib/x", importer, aliases) == (tmp_path / "src/lib/x.ts")


def test_suggestions_are_most_specific_first_and_resolve_to_the_same_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.json": """{"compilerOptions": {"paths": {
                "@/*": ["./src/*"],
                "@components/*": ["./src/components/*"],
                "@theme": ["./src/styles/theme.ts"]
            }}}""",
            "src/components/forms/Input.tsx": "",
            "src/styles/theme.ts": "",
            "scripts/seed.ts": "",
        },
    )
    aliases = load_aliases(tmp_path / "tsconfig.json", tmp_path)
    importer = tmp_path / "src/features/cart/Cart.tsx"
    found = suggest_aliases("../../components/forms/Input", importer, aliases, use_base_url=False)
    assert [s.specifier for s in found] == ["@components/forms/Input", "@/components/forms/Input"]
    theme = suggest_aliases("../../styles/theme", importer, aliases, use_base_url=False)
    assert [s.specifier for s in theme] == ["@theme", "@/styles/theme"]
    assert suggest_aliases("../../../scripts/seed", importer, aliases, use_base_url=False) == []
    assert suggest_aliases("../../components/Missing", importer, aliases, use_base_url=False) == []


def test_suggestion_rejected_when_a_more_specific_pattern_shadows_it(tmp_path: Path) -> None:
    # "@/lib/*" maps elsewhere, so "@/lib/x" would not reach src/lib/x: no wrong suggestion
    write(
        tmp_path,
        {
            "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["src/*"], "@/lib/*": ["vendor/lib/*"]}}}',
            "src/lib/x.ts": "",
            "vendor/lib/x.ts": "",
        },
    )
    aliases = load_aliases(tmp_path / "tsconfig.json", tmp_path)
    assert suggest_aliases("../lib/x", tmp_path / "src/app/a.ts", aliases, use_base_url=False) == []


def test_catch_all_pattern_is_a_fallback_not_an_alias(tmp_path: Path) -> None:
    # "*": ["src/types/*"] would turn "../../types/money" into "money", which reads as a package
    write(
        tmp_path,
        {
            "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"*": ["src/types/*"], "~/*": ["src/*"]}}}',
            "src/types/money.ts": "",
        },
    )
    aliases = load_aliases(tmp_path / "tsconfig.json", tmp_path)
    found = suggest_aliases("../../types/money", tmp_path / "src/app/page/index.ts", aliases, use_base_url=False)
    assert [s.specifier for s in found] == ["~/types/money"]


def test_a_package_never_imports_its_own_entry_point_through_its_alias(tmp_path: Path) -> None:
    # Nx-style workspace: "@acme/ui" is the library's public entry; inside the library, stay relative
    write(
        tmp_path,
        {
            "tsconfig.json": '{"compilerOptions": {"paths": {"@acme/ui": ["libs/ui/src/index.ts"]}}}',
            "libs/ui/src/index.ts": "",
        },
    )
    aliases = load_aliases(tmp_path / "tsconfig.json", tmp_path)
    inside = tmp_path / "libs/ui/src/lib/button/Button.tsx"
    assert suggest_aliases("../../index", inside, aliases, use_base_url=False) == []
    outside = tmp_path / "libs/shop/src/Cart.tsx"
    found = suggest_aliases("../../ui/src/index", outside, aliases, use_base_url=False)
    assert [s.specifier for s in found] == ["@acme/ui"]


@pytest.mark.parametrize(
    ("specifier", "depth"), [("./a", 0), (".", 0), ("../a", 1), ("./../a", 1), ("../../a/../b", 2), ("..", 1)]
)
def test_parent_depth(specifier: str, depth: int) -> None:
    assert parent_depth(specifier) == depth


def test_python_relative_and_absolute_modules_resolve_to_the_same_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/shop/__init__.py": "",
            "src/shop/models.py": "",
            "src/shop/api/__init__.py": "",
            "src/shop/api/v1/__init__.py": "",
            "src/shop/api/v1/orders.py": "",
            "scripts/run.py": "",
        },
    )
    orders = tmp_path / "src/shop/api/v1/orders.py"
    assert absolute_module(orders, 3, "models") == "shop.models"
    assert absolute_module(orders, 1, "") == "shop.api.v1"
    assert absolute_module(orders, 4, "x") is None  # beyond the top-level package
    assert python_search_root(orders) == tmp_path / "src"
    assert resolve_python_module(tmp_path / "src", "shop.models") == resolve_relative_module(orders, 3, "models")
    assert resolve_relative_module(orders, 3, "models") == (tmp_path / "src/shop/models.py").resolve()
    assert absolute_module(tmp_path / "scripts/run.py", 2, "x") is None  # not a package
