"""``hardcoded-colors``: color literals (hex, rgb()/hsl(), named colors in color positions) in
CSS/SCSS, CSS-in-JS, style objects and props, Tailwind arbitrary values and Python strings.

``analyze`` (cached per run by ``cached_analysis``) is shared with ``design-tokens``, which
reports (and fixes) the literals that equal a design token; this rule leaves those to it when
both run. Stylesheets are read with the CSS lexer of ``color_values``; JS/TS and Python with
tree-sitter, deciding from where a string sits (a style object, a prop, a template, a call).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..config import matches_any
from ..types import Candidate
from .color_values import (
    MASK,
    NAMED_COLORS,
    ColorLiteral,
    colors_in_css,
    colors_in_embedded_css,
    colors_in_value,
    declarations,
    hex_doubt,
    is_color_property,
    kebab,
    normalize_color,
    tailwind_colors,
    whole_string_color,
)

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext

JS_LANGUAGES = frozenset({"javascript", "jsx", "typescript", "tsx"})
STYLE_LANGUAGES = frozenset({"css", "scss"})

# Tags of tagged templates whose content is CSS (styled-components, emotion, lit, goober, linaria).
_CSS_TAGS = frozenset({"styled", "css", "keyframes", "createGlobalStyle", "injectGlobal", "global", "injectStyle"})
# Calls whose object argument is a style object.
_STYLE_CALLS = frozenset(
    {
        "makeStyles",
        "createStyles",
        "withStyles",
        "css",
        "style",
        "globalStyle",
        "styleVariants",
        "keyframes",
        "styled",
        "createStyleSheet",
    }
)
_STYLE_CREATE_OWNERS = frozenset({"StyleSheet", "stylex", "tss", "EStyleSheet"})
_STYLE_TYPES = ("CSSProperties", "ViewStyle", "TextStyle", "ImageStyle", "SxProps", "CSSObject", "StyleProp", "Style")
# Values of these are selectors, anchors or ids, never colors.
_SELECTOR_CALLS = frozenset(
    {"querySelector", "querySelectorAll", "getElementById", "closest", "matches", "$", "jQuery", "find", "select",
     "select_one", "find_element", "find_elements", "locator", "get", "scrollIntoView", "push", "replace", "navigate"}
)  # fmt: skip
_REFERENCE_KEYS = frozenset({"href", "to", "id", "hash", "anchor", "selector", "target", "path", "url", "link", "key"})
# Python callables whose color arguments are terminal colors, not design colors.
_TERMINAL_CALLS = frozenset({"style", "secho", "colored", "cprint", "colorize", "stylize", "Fore", "Back"})
_INTRINSIC_COLOR_ATTRIBUTES = frozenset(
    {"fill", "stroke", "color", "stopColor", "stop-color", "floodColor", "flood-color", "lightingColor",
     "lighting-color", "bgcolor", "bgColor"}
)  # fmt: skip
_TRANSPARENT_JS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "array",
     "ternary_expression", "binary_expression", "spread_element", "sequence_expression"}
)  # fmt: skip
_TRANSPARENT_PY = frozenset(
    {"parenthesized_expression", "conditional_expression", "boolean_operator", "list", "tuple", "set",
     "expression_list", "pattern_list"}
)  # fmt: skip


@dataclass(frozen=True)
class ColorSite:
    """A color literal found in a file and how sure we are that it is a hardcoded color.

    ``idiom`` is how the surrounding code would refer to a token: ``css``, ``scss``,
    ``template`` (CSS in a JS template), ``style`` (a JS style object or prop), ``js`` (another
    JS string), ``tailwind`` (an arbitrary-value class), ``python``. ``string_span`` is the
    string literal holding the color when the color is its whole content (quotes included).
    """

    literal: ColorLiteral
    idiom: str
    property: str | None
    clear: bool
    reason: str = ""
    string_span: tuple[int, int] | None = None
    tailwind_class: tuple[int, int, str] | None = None
    # A judgement call (a color passed to a call or returned outside style code): decided here as
    # a use, but asked of the model instead when the rule's model tier is on.
    call: bool = False


# --- JS / TS ----------------------------------------------------------------------------------


def _tag_root(node: tree_sitter.Node | None) -> str | None:
    """The identifier a tag expression starts with: ``styled`` for ``styled(Button).attrs(...)``."""
    while node is not None:
        if node.type == "identifier":
            return node.text.decode() if node.text else None
        if node.type == "member_expression":
            node = node.child_by_field_name("object")
        elif node.type == "call_expression":
            node = node.child_by_field_name("function")
        elif node.type in ("instantiation_expression", "non_null_expression", "parenthesized_expression"):
            node = node.named_children[0] if node.named_children else None
        else:
            return None
    return None


def _callee_name(call: tree_sitter.Node) -> tuple[str | None, str | None]:
    """(owner, name) of a call's callee: ``StyleSheet.create`` -> (StyleSheet, create)."""
    func = call.child_by_field_name("function")
    while func is not None and func.type in ("instantiation_expression", "non_null_expression"):
        func = func.named_children[0] if func.named_children else None
    if func is None:
        return None, None
    if func.type in ("identifier", "attribute"):
        if func.type == "attribute":  # python
            obj, attr = func.child_by_field_name("object"), func.child_by_field_name("attribute")
            return (_text(obj) if obj else None), (_text(attr) if attr else None)
        return None, _text(func)
    if func.type == "member_expression":
        obj, prop = func.child_by_field_name("object"), func.child_by_field_name("property")
        return (_text(obj) if obj else None), (_text(prop) if prop else None)
    if func.type == "call_expression":  # styled('div')(...), styled(Button)(...)
        root = _tag_root(func)
        return None, root
    return None, None


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text else ""


