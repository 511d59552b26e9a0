"""tokens.py: every token format, aliases, categories, and how token files are found."""

from __future__ import annotations

import json
from pathlib import Path

from tinyarms_lint.config import DEFAULT_TOKEN_FILES
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.repository import DirectoryRepository, GitRepository
from tinyarms_lint.tokens import Token, build_token_set, category_for, load_tokens, shadow_key, value_key

from .conftest import git


def _tokens(files: dict[str, str]) -> dict[str, Token]:
    token_set = build_token_set((path, text.encode()) for path, text in files.items())
    return {t.name: t for t in token_set.tokens}


def _summary(tokens: dict[str, Token]) -> dict[str, tuple[str, str]]:
    return {name: (t.category, t.key) for name, t in tokens.items()}


def test_css_custom_properties_at_the_root_only() -> None:
    css = """
:root {
  --color-primary: #3B82F6;
  --color-link: var(--color-primary);
  --space-4: 1rem;
  --radius-md: 8px;
  --font-size-sm: 14px;
  --text-lg: 1.125rem;
  --shadow-sm: 0 1px 2px rgba(0, 0, 0, .05);
  --z-modal: 50;
  --width-sidebar: 240px;
}
@media (prefers-color-scheme: dark) { :root { --color-bg: #0f172a; } }
.dark { --color-primary: #60a5fa; --color-only-dark: #111; }
.card { --card-padding: 24px; }
"""
    tokens = _tokens({"src/styles/tokens.css": css})
    assert _summary(tokens) == {
        "--color-primary": ("color", "#3b82f6"),
        "--color-link": ("color", "#3b82f6"),
        "--space-4": ("spacing", "1rem"),
        "--radius-md": ("radius", "8px"),
        "--font-size-sm": ("font-size", "14px"),
        "--text-lg": ("font-size", "1.125rem"),
        "--shadow-sm": ("shadow", "0 1px 2px #0000000d"),
        "--color-bg": ("color", "#0f172a"),
    }
    assert tokens["--color-primary"].direct and not tokens["--color-link"].direct
    assert tokens["--color-primary"].source == "css" and tokens["--color-primary"].path == "src/styles/tokens.css"


def test_scss_variables_top_level_with_aliases() -> None:
    scss = """
$blue-500: #3b82f6 !default;
$primary: $blue-500 !default;
$spacer: 1rem;
$border-radius-lg: .5rem;
$theme-colors: ("primary": $primary);
$enable-shadows: false;
.a { $local: #fff; }
"""
    tokens = _tokens({"_variables.scss": scss})
    assert _summary(tokens) == {
        "$blue-500": ("color", "#3b82f6"),
        "$primary": ("color", "#3b82f6"),
        "$spacer": ("spacing", "1rem"),
        "$border-radius-lg": ("radius", "0.5rem"),
    }
    assert all(t.source == "scss" for t in tokens.values())


def test_w3c_style_dictionary_and_tokens_studio_json() -> None:
    w3c = {
        "color": {"$type": "color", "brand": {"$value": "#FF5500"}, "link": {"$value": "{color.brand}"}},
        "space": {"$type": "dimension", "sm": {"$value": "8px"}},
        "shadow": {"card": {"$type": "shadow", "$value": {"offsetX": "0", "offsetY": "4px", "blur": "8px",
                                                            "spread": "0", "color": "#00000033"}}},
        "duration": {"fast": {"$value": "100ms", "$type": "duration"}},
    }  # fmt: skip
    style_dictionary = {
        "color": {"base": {"gray": {"100": {"value": "#f3f4f6"}}}},
        "size": {"padding": {"md": {"value": "16px"}}},
    }
    studio = {"global": {"radius": {"value": "6", "type": "borderRadius"}, "fg": {"value": "#111", "type": "color"}}}
    tokens = _tokens({
        "design/tokens.json": json.dumps(w3c),
        "sd/base.tokens.json": json.dumps(style_dictionary),
        "themes/studio.json": json.dumps(studio),
    })  # fmt: skip
    assert _summary(tokens) == {
        "color.brand": ("color", "#ff5500"),
        "color.link": ("color", "#ff5500"),
        "space.sm": ("spacing", "8px"),
        "shadow.card": ("shadow", "0 4px 8px 0 #00000033"),
        "color.base.gray.100": ("color", "#f3f4f6"),
        "size.padding.md": ("spacing", "16px"),
        "global.radius": ("radius", "6px"),
        "global.fg": ("color", "#111111"),
    }
    assert not tokens["color.link"].direct


