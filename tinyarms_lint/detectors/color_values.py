"""Finding and comparing CSS colors: a small CSS lexer (declarations and values), color literals
(hex, rgb()/hsl()/..., named colors), their normalized form, and which properties take colors.

Everything works on UTF-8 bytes with absolute offsets, so a caller can scan a whole CSS file, a
styled-components template (with ``${...}`` masked) or the inside of a string literal and get
spans in the file directly. Shared by ``hardcoded-colors``, ``design-tokens`` and ``tokens.py``.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

ColorKind = Literal["hex", "function", "named"]

# Byte used to mask template substitutions (``${...}``) so offsets stay put and the masked text
# is neither an identifier, nor a number, nor a color.
MASK = 0x01

NAMED_COLORS: dict[str, str] = {
    "aliceblue": "#f0f8ff", "antiquewhite": "#faebd7", "aqua": "#00ffff", "aquamarine": "#7fffd4",
    "azure": "#f0ffff", "beige": "#f5f5dc", "bisque": "#ffe4c4", "black": "#000000",
    "blanchedalmond": "#ffebcd", "blue": "#0000ff", "blueviolet": "#8a2be2", "brown": "#a52a2a",
    "burlywood": "#deb887", "cadetblue": "#5f9ea0", "chartreuse": "#7fff00", "chocolate": "#d2691e",
    "coral": "#ff7f50", "cornflowerblue": "#6495ed", "cornsilk": "#fff8dc", "crimson": "#dc143c",
    "cyan": "#00ffff", "darkblue": "#00008b", "darkcyan": "#008b8b", "darkgoldenrod": "#b8860b",
    "darkgray": "#a9a9a9", "darkgreen": "#006400", "darkgrey": "#a9a9a9", "darkkhaki": "#bdb76b",
    "darkmagenta": "#8b008b", "darkolivegreen": "#556b2f", "darkorange": "#ff8c00", "darkorchid": "#9932cc",
    "darkred": "#8b0000", "darksalmon": "#e9967a", "darkseagreen": "#8fbc8f", "darkslateblue": "#483d8b",
    "darkslategray": "#2f4f4f", "darkslategrey": "#2f4f4f", "darkturquoise": "#00ced1",
    "darkviolet": "#9400d3", "deeppink": "#ff1493", "deepskyblue": "#00bfff", "dimgray": "#696969",
    "dimgrey": "#696969", "dodgerblue": "#1e90ff", "firebrick": "#b22222", "floralwhite": "#fffaf0",
    "forestgreen": "#228b22", "fuchsia": "#ff00ff", "gainsboro": "#dcdcdc", "ghostwhite": "#f8f8ff",
    "gold": "#ffd700", "goldenrod": "#daa520", "gray": "#808080", "green": "#008000",
    "greenyellow": "#adff2f", "grey": "#808080", "honeydew": "#f0fff0", "hotpink": "#ff69b4",
    "indianred": "#cd5c5c", "indigo": "#4b0082", "ivory": "#fffff0", "khaki": "#f0e68c",
    "lavender": "#e6e6fa", "lavenderblush": "#fff0f5", "lawngreen": "#7cfc00", "lemonchiffon": "#fffacd",
    "lightblue": "#add8e6", "lightcoral": "#f08080", "lightcyan": "#e0ffff",
    "lightgoldenrodyellow": "#fafad2", "lightgray": "#d3d3d3", "lightgreen": "#90ee90",
    "lightgrey": "#d3d3d3", "lightpink": "#ffb6c1", "lightsalmon": "#ffa07a", "lightseagreen": "#20b2aa",
    "lightskyblue": "#87cefa", "lightslategray": "#778899", "lightslategrey": "#778899",
    "lightsteelblue": "#b0c4de", "lightyellow": "#ffffe0", "lime": "#00ff00", "limegreen": "#32cd32",
    "linen": "#faf0e6", "magenta": "#ff00ff", "maroon": "#800000", "mediumaquamarine": "#66cdaa",
    "mediumblue": "#0000cd", "mediumorchid": "#ba55d3", "mediumpurple": "#9370db",
    "mediumseagreen": "#3cb371", "mediumslateblue": "#7b68ee", "mediumspringgreen": "#00fa9a",
    "mediumturquoise": "#48d1cc", "mediumvioletred": "#c71585", "midnightblue": "#191970",
    "mintcream": "#f5fffa", "mistyrose": "#ffe4e1", "moccasin": "#ffe4b5", "navajowhite": "#ffdead",
    "navy": "#000080", "oldlace": "#fdf5e6", "olive": "#808000", "olivedrab": "#6b8e23",
    "orange": "#ffa500", "orangered": "#ff4500", "orchid": "#da70d6", "palegoldenrod": "#eee8aa",
    "palegreen": "#98fb98", "paleturquoise": "#afeeee", "palevioletred": "#db7093",
    "papayawhip": "#ffefd5", "peachpuff": "#ffdab9", "peru": "#cd853f", "pink": "#ffc0cb",
    "plum": "#dda0dd", "powderblue": "#b0e0e6", "purple": "#800080", "rebeccapurple": "#663399",
    "red": "#ff0000", "rosybrown": "#bc8f8f", "royalblue": "#4169e1", "saddlebrown": "#8b4513",
    "salmon": "#fa8072", "sandybrown": "#f4a460", "seagreen": "#2e8b57", "seashell": "#fff5ee",
    "sienna": "#a0522d", "silver": "#c0c0c0", "skyblue": "#87ceeb", "slateblue": "#6a5acd",
    "slategray": "#708090", "slategrey": "#708090", "snow": "#fffafa", "springgreen": "#00ff7f",
    "steelblue": "#4682b4", "tan": "#d2b48c", "teal": "#008080", "thistle": "#d8bfd8",
    "tomato": "#ff6347", "turquoise": "#40e0d0", "violet": "#ee82ee", "wheat": "#f5deb3",
    "white": "#ffffff", "whitesmoke": "#f5f5f5", "yellow": "#ffff00", "yellowgreen": "#9acd32",
}  # fmt: skip

# Keywords that take a color position but are not hardcoded colors.
COLOR_KEYWORDS = frozenset({"currentcolor", "transparent", "inherit", "initial", "unset", "revert", "none", "auto"})

COLOR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color"})
# Functions whose arguments are references or data, never hardcoded colors (var() fallbacks
# belong to a token).
_OPAQUE_FUNCTIONS = frozenset(
    {"var", "env", "url", "theme", "attr", "image", "image-set", "format", "local", "src", "map-get", "map.get",
     "map-has-key", "map.has-key", "map-merge", "map.merge", "palette", "token", "tokens"}
)  # fmt: skip
# Arguments a literal color function may have besides numbers: color spaces and ``none``.
_COLOR_SPACES = frozenset(
    {"srgb", "srgb-linear", "display-p3", "a98-rgb", "prophoto-rgb", "rec2020", "xyz", "xyz-d50", "xyz-d65", "none"}
)

# Properties (kebab-case, without vendor prefix) whose value is or contains a color.
_COLOR_PROPERTIES = frozenset(
    {
        "color",
        "background",
        "background-image",
        "border",
        "border-top",
        "border-right",
        "border-bottom",
        "border-left",
        "border-block",
        "border-block-start",
        "border-block-end",
        "border-inline",
        "border-inline-start",
        "border-inline-end",
        "border-image",
        "border-image-source",
        "outline",
        "fill",
        "stroke",
        "box-shadow",
        "text-shadow",
        "column-rule",
        "text-decoration",
        "text-emphasis",
        "text-stroke",
        "scrollbar-color",
        "filter",
        "backdrop-filter",
        "mask",
        "mask-image",
        "list-style",
        "caret",
        "bg",
        "fg",
    }
)
_NOT_COLOR_PROPERTIES = frozenset({"color-scheme", "color-interpolation", "color-rendering", "print-color-adjust"})
# JavaScript-only keys that take a color (canvas, React Native, styled-system).
_JS_COLOR_KEYS = frozenset({"fillstyle", "strokestyle", "shadowcolor", "bgcolor", "bg", "fg"})


@dataclass(frozen=True)
class ColorLiteral:
    """A color literal found in text: its byte span, text as written and normalized value."""

    start: int
    end: int
    text: str
    kind: ColorKind
    normalized: str


@dataclass(frozen=True)
class Declaration:
    """A CSS declaration ``property: value`` (or an ``@include``/``@apply`` statement) in a buffer.

    ``kind`` is ``property`` for ordinary declarations, ``custom-property`` for ``--x: ...``,
    ``scss-variable`` for ``$x: ...``, ``include``, ``apply`` and ``return`` (a SCSS ``@function``'s
    result) for those at-rules (the value is the rest of the statement).
    """

    property: str
    kind: str
    start: int
    value_start: int
    value_end: int
    scope: tuple[str, ...] = ()  # the enclosing selectors / at-rule preludes, outermost first


# --- property names ---------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_VENDOR = re.compile(r"^-(?:webkit|moz|ms|o)-")


def kebab(name: str) -> str:
    """``backgroundColor`` -> ``background-color``; CSS names are returned lowercased."""
    return _CAMEL.sub(r"-\1", name).lower()


def is_color_property(name: str) -> bool:
    """True when a CSS property (kebab or camelCase, any vendor prefix) takes a color value."""
    prop = kebab(name.strip())
    if prop.startswith(("--", "$")):
        return False
    prop = _VENDOR.sub("", prop)
    if prop in _NOT_COLOR_PROPERTIES:
        return False
    if prop in _COLOR_PROPERTIES or prop in _JS_COLOR_KEYS or prop.replace("-", "") in _JS_COLOR_KEYS:
        return True
    return prop.endswith(("-color", "-colour")) or prop == "colour"


# --- normalization ----------------------------------------------------------------------------

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_ANY_HEX = re.compile(r"^#[0-9a-fA-F]{3,8}$")
_NUMBER = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%|deg|rad|grad|turn)?$", re.IGNORECASE)


def _hex_string(r: float, g: float, b: float, a: float) -> str:
    def channel(x: float) -> str:
        return f"{max(0, min(255, round(x))):02x}"

    out = "#" + channel(r) + channel(g) + channel(b)
    if round(a * 255) < 255:
        out += channel(a * 255)
    return out


def _parse_hex(text: str) -> str | None:
    match = _HEX.match(text)
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits)
    if digits.endswith("ff") and len(digits) == 8:
        digits = digits[:6]
    return "#" + digits


def _split_args(inner: str) -> list[str] | None:
    """Split color function arguments (legacy commas or modern spaces with ``/ alpha``)."""
    inner = inner.strip()
    if "," in inner:
        parts = [p.strip() for p in inner.split(",")]
        if any(not p for p in parts):
            return None
        return parts
    if "/" in inner:
        head, _, alpha = inner.partition("/")
        parts = head.split()
        return [*parts, alpha.strip()] if alpha.strip() else None
    return inner.split()


def _number(text: str, percent_scale: float) -> float | None:
    match = _NUMBER.match(text)
    if not match:
        return None
    value = float(match.group(1))
    unit = (match.group(2) or "").lower()
    if unit == "%":
        return value * percent_scale / 100
    if unit:
        return None
    return value


def _hue(text: str) -> float | None:
    match = _NUMBER.match(text)
    if not match:
        return None
    value = float(match.group(1))
    unit = (match.group(2) or "deg").lower()
    factor = {"deg": 1.0, "rad": 180 / 3.141592653589793, "grad": 0.9, "turn": 360.0}.get(unit)
    return None if factor is None else value * factor


def normalize_color(text: str) -> str | None:
    """A canonical form of a color literal (``#rrggbb`` or ``#rrggbbaa``) so equal colors compare
    equal; other color spaces (lab(), oklch(), color()) are returned as compact lowercase text.
    None when ``text`` is not a literal color.
    """
    text = text.strip()
    lowered = text.lower()
    if lowered.startswith("#"):
        return _parse_hex(text)
    if lowered in NAMED_COLORS:
        return NAMED_COLORS[lowered]
    match = re.match(r"^([a-z]+)\((.*)\)$", lowered, re.DOTALL)
    if not match or match.group(1) not in COLOR_FUNCTIONS:
        return None
    name, inner = match.group(1), match.group(2)
    args = _split_args(inner)
    if args is None:
        return None
    if name in ("rgb", "rgba", "hsl", "hsla") and args and (args[0].startswith("#") or args[0] in NAMED_COLORS):
        # SCSS: rgba(#000, .5) / rgba(black, .5)
        base = normalize_color(args[0])
        if base is None or len(args) != 2:
            return None
        alpha = _number(args[1], 1.0)
        if alpha is None:
            return None
        r, g, b = (int(base[i : i + 2], 16) for i in (1, 3, 5))
        return _hex_string(r, g, b, alpha)
    if name in ("rgb", "rgba"):
        if len(args) not in (3, 4):
            return None
        channels = [_number(a, 255.0) for a in args[:3]]
        alpha = _number(args[3], 1.0) if len(args) == 4 else 1.0
        if any(c is None for c in channels) or alpha is None:
            return None
        red, green, blue = (float(c) for c in channels if c is not None)
        return _hex_string(red, green, blue, alpha)
    if name in ("hsl", "hsla"):
        if len(args) not in (3, 4):
            return None
        hue = _hue(args[0])
        sat = _number(args[1] if args[1].endswith("%") else args[1] + "%", 1.0)
        light = _number(args[2] if args[2].endswith("%") else args[2] + "%", 1.0)
        alpha = _number(args[3], 1.0) if len(args) == 4 else 1.0
        if hue is None or sat is None or light is None or alpha is None:
            return None
        red, green, blue = colorsys.hls_to_rgb((hue % 360) / 360, light, sat)
        return _hex_string(red * 255, green * 255, blue * 255, alpha)
    if name == "hwb" and len(args) in (3, 4):
        hue = _hue(args[0])
        white = _number(args[1], 1.0) if args[1].endswith("%") else None
        black = _number(args[2], 1.0) if args[2].endswith("%") else None
        alpha = _number(args[3], 1.0) if len(args) == 4 else 1.0
        if hue is None or white is None or black is None or alpha is None:
            return None
        if white + black >= 1:
            gray = white / (white + black) * 255
            return _hex_string(gray, gray, gray, alpha)
        red, green, blue = colorsys.hsv_to_rgb((hue % 360) / 360, 1 - white / (1 - black), 1 - black)
        return _hex_string(red * 255, green * 255, blue * 255, alpha)
    words = inner.replace(",", " ").replace("/", " / ").split()
    if not words or any(_NUMBER.match(w) is None and w not in _COLOR_SPACES and w != "/" for w in words):
        return None  # lab(var(--l) ...), color(from ...), gray(...) drafts: not a literal
    return name + "(" + " ".join(words) + ")"


# --- lexing CSS -------------------------------------------------------------------------------

_IDENT_START = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_DIGITS = frozenset(b"0123456789")
_PROPERTY = re.compile(rb"\s*(?P<name>(?:--|\$|\*|_)?(?:[A-Za-z0-9_-]|#\{[^}]*\})+)\s*:(?!:)(?P<rest>.*)\Z", re.DOTALL)
_AT_RULE = re.compile(rb"\s*@(include|apply|return)\b(?P<rest>.*)\Z", re.DOTALL)


def skip_string(buf: bytes, i: int, end: int) -> int:
    """The offset after the string starting at ``i`` (unterminated strings end at the line)."""
    quote = buf[i]
    i += 1
    while i < end:
        ch = buf[i]
        if ch == 0x5C:  # backslash
            i += 2
            continue
        if ch == quote:
            return i + 1
        if ch == 0x0A:
            return i
        i += 1
    return end


def skip_comment(buf: bytes, i: int, end: int) -> int:
    close = buf.find(b"*/", i + 2, end)
    return end if close == -1 else close + 2


def _skip_line(buf: bytes, i: int, end: int) -> int:
    newline = buf.find(b"\n", i, end)
    return end if newline == -1 else newline


def matching_paren(buf: bytes, i: int, end: int) -> int:
    """Offset after the ``)`` that closes the ``(`` at ``i`` (``end`` when unbalanced; at a stray
    brace for broken input)."""
    depth = 0
    while i < end:
        ch = buf[i]
        if ch in (0x22, 0x27):
            i = skip_string(buf, i, end)
            continue
        if ch == 0x2F and buf.startswith(b"/*", i):
            i = skip_comment(buf, i, end)
            continue
        if ch == 0x23 and buf.startswith(b"#{", i):
            i = _skip_interpolation(buf, i, end)
            continue
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch in (0x7B, 0x7D):
            return i
        i += 1
    return end


def _skip_interpolation(buf: bytes, i: int, end: int) -> int:
    """Offset after a SCSS ``#{...}`` starting at ``i``."""
    depth = 0
    while i < end:
        ch = buf[i]
        if ch in (0x22, 0x27):
            i = skip_string(buf, i, end)
            continue
        if ch == 0x7B:
            depth += 1
        elif ch == 0x7D:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return end


def _is_line_comment(buf: bytes, i: int, line_comments: bool) -> bool:
    return line_comments and buf.startswith(b"//", i) and (i == 0 or buf[i - 1] != 0x3A)


def declarations(
    buf: bytes, start: int = 0, end: int | None = None, *, line_comments: bool = True
) -> Iterator[Declaration]:
    """Every declaration in ``buf[start:end]``, at any nesting depth.

    Selectors and at-rule preludes (text before ``{``) are never declarations; ``@include`` and
    ``@apply`` statements are reported with kind ``include``/``apply``. Comments, strings,
    ``url(...)`` and ``#{...}`` interpolation are skipped. ``line_comments`` enables ``//``
    comments (SCSS, CSS-in-JS), which plain CSS does not have.
    """
    end = len(buf) if end is None else end
    i = start
    stmt = start
    depth = 0
    scope: list[str] = []
    while i < end:
        ch = buf[i]
        if ch in (0x22, 0x27):
            i = skip_string(buf, i, end)
            continue
        if ch == 0x2F and buf.startswith(b"/*", i):
            after = skip_comment(buf, i, end)
            if buf[stmt:i].strip() == b"":
                stmt = after
            i = after
            continue
        if ch == 0x2F and _is_line_comment(buf, i, line_comments):
            after = _skip_line(buf, i, end)
            if buf[stmt:i].strip() == b"":
                stmt = after
            i = after
            continue
        if ch == 0x23 and i + 1 < end and buf[i + 1] == 0x7B:
            i = _skip_interpolation(buf, i, end)
            continue
        if ch == 0x28:
            if buf[max(start, i - 3) : i].lower() == b"url":
                i = matching_paren(buf, i, end)
                continue
            depth += 1
        elif ch == 0x29:
            depth = max(0, depth - 1)
        elif ch == 0x7B and depth == 0:
            yield from _statement(buf, stmt, i, prelude=True, scope=tuple(scope))
            scope.append(" ".join(buf[stmt:i].decode("utf-8", "replace").split()))
            stmt = i + 1
        elif ch == 0x7D:
            yield from _statement(buf, stmt, i, prelude=False, scope=tuple(scope))
            if scope:
                scope.pop()
            depth = 0
            stmt = i + 1
        elif ch == 0x3B and depth == 0:
            yield from _statement(buf, stmt, i, prelude=False, scope=tuple(scope))
            stmt = i + 1
        i += 1
    yield from _statement(buf, stmt, end, prelude=False, scope=tuple(scope))


def _statement(
    buf: bytes, start: int, end: int, *, prelude: bool, scope: tuple[str, ...] = ()
) -> Iterator[Declaration]:
    text = buf[start:end]
    if not text.strip():
        return
    at_rule = _AT_RULE.match(text)
    if at_rule:
        rest = start + at_rule.start("rest")
        yield Declaration("@" + at_rule.group(1).decode(), at_rule.group(1).decode(), start, rest, end, scope)
        return
    if prelude:
        return
    match = _PROPERTY.match(text)
    if not match:
        return
    name = match.group("name").decode("utf-8", "replace")
    if name.startswith("--"):
        kind = "custom-property"
    elif name.startswith("$"):
        kind = "scss-variable"
    else:
        kind = "property"
    value_start = start + match.start("rest")
    value_end = end
    while value_end > value_start and buf[value_end - 1] in b" \t\r\n":
        value_end -= 1
    while value_start < value_end and buf[value_start] in b" \t\r\n":
        value_start += 1
    yield Declaration(name, kind, start + match.start("name"), value_start, value_end, scope)


@dataclass(frozen=True)
class ValueToken:
    """One piece of a CSS value: ``hex``, ``function`` (a whole call), ``ident``, ``number``
    (with its unit), ``variable`` (``$x``), ``opaque`` (strings, ``var()``, ``url()``, ``#{}``,
    masked substitutions) or ``other`` punctuation."""

    kind: str
    start: int
    end: int
    name: str = ""


def value_tokens(buf: bytes, start: int, end: int, *, line_comments: bool = True) -> Iterator[ValueToken]:
    """Tokens of a CSS value; functions other than color and opaque ones are entered, so the
    colors inside ``linear-gradient(...)`` or ``darken(...)`` are seen."""
    i = start
    while i < end:
        ch = buf[i]
        if ch == 0x2F and buf.startswith(b"/*", i):
            i = skip_comment(buf, i, end)
            continue
        if ch == 0x2F and _is_line_comment(buf, i, line_comments):
            i = _skip_line(buf, i, end)
            continue
        if ch in b" \t\r\n,/()":
            i += 1
            continue
        if ch in (0x22, 0x27):
            after = skip_string(buf, i, end)
            yield ValueToken("opaque", i, after)
            i = after
            continue
        if ch == MASK:
            j = i
            while j < end and buf[j] == MASK:
                j += 1
            yield ValueToken("opaque", i, j)
            i = j
            continue
        if ch == 0x23:  # '#'
            if i + 1 < end and buf[i + 1] == 0x7B:
                after = _skip_interpolation(buf, i, end)
                yield ValueToken("opaque", i, after)
                i = after
                continue
            j = i + 1
            while j < end and buf[j] in _IDENT_CHARS:
                j += 1
            word = buf[i:j].decode("ascii", "replace")
            kind = "hex" if _HEX.match(word) else "bad-hex" if _ANY_HEX.match(word) else "other"
            yield ValueToken(kind, i, j)
            i = j
            continue
        if ch == 0x24:  # '$'
            j = i + 1
            while j < end and (buf[j] in _IDENT_CHARS or buf[j] == 0x2E):
                j += 1
            yield ValueToken("variable", i, j)
            i = j
            continue
        if ch in _DIGITS or (ch in b".+-" and i + 1 < end and (buf[i + 1] in _DIGITS or buf[i + 1] == 0x2E)):
            j = i + 1
            while j < end and (buf[j] in _DIGITS or buf[j] == 0x2E):
                j += 1
            if j < end and buf[j] in b"eE" and j + 1 < end and buf[j + 1] in _DIGITS:
                j += 1
                while j < end and buf[j] in _DIGITS:
                    j += 1
            while j < end and (buf[j] in _IDENT_START or buf[j] == 0x25):
                j += 1
            yield ValueToken("number", i, j)
            i = j
            continue
        if ch in _IDENT_START or (ch == 0x2D and i + 1 < end and (buf[i + 1] in _IDENT_START or buf[i + 1] == 0x2D)):
            j = i + 1
            while j < end and (
                buf[j] in _IDENT_CHARS or (buf[j] == 0x2E and j + 1 < end and buf[j + 1] in _IDENT_CHARS)
            ):
                j += 1  # dotted theme paths (``grey.300``, ``text.secondary``) are one token
            name = buf[i:j].decode("ascii", "replace")
            prev = buf[i - 1] if i > 0 else 0x20
            if prev in b"@%&!.":
                i = j
                continue
            if j < end and buf[j] == 0x28:
                lowered = name.lower()  # the closing paren is looked for only when needed: calc(calc(… is linear
                if lowered in _OPAQUE_FUNCTIONS:
                    close = matching_paren(buf, j, end)
                    yield ValueToken("opaque", i, close, lowered)
                    i = close
                elif lowered in COLOR_FUNCTIONS:
                    close = matching_paren(buf, j, end)
                    yield ValueToken("function", i, close, lowered)
                    i = close
                else:
                    yield ValueToken("call", i, j + 1, lowered)
                    i = j + 1  # enter the call: its arguments are tokens too
                continue
            yield ValueToken("ident", i, j, name)
            i = j
            continue
        yield ValueToken("other", i, i + 1)
        i += 1


def colors_in_value(buf: bytes, start: int, end: int, *, named: bool, line_comments: bool = True) -> list[ColorLiteral]:
    """Color literals in a CSS value. Named colors only when ``named`` (a color property)."""
    found: list[ColorLiteral] = []
    for token in value_tokens(buf, start, end, line_comments=line_comments):
        text = buf[token.start : token.end].decode("utf-8", "replace")
        if token.kind == "hex":
            normalized = normalize_color(text)
            if normalized:
                found.append(ColorLiteral(token.start, token.end, text, "hex", normalized))
        elif token.kind == "bad-hex":  # #12345: a mistyped color is still a hardcoded one
            found.append(ColorLiteral(token.start, token.end, text, "hex", text.lower()))
        elif token.kind == "function":
            normalized = normalize_color(" ".join(text.split()))
            if normalized:
                found.append(ColorLiteral(token.start, token.end, text, "function", normalized))
            else:  # rgba($black, .5), color(green): look inside for literals
                inner = buf.find(b"(", token.start, token.end) + 1
                close = token.end - 1 if buf[token.end - 1 : token.end] == b")" else token.end
                found.extend(colors_in_value(buf, inner, close, named=named, line_comments=line_comments))
        elif token.kind == "ident" and named and text.lower() in NAMED_COLORS:
            found.append(ColorLiteral(token.start, token.end, text, "named", NAMED_COLORS[text.lower()]))
    return found


def colors_in_css(
    buf: bytes,
    start: int = 0,
    end: int | None = None,
    *,
    line_comments: bool = True,
    only_color_properties: bool = False,
) -> Iterator[tuple[Declaration, ColorLiteral]]:
    """Hardcoded colors in the declarations of a CSS/SCSS buffer, with their declaration.

    Custom-property and SCSS-variable definitions are definitions, not uses, and are skipped.
    ``only_color_properties`` keeps hex and functional colors to color properties too (for CSS
    embedded in strings, where a stray ``#abc`` may be something else).
    """
    for decl in declarations(buf, start, end, line_comments=line_comments):
        if decl.kind in ("custom-property", "scss-variable", "apply"):
            continue
        if decl.kind in ("include", "return"):
            for color in colors_in_value(
                buf, decl.value_start, decl.value_end, named=False, line_comments=line_comments
            ):
                yield decl, color
            continue
        color_property = is_color_property(decl.property)
        if only_color_properties and (not color_property or decl.property != decl.property.lower()):
            continue
        for color in colors_in_value(
            buf, decl.value_start, decl.value_end, named=color_property, line_comments=line_comments
        ):
            yield decl, color


# --- whole strings and Tailwind ---------------------------------------------------------------

_FUNCTION_TEXT = re.compile(r"^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\([^()]*\)$", re.IGNORECASE)

# Hex strings that read as English words, used as ids and anchors ('#add', '#feed').
_HEX_WORDS = frozenset(
    {
        "add", "bad", "bed", "cab", "dab", "dad", "fab", "fad", "fed", "ace", "bee", "abc", "def",
        "abed", "aced", "babe", "bade", "bead", "beef", "cafe", "dead", "deaf", "deed", "face", "fade",
        "feed", "abcd", "accede", "beaded", "bedded", "decade", "deface", "efface", "facade", "deeded",
        "dabbed", "decaf", "acdc",
    }
)  # fmt: skip


def whole_string_color(text: str) -> tuple[ColorKind, str] | None:
    """When the entire ``text`` is a hex color or a functional color, its kind and normalized value."""
    stripped = text.strip()
    if stripped.startswith("#"):
        normalized = _parse_hex(stripped)
        return ("hex", normalized) if normalized else None
    if _FUNCTION_TEXT.match(stripped):
        normalized = normalize_color(stripped)
        return ("function", normalized) if normalized else None
    return None


def hex_doubt(text: str) -> str | None:
    """Why a hex string outside any color context may not be a color (None when it surely is)."""
    digits = text.strip().lstrip("#").lower()
    if digits in _HEX_WORDS:
        return f"'{text.strip()}' also reads as the word '{digits}' (an id or anchor?)"
    if digits.isdigit() and len(digits) <= 6 and digits[0] != "0" and len(set(digits)) > 1:
        return f"'{text.strip()}' may be an issue or item number"
    return None


# An arbitrary-value class (``bg-[#3B82F6]``, ``hover:text-[rgb(1_2_3)]``, ``shadow-[0_1px_#000]``)
# or an arbitrary property (``[color:#fff]``); variants and ``!`` may precede, ``/50`` may follow.
_TAILWIND = re.compile(
    rb"(?<![\w\[\]!-])(?<![!\w-]:)(?:[!\w-]+:)*!?(?:(?P<utility>-?[a-z][a-z0-9-]*)-\[(?P<value>[^\]\s'\"`]+)\]"
    rb"|\[(?P<prop>[a-z][a-z-]*):(?P<value2>[^\]\s'\"`]+)\])(?:/\d+)?(?![\w\]-])"
)


@dataclass(frozen=True)
class TailwindColor:
    """A color in a Tailwind arbitrary value: the whole class span and the color's span."""

    class_start: int
    class_end: int
    utility: str
    color: ColorLiteral


def tailwind_colors(buf: bytes, start: int, end: int) -> list[TailwindColor]:
    """Colors in Tailwind arbitrary values (``bg-[#3B82F6]``) within ``buf[start:end]``."""
    if b"[" not in buf[start:end]:
        return []
    found: list[TailwindColor] = []
    for match in _TAILWIND.finditer(buf, start, end):
        group = "value" if match.group("value") else "value2"
        utility = (match.group("utility") or match.group("prop")).decode()
        if utility.startswith("-") and group == "value2":
            continue
        value = match.group(group)
        if value.startswith(b"color:"):
            offset = 6
            value = value[6:]
        else:
            offset = 0
        spaced = value.replace(b"_", b" ")
        base = match.start(group) + offset
        for color in colors_in_value(spaced, 0, len(spaced), named=False, line_comments=False):
            text = buf[base + color.start : base + color.end].decode("utf-8", "replace")
            literal = ColorLiteral(base + color.start, base + color.end, text, color.kind, color.normalized)
            found.append(TailwindColor(match.start(), match.end(), utility, literal))
    return found


_STYLE_ATTRIBUTE = re.compile(rb"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def colors_in_embedded_css(buf: bytes, start: int, end: int) -> list[tuple[Declaration, ColorLiteral]]:
    """Colors of color properties in CSS held by a string: ``style="..."`` attributes of HTML
    markup, or declarations/rule sets (``"QPushButton { background: #fff; }"``)."""
    text = buf[start:end]
    if b":" not in text:
        return []
    found: list[tuple[Declaration, ColorLiteral]] = []
    attributes = list(_STYLE_ATTRIBUTE.finditer(buf, start, end))
    if attributes:
        for match in attributes:
            group = 1 if match.group(1) is not None else 2
            found.extend(
                colors_in_css(
                    buf, match.start(group), match.end(group), line_comments=False, only_color_properties=True
                )
            )
        return found
    if b"<" in text and b">" in text:
        return []  # markup without style attributes
    if b";" not in text and b"{" not in text:
        return []  # "Color: red means offline" is prose, not a declaration list
    return list(colors_in_css(buf, start, end, line_comments=False, only_color_properties=True))