def _key_name(pair: tree_sitter.Node) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type in ("property_identifier", "identifier", "number", "shorthand_property_identifier"):
        return _text(key)
    if key.type == "string":
        return _text(key)[1:-1]
    if key.type == "computed_property_name":
        return None
    return _text(key).strip("'\"")


def _masked(source: bytes, node: tree_sitter.Node, holes: list[tree_sitter.Node]) -> bytes:
    """The bytes of ``node`` with each hole (template substitution, f-string interpolation) masked."""
    buf = bytearray(source[node.start_byte : node.end_byte])
    for hole in holes:
        start, end = hole.start_byte - node.start_byte, hole.end_byte - node.start_byte
        buf[start:end] = bytes([MASK]) * (end - start)
    return bytes(buf)


def _shift(literal: ColorLiteral, base: int) -> ColorLiteral:
    return replace(literal, start=literal.start + base, end=literal.end + base)


@dataclass(frozen=True)
class _Context:
    """Where a string literal sits: the property or attribute it is the value of, and whether it
    is style code, a selector, a type, or a module-level definition."""

    property: str | None = None
    style: bool = False
    intrinsic: bool = False  # attribute of a lowercase JSX element (svg path, div...)
    attribute: bool = False
    skip: bool = False
    definition: bool = False
    terminal: bool = False
    nested: bool = False  # Python: a value deep inside module-level constant data (a palette table)
    use: bool = False  # JS: an argument, a return value or a local variable: the color is used here


@dataclass(frozen=True)
class CssRegion:
    """CSS text inside a file: a whole stylesheet or a CSS template (``buf`` is the template with
    its substitutions masked; offsets in ``buf`` plus ``base`` are offsets in the file)."""

    buf: bytes
    start: int
    end: int
    base: int
    line_comments: bool


@dataclass(frozen=True)
class StyleValue:
    """A string or number that is the value of a key in a JS style object."""

    node: tree_sitter.Node
    key: str
    root: str


@dataclass
class StyleAnalysis:
    """What the style rules need from one file: its color sites, its CSS, its style values."""

    sites: list[ColorSite]
    css_regions: list[CssRegion]
    style_values: list[StyleValue]


