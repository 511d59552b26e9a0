"""color_values.py: normalization, the CSS lexer, value scanning, Tailwind and embedded CSS."""

from __future__ import annotations

import pytest

from tinyarms_lint.detectors.color_values import (
    colors_in_css,
    colors_in_embedded_css,
    colors_in_value,
    declarations,
    hex_doubt,
    is_color_property,
    normalize_color,
    tailwind_colors,
    whole_string_color,
)


@pytest.mark.parametrize(
    "text",
    ["#FFF", "#ffffff", "#FFFFFFFF", "rgb(255,255,255)", "rgb(255 255 255)", "rgba(255, 255, 255, 1)",
     "rgb(100%, 100%, 100%)", "hsl(0, 0%, 100%)", "hsl(0deg 0% 100% / 1)", "white", "White"],
)  # fmt: skip
def test_equal_colors_normalize_equal(text: str) -> None:
    assert normalize_color(text) == "#ffffff"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rgba(0,0,0,.2)", "#00000033"),
        ("rgb(0 0 0 / 20%)", "#00000033"),
        ("#0003", "#00000033"),
        ("hsla(217, 91%, 60%, 0.5)", "#3c83f680"),
        ("rgba(#000, .5)", "#00000080"),  # SCSS
        ("hsl(0.5turn 100% 50%)", "#00ffff"),
        ("oklch(70% 0.1 200)", "oklch(70% 0.1 200)"),
    ],
)
def test_alpha_and_other_notations(text: str, expected: str) -> None:
    assert normalize_color(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "#12345",
        "#ggg",
        "rgb(var(--r), 0, 0)",
        "rgba($black, .5)",
        "rgb(1, 2)",
        "currentColor",
        "transparent",
        "calc(1px)",
    ],
)
def test_non_literals_do_not_normalize(text: str) -> None:
    assert normalize_color(text) is None


def test_declarations_kinds_and_scopes() -> None:
    css = (
        b"$brand: #0af !default;\n"
        b":root { --x: #fff; }\n"
        b"@media (min-width: 768px) { .a:hover { color: red; } }\n"
        b".b { @include button-variant($primary); @apply bg-[#fff]; }\n"
    )
    found = [(d.property, d.kind, d.scope) for d in declarations(css)]
    assert found == [
        ("$brand", "scss-variable", ()),
        ("--x", "custom-property", (":root",)),
        ("color", "property", ("@media (min-width: 768px)", ".a:hover")),
        ("@include", "include", (".b",)),
        ("@apply", "apply", (".b",)),
    ]


def test_selectors_comments_urls_and_interpolation_are_not_declarations() -> None:
    css = (
        b"/* color: red; */\n"
        b"#header a:hover { background: url(data:image/png;base64,AAAA) no-repeat; }\n"
        b".x-#{$name} { color: #{$c}; }\n"
        b"// color: blue;\n"
    )
    found = [(d.property, css[d.value_start : d.value_end]) for d in declarations(css)]
    assert found == [
        ("background", b"url(data:image/png;base64,AAAA) no-repeat"),
        ("color", b"#{$c}"),
    ]


def test_line_comments_only_where_the_language_has_them() -> None:
    css = b".a { background: url(//cdn.example.com/x.png); color: red; }"
    assert [d.property for d in declarations(css, line_comments=False)] == ["background", "color"]
    assert [d.property for d in declarations(css, line_comments=True)] == ["background", "color"]


def _texts(value: bytes, named: bool = True) -> list[str]:
    return [c.text for c in colors_in_value(value, 0, len(value), named=named)]


def test_every_color_of_a_gradient_and_shadow() -> None:
    assert _texts(b"linear-gradient(135deg, #6366f1 0%, rgba(168, 85, 247, .5) 100%)") == [
        "#6366f1",
        "rgba(168, 85, 247, .5)",
    ]
    assert _texts(b"0 1px 2px rgba(0,0,0,.2), inset 0 0 0 1px black") == ["rgba(0,0,0,.2)", "black"]


def test_references_and_keywords_are_not_colors() -> None:
    assert _texts(b"var(--brand, #fff)") == []
    assert _texts(b"url(#gradient) no-repeat") == []
    assert _texts(b"1px solid currentColor") == []
    assert _texts(b"rgba($black, .35)") == []
    assert _texts(b"#{$link-color}") == []
    assert _texts(b"theme('colors.blue.500')") == []
    assert _texts(b'"#fff" red !important') == ["red"]
    assert _texts(b"darken($c, 10%) red", named=False) == []


