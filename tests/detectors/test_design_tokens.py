"""design-tokens: literals equal to a repository token, named in the file's idiom, and fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.config import DEFAULT_TOKEN_FILES, Config
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.detectors.design_tokens import detect
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.fixes import apply_fixes
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import Rule, load_rules
from tinyarms_lint.types import Candidate

TOKENS_CSS = """:root {
  --color-primary: #3b82f6;
  --color-danger: #dc2626;
  --space-2: 8px;
  --space-4: 16px;
  --radius-md: 8px;
  --font-size-sm: 14px;
  --shadow-sm: 0 1px 2px rgba(0, 0, 0, 0.05);
}
.dark { --color-bg: #0f172a; }
"""
VARIABLES_SCSS = "$brand: #7c3aed !default;\n$spacer: 1rem !default;\n$border-radius-lg: 12px;\n"
THEME_TS = """export const theme = {
  colors: { ink: "#111827", brand: "#7c3aed" },
  space: { sm: 8, md: 16, xl: 40 },
  radii: { card: "10px" },
};
"""
TAILWIND = """module.exports = {
  theme: { extend: { colors: { accent: { DEFAULT: "#f43f5e", 600: "#e11d48" } }, spacing: { 18: "4.5rem" } } },
};
"""
PALETTE_PY = 'PRIMARY = "#3b82f6"\nPALETTE = {"cost": "#f97316"}\n'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    files = {
        "src/styles/tokens.css": TOKENS_CSS,
        "src/styles/_variables.scss": VARIABLES_SCSS,
        "src/theme/theme.ts": THEME_TS,
        "tailwind.config.js": TAILWIND,
        "app/theme.py": PALETTE_PY,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return load_rules([])


def _detect(
    rules: dict[str, Rule], root: Path, path: str, language: str, code: str, **options: object
) -> list[Candidate]:
    rule = rules["design-tokens"].with_overrides(None, dict(options))
    ctx = DetectContext(root=root, repository=DirectoryRepository(root), token_files=DEFAULT_TOKEN_FILES)
    return detect(SourceFile.parse(path, language, code.encode()), rule, ctx)


def _fixed(code: str, candidates: list[Candidate]) -> str:
    """The text after applying every fix, back to front (as --fix does)."""
    data = code.encode()
    for candidate in sorted((c for c in candidates if c.fix), key=lambda c: -c.fix.span.start_byte):  # type: ignore[union-attr]
        fix = candidate.fix
        assert fix is not None
        data = data[: fix.span.start_byte] + fix.replacement.encode() + data[fix.span.end_byte :]
    return data.decode()


def test_css_uses_custom_properties(rules: dict[str, Rule], root: Path) -> None:
    code = ".btn {\n  color: #3B82F6;\n  padding: 8px 16px;\n  margin: 0 2px -16px;\n  border: 1px solid rgb(220 38 38);\n  border-radius: 8px;\n  box-shadow: 0 1px 2px rgba(0,0,0,.05);\n  width: 16px;\n  background: #0f172a;\n}\n"
    found = _detect(rules, root, "src/button.css", "css", code)
    assert [(c.span.line, c.snippet) for c in found] == [
        (2, "#3B82F6"), (3, "8px"), (3, "16px"), (5, "rgb(220 38 38)"), (6, "8px"), (7, "0 1px 2px rgba(0,0,0,.05)"),
    ]  # fmt: skip
    assert found[0].message == (
        "`#3B82F6` is the value of design token `--color-primary` (src/styles/tokens.css); use `var(--color-primary)` instead."
    )
    assert (
        found[4].data["token"] == "--radius-md" and found[1].data["token"] == "--space-2"
    )  # same value, other category
    assert _fixed(code, found) == (
        ".btn {\n  color: var(--color-primary);\n  padding: var(--space-2) var(--space-4);\n  margin: 0 2px -16px;\n"
        "  border: 1px solid var(--color-danger);\n  border-radius: var(--radius-md);\n  box-shadow: var(--shadow-sm);\n"
        "  width: 16px;\n  background: #0f172a;\n}\n"
    )


def test_scss_prefers_its_variables_with_the_use_namespace(rules: dict[str, Rule], root: Path) -> None:
    code = '@use "../styles/variables" as v;\n.a { color: #7C3AED; padding: 1rem; border-radius: 12px; background: #3b82f6; }\n'
    found = _detect(rules, root, "src/a.scss", "scss", code)
    assert _fixed(code, found) == (
        '@use "../styles/variables" as v;\n'
        ".a { color: v.$brand; padding: v.$spacer; border-radius: v.$border-radius-lg; background: var(--color-primary); }\n"
    )
    imported = '@import "variables";\n.b { color: #7c3aed; }\n'
    assert (
        _fixed(imported, _detect(rules, root, "src/b.scss", "scss", imported))
        == '@import "variables";\n.b { color: $brand; }\n'
    )


def test_scss_variables_are_not_offered_in_plain_css(rules: dict[str, Rule], root: Path) -> None:
    assert _detect(rules, root, "src/a.css", "css", ".a { color: #7c3aed; border-radius: 12px; }") == []


def test_js_theme_values_when_in_scope(rules: dict[str, Rule], root: Path) -> None:
    code = """import { theme } from "../theme/theme";
const Title = styled.h1`
  color: #111827;
  margin: 40px 0 16px;
`;
export const Card = () => <div style={{ padding: 8, borderRadius: "10px", color: "#3b82f6" }} />;
"""
    found = _detect(rules, root, "src/Card.tsx", "tsx", code)
    assert (
        _fixed(code, found)
        == """import { theme } from "../theme/theme";
const Title = styled.h1`
  color: ${theme.colors.ink};
  margin: ${theme.space.xl}px 0 var(--space-4);
`;
export const Card = () => <div style={{ padding: theme.space.sm, borderRadius: theme.radii.card, color: "var(--color-primary)" }} />;
"""
    )


def test_js_theme_without_binding_is_named_but_not_fixed(rules: dict[str, Rule], root: Path) -> None:
    code = "const Ink = styled.p`color: #111827;`;\nconst sx = { color: '#7c3aed' };\n"
    found = _detect(rules, root, "src/Ink.tsx", "tsx", code)
    assert [(c.snippet, c.data["reference"], c.fix) for c in found] == [
        ("#111827", "${({ theme }) => theme.colors.ink}", None),
        ("#7c3aed", "theme.colors.brand", None),
    ]


def test_styled_component_theme_parameter_counts_as_in_scope(rules: dict[str, Rule], root: Path) -> None:
    code = "const Box = styled.div(({ theme }) => ({ borderRadius: '10px', padding: '16px' }));\n"
    found = _detect(rules, root, "src/Box.tsx", "tsx", code)
    assert (
        _fixed(code, found)
        == "const Box = styled.div(({ theme }) => ({ borderRadius: theme.radii.card, padding: theme.space.md }));\n"
    )


def test_react_native_takes_no_css_variables_or_px_strings(rules: dict[str, Rule], root: Path) -> None:
    code = """import { StyleSheet } from "react-native";
import { theme } from "./theme";
const styles = StyleSheet.create({ a: { padding: 16, borderRadius: 10, color: "#3b82f6", backgroundColor: "#111827" } });
"""
    found = _detect(rules, root, "src/native.ts", "typescript", code)
    assert [(c.snippet, c.fix.replacement if c.fix else None) for c in found] == [
        ("16", "theme.space.md"),
        ("10", None),
        ("#111827", "theme.colors.ink"),
    ]


def test_tailwind_classes_become_theme_classes(rules: dict[str, Rule], root: Path) -> None:
    code = (
        'const a = <p className="hover:bg-[#F43F5E]/50 text-[#e11d48] p-[4.5rem] border-[#3b82f6] ring-[#123456]" />;\n'
    )
    found = _detect(rules, root, "src/a.tsx", "tsx", code)
    assert _fixed(code, found) == (
        'const a = <p className="hover:bg-accent/50 text-accent-600 p-18 border-[var(--color-primary)] ring-[#123456]" />;\n'
    )


def test_python_palette_references(rules: dict[str, Rule], root: Path) -> None:
    code = 'from app.theme import PALETTE\nfrom app import theme\nax.bar(x, y, color="#F97316")\nax.plot(x, y, color="#3b82f6", c="#123456")\n'
    found = _detect(rules, root, "app/plot.py", "python", code)
    assert _fixed(code, found) == (
        'from app.theme import PALETTE\nfrom app import theme\nax.bar(x, y, color=PALETTE["cost"])\n'
        'ax.plot(x, y, color=theme.PRIMARY, c="#123456")\n'
    )
    unimported = _detect(rules, root, "app/other.py", "python", 'plot(color="#3b82f6")\n')
    assert [(c.data["reference"], c.fix) for c in unimported] == [("PRIMARY from app.theme", None)]


def test_options_categories_and_min_px(rules: dict[str, Rule], root: Path) -> None:
    code = ".a { color: #3b82f6; padding: 8px; font-size: 14px; }"
    assert [c.snippet for c in _detect(rules, root, "a.css", "css", code, categories=["color"])] == ["#3b82f6"]
    assert [c.snippet for c in _detect(rules, root, "a.css", "css", code, min_px=10)] == ["#3b82f6", "14px"]


def test_token_files_are_never_flagged(rules: dict[str, Rule], root: Path) -> None:
    rule = rules["design-tokens"]
    ctx = DetectContext(
        root=root, repository=DirectoryRepository(root), token_files=DEFAULT_TOKEN_FILES, is_token_file=True
    )
    assert detect(SourceFile.parse("src/styles/tokens.css", "css", TOKENS_CSS.encode()), rule, ctx) == []


def test_no_tokens_no_findings(rules: dict[str, Rule], tmp_path: Path) -> None:
    assert _detect(rules, tmp_path, "a.css", "css", ".a { color: #3b82f6; padding: 16px; }") == []


def test_engine_run_reports_each_literal_under_one_rule_and_fix_applies(rules: dict[str, Rule], root: Path) -> None:
    code = ".card {\n  color: #3b82f6;\n  background: #fafafa;\n  box-shadow: 0 1px 2px rgba(0, 0, 0, 0.05), 0 0 0 1px #e11d48;\n}\n"
    (root / "src" / "card.css").write_text(code)
    config = Config(root=root)
    chosen = active_rules(load_rules([]), config, select=("design-tokens", "hardcoded-colors"))
    engine = Engine(config, chosen, judge=None, repository=DirectoryRepository(root))
    result = engine.run([Target("src/card.css", (root / "src" / "card.css").read_bytes)])
    spans = [(f.rule, f.line, f.snippet) for f in result.findings]
    assert spans == [
        ("design-tokens", 2, "#3b82f6"),
        ("hardcoded-colors", 3, "#fafafa"),
        ("hardcoded-colors", 4, "rgba(0, 0, 0, 0.05)"),
        ("design-tokens", 4, "#e11d48"),  # a Tailwind color: named as theme('colors.accent.600'), not fixed
    ]
    applied, left, notes = apply_fixes(root, result.findings, {"src/card.css": code.encode()})
    assert [a.new for a in applied] == ["var(--color-primary)"] and notes == []
    assert (root / "src" / "card.css").read_text().splitlines()[1] == "  color: var(--color-primary);"
    assert len(left) == 3


def test_a_stylesheets_own_root_variables_count(rules: dict[str, Rule], tmp_path: Path) -> None:
    css = ":root {\n  --brand: #0af;\n}\n.dark { --surface: #111; }\n.a { color: #00AAFF; background: #111; }\n"
    found = _detect(rules, tmp_path, "src/main.css", "css", css)
    assert _fixed(css, found) == css.replace("color: #00AAFF", "color: var(--brand)")
    scss = "$gap-md: 12px;\n.b { .c { $gap-sm: 4px; } padding: 12px 4px; }\n"  # a nested $var is local
    assert _fixed(scss, _detect(rules, tmp_path, "src/b.scss", "scss", scss)) == scss.replace("12px 4px", "$gap-md 4px")


def test_a_number_becomes_a_css_variable_string_in_the_files_quotes(rules: dict[str, Rule], root: Path) -> None:
    double = 'export const A = () => <div style={{ margin: 16 }} className="box" />;\n'
    assert _fixed(double, _detect(rules, root, "src/A.tsx", "tsx", double)) == double.replace("16", '"var(--space-4)"')
    single = "export const B = () => <div style={{ margin: 16 }} className='box' />;\n"
    assert _fixed(single, _detect(rules, root, "src/B.tsx", "tsx", single)) == single.replace("16", "'var(--space-4)'")


def test_component_tokens_stand_only_for_their_component(rules: dict[str, Rule], tmp_path: Path) -> None:
    variables = "$spacer-1: .25rem !default;\n$kbd-padding-x: .375rem !default;\n$alert-padding-y: .75rem !default;\n"
    (tmp_path / "scss").mkdir()
    (tmp_path / "scss/_variables.scss").write_text(variables)
    table = ".table td { padding: .25rem .375rem; margin-bottom: .75rem; }\n"
    found = _detect(rules, tmp_path, "scss/_tables.scss", "scss", table)
    assert [(c.snippet, c.data["token"]) for c in found] == [(".25rem", "$spacer-1")]
    kbd = ".kbd { padding: .25rem .375rem; }\n.alert { padding: .75rem 1rem; }\n"
    found = _detect(rules, tmp_path, "scss/_misc.scss", "scss", kbd)
    assert [(c.snippet, c.data["token"]) for c in found] == [
        (".25rem", "$spacer-1"), (".375rem", "$kbd-padding-x"), (".75rem", "$alert-padding-y"),
    ]  # fmt: skip


def test_unit_and_layout_spacing_scales_match_anywhere(rules: dict[str, Rule], tmp_path: Path) -> None:
    variables = "$unit-2: .4rem !default;\n$unit-5: 1rem !default;\n$layout-spacing-sm: $unit-2 !default;\n"
    (tmp_path / "src").mkdir()
    (tmp_path / "src/_variables.scss").write_text(variables)
    labels = ".label { padding-left: .4rem; }\n.code { padding: 1rem; font-size: 1rem; left: 1rem; }\n"
    found = _detect(rules, tmp_path, "src/_labels.scss", "scss", labels)
    assert [(c.snippet, c.data["token"]) for c in found] == [(".4rem", "$unit-2"), ("1rem", "$unit-5")]


def test_mixin_arguments_do_not_name_a_component(rules: dict[str, Rule], tmp_path: Path) -> None:
    (tmp_path / "scss").mkdir()
    (tmp_path / "scss/_variables.scss").write_text("$btn-font-size-lg: .875rem !default;\n")
    mixin = "@mixin state($color, $focus: 0 0 0 $input-btn-focus-width) {\n  .feedback { font-size: .875rem; }\n}\n"
    assert _detect(rules, tmp_path, "scss/forms/_validation.scss", "scss", mixin) == []
    button = "@mixin btn-size($padding) {\n  .btn-lg { font-size: .875rem; }\n}\n"
    found = _detect(rules, tmp_path, "scss/forms/_validation.scss", "scss", button)
    assert [(c.snippet, c.data["token"]) for c in found] == [(".875rem", "$btn-font-size-lg")]


def test_root_variables_shared_with_the_light_theme_selector_are_tokens(rules: dict[str, Rule], tmp_path: Path) -> None:
    props = "  --bs-spacer: 1rem;\n  --bs-radius: 4px;\n  --bs-font-size-sm: .8rem;\n  --bs-primary: #0d6efd;\n"
    css = f":root,\n[data-bs-theme=light] {{\n{props}}}\n[data-bs-theme=dark] {{\n  --bs-gap: 2rem;\n}}\n"
    css += ".table { margin-bottom: 1rem; padding: 2rem; }\n"
    found = _detect(rules, tmp_path, "css/halfmoon.css", "css", css)
    assert _fixed(css, found) == css.replace("margin-bottom: 1rem", "margin-bottom: var(--bs-spacer)")


def test_elliptical_radii_are_shapes_not_tokens(rules: dict[str, Rule], tmp_path: Path) -> None:
    (tmp_path / "scss").mkdir()
    (tmp_path / "scss/_variables.scss").write_text("$border-radius: 25px !default;\n")
    scss = (
        ".navbar { border-radius: 25px 25px 55px 5px/5px 55px 25px 25px; }\n.card { border-radius: 0 0 25px 25px; }\n"
    )
    found = _detect(rules, tmp_path, "scss/_bootswatch.scss", "scss", scss)
    assert [(c.span.line, c.snippet) for c in found] == [(2, "25px"), (2, "25px")]