class _JsScanner:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.source = file.source
        self.sites: list[ColorSite] = []
        self.consumed: set[int] = set()
        self.substitution_property: dict[int, str | None] = {}
        self.css_regions: list[CssRegion] = []
        self.style_values: list[StyleValue] = []
        self.theme_module = is_theme_module(file)
        self.palettes: dict[int, bool] = {}  # array/object node id -> is a palette (each judged once)
        self.defaults: dict[int, bool] = {}  # ancestor node id -> inside a library's default options

    def run(self) -> list[ColorSite]:
        stack = [self.file.tree.root_node]
        while stack:
            node = stack.pop()
            kind = node.type
            if kind == "call_expression":
                self._maybe_css_template(node)
            elif kind == "template_string" and node.id not in self.consumed:
                self._maybe_generic_tag(node)
                if node.id not in self.consumed:
                    self._maybe_style_jsx(node)
                if node.id not in self.consumed:
                    self._string(node)
            elif kind == "string":
                self._string(node)
                continue
            elif kind in ("comment", "jsx_text", "regex"):
                continue
            elif kind == "pair":
                self._style_value(node)
            elif kind == "assignment_expression":
                self._style_assignment(node)
            stack.extend(reversed(node.children))
        return self.sites

    def _style_assignment(self, node: tree_sitter.Node) -> None:
        """``el.style.padding = "16px"``."""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            return
        obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        if obj is None or prop is None or not _text(obj).endswith(".style"):
            return
        for leaf in _value_leaves(right):
            if leaf.type in ("string", "template_string"):
                self.style_values.append(StyleValue(leaf, _text(prop), "assignment"))

    def _style_value(self, pair: tree_sitter.Node) -> None:
        value = pair.child_by_field_name("value")
        key = _key_name(pair)
        if value is None or key is None:
            return
        leaves = [leaf for leaf in _value_leaves(value) if leaf.type in ("string", "number", "template_string")]
        if not leaves:
            return
        holder = pair.parent
        root = style_root(holder)[0] if holder is not None else ""
        if root:
            self.style_values.extend(StyleValue(leaf, key, root) for leaf in leaves)

    # CSS in templates ---------------------------------------------------------------------

    def _maybe_css_template(self, call: tree_sitter.Node) -> None:
        template = call.child_by_field_name("arguments")
        if template is None or template.type != "template_string":
            return
        if _tag_root(call.child_by_field_name("function")) not in _CSS_TAGS:
            return
        self._css_template(template)

    def _maybe_generic_tag(self, template: tree_sitter.Node) -> None:
        """In TSX, ``styled.button<Props>`...``` parses as ``styled.button < Props > `...```."""
        parent = template.parent
        if parent is None or parent.type != "binary_expression" or parent.child_by_field_name("right") != template:
            return
        operator = parent.child_by_field_name("operator")
        left = parent.child_by_field_name("left")
        if operator is None or _text(operator) != ">" or left is None or left.type != "binary_expression":
            return
        inner_operator = left.child_by_field_name("operator")
        is_less = inner_operator is not None and _text(inner_operator) == "<"
        if is_less and _tag_root(left.child_by_field_name("left")) in _CSS_TAGS:
            self._css_template(template)

    def _maybe_style_jsx(self, template: tree_sitter.Node) -> None:
        """``<style jsx>{`...`}</style>`` (styled-jsx) and ``<style>{`...`}</style>``."""
        parent = template.parent
        if parent is None or parent.type != "jsx_expression":
            return
        element = parent.parent
        opening = element.child(0) if element is not None and element.type == "jsx_element" else None
        name = opening.child_by_field_name("name") if opening is not None else None
        if name is not None and _text(name) == "style":
            self._css_template(template)

    def _css_template(self, template: tree_sitter.Node) -> None:
        self.consumed.add(template.id)
        holes = [c for c in template.children if c.type == "template_substitution"]
        buf = _masked(self.source, template, holes)
        base = template.start_byte
        inner_end = len(buf) - 1
        self.css_regions.append(CssRegion(buf, 1, inner_end, base, True))
        for decl, color in colors_in_css(buf, 1, inner_end, line_comments=True):
            prop = None if decl.kind in ("include", "apply", "return") else decl.property
            self.sites.append(ColorSite(_shift(color, base), "template", prop, True))
        for decl in declarations(buf, 1, inner_end, line_comments=True):
            for hole in holes:
                offset = hole.start_byte - base
                if decl.value_start <= offset < max(decl.value_end, decl.value_start + 1) and decl.kind == "property":
                    self.substitution_property[hole.id] = decl.property
        self._tailwind(buf, 1, inner_end, base)

    # strings -----------------------------------------------------------------------------

    def _string(self, node: tree_sitter.Node) -> None:
        holes = [c for c in node.children if c.type == "template_substitution"]
        buf = _masked(self.source, node, holes) if holes else self.source[node.start_byte : node.end_byte]
        base = node.start_byte
        start, end = 1, len(buf) - 1
        if end <= start:
            return
        self._tailwind(buf, start, end, base)
        context = _js_context(node, self.substitution_property, self.palettes, self.defaults)
        if context.skip:
            return
        if self.theme_module and not context.style and not context.intrinsic:
            return  # a theme module's objects and variables define the design system
        content = buf[start:end].decode("utf-8", "replace")
        whole = None if holes else whole_string_color(content)
        if whole is not None:
            lead = len(content) - len(content.lstrip())
            literal = ColorLiteral(
                base + start + len(content[:lead].encode()),
                base + start + len(content.rstrip().encode()),
                content.strip(),
                whole[0],
                whole[1],
            )
            self._whole_color(literal, context, (node.start_byte, node.end_byte))
            return
        if not holes and content.strip().lower() in NAMED_COLORS and content.strip() == content:
            literal = ColorLiteral(base + start, base + end, content, "named", NAMED_COLORS[content.lower()])
            self._named_color(literal, context, (node.start_byte, node.end_byte))
            return
        if (
            context.property is not None
            and not context.definition
            and (context.style or is_color_property(context.property))
        ):
            # a CSS value: '1px solid #ccc', 'linear-gradient(#fff, #000)'
            prop = kebab(context.property)
            named = context.style and is_color_property(prop)
            for color in colors_in_value(buf, start, end, named=named, line_comments=False):
                self.sites.append(ColorSite(_shift(color, base), "style" if context.style else "js", prop, True))
            return
        if context.property is not None and context.property.lower() == "style" and context.attribute:
            found = colors_in_css(buf, start, end, line_comments=False)
        else:
            found = iter(colors_in_embedded_css(buf, start, end))
        for decl, color in found:
            self.sites.append(ColorSite(_shift(color, base), "js", decl.property, True))

    def _whole_color(self, literal: ColorLiteral, context: _Context, string_span: tuple[int, int]) -> None:
        """A string that is entirely a color: clear in style code and as the value of a color
        key or attribute; elsewhere (a variable, an argument, a comparison) left to the model,
        since the rule is about style code and such a string may be data or a local token."""
        prop = kebab(context.property) if context.property else None
        idiom = "style" if context.style else "js"
        color_position = prop is not None and (is_color_property(prop) or context.style)
        if context.definition:
            return  # a palette, a theme, a library's defaults, a module-level constant: a definition
        if color_position:
            self.sites.append(ColorSite(literal, idiom, prop, True, string_span=string_span))
            return
        doubt = hex_doubt(literal.text) if literal.kind == "hex" else None
        if context.use and doubt is None:
            self.sites.append(ColorSite(literal, idiom, prop, True, string_span=string_span, call=True))
            return
        reason = doubt or "a color string outside style code whose use the static tier cannot see"
        self.sites.append(ColorSite(literal, idiom, prop, False, reason, string_span))

    def _named_color(self, literal: ColorLiteral, context: _Context, string_span: tuple[int, int]) -> None:
        if literal.text != literal.text.lower() or context.property is None:
            return
        prop = kebab(context.property)
        if not is_color_property(prop):
            return
        if context.definition:
            return
        if context.style or context.intrinsic:
            self.sites.append(ColorSite(literal, "style", prop, True, string_span=string_span))
        else:
            reason = (
                f"'{literal.text}' as the value of '{context.property}' outside style code may be a theme or "
                "component color name rather than a CSS color"
            )
            self.sites.append(ColorSite(literal, "js", prop, False, reason, string_span))

    def _tailwind(self, buf: bytes, start: int, end: int, base: int) -> None:
        if b"-[" not in buf[start:end] and b"[" not in buf[start:end]:
            return
        for hit in tailwind_colors(buf, start, end):
            self.sites.append(
                ColorSite(
                    _shift(hit.color, base),
                    "tailwind",
                    hit.utility,
                    True,
                    tailwind_class=(hit.class_start + base, hit.class_end + base, hit.utility),
                )
            )


