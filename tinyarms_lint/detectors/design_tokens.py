"""``design-tokens``: a literal (color, spacing, font size, radius, shadow) equal to one of the
repository's design tokens, reported with the token written the way this file would write it
(``var(--color-primary)``, ``$primary``, ``theme.colors.primary``, ``bg-primary``) and a fix
when that reference is certain to work here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from ..tokens import CATEGORIES, Token, TokenSet, build_token_set, load_tokens, px_size, value_key
from ..types import Candidate, Fix
from .color_values import declarations, kebab, value_tokens
from .colors import ColorSite, CssRegion, StyleValue, cached_analysis

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext

_SPACING = re.compile(
    r"^(?:margin|padding|scroll-margin|scroll-padding)(?:-(?:top|right|bottom|left|block|inline|block-start|"
    r"block-end|inline-start|inline-end))?$|^(?:grid-)?(?:row-|column-)?gap$"
)
_RADIUS = re.compile(r"^border(?:-(?:top|bottom|start|end)-(?:left|right|start|end))?-radius$")
_TAILWIND_DIMENSION = re.compile(
    rb"(?<![\w\[\]!-])(?<![!\w-]:)(?P<prefix>(?:[!\w-]+:)*!?)(?P<utility>-?[a-z][a-z0-9-]*)-\[(?P<value>\d*\.?\d+(?:px|rem|em))\]"
    rb"(?![\w\]-])"
)
_TAILWIND_UTILITIES = {
    "font-size": re.compile(r"^text$"),
    "radius": re.compile(r"^rounded(?:-(?:t|r|b|l|tl|tr|bl|br|s|e|ss|se|es|ee))?$"),
    "spacing": re.compile(r"^(?:p|px|py|pt|pr|pb|pl|ps|pe|m|mx|my|mt|mr|mb|ml|ms|me|gap|gap-x|gap-y|space-x|space-y)$"),
}
# Tailwind theme sections that a color utility reads.
_TAILWIND_COLOR_UTILITIES = frozenset(
    {"bg", "text", "border", "border-t", "border-r", "border-b", "border-l", "border-x", "border-y", "ring",
     "outline", "fill", "stroke", "divide", "from", "via", "to", "accent", "caret", "decoration", "placeholder",
     "ring-offset", "shadow"}
)  # fmt: skip


# Which kinds of token a literal can be replaced by, by where it is written: an SCSS variable
# means nothing in plain CSS or in JS, a JS theme value nothing in a stylesheet. JSON tokens
# are named (their build emits CSS variables or JS constants) but never fixed.
_USABLE_SOURCES: dict[str, frozenset[str]] = {
    "css": frozenset({"css", "json", "tailwind"}),
    "scss": frozenset({"css", "scss", "json", "tailwind"}),
    "template": frozenset({"css", "js", "json"}),
    "style": frozenset({"css", "js", "json"}),
    "js": frozenset({"css", "js", "json"}),
    "tailwind": frozenset({"css", "json", "tailwind"}),
    "python": frozenset({"python"}),
}


def category_of_property(prop: str) -> str | None:
    """The token category a CSS property (kebab or camelCase) takes literals of."""
    name = kebab(prop)
    name = re.sub(r"^-(?:webkit|moz|ms)-", "", name)
    if name == "font-size":
        return "font-size"
    if name in ("box-shadow", "text-shadow"):
        return "shadow"
    if _RADIUS.match(name):
        return "radius"
    if _SPACING.match(name):
        return "spacing"
    return None


@dataclass(frozen=True)
class TokenSite:
    """A literal equal to a token: where, what, which tokens, and how to write the first here."""

    start: int
    end: int
    text: str
    category: str
    tokens: tuple[Token, ...]
    reference: str
    fix: tuple[int, int, str] | None
    clear: bool = True
    reason: str = ""


@dataclass(frozen=True)
class _Literal:
    start: int
    end: int
    text: str
    category: str
    key: str
    idiom: str
    clear: bool = True
    reason: str = ""
    string_span: tuple[int, int] | None = None  # the whole JS string/number holding it
    tailwind: tuple[int, int, str] | None = None  # the class span and utility
    numeric: bool = False
    selectors: str = ""  # the CSS selectors and at-rules around a stylesheet literal


# --- finding literals ---------------------------------------------------------------------------


def _color_literals(sites: list[ColorSite]) -> list[_Literal]:
    out = []
    for site in sites:
        lit = site.literal
        out.append(
            _Literal(
                lit.start,
                lit.end,
                lit.text,
                "color",
                lit.normalized,
                site.idiom,
                site.clear,
                site.reason,
                site.string_span,
                site.tailwind_class,
            )
        )
    return out


# The argument list of an at-rule (``@mixin state($focus: $input-btn-focus-color)``): its words name
# parameters and defaults, not the component the rules are for.
_AT_RULE_ARGUMENTS = re.compile(r"^(@[\w-]+\s+[\w.-]+)\s*\(.*", re.DOTALL)


def _css_literals(region: CssRegion, idiom: str, min_px: float) -> list[_Literal]:
    out: list[_Literal] = []
    buf, base = region.buf, region.base
    for decl in declarations(buf, region.start, region.end, line_comments=region.line_comments):
        if decl.kind != "property":
            continue
        category = category_of_property(decl.property)
        if category is None:
            continue
        if category == "shadow":
            raw = buf[decl.value_start : decl.value_end].decode("utf-8", "replace")
            value = re.sub(r"(?<!\s)\s*!important\s*$", "", raw)
            key = value_key("shadow", value)
            if key:
                start = base + decl.value_start
                out.append(_Literal(start, start + len(value.encode()), value, "shadow", key, idiom))
            continue
        if category == "radius" and b"/" in buf[decl.value_start : decl.value_end]:
            continue  # elliptical corners (``25px 55px / 5px 25px``) draw a shape; a radius token is one circle
        for token in value_tokens(buf, decl.value_start, decl.value_end, line_comments=region.line_comments):
            if token.kind != "number":
                continue
            text = buf[token.start : token.end].decode("ascii", "replace")
            key = value_key(category, text)
            if key is None or key.startswith("-") or px_size(key) < min_px:
                continue
            selectors = " ".join(_AT_RULE_ARGUMENTS.sub(r"\1", part) for part in decl.scope)
            out.append(_Literal(base + token.start, base + token.end, text, category, key, idiom, selectors=selectors))
    return out


def _style_value_literals(values: list[StyleValue], source: bytes, min_px: float) -> list[_Literal]:
    out: list[_Literal] = []
    for value in values:
        category = category_of_property(value.key)
        if category is None:
            continue
        node = value.node
        span = (node.start_byte, node.end_byte)
        if node.type == "number":
            if value.root == "sx":
                continue  # MUI/theme-ui: numbers in sx are theme scale steps, not pixels
            text = source[node.start_byte : node.end_byte].decode()
            key = value_key(category, text, unitless_px=True)
            if key and not key.startswith("-") and px_size(key) >= min_px and category != "shadow":
                out.append(_Literal(node.start_byte, node.end_byte, text, category, key, "style", True, "", span,
                                    numeric=True))  # fmt: skip
            continue
        if any(c.type == "template_substitution" for c in node.children):
            continue
        start, end = node.start_byte + 1, node.end_byte - 1
        text = source[start:end].decode("utf-8", "replace")
        if category == "shadow":
            key = value_key("shadow", text)
            if key:
                out.append(_Literal(start, end, text, "shadow", key, "style", True, "", span))
            continue
        for token in value_tokens(source, start, end, line_comments=False):
            if token.kind != "number":
                continue
            literal = source[token.start : token.end].decode("ascii", "replace")
            key = value_key(category, literal)
            if key is None or key.startswith("-") or px_size(key) < min_px:
                continue
            whole = span if (token.start, token.end) == (start, end) else None
            out.append(_Literal(token.start, token.end, literal, category, key, "style", True, "", whole))
    return out


def _tailwind_literals(source: bytes, min_px: float) -> list[_Literal]:
    out: list[_Literal] = []
    if b"-[" not in source:
        return out
    for match in _TAILWIND_DIMENSION.finditer(source):
        utility = match.group("utility").decode()
        category = next((c for c, pattern in _TAILWIND_UTILITIES.items() if pattern.match(utility)), None)
        if category is None:
            continue
        text = match.group("value").decode()
        key = value_key(category, text)
        if key is None or px_size(key) < min_px:
            continue
        start = match.start("utility")
        out.append(
            _Literal(
                match.start("value"),
                match.end("value"),
                text,
                category,
                key,
                "tailwind",
                tailwind=(start, match.end(), utility),
            )
        )
    return out


# --- writing the token here ---------------------------------------------------------------------


@dataclass
class _FileFacts:
    """What the references depend on, read once per file: imported names, React Native."""

    imports: set[str]
    react_native: bool
    quote: str = '"'  # the file's usual string quote, for a number that becomes "var(--x)"
    # Python: (module, name, alias) of ``from module import name as alias``, and
    # (module, None, alias) of ``import module as alias``
    python_imports: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    @classmethod
    def of(cls, file: SourceFile) -> _FileFacts:
        if file.language == "python":
            return cls(set(), False, python_imports=_python_imports(file))
        text = file.text
        names: set[str] = set()
        for match in re.finditer(r"\bimport\s+(?:type\s+)?([^;]*?)\s+from\s+['\"]", text):
            clause = match.group(1)
            names.update(re.findall(r"[A-Za-z_$][\w$]*", re.sub(r"\b\w+\s+as\s+", "", clause)))
        for match in re.finditer(r"\b(?:const|let|var)\s+\{([^}]*)\}\s*=\s*require\(", text):
            names.update(re.findall(r"[A-Za-z_$][\w$]*", match.group(1)))
        for match in re.finditer(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\(", text):
            names.add(match.group(1))
        native = re.search(r"""(?:from\s+|require\(\s*)['"]react-native['"]""", text) is not None
        return cls(names, native, quote="'" if text.count("'") > text.count('"') else '"')


def _bound_names(file: SourceFile, facts: _FileFacts, offset: int) -> set[str]:
    """Names a JS file imports, plus the parameters of the functions around ``offset``."""
    names = set(facts.imports)
    node: tree_sitter.Node | None = file.tree.root_node.descendant_for_byte_range(offset, offset)
    while node is not None:
        if node.type in ("arrow_function", "function_expression", "function_declaration", "method_definition"):
            params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
            if params is not None:
                names.update(_identifiers(params))
        node = node.parent
    return names


def _identifiers(node: tree_sitter.Node) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier_pattern") and current.text:
            found.add(current.text.decode())
        if current.type == "type_annotation":
            continue
        if current.type == "pair_pattern":
            value = current.child_by_field_name("value")
            if value is not None:
                stack.append(value)
            continue
        stack.extend(current.children)
    return found


def _scss_namespace(file: SourceFile, token: Token) -> str:
    """``t.`` when this SCSS file ``@use``s the token's module ``as t`` (``""`` when global)."""
    stem = PurePosixPath(token.path).name.split(".")[0].lstrip("_")
    for match in re.finditer(r"@use\s+['\"]([^'\"]+)['\"](?:\s+as\s+([\w*-]+))?", file.text):
        used = PurePosixPath(match.group(1)).name.split(".")[0].lstrip("_")
        if used == stem:
            alias = match.group(2)
            if alias == "*":
                return ""
            return f"{alias or used}."
    return ""


def _unitless(token: Token) -> bool:
    return re.fullmatch(r"-?(?:\d+\.?\d*|\.\d+)", token.value.strip()) is not None


def _tailwind_replacement(source: bytes, literal: _Literal, suffix: str) -> tuple[int, int, str] | None:
    """``hover:bg-[#3b82f6]/50`` -> ``hover:bg-primary/50`` when the color is the whole value."""
    assert literal.tailwind is not None
    class_start, class_end, utility = literal.tailwind
    text = source[class_start:class_end].decode("utf-8", "replace")
    open_at = text.find(utility + "-[")
    close_at = text.find("]", open_at)
    if open_at == -1 or close_at == -1:
        return None
    inner = text[open_at + len(utility) + 2 : close_at]
    if inner.removeprefix("color:") != literal.text:
        return None
    start = class_start + len(text[:open_at].encode())
    end = class_start + len(text[: close_at + 1].encode())
    return start, end, f"{utility}-{suffix}"


def _write(
    file: SourceFile, facts: _FileFacts, literal: _Literal, tokens: list[Token]
) -> tuple[Token, str, tuple[int, int, str] | None]:
    """The token to suggest, how to write it here, and the fix (start, end, text) when certain.

    A fix is offered only with a reference that works in this idiom: a CSS variable in CSS, SCSS,
    CSS-in-JS and web style objects; an SCSS variable in SCSS; a JS theme value where its name is
    imported or a parameter in scope; a Tailwind theme class in a class list.
    """
    by_source: dict[str, Token] = {}
    for token in tokens:
        by_source.setdefault(token.source, token)
    if literal.idiom == "python":
        return _write_python(facts, literal, by_source["python"])
    css, scss, js, tailwind = (by_source.get(k) for k in ("css", "scss", "js", "tailwind"))
    idiom = literal.idiom
    span = (literal.start, literal.end)
    bound = js is not None and re.split(r"[.\[]", js.name, maxsplit=1)[0] in _bound_names(file, facts, literal.start)
    if idiom == "scss" and scss is not None:
        written = f"{_scss_namespace(file, scss)}{scss.name}"
        return scss, written, (*span, written)
    if idiom in ("css", "scss", "template") and css is not None:
        return css, f"var({css.name})", (*span, f"var({css.name})")
    if idiom == "template" and js is not None:
        unit = "px" if _unitless(js) and literal.category != "color" else ""  # theme.space.md is 16, not 16px
        if bound:
            return js, f"${{{js.name}}}{unit}", (*span, f"${{{js.name}}}{unit}")
        root = re.split(r"[.\[]", js.name, maxsplit=1)[0]
        written = f"${{({{ theme }}) => {js.name}}}{unit}" if root == "theme" else f"${{{js.name}}}{unit}"
        return js, written, None
    if idiom in ("style", "js") and js is not None and bound and literal.string_span is not None:
        if literal.numeric and not _unitless(js) and facts.react_native:
            return js, js.name, None  # React Native takes numbers, not "10px"
        return js, js.name, (*literal.string_span, js.name)
    if idiom == "style" and css is not None and not facts.react_native:
        written = f"var({css.name})"
        if literal.numeric:
            return css, written, (*span, f"{facts.quote}{written}{facts.quote}")
        return css, written, (*span, written)
    if idiom == "tailwind":
        if tailwind is not None and tailwind.tailwind:
            utility = literal.tailwind[2] if literal.tailwind else ""
            fix = _tailwind_replacement(file.source, literal, tailwind.tailwind)
            return tailwind, f"{utility}-{tailwind.tailwind}" if utility else tailwind.tailwind, fix
        if css is not None:
            return css, f"var({css.name})", (*span, f"var({css.name})")
    chosen = js if idiom in ("style", "js") and js is not None else css or scss or js or tailwind or tokens[0]
    written = {
        "css": f"var({chosen.name})",
        "tailwind": f"theme('{chosen.name}')",
    }.get(chosen.source, chosen.name)
    return chosen, written, None


def _python_imports(file: SourceFile) -> list[tuple[str, str | None, str | None]]:
    found: list[tuple[str, str | None, str | None]] = []
    for statement in file.tree.root_node.named_children:
        if statement.type == "import_from_statement":
            module_node = statement.child_by_field_name("module_name")
            module = _node_text(module_node) if module_node is not None else ""
            for name_node in statement.children_by_field_name("name"):
                name, alias = _import_name(name_node)
                found.append((module, name, alias))
        elif statement.type == "import_statement":
            for name_node in statement.children_by_field_name("name"):
                name, alias = _import_name(name_node)
                found.append((name, None, alias))
    return found


def _python_reference(facts: _FileFacts, token: Token) -> str | None:
    """How this Python file reads ``token`` of ``app/theme.py``: ``PALETTE["actual"]`` after
    ``from app.theme import PALETTE``, ``theme.PALETTE["actual"]`` after ``from app import theme``
    or ``import app.theme as theme``; None when it imports neither."""
    leaf = PurePosixPath(token.path).stem
    root = re.split(r"[.\[]", token.name, maxsplit=1)[0]
    for module, name, alias in facts.python_imports:
        last = module.split(".")[-1]
        if name is None:  # import app.theme [as th]
            if last == leaf:
                return f"{alias or module}.{token.name}"
        elif last == leaf and name == root and alias in (None, root):
            return token.name
        elif name == leaf and last != leaf:  # from app import theme
            return f"{alias or name}.{token.name}"
    return None


def _node_text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text else ""


def _import_name(node: tree_sitter.Node) -> tuple[str, str | None]:
    if node.type == "aliased_import":
        name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
        return (_node_text(name) if name is not None else ""), (_node_text(alias) if alias is not None else None)
    return _node_text(node), None


def _write_python(facts: _FileFacts, literal: _Literal, token: Token) -> tuple[Token, str, tuple[int, int, str] | None]:
    written = _python_reference(facts, token)
    if written is None:
        module = ".".join(PurePosixPath(token.path).with_suffix("").parts)
        return token, f"{token.name} from {module}", None
    if literal.string_span is None:
        return token, written, None
    return token, written, (*literal.string_span, written)


# --- entry points -------------------------------------------------------------------------------


def _options(rule: Rule) -> tuple[frozenset[str], float]:
    categories = rule.options.get("categories", list(CATEGORIES))
    if isinstance(categories, str):
        categories = [categories]
    min_px = rule.options.get("min_px", 2)
    return frozenset(str(c) for c in categories), float(min_px if isinstance(min_px, int | float) else 2)


def token_sites(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[TokenSite]:
    """Literals of ``file`` equal to a design token (none in token files, nor by default in
    tests), cached per run. ``hardcoded-colors`` leaves exactly these spans alone."""
    if ctx.is_token_file or (ctx.is_test_file and not rule.options.get("check_tests", False)):
        return []
    cache: dict[Any, list[TokenSite]] = ctx.project.setdefault("design-tokens", {})
    key = (file.path, hash(file.source), repr(sorted(rule.options.items())))
    if key in cache:
        return cache[key]
    tokens = load_tokens(ctx)
    if file.language in ("css", "scss"):
        tokens = _with_local_tokens(file, tokens)
    sites = _find(file, rule, ctx, tokens) if len(tokens) else []
    cache.clear()
    cache[key] = sites
    return sites


def _with_local_tokens(file: SourceFile, tokens: TokenSet) -> TokenSet:
    """The repository's tokens plus the stylesheet's own root custom properties and top-level
    SCSS variables (``:root { --brand: #0af }`` at the top of ``main.css``), the file's first."""
    local = build_token_set([(file.path, file.source)])
    if not len(local):
        return tokens
    merged = TokenSet(files=[file.path, *tokens.files])
    for token in [*local.tokens, *tokens.tokens]:
        merged.add(token)
    return merged


def _find(file: SourceFile, rule: Rule, ctx: DetectContext, tokens: TokenSet) -> list[TokenSite]:
    categories, min_px = _options(rule)
    analysis = cached_analysis(file, ctx.project)
    literals: list[_Literal] = []
    if "color" in categories:
        literals.extend(_color_literals(analysis.sites))
    idiom = {"css": "css", "scss": "scss"}.get(file.language, "template")
    for region in analysis.css_regions:
        literals.extend(_css_literals(region, idiom, min_px))
    literals.extend(_style_value_literals(analysis.style_values, file.source, min_px))
    if file.language not in ("css", "scss", "python"):
        literals.extend(_tailwind_literals(file.source, min_px))
    facts = _FileFacts.of(file)
    sites: list[TokenSite] = []
    taken_until = -1  # literals are taken in source order without overlaps: one end is enough
    # wider literals (a whole shadow) first, so the colors inside them are not reported twice
    for literal in sorted(literals, key=lambda lit: (lit.start, -(lit.end - lit.start))):
        if literal.category not in categories:
            continue
        if literal.start < taken_until:
            continue
        usable = _USABLE_SOURCES.get(literal.idiom, frozenset())
        if facts.react_native and literal.idiom in ("style", "js"):
            usable = usable - {"css"}
        context = f"{file.path} {literal.selectors}".lower()
        matching = [t for t in tokens.matching(literal.category, literal.key) if t.source in usable and t.fits(context)]
        if not matching:
            continue
        token, written, fix = _write(file, facts, literal, matching)
        taken_until = literal.end
        others = tuple(t for t in matching if t is not token)
        sites.append(
            TokenSite(
                literal.start,
                literal.end,
                literal.text,
                literal.category,
                (token, *others),
                written,
                fix,
                literal.clear,
                literal.reason,
            )
        )
    return sites


def _message(site: TokenSite) -> str:
    token = site.tokens[0]
    also = [t.name for t in site.tokens[1:3] if t.name != token.name]
    extra = f" (also {', '.join(f'`{name}`' for name in also)})" if also else ""
    return (
        f"`{site.text}` is the value of design token `{token.name}` ({token.path}){extra}; "
        f"use `{site.reference}` instead."
    )


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Literals equal to a design token, each with the token to use and a fix when certain."""
    candidates = []
    for site in token_sites(file, rule, ctx):
        span = file.span(site.start, site.end)
        fix = None
        if site.fix is not None:
            start, end, replacement = site.fix
            fix = Fix(file.span(start, end), replacement, f"use design token {site.tokens[0].name}")
        data: dict[str, Any] = {
            "category": site.category,
            "token": site.tokens[0].name,
            "token_file": site.tokens[0].path,
            "reference": site.reference,
        }
        if site.reason:
            data["ambiguous"] = site.reason
        candidates.append(Candidate(rule.id, span, site.text, _message(site), clear=site.clear, fix=fix, data=data))
    return candidates