def test_js_theme_objects_only_exported_roots() -> None:
    theme = """
const palette = { blue: { 500: "#3b82f6" } };
export const theme = {
  colors: { primary: palette.blue[500], "brand-dark": "#1e3a8a", gray: { 100: "#f3f4f6" } },
  space: [0, 4, 8, 16],
  radii: { md: "8px", round: "50%" },
  fontSizes: { sm: "14px" },
  shadows: { card: "0 1px 3px rgba(0,0,0,0.1)" },
  zIndices: { modal: 1400 },
} as const;
export default theme;
"""
    tokens = _tokens({"src/theme/theme.ts": theme})
    assert _summary(tokens) == {
        'theme.colors["brand-dark"]': ("color", "#1e3a8a"),
        "theme.colors.gray[100]": ("color", "#f3f4f6"),
        "theme.space[0]": ("spacing", "0px"),
        "theme.space[1]": ("spacing", "4px"),
        "theme.space[2]": ("spacing", "8px"),
        "theme.space[3]": ("spacing", "16px"),
        "theme.radii.md": ("radius", "8px"),
        "theme.fontSizes.sm": ("font-size", "14px"),
        "theme.shadows.card": ("shadow", "0 1px 3px #0000001a"),
        "theme.colors.primary": ("color", "#3b82f6"),
    }
    assert "palette.blue[500]" not in tokens  # not exported: no other module can write it


def test_mui_create_theme_and_default_export_object() -> None:
    mui = "export const theme = createTheme({ palette: { primary: { main: '#1976d2' } } });"
    default = "export default { colors: { accent: '#f43f5e' } };"
    tokens = _tokens({"src/mui/theme.js": mui, "src/tokens.js": default})
    assert _summary(tokens) == {
        "theme.palette.primary.main": ("color", "#1976d2"),
        "tokens.colors.accent": ("color", "#f43f5e"),
    }


def test_tailwind_config_theme_and_extend() -> None:
    config = """
/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ["./src/**/*.tsx"],
  theme: {
    colors: { white: "#fff", brand: { DEFAULT: "#7c3aed", 600: "#6d28d9" } },
    extend: {
      spacing: { 18: "4.5rem" },
      fontSize: { tiny: ["0.625rem", { lineHeight: "1rem" }] },
      borderRadius: { card: "10px" },
      boxShadow: { soft: "0 2px 8px rgba(0, 0, 0, 0.08)" },
      screens: { xs: "420px" },
    },
  },
};
"""
    tokens = build_token_set([("tailwind.config.js", config.encode())]).tokens
    assert [(t.name, t.category, t.key, t.tailwind) for t in tokens] == [
        ("colors.white", "color", "#ffffff", "white"),
        ("colors.brand", "color", "#7c3aed", "brand"),
        ("colors.brand.600", "color", "#6d28d9", "brand-600"),
        ("spacing.18", "spacing", "4.5rem", "18"),
        ("fontSize.tiny", "font-size", "0.625rem", "tiny"),
        ("borderRadius.card", "radius", "10px", "card"),
        ("boxShadow.soft", "shadow", "0 2px 8px #00000014", "soft"),
    ]


def test_python_palette_module() -> None:
    code = 'PRIMARY = "#2563eb"\nPALETTE = {"cost": "#f97316", "name": "Acme"}\nclass Chart:\n    BG = "#fafafa"\n    SIZE = 11\n'
    assert _summary(_tokens({"app/theme.py": code})) == {
        "PRIMARY": ("color", "#2563eb"),
        'PALETTE["cost"]': ("color", "#f97316"),
        "Chart.BG": ("color", "#fafafa"),
    }


def test_categories_need_a_telling_name_or_type() -> None:
    assert category_for("--space-4", "16px") == "spacing"
    assert category_for("$gutter", "20px") == "spacing"
    assert category_for("--width-sidebar", "240px") is None
    assert category_for("--md", "16px") is None
    assert category_for("--anything", "16px", hint="radius") == "radius"
    assert category_for("--brand", "#fff") == "color"
    assert category_for("--shadow-md", "none") is None


def test_value_keys() -> None:
    assert value_key("spacing", ".5rem") == value_key("spacing", "0.50rem") == "0.5rem"
    assert value_key("spacing", "16") is None and value_key("spacing", "16", unitless_px=True) == "16px"
    assert shadow_key("0px 1px 2px rgba(0,0,0,.05)") == shadow_key("0 1px  2px rgba(0, 0, 0, 0.05) !important")
    assert shadow_key("none") is None