def test_comments_inside_values_and_non_literal_color_functions() -> None:
    assert _texts(b"red /* #ff0000 */ !important") == ["red"]
    assert _texts(b"color(green)") == ["green"]  # a non-literal color function is looked into
    assert _texts(b"lab(var(--l) 20 30)") == []
    assert _texts(b"#12345") == ["#12345"]  # a mistyped hex is still a hardcoded color
    assert normalize_color("hwb(0 0% 0%)") == "#ff0000" and normalize_color("hwb(0, 100%, 100%)") == "#808080"


def test_named_colors_need_a_color_property() -> None:
    css = b".a { font-family: Red Hat Display; color: red; transition: color .2s; border: 1px solid tomato; }"
    assert [(d.property, c.text) for d, c in colors_in_css(css)] == [("color", "red"), ("border", "tomato")]


def test_definitions_are_skipped_but_include_arguments_are_checked() -> None:
    scss = b"$a: #fff; :root { --b: #000; } .c { @include variant(#dc3545, $x); fill: darken(#f00, 5%); }"
    assert [c.text for _, c in colors_in_css(scss)] == ["#dc3545", "#f00"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("color", True), ("backgroundColor", True), ("border-left-color", True), ("-webkit-text-fill-color", True),
     ("box-shadow", True), ("borderBottom", True), ("fill", True), ("color-scheme", False), ("border-width", False),
     ("border-radius", False), ("--brand", False), ("font-family", False), ("transition", False)],
)  # fmt: skip
def test_color_properties(name: str, expected: bool) -> None:
    assert is_color_property(name) is expected


def test_tailwind_arbitrary_values() -> None:
    classes = b"bg-[#3B82F6] hover:text-[rgb(1_2_3)] p-4 max-w-[72rem] border-t-[color:#fff]/50 [--x:#abc] shadow-[0_1px_#000]"
    found = [
        (hit.utility, hit.color.text, classes[hit.class_start : hit.class_end])
        for hit in tailwind_colors(classes, 0, len(classes))
    ]
    assert found == [
        ("bg", "#3B82F6", b"bg-[#3B82F6]"),
        ("text", "rgb(1_2_3)", b"hover:text-[rgb(1_2_3)]"),
        ("border-t", "#fff", b"border-t-[color:#fff]/50"),
        ("shadow", "#000", b"shadow-[0_1px_#000]"),
    ]
    assert tailwind_colors(b"see issue [#123] and arr[0]", 0, 27) == []


def test_whole_string_colors_and_doubts() -> None:
    assert whole_string_color("#3b82f6") == ("hex", "#3b82f6")
    assert whole_string_color(" rgba(0, 0, 0, 0.5) ") == ("function", "#00000080")
    assert whole_string_color("#123abc is blue") is None
    assert whole_string_color("red") is None
    assert hex_doubt("#fff") is None and hex_doubt("#333") is None and hex_doubt("#000000") is None
    assert hex_doubt("#123") and hex_doubt("#2048") and hex_doubt("#add") and hex_doubt("#feed")
    assert hex_doubt("#80000000") is None


def test_embedded_css_in_markup_and_stylesheets() -> None:
    html = b"<td style=\"padding: 4px; color: #374151\">x</td><p style='background:red'>"
    assert [c.text for _, c in colors_in_embedded_css(html, 0, len(html))] == ["#374151", "red"]
    qt = b"QPushButton { background-color: #1976d2; color: white; }"
    assert [c.text for _, c in colors_in_embedded_css(qt, 0, len(qt))] == ["#1976d2", "white"]
    for prose in (b"Color: red means offline", b"Error: #fff is not allowed", b"<b>#fff</b>"):
        assert colors_in_embedded_css(prose, 0, len(prose)) == []


def test_broken_css_does_not_crash() -> None:
    broken = b'.a { color: rgb(1, 2; background: #fff; } } { url( "unterminated'
    list(declarations(broken))
    list(colors_in_css(broken))


def test_dotted_theme_paths_are_not_named_colors() -> None:
    for value in (b"grey.300", b"text.secondary", b"1px solid red.main"):
        assert [c.text for c in colors_in_value(value, 0, len(value), named=True)] == []
    value = b"1px solid grey"
    assert [c.text for c in colors_in_value(value, 0, len(value), named=True)] == ["grey"]
