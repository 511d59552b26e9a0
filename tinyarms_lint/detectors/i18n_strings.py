"""i18n-hardcoded-strings: user-visible text written into UI code instead of going through i18n.

JS/TS: JSX text, user-visible attributes (placeholder, title, alt, aria-label, …), message calls
(alert(), toast()) and text assigned to ``textContent``-like properties are clear findings when
they hold real words. A Hungarian or Vietnamese literal is a finding anywhere. Other English
prose in a file that renders JSX goes to the model tier (is it user-visible?). Python is checked
only when a UI framework is configured. Text inside i18n calls and components is never flagged.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import langid, languages
from ..config import matches_any
from ..types import Candidate

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext

LANGUAGE_NAMES = {"en": "English", "hu": "Hungarian", "vi": "Vietnamese"}

# Attributes and object keys whose string value is never prose shown to a user.
_CODE_KEYS = langid.wordset(
    """
    className class classes style styleName id key ref href src srcSet type name role rel target
    method action as for htmlFor form lang dir value defaultValue width height size variant color
    colorScheme icon path to url route pattern format mode align justify direction position sx css
    tw testId data-testid data-test data-cy dataIndex field accessor fieldName kind status code
    locale currency timezone autoComplete inputMode enterKeyHint encType mimeType accept loading
    decoding referrerPolicy sizes media charset content viewBox fill stroke d xmlns transform
    """
)
# Calls whose string arguments are for developers or machines, not for users.
_DEVELOPER_CALLS = re.compile(
    r"""(?x)^(?:
    console\.\w+ | logger\.\w+ | log\.\w+ | debug
    | describe | it | test | expect | jest\.\w+ | vi\.\w+ | cy\.\w+
    | document\.\w+ | \w+\.querySelector(?:All)? | \w+\.getElementById | \w+\.(?:add|remove)EventListener
    | \w+\.(?:get|set|remove)Item | \w+\.(?:getAttribute|setAttribute|hasAttribute|matches|closest)
    | fetch | axios(?:\.\w+)? | \w+\.(?:get|post|put|patch|delete|request) | new\s+URL | URL
    | clsx | classnames | classNames | cn | cx | cva | twMerge | twJoin | styled(?:\.\w+)? | css | keyframes
    | gql | graphql | sql | invariant | assert | warning | emit | \w+\.emit | dispatch | \w+\.dispatch
    | Symbol | JSON\.parse | \w+\.join
    | useQuery | useMutation | useSWR | navigate | router\.\w+ | redirect | \w+\.on | \w+\.off
    | Error | TypeError | RangeError | new\s+\w*Error | process\.env\.\w+
    )$"""
)
_MODULE_CALLS = re.compile(r"^(?:require|import|require\.resolve|jest\.(?:mock|requireActual)|vi\.mock|lazy)$")
# String matching and rewriting: the literal is data to compare against (slugify tables), not copy.
_MATCHING_CALLS = re.compile(
    r"^(?:RegExp|new\s*RegExp|[\w$.\]\[()]+\.(?:includes|startsWith|endsWith|split|replace|replaceAll|match|matchAll"
    r"|test|indexOf|lastIndexOf|normalize|localeCompare|search|padStart|padEnd|trim))$"
)
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|mailto:|tel:|data:|/|\./|\.\./|#|www\.)", re.IGNORECASE)
_KEYLIKE = re.compile(r"^[\w$.:/@-]+$")
_CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|\w+);", re.IGNORECASE)
_PROSE_END = re.compile(r"[.!?…:]$")
_SUBSTITUTION = " {value} "  # how a template substitution (${...}) reads in a string's text
_CODE_WORDS = frozenset({"null", "undefined", "true", "false", "NaN"})

_PYTHON_FRAMEWORKS: dict[str, dict[str, frozenset[str]]] = {
    "django": {
        "calls": langid.wordset(
            """
            messages.success messages.info messages.warning messages.error messages.debug
            messages.add_message ValidationError forms.ValidationError
            """
        ),
        "keywords": frozenset(["verbose_name", "verbose_name_plural", "help_text", "label", "empty_label"]),
        "first_arg_suffix": frozenset({"Field"}),
    },
    "flask": {"calls": frozenset({"flash", "flask.flash"}), "keywords": frozenset(), "first_arg_suffix": frozenset()},
    "tkinter": {
        "calls": langid.wordset(
            """
            messagebox.showinfo messagebox.showwarning messagebox.showerror
            messagebox.askyesno messagebox.askokcancel messagebox.askquestion
            messagebox.askretrycancel
            """
        ),
        "keywords": frozenset({"text", "title", "label"}),
        "first_arg_suffix": frozenset(),
        "methods": frozenset({"title"}),
    },
    "qt": {
        "calls": langid.wordset(
            """
            QLabel QPushButton QCheckBox QRadioButton QGroupBox QAction QToolButton QMenu
            QMessageBox.information QMessageBox.warning QMessageBox.critical
            QMessageBox.question
            """
        ),
        "keywords": frozenset(),
        "first_arg_suffix": frozenset(),
        "methods": langid.wordset(
            """
            setText setWindowTitle setToolTip setPlaceholderText setStatusTip setWhatsThis
            setTitle setLabelText addTab setTabText showMessage
            """
        ),
    },
}
_PYTHON_I18N = langid.wordset(
    """
    _ gettext ngettext pgettext gettext_lazy ngettext_lazy pgettext_lazy tr self.tr translate
    """
)
_PYTHON_LOGGING = re.compile(r"^(?:logging|logger|log|LOGGER|_logger)\.\w+$|^print$|^warnings\.warn$")


@dataclass(frozen=True)
class Settings:
    """The rule's options, resolved once per file."""

    attributes: frozenset[str]
    message_functions: frozenset[str]
    i18n_functions: frozenset[str]
    i18n_components: frozenset[str]
    ignore_elements: frozenset[str]
    source_language: str
    foreign_languages: tuple[str, ...]
    python_framework: str
    exclude_files: tuple[str, ...]
    i18n_hint: str

    @classmethod
    def from_rule(cls, rule: Rule) -> Settings:
        o = rule.options

        def names(key: str) -> frozenset[str]:
            return frozenset(str(v) for v in o.get(key, []) or [])

        functions = names("i18n_functions")
        first = min(functions) if functions else "t"
        hint = "t" if "t" in functions else first
        return cls(
            attributes=names("attributes"),
            message_functions=names("message_functions"),
            i18n_functions=functions,
            i18n_components=names("i18n_components"),
            ignore_elements=names("ignore_elements"),
            source_language=str(o.get("source_language", "en")).lower(),
            foreign_languages=tuple(str(v).lower() for v in o.get("foreign_languages", ["hu", "vi"]) or []),
            python_framework=str(o.get("python_framework", "none") or "none").lower(),
            exclude_files=tuple(str(v) for v in o.get("exclude_files", []) or []),
            i18n_hint=hint,
        )


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Hard-coded user-visible strings in JS/TS (and Python when a UI framework is configured)."""
    settings = Settings.from_rule(rule)
    if ctx.is_test_file or matches_any(file.path, settings.exclude_files):
        return []
    if file.language == "python":
        if settings.python_framework not in _PYTHON_FRAMEWORKS:
            return []
        return _PythonScan(file, rule, settings).run()
    if file.language in ("javascript", "jsx", "typescript", "tsx"):
        return _JsScan(file, rule, settings).run()
    return []


# ---------------------------------------------------------------------------------------------
# Text


def visible_words(text: str) -> list[str]:
    """The words a user would read in ``text`` (entities, placeholders and code removed)."""
    text = _ENTITY.sub(" ", text)
    return langid.words(langid.prose(text))


def foreign_language(text: str, settings: Settings) -> tuple[str, bool] | None:
    """(language, certain) when ``text`` is in one of the foreign languages, else None.

    Certain means letters unique to the language, or several words identified with high
    confidence; a single word with only shared accents (Mentés, Café) is not certain.
    """
    if not settings.foreign_languages:
        return None
    text = _ENTITY.sub(" ", text)
    cleaned = langid.prose(text)
    tokens = langid.words(cleaned)
    if not tokens or (all(t.isascii() for t in tokens) and len(tokens) < 3):
        return None
    if max(len(t) for t in tokens) < 2 or (" " not in text.strip() and len(text.strip()) > 16):
        return None  # "đ", or a character table such as "àáạảãâầấậẩẫ": data, not copy
    candidates = tuple(dict.fromkeys([settings.source_language, *settings.foreign_languages]))
    guess = langid.identifier(candidates).identify(cleaned)
    if guess is None or guess.language not in settings.foreign_languages:
        return None
    if guess.decisive:
        return guess.language, True
    english = langid.english_ratio(tokens) if settings.source_language == "en" else 0.0
    if guess.confidence < 0.9 or english >= 0.5:
        return None
    return guess.language, len(tokens) >= 2


def looks_like_a_name(text: str) -> bool:
    """Capitalised words and nothing else: a place or a person (Đà Nẵng, Kovács Péter), or, typed
    without accents, up to five of them (Nong Bua Lam Phu, a province in a country table)."""
    tokens = langid.words(text)
    if not tokens or len(text.split()) != len(tokens) or not all(t[0].isupper() for t in tokens):
        return False
    limit = 5 if all(t.isascii() for t in tokens) else 3
    return 2 <= len(tokens) <= limit


def other_script(tokens: list[str]) -> bool:
    """Words in a script other than Latin (フー, Привет, مرحبا): text for people, never an identifier."""
    return any(sum(1 for ch in token if ch.isalpha() and not _latin(ch)) >= 2 for token in tokens)


def _latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


def _is_key(text: str) -> bool:
    """``common.save``, ``errors/not-found``, ``auth:login``: a key or path, not copy."""
    return bool(_KEYLIKE.match(text)) and bool(re.search(r"\w[._:/]\w", text))


def has_real_words(tokens: list[str]) -> bool:
    """Text meant to be read: a common English word (Save, Cancel), a word of English shape
    (Documentation, Combinable), a phrase with a lowercase word (Winter jacket), or three words.

    ``Acme``, ``Ctrl K`` or ``Nguyen Trading`` may be names or key labels; in JSX text and visible
    props :func:`capitalised_copy` decides them, elsewhere the model does.
    """
    if len(tokens) >= 3:
        return True
    if any(len(t) >= 2 and langid.is_english_word(t) for t in tokens):
        return True
    if any(_ENGLISH_SHAPE.search(t) for i, t in enumerate(tokens) if i == 0 or t[:1].islower()):
        return True
    return len(tokens) == 2 and tokens[1][:1].islower() and all(t.isalpha() and len(t) > 1 for t in tokens)


# Key names on a keyboard: JSX text made only of these (and single letters) is a key label (Ctrl K).
_KEY_NAMES = langid.wordset(
    "ctrl control alt shift cmd command meta option opt win esc escape enter return tab del delete backspace"
    " space fn home end pgup pgdn ins insert caps up down left right"
)


def capitalised_copy(text: str, tokens: list[str]) -> bool:
    """Shown text made of capitalised words (Docs, Vite + React, Qwik Logo): copy a user reads, unless
    it is a key label (Ctrl K) or a copyright owner (© 2024 Acme). ``text`` is the words and, for
    JSX text, the text just before them, where the © may sit in another text node."""
    if "©" in text or "&copy;" in text.lower():
        return False
    if all(len(t) == 1 or t.lower() in _KEY_NAMES for t in tokens):
        return False
    return any(len(t) >= 2 and t[0].isupper() and _latin(t[0]) for t in tokens)


# Derivational endings of English words: a word this long ending so is prose, not a name or key.
_ENGLISH_SHAPE = re.compile(
    r"^[A-Za-z][a-z]{3,}(?:tion|sion|ment|ness|ity|able|ible|ance|ence|ful|less|ous|ive|ings?|ized|ated)$"
)


def _lowercase_word(token: str, slug_ok: bool) -> bool:
    """A Latin word of two letters or more starting in lower case (not a name, a key label or a unit
    such as μs); hyphenated (a slug) only when ``slug_ok``."""
    return (
        len(token) >= 2
        and token[0].islower()
        and all(_latin(ch) for ch in token if ch.isalpha())
        and (slug_ok or "-" not in token)
    )


def is_acronym(tokens: list[str]) -> bool:
    return len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) <= 4


def prose_like(text: str, tokens: list[str]) -> bool:
    """English that reads like a sentence or a label, not an identifier, class list or key."""
    stripped = text.strip()
    if len(tokens) < 2 or " " not in stripped or _URLISH.match(stripped):
        return False
    parts = stripped.split()
    if sum(1 for p in parts if re.search(r"[-:_/=<>{}\[\]#.]\w", p)) * 2 >= len(parts):
        return False  # class lists (flex items-center), selectors, query strings
    if langid.english_ratio(tokens) < 0.5:
        return False
    return stripped[0].isupper() or bool(_PROSE_END.search(stripped))


# ---------------------------------------------------------------------------------------------
# JavaScript / TypeScript


_JS_QUERY = languages.declare_query(languages.FAMILIES["js"], "[(string) (template_string) (jsx_text)] @text")
_JSX_QUERY = languages.declare_query(  # plain TypeScript has no JSX (see renders_jsx)
    languages.FAMILIES["js"] - {"typescript"}, "[(jsx_element) (jsx_self_closing_element)] @element"
)
_PAGE_TEXT_META = frozenset(
    {"description", "og:title", "og:description", "twitter:title", "twitter:description", "og:site_name"}
)


class _JsScan:
    def __init__(self, file: SourceFile, rule: Rule, settings: Settings) -> None:
        self.file = file
        self.rule = rule
        self.settings = settings
        self.renders_jsx = file.language != "typescript" and b"<" in file.source and _has_jsx(file)
        self.translated_at: dict[int, bool] = {}  # node id -> _translated's answer (ancestor walks are shared)
        # node id -> (top, its parent, a "+" above) of _climb_choices
        self.climbed: dict[int, tuple[tree_sitter.Node, tree_sitter.Node | None, bool]] = {}

    def run(self) -> list[Candidate]:
        nodes = languages.captures(self.file.language, _JS_QUERY, self.file.tree.root_node).get("text", [])
        out: list[Candidate] = []
        for node in sorted(nodes, key=lambda n: n.start_byte):
            candidate = self._check(node)
            if candidate is not None:
                out.append(candidate)
        return out

    def _check(self, node: tree_sitter.Node) -> Candidate | None:
        if self._translated(node):
            return None
        if node.type == "jsx_text":
            text = self.file.node_text(node)
            if not text.strip():
                return None
            return self._visible(node, text, "jsx-text", self._trimmed_span(node, text))
        if node.type == "string" and node.parent is not None and node.parent.type == "jsx_attribute":
            return self._attribute(node.parent, node)
        value = _string_value(self.file, node)
        if value is None or not value.strip():
            return None
        text = value
        context = self._context(node)
        if context is None:
            return None
        if context.startswith("visible:"):
            return self._visible(node, text, context[len("visible:") :], None)
        return self._plain(node, text, context)

    # -- where a string sits -----------------------------------------------------------------

    def _climb_choices(self, node: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node | None, bool]:
        """Climb through expressions that only choose between values (a ? "A" : "B", x || "B", ("A")) and
        through concatenation ("Total: " + total): the last node climbed, its parent, and whether a ``+``
        was on the way. Each climbed node's answer is remembered (``self.climbed``): a ``parent`` step is
        a walk from the root in tree-sitter, and the strings of a 3,000-operand concatenation would
        otherwise each climb all of it (84 s for one file)."""
        child, parent = node, node.parent
        steps: list[tuple[int, bool]] = []  # (id of a node climbed from, whether the step was a "+")
        above = False
        while parent is not None and parent.type in (
            "ternary_expression",
            "parenthesized_expression",
            "binary_expression",
        ):
            known = self.climbed.get(child.id)
            if known is not None:
                child, parent, above = known
                break
            if parent.type == "ternary_expression" and parent.child_by_field_name("condition") == child:
                break
            plus = False
            if parent.type == "binary_expression":
                operator = parent.child_by_field_name("operator")
                if operator is None or self.file.node_text(operator) not in ("&&", "||", "??", "+"):
                    break
                plus = self.file.node_text(operator) == "+"
            steps.append((child.id, plus))
            child, parent = parent, parent.parent
        for node_id, plus in reversed(steps):
            above = above or plus
            self.climbed[node_id] = (child, parent, above)
        return child, parent, above

    def _context(self, node: tree_sitter.Node) -> str | None:
        """``visible:<where>`` for user-visible places, ``code:<where>`` for others, None to skip."""
        child, parent, concatenated = self._climb_choices(node)
        rendered = self._rendered_by_map(parent, child)
        if rendered is not None:
            child, parent = rendered, rendered.parent
        if concatenated and not (
            parent is not None
            and parent.type == "jsx_expression"
            and parent.parent is not None
            and parent.parent.type in ("jsx_element", "jsx_fragment")
        ):
            return "code:compare"  # as before: a concatenation that is not rendered is not judged
        if parent is None:
            return "code:top"
        kind = parent.type
        if kind == "jsx_expression":
            owner = parent.parent
            if owner is not None and owner.type == "jsx_attribute":
                return self._attribute_context(owner)
            if owner is not None and owner.type in ("jsx_element", "jsx_fragment"):
                return "visible:jsx-text"
            return "code:jsx"
        if kind == "arguments":
            call = parent.parent
            if call is None:
                return "code:call"
            callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
            name = _callee_name(self.file, callee)
            if call.type == "new_expression":
                name = "new " + name
            if name in self.settings.message_functions:
                return f"visible:call:{name}"
            if _MODULE_CALLS.match(name) or _MATCHING_CALLS.match(name):
                return None
            if _DEVELOPER_CALLS.match(name):
                return f"code:dev:{name}"
            return f"code:call:{name}"
        if kind == "pair":
            if parent.child_by_field_name("key") == child:
                return None
            key = parent.child_by_field_name("key")
            key_name = _key_name(self.file, key)
            if key_name in _CODE_KEYS or key_name.lower().endswith(
                ("classname", "class", "id", "url", "path", "key", "icon")
            ):
                return None
            if key_name in self.settings.attributes and self.renders_jsx:
                return f"visible:property:{key_name}"
            return f"code:property:{key_name}"
        if kind == "assignment_expression":
            left = parent.child_by_field_name("left")
            if left is not None and left.type == "member_expression":
                prop = left.child_by_field_name("property")
                prop_name = self.file.node_text(prop) if prop is not None else ""
                if prop_name in ("textContent", "innerText", "innerHTML", "placeholder", "title", "alt", "ariaLabel"):
                    return f"visible:assign:{prop_name}"
            return "code:assign"
        if kind == "variable_declarator":
            name_node = parent.child_by_field_name("name")
            if name_node is not None and _CONSTANT_NAME.match(self.file.node_text(name_node)):
                return "code:constant"
            return "code:variable"
        if kind in ("import_statement", "export_statement", "literal_type", "subscript_expression", "switch_case"):
            return None if kind != "switch_case" else "code:case"
        if kind == "binary_expression":
            return "code:compare"
        if kind in ("enum_assignment", "enum_body", "property_signature", "type_annotation"):
            return "code:type"
        return f"code:{kind}"

    def _rendered_by_map(self, parent: tree_sitter.Node | None, child: tree_sitter.Node) -> tree_sitter.Node | None:
        """The ``items.map(...)`` call when ``child`` is the string an arrow function passed to ``.map``
        returns (``{items.map(item => "Buy")}``): what the call renders is what the arrow returns."""
        if parent is None or parent.type != "arrow_function" or parent.child_by_field_name("body") != child:
            return None
        arguments = parent.parent
        call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
        if call is None or call.type != "call_expression":
            return None
        if not _callee_name(self.file, call.child_by_field_name("function")).endswith(".map"):
            return None
        return call

    def _attribute_context(self, attribute: tree_sitter.Node) -> str | None:
        name = _attribute_name(self.file, attribute)
        if name in self.settings.attributes or (name == "content" and self._page_description(attribute)):
            return f"visible:attribute:{name}"
        if name in _CODE_KEYS or name.startswith(("data-", "on")) or name.lower().endswith(("classname", "class")):
            return None
        return f"code:attribute:{name}"

    def _page_description(self, attribute: tree_sitter.Node) -> bool:
        """``<meta name="description" content="…">`` (or og:/twitter: title and description): text that
        search results and link previews show."""
        element = attribute.parent
        if element is None or _element_name(self.file, element) != "meta":
            return False
        for sibling in element.named_children:
            if sibling.type == "jsx_attribute" and _attribute_name(self.file, sibling) in ("name", "property"):
                value = sibling.named_children[-1] if sibling.named_children else None
                described = _string_value(self.file, value) if value is not None and value.type == "string" else None
                if described in _PAGE_TEXT_META:
                    return True
        return False

    def _translated(self, node: tree_sitter.Node) -> bool:
        """True inside an i18n call or component, or an element whose text is code (<code>, <pre>)."""
        current = node.parent
        walked: list[int] = []  # 3,000 strings in one deep expression: each ancestor is looked at once
        found = False
        while current is not None:
            known = self.translated_at.get(current.id)
            if known is not None:
                found = known
                break
            walked.append(current.id)
            kind = current.type
            if kind == "call_expression":
                name = _callee_name(self.file, current.child_by_field_name("function"))
                if name in self.settings.i18n_functions or name.endswith((".t", ".$t")):
                    found = True
                    break
            elif kind in ("jsx_element", "jsx_self_closing_element"):
                element = _element_name(self.file, current)
                if element in self.settings.i18n_components or element in self.settings.ignore_elements:
                    found = True
                    break
            elif kind in ("import_statement", "export_statement") and current.child_by_field_name("source") is not None:
                found = True
                break
            current = current.parent
        self.translated_at.update(dict.fromkeys(walked, found))
        return found

    # -- deciding ----------------------------------------------------------------------------

    def _attribute(self, attribute: tree_sitter.Node, value: tree_sitter.Node) -> Candidate | None:
        text = _string_value(self.file, value)
        if text is None or not text.strip():
            return None
        context = self._attribute_context(attribute)
        if context is None:
            return None
        if context.startswith("visible:"):
            return self._visible(value, text, context[len("visible:") :], None)
        return self._plain(value, text, context)

    def _visible(
        self, node: tree_sitter.Node, text: str, where: str, span_range: tuple[int, int] | None
    ) -> Candidate | None:
        stripped = text.strip()
        if _URLISH.match(stripped) or _is_key(text.replace(_SUBSTITUTION, "x").strip()):
            return None  # a key such as "common.save" (or `resources.${name}.title`) or a URL, not prose
        if stripped in _CODE_WORDS:
            return None  # null, true, undefined: a value shown as code (a JSON view), not copy
        tokens = visible_words(text)
        if not tokens or is_acronym(tokens):
            return None
        foreign = foreign_language(text, self.settings)
        start, end = span_range or (node.start_byte, node.end_byte)
        if foreign is not None:
            return self._candidate(start, end, text, where, foreign[0], clear=True)
        if has_real_words(tokens) or re.search(r"\w[.!?…]$", stripped) or other_script(tokens):
            return self._candidate(start, end, text, where, self.settings.source_language, clear=True)
        if (where == "jsx-text" or where.startswith("attribute:")) and any(
            _lowercase_word(t, slug_ok=where in ("attribute:alt", "attribute:aria-label")) for t in tokens
        ):
            # JSX text and user-visible props are read (or spoken) by users; a lowercase word there is
            # copy (alt="logo", aria-label="breadcrumbs"), not a name or a key label (Acme, Ctrl K). A
            # slug is copy only where it is spoken (alt="some-image"), not as a placeholder example.
            return self._candidate(start, end, text, where, self.settings.source_language, clear=True)
        if (where == "jsx-text" or where.startswith("attribute:")) and capitalised_copy(
            self._before(node, text), tokens
        ):
            # What JSX text or a visible prop shows is read by users, names included: a heading such as
            # "Vite + React", a nav label "Docs", alt="Qwik Logo". Key labels and copyright owners are not.
            return self._candidate(start, end, text, where, self.settings.source_language, clear=True)
        return self._candidate(start, end, text, where, self.settings.source_language, clear=False)

    def _before(self, node: tree_sitter.Node, text: str) -> str:
        """``text`` and the JSX text of up to three siblings before it (``&copy; {year} Acme``): a
        bounded look, so a long list or a deep tree of JSX stays linear."""
        parts = [text]
        sibling = node.prev_sibling if node.type == "jsx_text" else None
        for _ in range(3):
            if sibling is None:
                break
            if sibling.type in ("jsx_text", "html_character_reference"):
                parts.append(self.file.node_text(sibling))
            sibling = sibling.prev_sibling
        return " ".join(parts)

    def _plain(self, node: tree_sitter.Node, text: str, context: str) -> Candidate | None:
        stripped = text.strip()
        if _URLISH.match(stripped):
            return None
        foreign = foreign_language(text, self.settings)
        if foreign is not None:
            certain = foreign[1] and not looks_like_a_name(text)
            return self._candidate(node.start_byte, node.end_byte, text, context, foreign[0], clear=certain)
        if not self.renders_jsx or context in ("code:compare", "code:case", "code:type", "code:constant"):
            return None
        tokens = visible_words(text)
        if context.startswith("code:dev:") or not prose_like(text, tokens):
            return None
        return self._candidate(
            node.start_byte, node.end_byte, text, context, self.settings.source_language, clear=False
        )

    def _candidate(self, start: int, end: int, text: str, where: str, language: str, clear: bool) -> Candidate:
        span = self.file.span(start, end)
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        hint = self.settings.i18n_hint
        if language != self.settings.source_language:
            name = LANGUAGE_NAMES.get(language, language)
            message = f'Hard-coded {name} text "{shown}"; move it to the locale files and use {hint}()'
        elif clear:
            message = f'Hard-coded UI text "{shown}"; use {hint}() or <Trans> so it can be translated'
        else:
            message = f'String "{shown}" may be user-visible text; use {hint}() if users read it'
        data: dict[str, Any] = {
            "kind": "hardcoded-text" if clear else "visible-text",
            "text": text.strip(),
            "language": language,
            "context": where,
            "line": self.file.line_text(span.line).strip(),
        }
        return Candidate(self.rule.id, span, self.file.line_text(span.line).strip(), message, clear=clear, data=data)

    def _trimmed_span(self, node: tree_sitter.Node, text: str) -> tuple[int, int]:
        raw = self.file.source[node.start_byte : node.end_byte]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        return node.start_byte + lead, node.end_byte - trail


def _has_jsx(file: SourceFile) -> bool:
    return bool(languages.captures(file.language, _JSX_QUERY, file.tree.root_node))


def _string_value(file: SourceFile, node: tree_sitter.Node) -> str | None:
    """The text of a string or template literal, escapes decoded, ``${…}`` shown as ``{…}``."""
    if node.type == "jsx_text":
        return file.node_text(node)
    parts: list[str] = []
    for child in node.children:
        if child.type == "string_fragment":
            parts.append(file.node_text(child))
        elif child.type == "escape_sequence":
            raw = file.node_text(child)
            try:
                parts.append(ast.literal_eval(f'"{raw}"'))
            except (ValueError, SyntaxError):
                parts.append(raw[1:])
        elif child.type == "template_substitution":
            parts.append(_SUBSTITUTION)
    return "".join(parts)


def _callee_name(file: SourceFile, callee: tree_sitter.Node | None) -> str:
    if callee is None:
        return ""
    return re.sub(r"\s+", "", file.node_text(callee))


def _key_name(file: SourceFile, key: tree_sitter.Node | None) -> str:
    if key is None:
        return ""
    text = file.node_text(key)
    return text.strip("'\"`")


def _attribute_name(file: SourceFile, attribute: tree_sitter.Node) -> str:
    first = attribute.named_children[0] if attribute.named_child_count else None
    return file.node_text(first) if first is not None else ""


def _element_name(file: SourceFile, element: tree_sitter.Node) -> str:
    opening = element if element.type == "jsx_self_closing_element" else element.child_by_field_name("open_tag")
    if opening is None and element.named_child_count:
        opening = element.named_children[0]
    if opening is None:
        return ""
    name = opening.child_by_field_name("name")
    return file.node_text(name) if name is not None else ""


# ---------------------------------------------------------------------------------------------
# Python


_PY_QUERY = languages.declare_query(frozenset({"python"}), "(string) @text")


class _PythonScan:
    def __init__(self, file: SourceFile, rule: Rule, settings: Settings) -> None:
        self.file = file
        self.rule = rule
        self.settings = settings
        self.framework = _PYTHON_FRAMEWORKS[settings.python_framework]

    def run(self) -> list[Candidate]:
        nodes = languages.captures("python", _PY_QUERY, self.file.tree.root_node).get("text", [])
        out = []
        for node in sorted(nodes, key=lambda n: n.start_byte):
            candidate = self._check(node)
            if candidate is not None:
                out.append(candidate)
        return out

    def _check(self, node: tree_sitter.Node) -> Candidate | None:
        if node.parent is not None and node.parent.type == "concatenated_string":
            return None
        if _is_docstring(node):
            return None
        text = "".join(
            self.file.node_text(c) if c.type == "string_content" else " {value} "
            for c in node.children
            if c.type in ("string_content", "interpolation")
        )
        if not text.strip() or _URLISH.match(text.strip()):
            return None
        where = self._context(node)
        if where is None:
            return None
        tokens = visible_words(text)
        if not tokens:
            return None
        foreign = foreign_language(text, self.settings)
        if where.startswith("visible:"):
            if is_acronym(tokens) or _is_key(text.strip()):
                return None
            language = foreign[0] if foreign else self.settings.source_language
            clear = foreign is not None or has_real_words(tokens)
            return self._candidate(node, text, where[len("visible:") :], language, clear)
        if foreign is not None:
            return self._candidate(node, text, where, foreign[0], foreign[1])
        return None

    def _context(self, node: tree_sitter.Node) -> str | None:
        child, parent = node, node.parent
        while parent is not None and parent.type in (
            "conditional_expression",
            "parenthesized_expression",
            "boolean_operator",
        ):
            child, parent = parent, parent.parent
        if parent is None:
            return "code:top"
        if parent.type == "keyword_argument":
            keyword = parent.child_by_field_name("name")
            call = parent.parent.parent if parent.parent is not None else None
            name = self.file.node_text(keyword) if keyword is not None else ""
            if call is not None and self._is_i18n(call):
                return None
            if name in self.framework["keywords"]:
                return f"visible:keyword:{name}"
            return f"code:keyword:{name}"
        if parent.type == "argument_list":
            call = parent.parent
            if call is None or call.type != "call":
                return "code:call"
            callee = self.file.node_text(call.child_by_field_name("function") or call)
            callee = re.sub(r"\s+", "", callee)
            if self._is_i18n(call):
                return None
            if _PYTHON_LOGGING.match(callee):
                return "code:log"
            method = callee.rsplit(".", 1)[-1]
            if callee in self.framework["calls"] or method in self.framework.get("methods", frozenset()):
                return f"visible:call:{callee}"
            positional = [c for c in parent.named_children if c.type != "keyword_argument"]
            if (
                positional
                and positional[0] == child
                and any(method.endswith(suffix) for suffix in self.framework["first_arg_suffix"])
            ):
                return f"visible:call:{callee}"
            return f"code:call:{callee}"
        if parent.type in ("subscript", "dictionary", "pair") and parent.child_by_field_name("key") == child:
            return None
        if parent.type == "import_from_statement":
            return None
        return f"code:{parent.type}"

    def _is_i18n(self, call: tree_sitter.Node) -> bool:
        function = call.child_by_field_name("function")
        name = re.sub(r"\s+", "", self.file.node_text(function)) if function is not None else ""
        return name in _PYTHON_I18N or name in self.settings.i18n_functions

    def _candidate(self, node: tree_sitter.Node, text: str, where: str, language: str, clear: bool) -> Candidate:
        span = self.file.node_span(node)
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        if language != self.settings.source_language:
            message = f'Hard-coded {LANGUAGE_NAMES.get(language, language)} text "{shown}"; wrap it in _() / gettext'
        else:
            message = f'Hard-coded UI text "{shown}"; wrap it in _() / gettext so it can be translated'
        data = {
            "kind": "hardcoded-text" if clear else "visible-text",
            "text": text.strip(),
            "language": language,
            "context": where,
            "line": self.file.line_text(span.line).strip(),
        }
        return Candidate(self.rule.id, span, data["line"], message, clear=clear, data=data)


def _is_docstring(node: tree_sitter.Node) -> bool:
    statement = node.parent
    if statement is None or statement.type != "expression_statement" or statement.named_child_count != 1:
        return False
    body = statement.parent
    if body is None:
        return False
    first = next((c for c in body.named_children if c.type != "comment"), None)
    return first == statement and body.type in ("module", "block")