def test_load_tokens_by_globs_from_the_repository_and_cached(tmp_path: Path) -> None:
    (tmp_path / "src" / "styles").mkdir(parents=True)
    (tmp_path / "src" / "styles" / "tokens.css").write_text(":root { --c: #123456; }")
    (tmp_path / "src" / "styles" / "main.css").write_text(":root { --not-a-token-file: #abcdef; }")
    (tmp_path / "node_modules" / "lib").mkdir(parents=True)
    (tmp_path / "node_modules" / "lib" / "tokens.css").write_text(":root { --vendored: #fedcba; }")
    ctx = DetectContext(root=tmp_path, repository=DirectoryRepository(tmp_path), token_files=DEFAULT_TOKEN_FILES)
    tokens = load_tokens(ctx)
    assert [t.name for t in tokens.tokens] == ["--c"] and tokens.files == ["src/styles/tokens.css"]
    (tmp_path / "src" / "styles" / "tokens.css").write_text(":root { --changed: #000; }")
    assert load_tokens(ctx) is tokens  # loaded once per run
    custom = DetectContext(root=tmp_path, repository=DirectoryRepository(tmp_path), token_files=("src/**/main.css",))
    assert [t.name for t in load_tokens(custom).tokens] == ["--not-a-token-file"]


def test_without_a_repository_the_root_is_walked(tmp_path: Path) -> None:
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "tokens.json").write_text('{"color": {"red": {"$value": "#f00", "$type": "color"}}}')
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "tokens.css").write_text(":root { --hidden: #000; }")
    tokens = load_tokens(DetectContext(root=tmp_path, token_files=DEFAULT_TOKEN_FILES))
    assert [(t.name, t.key) for t in tokens.tokens] == [("color.red", "#ff0000")]
    assert len(load_tokens(DetectContext(root=tmp_path, token_files=()))) == 0


def test_tokens_come_from_the_index_in_hook_mode(repo: Path) -> None:
    (repo / "tokens.css").write_text(":root { --color-staged: #111111; }")
    git(repo, "add", "tokens.css")
    (repo / "tokens.css").write_text(":root { --color-unstaged: #222222; }")
    staged = load_tokens(
        DetectContext(root=repo, repository=GitRepository(repo, True), token_files=DEFAULT_TOKEN_FILES)
    )
    assert [t.name for t in staged.tokens] == ["--color-staged"]
    working = load_tokens(
        DetectContext(root=repo, repository=GitRepository(repo, False), token_files=DEFAULT_TOKEN_FILES)
    )
    assert [t.name for t in working.tokens] == ["--color-unstaged"]


def test_unreadable_token_files_are_ignored() -> None:
    tokens = build_token_set(
        [("tokens.json", b"{not json"), ("theme.ts", b"export const = {"), ("tokens.css", b"\xff\xfe")]
    )
    assert len(tokens) == 0


def test_component_dimension_tokens_name_their_component() -> None:
    tokens = _tokens(
        {
            "scss/_variables.scss": "$spacer-2: .5rem;\n$kbd-padding-x: .5rem;\n$h3-font-size: 1.75rem;\n"
            "$border-radius-sm: 2px;\n$card-title-spacer-y: 1.25rem;\n$brand: #0af;\n",
            "css/tokens.css": ":root { --bs-gap: 4px; --bs-card-spacer-y: 1rem; --bs-radius: 6px; --bs-body: 1px; }\n",
        }
    )
    components = {name: t.component for name, t in tokens.items()}
    assert components == {
        "$spacer-2": (),
        "$kbd-padding-x": ("kbd",),
        "$h3-font-size": ("h3",),
        "$border-radius-sm": (),
        "$card-title-spacer-y": ("card", "title"),
        "$brand": (),
        "--bs-gap": (),  # --bs- is the file's namespace
        "--bs-card-spacer-y": ("card",),
        "--bs-radius": (),
    }
    assert tokens["$kbd-padding-x"].fits("src/scss/_kbd.scss .kbd")
    assert not tokens["$kbd-padding-x"].fits("src/scss/_tables.scss .table td")
    assert not tokens["$card-title-spacer-y"].fits("src/scss/_cards.scss .card-body")
    assert tokens["$card-title-spacer-y"].fits("src/scss/_cards.scss .card-title")
    token_set = build_token_set(
        [("scss/_variables.scss", b"$kbd-padding-x: .5rem;\n$spacer: $spacer-2;\n$spacer-2: .5rem;\n")]
    )
    assert [t.name for t in token_set.matching("spacing", "0.5rem")] == ["$spacer-2", "$spacer", "$kbd-padding-x"]
