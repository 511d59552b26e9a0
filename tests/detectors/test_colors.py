"""hardcoded-colors: real tree-sitter parses of CSS, SCSS, JS/TS/JSX and Python snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.config import DEFAULT_TOKEN_FILES
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.detectors.colors import detect
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.repository import DirectoryRepository
from tinyarms_lint.rules import Rule, load_rules
from tinyarms_lint.types import Candidate


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return load_rules([])


def _run(
    rules: dict[str, Rule], path: str, language: str, code: str, ctx: DetectContext | None = None, **options: object
) -> list[Candidate]:
    rule = rules["hardcoded-colors"].with_overrides(None, dict(options))
    file = SourceFile.parse(path, language, code.encode("utf-8"))
    return detect(file, rule, ctx or DetectContext(root=Path(".")))


def _clear(candidates: list[Candidate]) -> list[tuple[int, str]]:
    return [(c.span.line, c.snippet) for c in candidates if c.clear]


def _ambiguous(candidates: list[Candidate]) -> list[tuple[int, str]]:
    return [(c.span.line, c.snippet) for c in candidates if not c.clear]


def test_css_declarations(rules: dict[str, Rule]) -> None:
    code = """:root { --brand: #0af; }
.card {
  color: #333;
  background: linear-gradient(#fff, rgba(0, 0, 0, .1));
  border: 1px solid red !important;
  outline-color: var(--brand, #0af);
  fill: currentColor;
  font-family: "Red Hat", sans-serif;
}
#main { mask: url(#m); }
"""
    found = _run(rules, "a.css", "css", code)
    assert _clear(found) == [(3, "#333"), (4, "#fff"), (4, "rgba(0, 0, 0, .1)"), (5, "red")]
    first = found[0]
    assert (first.span.line, first.span.column, first.span.end_column) == (3, 10, 14)
    assert "`#333`" in first.message and "color" in first.message and "var(--" in first.message
    assert first.fix is None and first.data["color"] == "#333333"


def test_scss_definitions_mixins_and_interpolation(rules: dict[str, Rule]) -> None:
    code = """$btn-bg: #fff !default;
$theme: (primary: #123456, danger: red);
@mixin variant($bg, $fg: #fff) { color: $fg; }
.btn {
  @include variant($primary);
  @include variant(#dc3545);
  color: #{$link};
  background: rgba($black, .5);
  border-color: rgba(#000, .15);
  // was #495057
  &:hover { color: darken(#f00, 10%); }
}
"""
    assert _clear(_run(rules, "a.scss", "scss", code)) == [(6, "#dc3545"), (9, "rgba(#000, .15)"), (11, "#f00")]


def test_styled_components_templates_and_substitutions(rules: dict[str, Rule]) -> None:
    code = """const Button = styled.button<{ $primary?: boolean }>`
  color: ${(p) => (p.$primary ? "white" : "#1f2937")};
  background: ${({ theme }) => theme.colors.bg};
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.05);
  ${media.md`border-color: #e5e7eb;`}
`;
const Link = styled(RouterLink).attrs({ role: "link" })`color: tomato;`;
const fade = keyframes`from { background: #fff } to { background: transparent }`;
const label = `Step #1: ${name}`;
"""
    assert _clear(_run(rules, "a.tsx", "tsx", code)) == [
        (2, "white"),
        (2, "#1f2937"),
        (4, "rgba(16, 24, 40, 0.05)"),
        (5, "#e5e7eb"),
        (7, "tomato"),
        (8, "#fff"),
    ]


def test_style_objects_props_and_attributes(rules: dict[str, Rule]) -> None:
    code = """export function Avatar({ on }: { on: boolean }) {
  return (
    <Box sx={{ color: "#fff", border: "2px solid white", "&:hover": { bgcolor: "text.primary" } }}>
      <span style={{ backgroundColor: on ? "limegreen" : "var(--off)" }} />
      <path fill="#ff0000" stroke="currentColor" d="M0 0" />
      <circle fill="red" />
      <Badge color="red" />
      <Tag color="#108ee9" className="bg-[#3B82F6] p-4" />
      <a href="#top">top</a>
    </Box>
  );
}
const styles = StyleSheet.create({ title: { color: "black", borderColor: "#ccc" } });
"""
    found = _run(rules, "a.tsx", "tsx", code)
    assert _clear(found) == [
        (3, "#fff"),
        (3, "white"),
        (4, "limegreen"),
        (5, "#ff0000"),
        (6, "red"),
        (8, "#108ee9"),
        (8, "#3B82F6"),
        (13, "black"),
        (13, "#ccc"),
    ]
    assert _ambiguous(found) == [(7, "red")]
    badge = next(c for c in found if not c.clear)
    assert "theme or component color name" in badge.data["ambiguous"]


def test_dom_canvas_selectors_and_prose(rules: dict[str, Rule]) -> None:
    code = """export function paint(el, ctx) {
  el.style.backgroundColor = "#fff3bf";
  el.style.setProperty("--hl", "#ffd43b");
  el.style.setProperty("border-color", "orange");
  ctx.fillStyle = "rgba(34, 139, 230, 0.1)";
  document.querySelector("#add");
  if (location.hash === "#feed") return "Fixes #123 and red bugs";
  const pinned = ids.includes("#1234");
  el.innerHTML = `<b style="color: #c92a2a">${msg}</b>`;
}
"""
    found = _run(rules, "a.js", "javascript", code)
    assert _clear(found) == [(2, "#fff3bf"), (4, "orange"), (5, "rgba(34, 139, 230, 0.1)"), (9, "#c92a2a")]
    assert _ambiguous(found) == [(8, "#1234")]


def test_color_strings_outside_style_code_are_decided(rules: dict[str, Rule]) -> None:
    code = """export const ACCENT = "#ff6600";
const palette = { brand: "#0af", danger: "#f00" };
const chart = { borderColor: "#36a2eb" };
function draw(ctx) {
  const trueColor = "#fff";
  ctx.drawText("hi", "#ff6600");
  return <View style={{ color: flag ? trueColor : "#000" }} />;
}
const isDefault = opts.borderColor === "rgba(0,0,0,0.1)";
const tint = (dark) => (dark ? "#111" : "#eee");
"""
    found = _run(rules, "a.tsx", "tsx", code)
    # a constant, a variable and a palette are definitions; a comparison paints nothing
    assert _clear(found) == [(3, "#36a2eb"), (6, "#ff6600"), (7, "#000"), (10, "#111"), (10, "#eee")]
    assert _ambiguous(found) == []


def test_python_strings(rules: dict[str, Rule]) -> None:
    code = '''"""Report colors: #0b5394 for actuals."""
PRIMARY = "#3b82f6"


def plot(ax, label):
    ax.bar(x, y, color="#0b5394", edgecolor="none")
    ax.plot(x, y, color="red")
    click.secho("failed", fg="red")
    label.setStyleSheet("QLabel { color: #333; background: white; }")
    ref = "#" + str(42)
    return f"#{value:06x}", "#%02x%02x%02x" % rgb, b"#ffffff", "#123"
'''
    found = _run(rules, "plots.py", "python", code)
    assert _clear(found) == [(6, "#0b5394"), (9, "#333"), (9, "white")]
    assert _ambiguous(found) == [(7, "red"), (11, "#123")]  # PRIMARY (line 2) is a definition


def test_token_and_test_files_are_skipped(rules: dict[str, Rule]) -> None:
    code = ".a { color: #333; }"
    assert _run(rules, "tokens.css", "css", code, DetectContext(root=Path("."), is_token_file=True)) == []
    assert _run(rules, "a.test.css", "css", code, DetectContext(root=Path("."), is_test_file=True)) == []
    found = _run(rules, "a.test.css", "css", code, DetectContext(root=Path("."), is_test_file=True), check_tests=True)
    assert _clear(found) == [(1, "#333")]


def test_allow_option_matches_any_notation(rules: dict[str, Rule]) -> None:
    code = ".a { color: #FFFFFF; background: rgb(0, 0, 0); border-color: #333; }"
    found = _run(rules, "a.css", "css", code, allow=["#fff", "black"])
    assert _clear(found) == [(1, "#333")]


def test_colors_equal_to_a_token_are_left_to_design_tokens(rules: dict[str, Rule], tmp_path: Path) -> None:
    (tmp_path / "tokens.css").write_text(":root { --color-primary: #3b82f6; --shadow-sm: 0 1px 2px rgba(0,0,0,.05); }")
    code = ".a { color: #3B82F6; background: #ff0000; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.05); }"
    ctx = DetectContext(
        root=tmp_path,
        repository=DirectoryRepository(tmp_path),
        token_files=DEFAULT_TOKEN_FILES,
        rules={"design-tokens": rules["design-tokens"], "hardcoded-colors": rules["hardcoded-colors"]},
    )
    assert _clear(_run(rules, "a.css", "css", code, ctx)) == [(1, "#ff0000")]
    alone = DetectContext(root=tmp_path, repository=DirectoryRepository(tmp_path), token_files=DEFAULT_TOKEN_FILES)
    assert [s for _, s in _clear(_run(rules, "a.css", "css", code, alone))] == [
        "#3B82F6",
        "#ff0000",
        "rgba(0, 0, 0, 0.05)",
    ]


@pytest.mark.parametrize(
    ("path", "language", "code"),
    [
        ("a.css", "css", ".a { color: #fff; background: rgb(1, 2; } } {{ url( '"),
        ("a.scss", "scss", ".a { color: #{$x; &:hover { fill: red } @include ("),
        ("a.tsx", "tsx", "const A = styled.div`color: #fff; ${p => p.x ? 'red' : '#000'`; <div style={{color: 'red'"),
        ("a.py", "python", "ax.plot(color='#fff'\nx = f'{'\n\"#fff"),
    ],
)
def test_broken_input_does_not_crash(rules: dict[str, Rule], path: str, language: str, code: str) -> None:
    found = _run(rules, path, language, code)
    assert all(0 <= c.span.start_byte < c.span.end_byte <= len(code.encode()) for c in found)
    if language == "css":
        assert _clear(found)[:1] == [(1, "#fff")]


def test_custom_properties_and_theme_paths_in_style_objects(rules: dict[str, Rule]) -> None:
    code = """export const Icon = () => (
  <svg style={{ '--dark': '#000', '--light': '#fff' } as CSSProperties}>
    <path fill="#fff" d="M0 0h24" />
  </svg>
);
export const Tag = () => <Box sx={{ bgcolor: 'grey.300', color: 'text.secondary', borderColor: 'red' }} />;
"""
    found = _run(rules, "Icon.tsx", "tsx", code)
    assert _clear(found) == [(3, "#fff"), (6, "red")]
    assert _ambiguous(found) == []


def test_theme_definitions_are_not_uses(rules: dict[str, Rule]) -> None:
    code = """export const createAppTheme = (mode: 'light' | 'dark'): ThemeOptions => ({
  components: { MuiCssBaseline: { styleOverrides: { body: { backgroundColor: '#fbfbfb' } } } },
});
export const dark = createTheme({ palette: { background: { default: '#121212' } } });
const darkTheme = { colors: { text: '#eee' } };
export const Root = () => <ThemeProvider theme={{ primary: '#0af' }}><main style={{ color: '#333' }} /></ThemeProvider>;
const chart = { borderColor: '#36a2eb' };
"""
    found = _run(rules, "src/App.tsx", "tsx", code)
    assert _clear(found) == [(6, "#333"), (7, "#36a2eb")]
    assert _ambiguous(found) == []


def test_modules_in_a_theme_folder_define_colors(rules: dict[str, Rule]) -> None:
    code = """export default function formatToken(token) {
  return Object.assign({}, token, { colorBgMask: 'rgba(0, 0, 0, 0.45)', boxShadow: '0 1px 2px #000' });
}
export const GlobalStyle = createGlobalStyle`body { color: #333; }`;
"""
    in_theme = _run(rules, "es/theme/util/alias.js", "javascript", code)
    assert _clear(in_theme) == [(4, "#333")]
    assert _ambiguous(in_theme) == []  # the theme module's objects define colors
    elsewhere = _run(rules, "es/menu/style/index.js", "javascript", code)
    assert _clear(elsewhere) == [(2, "#000"), (4, "#333")]
    component = "export const Toggle = () => <div style={{ color: '#fff' }} />;\n"
    assert _clear(_run(rules, "src/theme/Toggle.tsx", "tsx", component)) == [(1, "#fff")]


def test_python_palette_tables_through_calls_are_definitions(rules: dict[str, Rule]) -> None:
    code = """SEABORN_PALETTES = dict(
    deep=["#4C72B0", "#DD8452"],
)
DEFAULT_STYLES = {"bar.complete": Style(color="rgb(249,38,114)")}
LINE = dict(color="#1f77b4", lw=2)
fig = plt.figure(facecolor="#fafafa")
fig, ax = plt.subplots(facecolor="#fafafa")

def plot(ax):
    ax.plot([1, 2], color="#1f77b4")
    return palette() + ["#333333"]
"""
    found = _run(rules, "palettes.py", "python", code)
    assert _clear(found) == [(6, "#fafafa"), (7, "#fafafa"), (10, "#1f77b4"), (11, "#333333")]
    assert _ambiguous(found) == []  # lines 2, 4 and 5 are palette and style tables: definitions


def test_editor_themes_palettes_and_defaults_are_definitions(rules: dict[str, Rule]) -> None:
    code = """export const draculaStyle: CreateThemeOptions['styles'] = [{ tag: t.comment, color: '#6272a4' }];
monaco.editor.defineTheme('night', { base: 'vs-dark', inherit: true, rules: [], colors: { 'editor.background': '#1e1e1e' } });
const BORDER_COLORS = ['rgb(54, 162, 235)', 'rgb(255, 99, 132)', 'rgb(255, 159, 64)'];
function predefined() {
  const palettes = { palette1: ['#008FFB', '#00E396', '#FEB019'], default: ['#008FFB', '#00E396', '#FEB019'] };
  const shades = { 50: '#e3f2fd', 100: '#bbdefb', 500: '#2196f3' };
  return { palettes, shades };
}
class ArcElement extends Element {
  static defaults = { borderAlign: 'center', borderColor: '#fff' };
}
Badge.defaultProps = { color: '#f00' };
const Card = () => <div style={{ borderColor: '#ccc', color: '#111', background: '#fafafa' }} />;
const chart = { datasets: [{ backgroundColor: ['#f00', '#0f0', '#00f'] }] };
"""
    found = _run(rules, "src/charts.tsx", "tsx", code)
    assert _ambiguous(found) == []
    assert _clear(found) == [(13, "#ccc"), (13, "#111"), (13, "#fafafa"), (14, "#f00"), (14, "#0f0"), (14, "#00f")]


def test_uses_outside_style_code_go_to_the_model_when_its_tier_is_on(rules: dict[str, Rule]) -> None:
    code = 'gradient.addColorStop(0, "#ff0000");\nconst a = { color: "#00ff00" };\n'
    found = _run(rules, "a.js", "javascript", code)
    assert _clear(found) == [(1, "#ff0000"), (2, "#00ff00")]
    file = SourceFile.parse("a.js", "javascript", code.encode())
    with_model = detect(
        file, rules["hardcoded-colors"].with_overrides(None, {}, llm=True), DetectContext(root=Path("."))
    )
    assert [(c.span.line, c.clear) for c in with_model] == [(1, False), (2, True)]