def _value_leaves(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The values an expression may take: both branches of ``a ? x : y`` and ``x || y``."""
    while node.type in ("parenthesized_expression", "as_expression", "satisfies_expression") and node.named_children:
        node = node.named_children[0]
    if node.type == "ternary_expression":
        branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
        return [leaf for branch in branches if branch is not None for leaf in _value_leaves(branch)]
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        if operator is not None and _text(operator) in ("||", "??"):
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            return [leaf for side in sides if side is not None for leaf in _value_leaves(side)]
    return [node]


def _climb_js(node: tree_sitter.Node) -> tree_sitter.Node:
    """Up through parentheses, ternaries, ``||``/``??``, arrays and type assertions."""
    current = node
    while current.parent is not None and current.parent.type in _TRANSPARENT_JS:
        parent = current.parent
        if parent.type == "ternary_expression" and parent.child_by_field_name("condition") == current:
            break
        if parent.type == "binary_expression":
            operator = parent.child_by_field_name("operator")
            if operator is None or _text(operator) not in ("||", "??", "&&"):
                break
        current = parent
    return current


def _is_module_level(node: tree_sitter.Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("export_statement", "lexical_declaration", "variable_declaration"):
        parent = parent.parent
    return parent is not None and parent.type == "program"


def style_root(obj: tree_sitter.Node) -> tuple[str, bool]:
    """(what makes an object literal style code, whether it is a module-level definition).

    The first is ``""`` for plain objects, else the holder: a prop name (``style``, ``sx``,
    ``css``, ``*Style``), a call (``StyleSheet.create``, ``makeStyles``, ``styled``), ``variable``
    (named ``*styles`` or typed ``CSSProperties``), ``pair`` (under a ``style:`` key) or
    ``assignment`` (``el.style = {...}``).
    """
    current = obj
    for _ in range(12):
        parent = current.parent
        if parent is None:
            return "", False
        kind = parent.type
        if kind in _TRANSPARENT_JS or kind in ("object", "parenthesized_expression", "statement_block"):
            current = parent
            continue
        if kind == "pair":
            key = _key_name(parent) or ""
            if key in ("style", "sx", "css", "styles") or key.endswith(("Style", "Styles")):
                return "pair", False
            current = parent
            continue
        if kind in ("arrow_function", "function_expression", "return_statement"):
            current = parent
            continue
        if kind == "jsx_expression":
            attribute = parent.parent
            first = attribute.child(0) if attribute is not None and attribute.type == "jsx_attribute" else None
            if first is not None:
                prop = _text(first)
                return (prop if prop in ("style", "sx", "css") or prop.endswith("Style") else ""), False
            return "", False
        if kind == "arguments":
            call = parent.parent
            if call is None:
                return "", False
            owner, callee = _callee_name(call)
            if callee == "create" and owner in _STYLE_CREATE_OWNERS:
                return f"{owner}.create", False
            if callee in _STYLE_CALLS:
                return callee, False
            if _tag_root(call.child_by_field_name("function")) == "styled":
                return "styled", False
            return "", False
        if kind == "variable_declarator":
            name = _text(parent.child_by_field_name("name") or parent)
            annotation = parent.child_by_field_name("type")
            typed = annotation is not None and any(t in _text(annotation) for t in _STYLE_TYPES)
            if typed or name.lower().endswith(("style", "styles")) or name.lower() == "sx":
                return "variable", False
            return "", _is_module_level(parent.parent) if parent.parent is not None else False
        if kind == "export_statement":  # export default { ... }
            return "", True
        if kind == "assignment_expression":
            left = _text(parent.child_by_field_name("left") or parent)
            return ("assignment" if left.endswith((".style", "Style", "Styles", "styles")) else ""), False
        return "", False
    return "", False


# Holders of a library's or a component's default options: its own default look, a definition.
_DEFAULTS_NAME = re.compile(
    r"^(?:defaults|default_?\w*?(?:props|options|config|settings|colou?rs?|theme|styles?))$", re.IGNORECASE
)
_PALETTE_MIN = 3  # colors side by side that make an array or object a palette
_FUNCTION_KINDS = frozenset(
    {"function_declaration", "function_expression", "arrow_function", "method_definition", "function",
     "generator_function_declaration"}
)  # fmt: skip


def _whole_color_string(node: tree_sitter.Node) -> bool:
    if node.type != "string" or node.text is None:
        return False
    return whole_string_color(node.text.decode("utf-8", "replace")[1:-1]) is not None


def _palette_array(array: tree_sitter.Node) -> bool:
    items = [c for c in array.named_children if c.type != "comment"]
    return len(items) >= _PALETTE_MIN and all(_whole_color_string(c) for c in items)


def _palette_object(obj: tree_sitter.Node) -> bool:
    """Colors side by side under keys that are not CSS properties (``primary``, ``500``,
    ``'editor.background'``, ``main``/``light``/``dark``): a palette, not a style object."""
    pairs = [c for c in obj.named_children if c.type == "pair"]
    colored = [p for p in pairs if (v := p.child_by_field_name("value")) is not None and _whole_color_string(v)]
    if len(colored) < _PALETTE_MIN or 3 * len(colored) < 2 * len(pairs):
        return False
    css_keys = sum(1 for p in colored if is_color_property(_key_name(p) or ""))
    return 2 * css_keys < len(colored)


def in_palette(node: tree_sitter.Node, memo: dict[int, bool] | None = None) -> bool:
    """True when the string ``node`` is an entry of a palette: an array of three or more colors
    (not the value of a CSS color key) or an object of colors side by side under non-CSS keys."""
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
        parent = parent.parent
    if parent is None:
        return False
    memo = {} if memo is None else memo
    if parent.type == "array":
        if parent.id not in memo:
            memo[parent.id] = _palette_array(parent)
        if not memo[parent.id]:
            return False
        holder = parent.parent
        key = _key_name(holder) if holder is not None and holder.type == "pair" else None
        return key is None or not is_color_property(key)
    if parent.type == "pair" and parent.parent is not None and parent.parent.type == "object":
        obj = parent.parent
        if obj.id not in memo:
            memo[obj.id] = _palette_object(obj)
        return memo[obj.id]
    return False


def in_defaults(node: tree_sitter.Node, memo: dict[int, bool] | None = None) -> bool:
    """True inside the default options of a library or component (``static defaults = {...}``,
    ``Button.defaultProps = {...}``, ``defaults: {...}``, ``defaults.set('scale', {...})``, the
    methods of a ``Defaults`` class): they define its default look.

    The answer depends only on the ancestors, so ``memo`` (node id -> answer, one per file) keeps it for
    every ancestor climbed: each ``parent`` step costs tree-sitter a walk from the root, and a string in
    a 3,000-operand concatenation would otherwise climb all of it again (82 s for one file)."""
    visited: list[int] = []
    found = _defaults_above(node, {} if memo is None else memo, visited)
    if memo is not None:
        for node_id in visited:
            memo[node_id] = found
    return found


def _defaults_above(node: tree_sitter.Node, memo: dict[int, bool], visited: list[int]) -> bool:
    current = node.parent
    while current is not None and current.type not in ("program", "jsx_element", "jsx_self_closing_element"):
        if current.id in memo:
            return memo[current.id]
        visited.append(current.id)
        kind = current.type
        if kind in _FUNCTION_KINDS:
            return _is_defaults_method(current)
        if kind == "call_expression":
            owner, callee = _callee_name(current)
            if owner is not None and _DEFAULTS_NAME.match(owner.rsplit(".", 1)[-1]):
                return True  # defaults.set('scale', {...}), Chart.defaults.describe(...)
            arguments = current.child_by_field_name("arguments")
            named = [a for a in arguments.named_children if a.type == "string"] if arguments is not None else []
            defines = callee is not None and callee.endswith("defineProperty") and bool(named)
            if defines and _DEFAULTS_NAME.match(_text(named[0]).strip("'\"")):
                return True  # _defineProperty(Area, "defaultProps", {...}): a compiled static field
        name: tree_sitter.Node | None = None
        if kind == "pair":
            name = current.child_by_field_name("key")
        elif kind in ("variable_declarator", "public_field_definition", "field_definition"):
            name = current.child_by_field_name("name") or current.child_by_field_name("property")
        elif kind == "assignment_expression":
            left = current.child_by_field_name("left")
            name = (
                left.child_by_field_name("property") if left is not None and left.type == "member_expression" else left
            )
        if name is not None and _DEFAULTS_NAME.match(_text(name).strip("'\"")):
            return True
        this_member = kind == "assignment_expression" and _text(current).startswith("this.")
        holders = ("variable_declarator", "assignment_expression", "public_field_definition", "field_definition")
        if kind in holders and not this_member:
            return False
        current = current.parent
    return False


def _is_defaults_method(function: tree_sitter.Node) -> bool:
    """A method of a class named for defaults (``class Defaults { constructor() { this.color = ...``,
    ``class Defaults { line() { return {...} } }``)."""
    if function.type != "method_definition":
        return False
    body = function.parent
    cls = body.parent if body is not None else None
    cls_name = cls.child_by_field_name("name") if cls is not None else None
    return cls_name is not None and re.search(r"defaults?$", _text(cls_name), re.IGNORECASE) is not None


_THEME_WORD = re.compile(r"theme", re.IGNORECASE)
_THEME_FOLDER = re.compile(r"^_?themes?$", re.IGNORECASE)


def in_theme_definition(node: tree_sitter.Node) -> bool:
    """True when ``node`` sits in a theme definition: an object held by a variable or function
    named or typed ``*theme*`` (``const darkTheme = {...}``, ``(): ThemeOptions => ({...})``),
    passed to ``createTheme``/``extendTheme``-like calls, or given as ``<ThemeProvider theme={...}>``.
    Such colors define the design system rather than use it."""
    current = node.parent
    while current is not None and current.type != "program":
        kind = current.type
        if kind in ("jsx_element", "jsx_self_closing_element", "class_body"):
            return False  # a component or class body: its objects are uses
        if kind == "variable_declarator":
            name = current.child_by_field_name("name")
            annotation = current.child_by_field_name("type")
            if (name is not None and _THEME_WORD.search(_text(name))) or (
                annotation is not None and "Theme" in _text(annotation)
            ):
                return True
        elif kind in ("arrow_function", "function_declaration", "function_expression", "method_definition"):
            name = current.child_by_field_name("name")
            returns = current.child_by_field_name("return_type")
            if (name is not None and _THEME_WORD.search(_text(name))) or (
                returns is not None and "Theme" in _text(returns)
            ):
                return True
        elif kind == "call_expression":
            _owner, callee = _callee_name(current)
            if callee is not None and _THEME_WORD.search(callee):
                return True
        elif kind == "jsx_attribute":
            first = current.child(0)
            return first is not None and _text(first) == "theme"
        current = current.parent
    return False


def is_theme_module(file: SourceFile) -> bool:
    """A JS/TS module without JSX in a ``theme/`` or ``themes/`` folder or named for a theme
    (``darkTheme.ts``, ``theme-colors.js``): the colors in its objects and variables are definitions."""
    if file.language not in JS_LANGUAGES:
        return False
    parts = file.path.replace("\\", "/").split("/")
    stem = parts[-1].split(".")[0]
    if not (_THEME_WORD.search(stem) or any(_THEME_FOLDER.match(part) for part in parts[:-1])):
        return False
    return b"<" not in file.source or not _has_jsx(file)


def _has_jsx(file: SourceFile) -> bool:
    stack = [file.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("jsx_element", "jsx_self_closing_element", "jsx_fragment"):
            return True
        stack.extend(node.children)
    return False


def _js_context(
    node: tree_sitter.Node,
    substitution_property: dict[int, str | None],
    palettes: dict[int, bool] | None = None,
    defaults: dict[int, bool] | None = None,
) -> _Context:
    current = _climb_js(node)
    parent = current.parent
    if parent is None:
        return _Context()
    kind = parent.type
    if in_palette(node, palettes) or in_defaults(node, defaults):
        return _Context(definition=True)  # a palette, or a library's default options
    if kind == "pair" and parent.child_by_field_name("value") == current:
        key = _key_name(parent)
        if key is not None and (key.lower() in _REFERENCE_KEYS or key.startswith("--")):
            return _Context(skip=True)  # a reference, or a custom property defined in a style object
        holder = parent.parent
        root, definition = style_root(holder) if holder is not None else ("", False)
        style = bool(root)
        if root in ("", "variable") and in_theme_definition(parent):
            return _Context(property=key, definition=True)  # createTheme({...}), const darkTheme = {...}
        if key is not None and is_color_property(key) and not style:
            definition = False  # a CSS color key is a use, even in a module-level object
        return _Context(property=key, style=style, definition=definition)
    if kind in ("jsx_attribute",) or (
        kind == "jsx_expression" and parent.parent is not None and parent.parent.type == "jsx_attribute"
    ):
        attribute = parent if kind == "jsx_attribute" else parent.parent
        assert attribute is not None
        first = attribute.child(0)
        name = _text(first) if first is not None else ""
        if name in _REFERENCE_KEYS or name in ("className", "class", "src", "alt", "title", "aria-label"):
            return _Context(skip=name not in ("className", "class"))
        element = attribute.parent
        tag = element.child_by_field_name("name") if element is not None else None
        tag_name = _text(tag) if tag is not None else ""
        intrinsic = bool(tag_name) and tag_name[0].islower() and "." not in tag_name
        return _Context(property=name, intrinsic=intrinsic and name in _INTRINSIC_COLOR_ATTRIBUTES, attribute=True)
    if kind == "assignment_expression" and parent.child_by_field_name("right") == current:
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "member_expression":
            prop_node = left.child_by_field_name("property")
            obj = left.child_by_field_name("object")
            member = _text(prop_node) if prop_node is not None else None
            if member in ("hash", "href", "id", "selector"):
                return _Context(skip=True)
            style = obj is not None and _text(obj).endswith("style")
            if member in ("fillStyle", "strokeStyle", "shadowColor"):
                style = True
            return _Context(property=member, style=style)
        return _Context()
    if kind == "arguments":
        call = parent.parent
        if call is None:
            return _Context()
        _owner, callee = _callee_name(call)
        if callee in _SELECTOR_CALLS:
            return _Context(skip=True)
        if callee in ("setProperty", "css"):  # el.style.setProperty("color", x), $(el).css("color", x)
            args = list(parent.named_children)
            if len(args) >= 2 and args[1] == current and args[0].type == "string":
                css_property = _text(args[0])[1:-1]
                return _Context(property=css_property, style=True, skip=css_property.startswith("--"))
        if in_theme_definition(parent):
            return _Context(definition=True)  # monaco.editor.defineTheme("x", ...), registerTheme(...)
        return _Context(use=True)  # tinycolor('#fff'), gradient.addColorStop(0, '#fff')
    if kind == "variable_declarator":
        # a color held in a variable is named there, like eslint-plugin-react-native's no-color-literals
        variable = _text(parent.child_by_field_name("name") or parent)
        return _Context(property=variable if is_color_property(variable) else None, definition=True)
    if kind == "template_substitution":
        substituted = substitution_property.get(parent.id)
        return _Context(property=substituted, style=substituted is not None)
    if kind == "binary_expression":
        other = parent.child_by_field_name("left" if parent.child_by_field_name("right") == current else "right")
        if other is not None and _text(other).endswith(("hash", "href", "id")):
            return _Context(skip=True)  # location.hash === "#feed"
        operator = parent.child_by_field_name("operator")
        if operator is not None and _text(operator) in ("===", "!==", "==", "!="):
            return _Context(skip=True)  # compared, not painted: color === '#fff'
        return _Context()
    if kind in ("literal_type", "enum_assignment", "property_signature", "import_statement", "export_statement"):
        return _Context(skip=kind in ("literal_type", "import_statement"), definition=kind == "enum_assignment")
    if kind in ("arrow_function", "return_statement"):
        return _function_result_context(parent, substitution_property)
    return _Context()


def _function_result_context(node: tree_sitter.Node, substitution_property: dict[int, str | None]) -> _Context:
    """A string returned from ``p => p.active ? '#fff' : '#000'`` inside a template substitution
    takes the substitution's property."""
    current = node
    for _ in range(6):
        parent = current.parent
        if parent is None:
            break
        if parent.type == "template_substitution":
            prop = substitution_property.get(parent.id)
            return _Context(property=prop, style=prop is not None)
        if parent.type in ("arrow_function", "statement_block", "return_statement", "if_statement", "else_clause"):
            current = parent
            continue
        break
    if in_theme_definition(node):
        return _Context(definition=True)  # (): ThemeOptions => ({...}) returns a theme
    return _Context(use=True)  # a function returns the color to paint with


# --- Python -----------------------------------------------------------------------------------


def _py_string_parts(node: tree_sitter.Node) -> tuple[int, int, list[tree_sitter.Node], str] | None:
    """(content start, content end, interpolations, prefix) of a Python string node."""
    start_node = node.child(0)
    end_node = node.child(node.child_count - 1)
    if start_node is None or end_node is None or start_node.type != "string_start" or end_node.type != "string_end":
        return None
    prefix = _text(start_node).rstrip("'\"").lower()
    holes = [c for c in node.children if c.type == "interpolation"]
    return start_node.end_byte, end_node.start_byte, holes, prefix


def _py_context(node: tree_sitter.Node) -> _Context:
    current = node
    while current.parent is not None and current.parent.type in _TRANSPARENT_PY:
        holder = current.parent
        if holder.type == "conditional_expression" and holder.named_children[1:2] == [current]:
            break  # the condition
        current = holder
    parent = current.parent
    if parent is None:
        return _Context()
    kind = parent.type
    if kind == "expression_statement":
        return _Context(skip=True)  # a docstring or a bare string
    name: str | None
    if kind == "keyword_argument":
        name_node = parent.child_by_field_name("name")
        name = _text(name_node) if name_node is not None else ""
        call = parent.parent.parent if parent.parent is not None else None
        terminal = False
        if call is not None and call.type == "call":
            owner, callee = _callee_name(call)
            terminal = callee in _TERMINAL_CALLS or owner in ("click", "termcolor", "colorama")
        if name in _REFERENCE_KEYS:
            return _Context(skip=True)
        nested = _py_constant_data(current)
        return _Context(property=name, terminal=terminal, definition=nested, nested=nested)
    if kind == "pair" and parent.child_by_field_name("value") == current:
        key = parent.child_by_field_name("key")
        name = _py_key(key)
        if name is not None and name.lower() in _REFERENCE_KEYS:
            return _Context(skip=True)
        definition = _py_definition(parent.parent) and not (name is not None and _py_color_key(name))
        return _Context(property=name, definition=definition)
    if kind == "assignment" and parent.child_by_field_name("right") == current:
        left = parent.child_by_field_name("left")
        name = None
        if left is not None and left.type == "identifier":
            name = _text(left)
        elif left is not None and left.type == "attribute":
            attr = left.child_by_field_name("attribute")
            name = _text(attr) if attr is not None else None
        elif left is not None and left.type == "subscript":
            name = _py_key(left.child_by_field_name("subscript"))
        definition = left is not None and left.type == "identifier" and _py_definition(parent)
        return _Context(property=name, definition=definition)
    if kind == "argument_list":
        call = parent.parent
        if call is not None:
            owner, callee = _callee_name(call)
            if callee in _SELECTOR_CALLS:
                return _Context(skip=True)
            if callee in _TERMINAL_CALLS or owner in ("click", "termcolor", "colorama"):
                return _Context(terminal=True)
        nested = _py_constant_data(current)
        return _Context(definition=nested, nested=nested)
    return _Context()


_PY_DATA_NODES = frozenset(
    {"list", "tuple", "set", "dictionary", "pair", "keyword_argument", "argument_list", "call",
     "parenthesized_expression", "expression_list"}
)  # fmt: skip
_PY_CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")


def _py_constant_data(node: tree_sitter.Node) -> bool:
    """True when ``node`` is part of the value of a module- or class-level assignment reached
    through calls and literals (``SEABORN_PALETTES = dict(deep=["#4C72B0", ...])``,
    ``STYLES = {"bar": Style(color="rgb(249,38,114)")}``): table data such as a palette or theme,
    when the name is a constant or the value is a collection. ``fig = plt.figure(facecolor=...)``
    is a use."""
    current = node
    through_collection = node.type in ("list", "tuple", "set", "dictionary")
    while current.parent is not None and current.parent.type in _PY_DATA_NODES:
        current = current.parent
        if current.type in ("list", "tuple", "set", "dictionary"):
            through_collection = True
        elif current.type == "call":
            function = current.child_by_field_name("function")
            through_collection = through_collection or (function is not None and _text(function) == "dict")
    assignment = current.parent
    if assignment is None or assignment.type != "assignment" or assignment.child_by_field_name("right") != current:
        return False
    left = assignment.child_by_field_name("left")
    if left is None or left.type != "identifier" or not _py_definition(assignment):
        return False
    return through_collection or _PY_CONSTANT.match(_text(left)) is not None


def _py_key(node: tree_sitter.Node | None) -> str | None:
    if node is None or node.type != "string":
        return None
    parts = _py_string_parts(node)
    if parts is None:
        return None
    return (
        node.text[parts[0] - node.start_byte : parts[1] - node.start_byte].decode("utf-8", "replace")
        if node.text
        else None
    )


def _py_color_key(name: str) -> bool:
    tail = name.rsplit(".", 1)[-1].lower().replace("_", "")
    return tail.endswith(("color", "colour")) or tail in ("bg", "fg", "background", "foreground", "fill", "stroke")


def _py_definition(node: tree_sitter.Node | None) -> bool:
    """True for a module-level or class-level assignment (directly or through a literal)."""
    current = node
    for _ in range(10):
        if current is None:
            return False
        if current.type in ("module",):
            return True
        if current.type == "block":
            holder = current.parent
            return holder is not None and holder.type == "class_definition"
        if current.type in ("function_definition", "lambda", "call", "argument_list"):
            return False
        current = current.parent
    return False


def _python_sites(file: SourceFile) -> list[ColorSite]:
    sites: list[ColorSite] = []
    stack = [file.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "string":
            sites.extend(_python_string(file, node))
            continue
        if node.type == "comment":
            continue
        stack.extend(reversed(node.children))
    return sites


def _python_string(file: SourceFile, node: tree_sitter.Node) -> Iterator[ColorSite]:
    parts = _py_string_parts(node)
    if parts is None:
        return
    start, end, holes, prefix = parts
    if "b" in prefix or end <= start:
        return
    buf = _masked(file.source, node, holes) if holes else file.source[node.start_byte : node.end_byte]
    base = node.start_byte
    rel_start, rel_end = start - base, end - base
    for hit in tailwind_colors(buf, rel_start, rel_end):
        yield ColorSite(_shift(hit.color, base), "tailwind", hit.utility, True,
                        tailwind_class=(hit.class_start + base, hit.class_end + base, hit.utility))  # fmt: skip
    context = _py_context(node)
    if context.skip:
        return
    content = buf[rel_start:rel_end].decode("utf-8", "replace")
    span = (node.start_byte, node.end_byte)
    whole = None if holes else whole_string_color(content)
    if whole is not None:
        literal = ColorLiteral(start, end, content, whole[0], whole[1])
        if content != content.strip():
            return
        color_key = context.property is not None and _py_color_key(context.property)
        doubt = hex_doubt(content) if whole[0] == "hex" else None
        if context.definition and (not color_key or context.nested):
            return  # a module- or class-level constant or palette table: a definition
        if color_key or not doubt:
            yield ColorSite(literal, "python", context.property, True, string_span=span)
        else:
            yield ColorSite(literal, "python", context.property, False, doubt or "", span)
        return
    if not holes and content in NAMED_COLORS:
        if context.property is None or not _py_color_key(context.property) or context.terminal:
            return
        literal = ColorLiteral(start, end, content, "named", NAMED_COLORS[content])
        reason = (
            f"'{content}' passed as '{context.property}' is a named color, but in Python it is often a plotting "
            "or widget library's own vocabulary"
        )
        yield ColorSite(literal, "python", context.property, False, reason, span)
        return
    for decl, color in colors_in_embedded_css(buf, rel_start, rel_end):
        yield ColorSite(_shift(color, base), "python", decl.property, True)


# --- entry points -----------------------------------------------------------------------------


def analyze(file: SourceFile) -> StyleAnalysis:
    """Color sites (source order, no duplicates), CSS regions and JS style values of ``file``."""
    language = file.language
    regions: list[CssRegion] = []
    values: list[StyleValue] = []
    if language in STYLE_LANGUAGES:
        idiom = "scss" if language == "scss" else "css"
        scss = language == "scss"
        regions.append(CssRegion(file.source, 0, len(file.source), 0, scss))
        sites = [
            ColorSite(color, idiom, None if decl.kind in ("include", "apply", "return") else decl.property, True)
            for decl, color in colors_in_css(file.source, line_comments=scss)
        ]
        for decl in declarations(file.source, line_comments=scss):
            if decl.kind == "apply":
                for hit in tailwind_colors(file.source, decl.value_start, decl.value_end):
                    sites.append(ColorSite(hit.color, "tailwind", hit.utility, True,
                                           tailwind_class=(hit.class_start, hit.class_end, hit.utility)))  # fmt: skip
    elif language in JS_LANGUAGES:
        scanner = _JsScanner(file)
        sites = scanner.run()
        regions, values = scanner.css_regions, scanner.style_values
    elif language == "python":
        sites = _python_sites(file)
    else:
        sites = []
    unique: dict[tuple[int, int], ColorSite] = {}
    for site in sites:
        unique.setdefault((site.literal.start, site.literal.end), site)
    return StyleAnalysis(sorted(unique.values(), key=lambda s: s.literal.start), regions, values)


def cached_analysis(file: SourceFile, project: dict[str, Any]) -> StyleAnalysis:
    """``analyze(file)``, shared by the two style rules within one run."""
    cache: dict[tuple[str, int], StyleAnalysis] = project.setdefault("style-analysis", {})
    key = (file.path, hash(file.source))
    if key not in cache:
        cache.clear()  # one file at a time
        cache[key] = analyze(file)
    return cache[key]


def find_color_sites(file: SourceFile) -> list[ColorSite]:
    """Every color literal in ``file`` with its context, in source order (no overlaps)."""
    return analyze(file).sites


_ADVICE = {
    "css": "use a design token (a CSS variable such as var(--color-...))",
    "scss": "use a design token (a $variable or CSS variable)",
    "template": "use a design token (a theme value or CSS variable)",
    "style": "use a design token (a theme value or CSS variable)",
    "js": "use a design token (a theme value or CSS variable)",
    "tailwind": "use a theme color class (e.g. bg-primary) instead of an arbitrary value",
    "python": "use a named color from the project's theme or palette",
}


def message_for(site: ColorSite) -> str:
    where = f" in `{site.property}`" if site.property and site.idiom != "tailwind" else ""
    return f"Hardcoded color `{site.literal.text}`{where}; {_ADVICE.get(site.idiom, _ADVICE['js'])}."


def _deferred_spans(file: SourceFile, ctx: DetectContext) -> list[tuple[int, int]]:
    """Spans ``design-tokens`` reports in this file when it runs too (they name a token), in
    source order and without overlaps."""
    rules: Any = getattr(ctx, "rules", None) or {}
    token_rule = rules.get("design-tokens")
    if token_rule is None or not token_rule.applies_to(file.language):
        return []
    if token_rule.files and not matches_any(file.path, token_rule.files):
        return []
    from .design_tokens import token_sites

    return [(site.start, site.end) for site in token_sites(file, token_rule, ctx)]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start..end`` overlaps any of the sorted, disjoint ``spans``."""
    index = bisect.bisect_right(spans, (start, float("inf")))
    before = spans[index - 1] if index else None
    after = spans[index] if index < len(spans) else None
    return (before is not None and before[1] > start) or (after is not None and after[0] < end)


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Hardcoded colors in ``file`` (nothing in token definition files)."""
    if ctx.is_token_file or (ctx.is_test_file and not rule.options.get("check_tests", False)):
        return []
    allowed = {normalize_color(str(v)) or str(v).lower() for v in rule.options.get("allow", []) or []}
    deferred = _deferred_spans(file, ctx)
    candidates: list[Candidate] = []
    for site in cached_analysis(file, ctx.project).sites:
        literal = site.literal
        if literal.text.lower() in allowed or literal.normalized in allowed:
            continue
        if deferred and _overlaps(deferred, literal.start, literal.end):
            continue
        data: dict[str, Any] = {"color": literal.normalized, "kind": literal.kind, "idiom": site.idiom}
        if site.property:
            data["property"] = site.property
        if site.reason:
            data["ambiguous"] = site.reason
        candidates.append(
            Candidate(
                rule_id=rule.id,
                span=file.span(literal.start, literal.end),
                snippet=literal.text,
                message=message_for(site),
                clear=site.clear and not (site.call and rule.llm),
                data=data,
            )
        )
    return candidates
