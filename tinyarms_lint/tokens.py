"""Loading a repository's design tokens: CSS custom properties, SCSS variables, W3C / Style
Dictionary / Tokens Studio JSON, JS/TS theme objects and Tailwind theme colors and spacing.

Token files are found by the configured ``token_files`` globs through the run's repository view
(or a walk of the root). Each token gets a category (color, spacing, font-size, radius, shadow)
and a normalized value so literals can be compared with it (``#FFF`` equals ``rgb(255,255,255)``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .config import matches_any
from .detectors.color_values import (
    colors_in_value,
    declarations,
    normalize_color,
)

if TYPE_CHECKING:
    import tree_sitter

    from .detectors.base import DetectContext

CATEGORIES = ("color", "spacing", "font-size", "radius", "shadow")
_MAX_TOKEN_FILE = 1_000_000
_TOKEN_EXTENSIONS = {
    ".css": "css",
    ".scss": "scss",
    ".json": "json",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "jsx",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".py": "python",
}
_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "dist", "build"})
# Selectors whose custom properties are the defaults; properties set elsewhere (.dark, a
# component) are overrides and say nothing about what a literal means.
_ROOT_SCOPES = frozenset({":root", "html", ":host", "*", "body", "@theme", "@theme inline", "page"})


def _is_root(selector: str) -> bool:
    """A root scope, alone or in a selector list with the default theme's selector
    (``:root, [data-bs-theme=light]``, as Bootstrap 5.3 writes its variables)."""
    return selector in _ROOT_SCOPES or any(part.strip() in _ROOT_SCOPES for part in selector.split(","))


_TAILWIND_SECTIONS = {
    "colors": "color",
    "backgroundColor": "color",
    "textColor": "color",
    "borderColor": "color",
    "spacing": "spacing",
    "fontSize": "font-size",
    "borderRadius": "radius",
    "boxShadow": "shadow",
}
_W3C_TYPES = {
    "color": "color",
    "spacing": "spacing",
    "borderradius": "radius",
    "fontsize": "font-size",
    "fontsizes": "font-size",
    "shadow": "shadow",
    "boxshadow": "shadow",
}


@dataclass(frozen=True)
class Token:
    """One design token: its name as defined, where, its resolved value and comparable key.

    ``source`` is ``css`` (a custom property), ``scss`` (a variable), ``json``, ``js`` (a theme
    object; ``name`` is the JS expression that reads it) or ``tailwind`` (``name`` is the theme
    path, ``tailwind`` the class suffix such as ``gray-100``).
    """

    name: str
    source: str
    path: str
    value: str
    category: str
    key: str
    tailwind: str = ""
    direct: bool = True
    order: int = 0
    # A dimension token named for one component (``$kbd-padding-x``, ``--bs-card-spacer-y``): the
    # words naming it (``kbd``). It stands for that component's size, not a step of the scale.
    component: tuple[str, ...] = ()

    def fits(self, context: str) -> bool:
        """Whether this token may stand for a literal written in ``context`` (a file path and the
        CSS selectors around the literal, lowercased): a component token only where the context
        names its component (every word of it: ``card title`` in ``.card-title``)."""
        return all(word in context for word in self.component)


@dataclass
class TokenSet:
    """All tokens of a repository, indexed by (category, normalized value)."""

    tokens: list[Token] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    _index: dict[tuple[str, str], list[Token]] = field(default_factory=dict, repr=False)

    def add(self, token: Token) -> None:
        self.tokens.append(token)
        self._index.setdefault((token.category, token.key), []).append(token)

    def matching(self, category: str, key: str) -> list[Token]:
        """Tokens of ``category`` whose value equals ``key``: scale tokens before component ones,
        direct definitions before aliases, then in the order they were added."""
        found = self._index.get((category, key), [])
        return sorted(found, key=lambda t: (bool(t.component), not t.direct))

    def __len__(self) -> int:
        return len(self.tokens)


# --- values -------------------------------------------------------------------------------------

_DIMENSION = re.compile(r"^(-?(?:\d+\.?\d*|\.\d+))(px|rem|em)?$")


def dimension_key(text: str, *, unitless_px: bool = False) -> str | None:
    """``16px`` -> ``16px``, ``.5rem`` -> ``0.5rem``; a bare number only when ``unitless_px``."""
    match = _DIMENSION.match(text.strip().lower())
    if not match:
        return None
    unit = match.group(2)
    if unit is None:
        if not unitless_px:
            return None
        unit = "px"
    number = float(match.group(1))
    return f"{number:g}{unit}"


def px_size(key: str) -> float:
    """The size of a dimension key in px (rem and em counted as 16px)."""
    match = _DIMENSION.match(key)
    if not match:
        return 0.0
    number = abs(float(match.group(1)))
    return number * 16 if match.group(2) in ("rem", "em") else number


def shadow_key(text: str) -> str | None:
    """A comparable form of a shadow: lowercase, single spaces, normalized colors, ``0px`` -> ``0``."""
    raw = text.strip().removesuffix("!important").strip()
    if not raw or raw.lower() in ("none", "inherit", "initial", "unset"):
        return None
    data = raw.encode()
    colors = colors_in_value(data, 0, len(data), named=True, line_comments=False)
    if not colors:
        return None
    out = []
    last = 0
    for color in colors:
        out.append(data[last : color.start].decode())
        out.append(color.normalized)
        last = color.end
    out.append(data[last:].decode())
    joined = " ".join("".join(out).lower().replace(",", " , ").split())
    joined = re.sub(r"(?<![\w.])0(?:px|rem|em)\b", "0", joined)
    joined = re.sub(r"(?<![\w.])0?\.(\d)", r"0.\1", joined)
    return joined


def value_key(category: str, text: str, *, unitless_px: bool = False) -> str | None:
    """The comparable key of a literal or token value in ``category`` (None when not one)."""
    if category == "color":
        return normalize_color(text)
    if category == "shadow":
        return shadow_key(text)
    return dimension_key(text, unitless_px=unitless_px)


_WORD = re.compile(r"[A-Z]?[a-z]+|[0-9]+")


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def category_for(name: str, value: str, hint: str | None = None) -> str | None:
    """The category of a token from an explicit hint (``$type``, a Tailwind section), its
    value, and words of its name. Dimensions need a telling name: ``--space-4``,
    ``$border-radius``, ``fontSizes.md``, ``--text-sm``."""
    if hint == "color" or (hint is None and normalize_color(value) is not None):
        return "color" if normalize_color(value) is not None else None
    words = _words(name)
    if hint == "shadow" or (hint is None and any(w in ("shadow", "shadows", "elevation") for w in words)):
        return "shadow" if shadow_key(value) else None
    if dimension_key(value, unitless_px=True) is None:
        return None
    if hint in ("spacing", "font-size", "radius"):
        return hint
    if any(w in ("radius", "radii", "rounded", "corner", "corners") for w in words):
        return "radius"
    if (
        "font" in words
        and any(w in ("size", "sizes") for w in words)
        or "fontsize" in words
        or (words[:1] == ["text"] or words[1:2] == ["text"])
    ):
        return "font-size"
    if any(
        w
        in (
            "space",
            "spaces",
            "spacing",
            "spacings",
            "spacer",
            "spacers",
            "gap",
            "gutter",
            "gutters",
            "inset",
            "padding",
            "margin",
            "unit",
            "units",
        )
        for w in words
    ):
        return "spacing"
    return None


_NAME_PARTS = re.compile(r"[A-Za-z][a-z0-9]*|[0-9]+")
_SCALE_WORDS = {
    "spacing": frozenset(
        {"space", "spaces", "spacing", "spacings", "spacer", "spacers", "gap", "gutter", "gutters", "inset",
         "padding", "margin", "size", "sizes", "sizing", "unit", "units"}
    ),
    "radius": frozenset({"radius", "radii", "rounded", "corner", "corners", "border"}),
    "font-size": frozenset({"font", "fontsize", "fontsizes", "text", "fs", "type", "typography"}),
}  # fmt: skip
# Words of a token path that group tokens without naming a component.
_GROUP_WORDS = frozenset(
    {"theme", "themes", "tokens", "token", "components", "component", "global", "base", "core", "default", "sys",
     "ref", "semantic", "scale", "vars", "var", "foundation", "foundations", "dimension", "dimensions", "sizes",
     "layout"}
)  # fmt: skip


def _name_parts(name: str) -> list[str]:
    """``$kbd-padding-x`` -> [kbd, padding, x]; ``theme.components.Button.paddingX`` -> [..., button, padding, x]."""
    return [part.lower() for part in _NAME_PARTS.findall(name)]


def component_of(name: str, category: str, namespace: str = "") -> tuple[str, ...]:
    """The words that name a component in a dimension token's name, before its scale word:
    ``$kbd-padding-x`` -> (kbd,), ``--bs-card-spacer-y`` (namespace ``bs``) -> (card,),
    ``$spacer-2`` and ``--radius-sm`` -> ()."""
    words = _name_parts(name)
    if namespace and words[:1] == [namespace]:
        words = words[1:]
    scale = _SCALE_WORDS.get(category)
    if scale is None:
        return ()
    index = next((i for i, w in enumerate(words) if w in scale), None)
    if not index:
        return ()
    return tuple(w for w in words[:index] if w not in _GROUP_WORDS and len(w) > 1 and not w.isdigit())


def _namespaces(raws: list[tuple[str, _Raw]]) -> dict[tuple[str, str], str]:
    """The prefix most custom properties of a file share (``--bs-``, ``--tblr-``), by (file, source)."""
    firsts: dict[tuple[str, str], list[str]] = {}
    for rel, raw in raws:
        if raw.source == "css":
            words = _name_parts(raw.name)
            firsts.setdefault((rel, raw.source), []).append(words[0] if words else "")
    out: dict[tuple[str, str], str] = {}
    for key, words in firsts.items():
        top = max(set(words), key=words.count)
        if len(words) >= 4 and words.count(top) * 2 >= len(words):
            out[key] = top
    return out


# --- CSS and SCSS -------------------------------------------------------------------------------


@dataclass
class _Raw:
    name: str
    source: str
    value: str
    hint: str | None = None
    tailwind: str = ""
    unitless_px: bool = False
    direct: bool = True


def _css_tokens(path: str, data: bytes, scss: bool) -> list[_Raw]:
    raws: list[_Raw] = []
    for decl in declarations(data, line_comments=scss):
        value = data[decl.value_start : decl.value_end].decode("utf-8", "replace")
        value = re.sub(r"(?<!\s)\s*!(?:default|global|important)\b", "", value).strip()
        if decl.kind == "custom-property":
            if all(_is_root(part) or part.startswith("@media") for part in decl.scope) and (
                not decl.scope or _is_root(decl.scope[-1])
            ):
                raws.append(_Raw(decl.property, "css", value))
        elif decl.kind == "scss-variable" and scss and not decl.scope and not value.startswith("("):
            raws.append(_Raw(decl.property, "scss", value))
    return raws


# --- JSON ---------------------------------------------------------------------------------------


def _json_tokens(data: bytes) -> list[_Raw]:
    try:
        tree = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    raws: list[_Raw] = []

    def walk(node: Any, path: list[str], inherited: str | None) -> None:
        if not isinstance(node, dict):
            return
        group_type = node.get("$type") if isinstance(node.get("$type"), str) else inherited
        marker = type_key = ""
        if "$value" in node:
            marker, type_key = "$value", "$type"
        elif "value" in node and (isinstance(node["value"], str | int | float) or "type" in node):
            marker, type_key = "value", "type"
        if marker:
            kind = node.get(type_key) if isinstance(node.get(type_key), str) else group_type
            value = _json_value(node[marker], kind)
            if value is not None and path:
                hint = _W3C_TYPES.get(str(kind).lower().replace("-", "")) if kind else None
                raws.append(_Raw(".".join(path), "json", value, hint))
            return
        for key, child in node.items():
            if not key.startswith("$"):
                walk(child, [*path, key], group_type)

    walk(tree, [], None)
    return raws


def _json_value(value: Any, kind: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value}px" if kind in ("dimension", "spacing", "borderRadius", "fontSizes") else str(value)
    if isinstance(value, dict) and {"offsetX", "offsetY", "color"} <= set(value):  # W3C shadow
        parts = [value.get(k, "0") for k in ("offsetX", "offsetY", "blur", "spread")]
        return " ".join(str(p) for p in parts) + " " + str(value["color"])
    if isinstance(value, dict) and {"x", "y", "color"} <= set(value):  # Tokens Studio shadow
        parts = [value.get(k, "0") for k in ("x", "y", "blur", "spread")]
        return (
            " ".join(f"{p}px" if str(p).lstrip("-").isdigit() and str(p) != "0" else str(p) for p in parts)
            + " "
            + str(value["color"])
        )
    return None


# --- JS / TS theme objects and Tailwind config ---------------------------------------------------


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text else ""


def _unwrap(node: tree_sitter.Node) -> tree_sitter.Node:
    while node.type in ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"):
        if not node.named_children:
            break
        node = node.named_children[0]
    return node


def _key_text(key: tree_sitter.Node) -> str | None:
    if key.type in ("property_identifier", "identifier", "number", "shorthand_property_identifier"):
        return _text(key)
    if key.type == "string":
        return _text(key)[1:-1]
    return None


def _member_path(node: tree_sitter.Node) -> tuple[str, ...] | None:
    """``colors.blue[500]`` -> ('colors', 'blue', '500')."""
    if node.type == "identifier":
        return (_text(node),)
    if node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        base = _member_path(obj) if obj is not None else None
        return None if base is None or prop is None else (*base, _text(prop))
    if node.type == "subscript_expression":
        obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
        base = _member_path(obj) if obj is not None else None
        if base is None or index is None or index.type not in ("string", "number"):
            return None
        return (*base, _text(index).strip("'\""))
    return None


class _JsTheme:
    """Flatten the top-level objects of a JS/TS module into (path, value) leaves."""

    def __init__(self, source: bytes, language: str, stem: str) -> None:
        from .languages import parser

        self.tree = parser(language).parse(source)
        self.stem = stem if re.match(r"^[A-Za-z_$][\w$]*$", stem) else "theme"
        self.leaves: dict[tuple[str, ...], tuple[str, bool]] = {}
        self.aliases: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.aliased: set[tuple[str, ...]] = set()
        self.exported: set[str] = {self.stem}

    def run(self) -> dict[tuple[str, ...], tuple[str, bool]]:
        for statement in self.tree.root_node.named_children:
            self._statement(statement)
        for _ in range(4):  # resolve references to other leaves (colors.blue[500], a const)
            changed = False
            for path, target in list(self.aliases.items()):
                resolved = self._resolve(target)
                if resolved is not None:
                    self.leaves[path] = resolved
                    self.aliased.add(path)
                    del self.aliases[path]
                    changed = True
            if not changed:
                break
        return self.leaves

    def _resolve(self, target: tuple[str, ...]) -> tuple[str, bool] | None:
        if target in self.leaves:
            return self.leaves[target]
        for root in {p[0] for p in self.leaves}:  # a path written relative to a top-level object
            if (root, *target) in self.leaves:
                return self.leaves[(root, *target)]
        return None

    def _statement(self, node: tree_sitter.Node) -> None:
        if node.type == "export_statement":
            value = node.child_by_field_name("value")
            declaration = node.child_by_field_name("declaration")
            if value is not None:
                if _unwrap(value).type == "identifier":
                    self.exported.add(_text(_unwrap(value)))
                self._value((self.stem,), value)
            elif declaration is not None:
                for declarator in declaration.named_children:
                    name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                    if name is not None:
                        self.exported.add(_text(name))
                self._statement(declaration)
            else:
                clause = next((c for c in node.named_children if c.type == "export_clause"), None)
                for spec in clause.named_children if clause is not None else []:
                    name = spec.child_by_field_name("name")
                    if name is not None:
                        self.exported.add(_text(name))
            return
        if node.type in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    self._value((_text(name),), value)
            return
        if node.type == "expression_statement" and node.named_children:
            expr = node.named_children[0]
            if expr.type == "assignment_expression":
                left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
                if left is not None and right is not None and _text(left) in ("module.exports", "exports.default"):
                    if _unwrap(right).type == "identifier":
                        self.exported.add(_text(_unwrap(right)))
                    self._value((self.stem,), right)

    def _value(self, path: tuple[str, ...], node: tree_sitter.Node) -> None:
        node = _unwrap(node)
        kind = node.type
        if kind == "object":
            for child in node.named_children:
                if child.type == "pair":
                    key = child.child_by_field_name("key")
                    value = child.child_by_field_name("value")
                    name = _key_text(key) if key is not None else None
                    if name is not None and value is not None:
                        self._value((*path, name), value)
            return
        if kind == "array":
            for index, child in enumerate(node.named_children):
                self._value((*path, str(index)), child)
            return
        if kind == "call_expression" and len(path) == 1:  # createTheme({...}), defineConfig({...})
            arguments = node.child_by_field_name("arguments")
            if arguments is not None:
                objects = [a for a in arguments.named_children if _unwrap(a).type == "object"]
                if objects:
                    self._value(path, objects[0])
            return
        if kind == "string" or (
            kind == "template_string" and not any(c.type == "template_substitution" for c in node.children)
        ):
            self.leaves[path] = (_text(node)[1:-1], False)
        elif kind == "number":
            self.leaves[path] = (_text(node), True)
        elif kind in ("identifier", "member_expression", "subscript_expression"):
            target = _member_path(node)
            if target is not None:
                self.aliases[path] = target


def _reference(path: tuple[str, ...]) -> str:
    """A JS expression reading ``path``: ``theme.colors.gray[100]``, ``theme.colors['brand-blue']``."""
    out = path[0]
    for part in path[1:]:
        if re.match(r"^[A-Za-z_$][\w$]*$", part):
            out += "." + part
        elif part.isdigit():
            out += f"[{part}]"
        else:
            out += f"[{json.dumps(part)}]"
    return out


def _js_tokens(rel: str, data: bytes, language: str) -> list[_Raw]:
    name = PurePosixPath(rel).name
    stem = name.split(".")[0]
    theme = _JsTheme(data, language, stem)
    leaves = theme.run()
    raws: list[_Raw] = []
    if stem == "tailwind" and ".config." in name:
        for path, (value, numeric) in leaves.items():
            if path[1:3] == ("theme", "extend"):
                section, rest = (path[3] if len(path) > 3 else ""), list(path[4:])
            elif path[1:2] == ("theme",):
                section, rest = path[2] if len(path) > 2 else "", list(path[3:])
            else:
                continue
            category = _TAILWIND_SECTIONS.get(section)
            if category is None or not rest:
                continue
            if category == "font-size" and len(rest) > 1 and rest[1].isdigit():
                if rest[1:] != ["0"]:
                    continue  # fontSize: { sm: ['14px', { lineHeight: ... }] }: only the size
                rest = rest[:1]
            suffix = "-".join(part for part in rest if part != "DEFAULT")
            name = ".".join(part for part in rest if part != "DEFAULT")
            raws.append(_Raw(f"{section}.{name}", "tailwind", value, category, suffix, numeric))
        return raws
    for path, (value, numeric) in leaves.items():
        if path[0] not in theme.exported:
            continue  # not importable: another module cannot write this token
        if len(path) < 2 and not normalize_color(value):
            continue
        raws.append(_Raw(_reference(path), "js", value, None, "", numeric, direct=path not in theme.aliased))
    return raws


# --- Python palettes ----------------------------------------------------------------------------


def _python_tokens(data: bytes) -> list[_Raw]:
    """Module-level ``NAME = "#hex"``, dicts of them (``NAME["key"]``) and class attributes
    (``Palette.PRIMARY``) of a Python token module."""
    from .languages import parser

    tree = parser("python").parse(data)
    raws: list[_Raw] = []

    def value(node: tree_sitter.Node, name: str) -> None:
        if node.type == "string":
            parts = [c for c in node.children if c.type == "string_content"]
            if len(parts) == 1 and not any(c.type == "interpolation" for c in node.children):
                raws.append(_Raw(name, "python", _text(parts[0])))
        elif node.type == "dictionary":
            for pair in node.named_children:
                key, item = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                if pair.type == "pair" and key is not None and item is not None and key.type == "string":
                    content = [c for c in key.children if c.type == "string_content"]
                    if len(content) == 1:
                        value(item, f"{name}[{json.dumps(_text(content[0]))}]")

    def assignments(block: tree_sitter.Node, prefix: str) -> None:
        for statement in block.named_children:
            if statement.type == "class_definition" and not prefix:
                name, body = statement.child_by_field_name("name"), statement.child_by_field_name("body")
                if name is not None and body is not None:
                    assignments(body, _text(name) + ".")
                continue
            if statement.type != "expression_statement" or not statement.named_children:
                continue
            assignment = statement.named_children[0]
            if assignment.type != "assignment":
                continue
            left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier":
                value(right, prefix + _text(left))

    assignments(tree.root_node, "")
    return [raw for raw in raws if normalize_color(raw.value) is not None]


# --- loading ------------------------------------------------------------------------------------


def _resolve_css_references(raws: list[_Raw]) -> list[tuple[_Raw, str, bool]]:
    """Each raw token with its value resolved through ``var(--x)``, ``$x`` and ``{a.b}`` aliases."""
    by_name = {raw.name: raw for raw in raws}
    out: list[tuple[_Raw, str, bool]] = []
    for raw in raws:
        value, direct = raw.value, True
        for _ in range(8):
            match = re.fullmatch(r"var\(\s*(--[\w-]+)\s*(?:,[^)]*)?\)|(\$[\w-]+)|\{([\w.-]+)\}", value.strip())
            if not match:
                break
            target = by_name.get(match.group(1) or match.group(2) or match.group(3) or "")
            if target is None:
                break
            value, direct = target.value, False
        out.append((raw, value, direct))
    return out


def _token_paths(ctx: DetectContext) -> Iterator[tuple[str, bytes]]:
    patterns = tuple(ctx.token_files)
    if not patterns:
        return
    if ctx.repository is not None:
        for rel in sorted(ctx.repository.files()):
            if PurePosixPath(rel).suffix.lower() in _TOKEN_EXTENSIONS and matches_any(rel, patterns):
                try:
                    data = ctx.repository.read(rel)
                except OSError:
                    continue
                if len(data) <= _MAX_TOKEN_FILE:
                    yield rel, data
        return
    root = Path(ctx.root)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            full = Path(folder) / name
            rel = full.relative_to(root).as_posix()
            if full.suffix.lower() in _TOKEN_EXTENSIONS and matches_any(rel, patterns):
                try:
                    if full.stat().st_size <= _MAX_TOKEN_FILE:
                        yield rel, full.read_bytes()
                except OSError:
                    continue


def parse_token_file(rel: str, data: bytes) -> list[_Raw]:
    """The raw (unresolved) tokens defined by one file, by its extension."""
    language = _TOKEN_EXTENSIONS.get(PurePosixPath(rel).suffix.lower())
    if language in ("css", "scss"):
        return _css_tokens(rel, data, language == "scss")
    if language == "json":
        return _json_tokens(data)
    if language == "python":
        return _python_tokens(data)
    if language is not None:
        return _js_tokens(rel, data, language)
    return []


def build_token_set(files: Iterable[tuple[str, bytes]]) -> TokenSet:
    """Tokens of the given (path, content) files, aliases resolved within each file's kind."""
    tokens = TokenSet()
    collected: list[tuple[str, _Raw]] = []
    for rel, data in files:
        tokens.files.append(rel)
        collected.extend((rel, raw) for raw in parse_token_file(rel, data))
    resolved = _resolve_css_references([raw for _, raw in collected])
    namespaces = _namespaces(collected)
    for order, ((rel, _), (raw, value, direct)) in enumerate(zip(collected, resolved)):
        category = category_for(raw.name, value, raw.hint)
        if category is None:
            continue
        # JS themes and Tokens Studio write pixels as bare numbers
        key = value_key(category, value, unitless_px=raw.unitless_px or raw.source in ("js", "tailwind", "json"))
        if key is None:
            continue
        component: tuple[str, ...] = ()
        if category in ("spacing", "radius", "font-size") and raw.source != "tailwind":
            name = raw.name.split(".", 1)[1] if raw.source == "js" and "." in raw.name else raw.name
            component = component_of(name, category, namespaces.get((rel, raw.source), ""))
        tokens.add(
            Token(
                raw.name, raw.source, rel, value, category, key, raw.tailwind, direct and raw.direct, order, component
            )
        )
    return tokens


def load_tokens(ctx: DetectContext) -> TokenSet:
    """The repository's tokens, loaded once per run and kept in ``ctx.project["tokens"]``."""
    cache_key = (str(ctx.root), tuple(ctx.token_files), id(ctx.repository))
    cached = ctx.project.get("tokens")
    if isinstance(cached, tuple) and cached[0] == cache_key:
        token_set: TokenSet = cached[1]
        return token_set
    token_set = build_token_set(_token_paths(ctx))
    ctx.project["tokens"] = (cache_key, token_set)
    return token_set
