"""Detector for ``magic-numbers``: numeric literals in Python and JS/TS whose meaning is not named.

Each literal (or each pure-literal expression such as ``60 * 60 * 24``) is judged by where its value
goes: into a name (never flagged), or into a comparison, a computation, a call argument, a return
value or a ``case`` label (flagged unless the use itself says what the number is). Only numbers in
code that does not parse are left undecided. ``rules/magic-numbers.md`` documents every decision.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .. import languages
from ..types import Candidate

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext

Number = int | float

_NUMBER_QUERY = {"python": "[(integer) (float)] @n", "js": "(number) @n"}
languages.declare_query(frozenset({"python"}), _NUMBER_QUERY["python"])
languages.declare_query(languages.FAMILIES["js"], _NUMBER_QUERY["js"])

# Halving, doubling, squaring, parity and pairs: never flagged in arithmetic or call arguments.
_HALVES_AND_PAIRS: frozenset[Number] = frozenset({2, 0.5, -2})
# One-step unit conversions: ms<->s, %, bytes<->KiB, s<->min<->h, h<->day, 0..255 colour channels, degrees.
# Composite factors (86400, 60000) are durations worth a name and are not in the list.
_CONVERSION_FACTORS: frozenset[Number] = frozenset(
    {10**k for k in range(1, 13)}
    | {float(f"1e-{k}") for k in range(2, 10)}
    | {1024, 1024**2, 1024**3, 60, 3600, 24, 255, 180, 360}
)
_MINIFIED_NAME = re.compile(r"[.-]min\.[cm]?js$")
_MINIFIED_MIN_BYTES = 4096
_MINIFIED_LINE_LENGTH = 300  # mean bytes per line above which a file is taken as minified
_TABLE_SIZE = 4  # a container of more numbers than this is a data table
_ANGLES: frozenset[Number] = frozenset({90, 180, 270, 360})

_COMPARISON_OPS = frozenset({"==", "===", "!=", "!==", "<", ">", "<=", ">=", "<>"})
_MULTIPLICATIVE_OPS = frozenset({"*", "/", "%", "//"})
_ADDITIVE_OPS = frozenset({"+", "-"})
_SHIFT_OPS = frozenset({"<<", ">>", ">>>"})
_BITWISE_OPS = frozenset({"&", "|", "^"})
_FALLBACK_OPS = frozenset({"??", "||", "or"})
_PURE_OPS = _MULTIPLICATIVE_OPS | _ADDITIVE_OPS | _SHIFT_OPS | _BITWISE_OPS | {"**"}

_TRANSPARENT = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"}
)
_CONTAINERS = frozenset({"array", "list", "tuple", "set", "expression_list"})
_FUNCTION_BOUNDARIES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
        "function_definition",
        "lambda",
    }
)
_DEFAULT_PARENTS = frozenset(
    {"default_parameter", "typed_default_parameter", "assignment_pattern", "object_assignment_pattern"}
)
_CALLS = frozenset({"call_expression", "new_expression", "call"})

# Callees whose positional numeric arguments say what they are.
_INDEX_CALLEES = frozenset(
    {"slice", "substring", "substr", "splice", "at", "charAt", "charCodeAt", "codePointAt", "insert", "nth", "eq"}
)
_SELF_DESCRIBING_CALLEES = frozenset(
    {
        # precision, radix, base and padding width
        "toFixed",
        "padStart",
        "padEnd",
        "toPrecision",
        "toExponential",
        "toString",
        "parseInt",
        "round",
        "pow",
        # calendar dates and clock times (components, not durations)
        "Date",
        "UTC",
        "datetime",
        "date",
        "setFullYear",
        "setMonth",
        "setDate",
        "setHours",
        "setMinutes",
        "setSeconds",
        "setMilliseconds",
        "setUTCFullYear",
        "setUTCMonth",
        "setUTCDate",
        "setUTCHours",
        "setUTCMinutes",
        "setUTCSeconds",
        "setUTCMilliseconds",
        # colours belong to the colour rules
        "rgb",
        "rgba",
        "hsl",
        "hsla",
        # file modes
        "chmod",
        "chmodSync",
        "fchmod",
        "lchmod",
        "mkdir",
        "mkdirSync",
        "makedirs",
        "umask",
        # assertions state exact expected values
        "toBe",
        "toEqual",
        "toStrictEqual",
        "toHaveLength",
        "toBeCloseTo",
        "toBeGreaterThan",
        "toBeGreaterThanOrEqual",
        "toBeLessThan",
        "toBeLessThanOrEqual",
        "toHaveBeenCalledTimes",
        "assertEqual",
        "assertEquals",
        "assertNotEqual",
        "assertAlmostEqual",
        "assertGreater",
        "assertGreaterEqual",
        "assertLess",
        "assertLessEqual",
        "assert_equal",
        "assert_allclose",
        "assert_almost_equal",
    }
)
# Calls whose numeric argument is a delay or an interval: flagged whatever the value (``sleep(2)``).
_TIMER_CALLEES = frozenset(
    {"setTimeout", "setInterval", "sleep", "delay", "wait", "debounce", "throttle", "timeout", "requestIdleCallback"}
)
# String padding and repetition widths: formatting, like ``"-" * 40``.
_STRING_WIDTH_CALLEES = frozenset({"repeat", "ljust", "rjust", "center", "zfill", "expandtabs"})
# Design-scale helpers whose argument is a step of the theme's scale (``theme.spacing(3)``).
_SCALE_CALLEES = frozenset({"spacing", "space"})
_PAD_STRING = re.compile(r"""^(['"])[0 ]\1$""")
_TIME_UNIT_WORDS = frozenset(
    {"ms", "millis", "milliseconds", "sec", "secs", "seconds", "minutes", "mins", "hours", "days", "weeks",
     "months", "years", "microseconds"}
)  # fmt: skip
# A name that states the fraction or multiple it is computed with (``thirdSize = SIZE / 3``).
_FRACTION_WORDS: dict[str, Number] = {
    "half": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10,
    "double": 2, "triple": 3, "quadruple": 4, "halves": 2, "thirds": 3, "quarters": 4,
}  # fmt: skip
_EPSILON = 1e-6  # |x| at most this: a tolerance or "as short as possible", not a quantity to name
_HTTP_STATUS_CALLEES = frozenset(
    {"status", "sendStatus", "abort", "writeHead", "redirect", "HTTPException", "HttpException", "createError"}
)
# ``get(key, default)`` and friends: the argument at this index is a fallback named by the key.
_DEFAULT_ARGUMENT_CALLEES = {"get": 1, "getenv": 1, "pop": 1, "setdefault": 1, "getattr": 2}
# Calls that only hold an initial value for the name they are assigned to (React, Vue, Solid, RxJS...).
_INITIAL_VALUE_WRAPPERS = frozenset(
    {"useState", "useRef", "ref", "shallowRef", "signal", "createSignal", "writable", "atom", "BehaviorSubject"}
)
# Calendar constructors: every number in their arguments is a date component, even computed ones
# (``date(year + (month == 12), month % 12 + 1, 1)``).
_CALENDAR_CALLEES = frozenset(
    {
        "Date",
        "UTC",
        "datetime",
        "date",
        "setFullYear",
        "setMonth",
        "setDate",
        "setHours",
        "setUTCFullYear",
        "setUTCMonth",
        "setUTCDate",
        "setUTCHours",
    }
)
# Calendar and clock units in arithmetic on a value (or in a function, class or call) named for
# them: ``(month - 1) // 3``, ``weeks * 7``, ``hours % 12``, ``year % 400``, ``addDays(d, amount * 7)``
# inside ``addWeeks``.
_CALENDAR_FACTORS: tuple[tuple[re.Pattern[str], frozenset[Number]], ...] = (
    (re.compile(r"month", re.IGNORECASE), frozenset({12, 3})),
    (re.compile(r"week", re.IGNORECASE), frozenset({7, 52})),
    (re.compile(r"day", re.IGNORECASE), frozenset({7, 365, 366})),
    (re.compile(r"year", re.IGNORECASE), frozenset({4, 12, 52, 100, 365, 366, 400})),
    (re.compile(r"quarter", re.IGNORECASE), frozenset({3, 4})),
    (re.compile(r"hour", re.IGNORECASE), frozenset({12, 24})),
)
# A value named for a unit compared with the unit's bound (``minutes < 60``, ``hour > 11``,
# ``month == 12``, ``week <= 53``): the end of the unit, not a policy. Matched on whole words.
_UNIT_BOUNDS: tuple[tuple[frozenset[str], frozenset[Number]], ...] = (
    (frozenset({"second", "seconds", "sec", "secs"}), frozenset({59, 60, 3600})),
    (frozenset({"millisecond", "milliseconds", "ms", "millis"}), frozenset({999, 1000})),
    (frozenset({"microsecond", "microseconds", "us", "micros"}), frozenset({999, 1000, 999_999, 1_000_000})),
    (frozenset({"minute", "minutes"}), frozenset({59, 60})),
    (frozenset({"hour", "hours", "hr", "hrs"}), frozenset({11, 12, 23, 24})),
    (frozenset({"day", "days", "weekday", "weekdays"}), frozenset({6, 7, 365, 366})),
    (frozenset({"week", "weeks"}), frozenset({52, 53})),
    (frozenset({"month", "months"}), frozenset({11, 12})),
    (frozenset({"quarter", "quarters"}), frozenset({4})),
)
_MONTH_WORDS = frozenset({"month", "months"})
_WEEKDAY_CALLEES = frozenset({"getDay", "getUTCDay", "isoweekday"})
# Names of lengths, sizes and dimensions (``len_rv``, ``ndim``, ``coord_dim``, ``nameLength``).
_LENGTH_WORDS = frozenset({"len", "length", "ndim", "ndims", "dim", "dims", "argc", "nargs"})
_DIMENSION_WORDS = frozenset({"ndim", "ndims", "dim", "dims"})
# Calendar quantities a function named for the unit returns (``daysInMonth`` returns 28-31).
_CALENDAR_RESULTS: tuple[tuple[frozenset[str], frozenset[Number]], ...] = (
    (frozenset({"day", "days"}), frozenset({7, 28, 29, 30, 31, 365, 366})),
    (frozenset({"week", "weeks"}), frozenset({52, 53})),
    (frozenset({"month", "months"}), frozenset({12})),
    (frozenset({"hour", "hours"}), frozenset({12, 24})),
    (frozenset({"minute", "minutes", "second", "seconds"}), frozenset({60})),
)
_VERSION_WORDS = frozenset({"version", "versions", "ver", "major", "minor", "patch"})
_DIGIT_WORDS = frozenset({"digit"})  # lastDigit; not "digits" (a count)
_REMAINDER_WORDS = frozenset({"rem", "mod", "remainder"})
_DECIMAL_MODULI: frozenset[Number | None] = frozenset({10, 100, 1000})
_RADIX_WORDS = frozenset({"base", "radix"})
_RADIXES: frozenset[Number] = frozenset({2, 8, 10, 16, 36})
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# ``'0' + n`` / ``"0" + str(n)``: a branch that pads a number to two digits.
_ZERO_PAD = re.compile(r"""^\s*(?:(['"])0+\1\s*\+|`0+\$\{)""")
_ZERO_PAD_ANYWHERE = re.compile(r"""(['"])0+\1\s*\+""")
_CSS_UNIT_STRING = re.compile(r"""^(['"`])(?:px|em|rem|%|vh|vw|vmin|vmax|pt|deg|ms|s)\1$""")
_CTYPES_TYPE = re.compile(r"^(?:ctypes\.)?c_[a-z]\w*$")
_SEQUENCE_BUILDERS = frozenset({"tuple", "list", "str", "bytes", "bytearray", "Array"})
_UPPER_NAME = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
_ENUM_BASE = re.compile(r"\b(?:\w*Enum|\w*Flag|\w*Choices)\b")
_STATUS = re.compile(r"status", re.IGNORECASE)
_COLOUR_CALLEE = re.compile(r"colou?r|rgb|hsl|hsv|cmyk", re.IGNORECASE)
_PERCENT = re.compile(r"percent|progress|pct", re.IGNORECASE)
_ANGLE = re.compile(r"angle|deg|rotat|heading|bearing|hue", re.IGNORECASE)
_PI = re.compile(r"\bpi\b|\bPI\b|\bTAU\b|\btau\b")
# Style code: numbers there are CSS values, the design-token rules' business.
_STYLE_ATTRIBUTE = re.compile(r"^(?:style|sx|css|styles|\w+Style)$")
_STYLE_CALL = re.compile(
    r"^(?:styled\b.*|css|keyframes|createGlobalStyle|injectGlobal|makeStyles|createStyles|withStyles|StyleSheet\.create"
    r"|style|styleVariants|globalStyle|recipe|createTheme|extendTheme)$",
    re.DOTALL,
)
_STYLE_KEY = re.compile(r"^(?:style|styles|sx|css|styleOverrides|\w+Style)$")
_CSS_UNIT_AFTER = re.compile(r"^(?:px|em|rem|%|vh|vw|vmin|vmax|pt|deg|ms|s)(?![A-Za-z])")
_STYLE_TARGET = re.compile(r"\.style(?:\.|\[|$)")
_STYLE_VARIABLE = re.compile(r"(?:^|[a-z_])(?:[Ss]tyles?|[Tt]heme|sx)$")


@dataclass(frozen=True)
class Options:
    """The rule's options with their defaults (kept in sync with ``rules/magic-numbers.md``)."""

    ignore: frozenset[Number] = frozenset({0, 1, -1})
    ignore_array_indexes: bool = True
    ignore_default_values: bool = True
    ignore_test_files: bool = True
    detect_objects: bool = False
    ignore_http_status_codes: bool = True

    @classmethod
    def from_rule(cls, options: dict[str, Any]) -> Options:
        values: set[Number] = set()
        for item in options.get("ignore", [0, 1, -1]) or []:
            if isinstance(item, bool):
                continue
            if isinstance(item, (int, float)):
                values.add(item)
            elif isinstance(item, str):
                parsed = parse_number(item.strip(), "js")
                if parsed is not None:
                    values.add(parsed)
        return cls(
            ignore=frozenset(values),
            ignore_array_indexes=bool(options.get("ignore_array_indexes", True)),
            ignore_default_values=bool(options.get("ignore_default_values", True)),
            ignore_test_files=bool(options.get("ignore_test_files", True)),
            detect_objects=bool(options.get("detect_objects", False)),
            ignore_http_status_codes=bool(options.get("ignore_http_status_codes", True)),
        )


@dataclass(frozen=True)
class _Judgement:
    """What to do with one value: ``clear`` → static finding, otherwise a question for the model."""

    clear: bool
    context: str
    message: str
    extra: tuple[tuple[str, str], ...] = ()
    node: tree_sitter.Node | None = None  # where to report, when not the judged value itself
    # A judgement call (a call argument, a return value, a case label...): decided here as a
    # violation, but asked of the model instead when the rule's model tier is on.
    call: bool = False


def parse_number(text: str, dialect: str) -> Number | None:
    """The value of a numeric literal's source text (Python or JS syntax), or None when it has none."""
    raw = text.replace("_", "")
    lower = raw.lower()
    try:
        if dialect == "js" and lower.endswith("n"):
            return int(lower[:-1], 0)
        if lower.startswith(("0x", "0o", "0b")):
            return int(lower, 0)
        if dialect == "js" and len(raw) > 1 and raw.startswith("0") and raw.isdigit():
            return int(raw, 8) if set(raw) <= set("01234567") else int(raw, 10)
        if lower.endswith(("j", "l")):
            return None
        if any(ch in lower for ch in ".e") or lower in ("inf", "nan"):
            value = float(lower)
            return value if math.isfinite(value) else None
        return int(lower, 10)
    except ValueError:
        return None


def _text(file: SourceFile, node: tree_sitter.Node) -> str:
    return file.node_text(node)


def _display(value: Number) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


class _Judge:
    """Classifies the numeric values of one file; one instance per (file, rule) run."""

    def __init__(self, file: SourceFile, options: Options) -> None:
        self.file = file
        self.options = options
        self.dialect = "python" if file.language == "python" else "js"
        self.reported_chains: set[int] = set()
        self.tables: dict[int, bool] = {}

    # -- values ---------------------------------------------------------------------------------

    def operator(self, node: tree_sitter.Node) -> str | None:
        if node.type in (
            "binary_expression",
            "binary_operator",
            "boolean_operator",
            "unary_expression",
            "unary_operator",
            "augmented_assignment_expression",
            "augmented_assignment",
        ):
            op = node.child_by_field_name("operator")
            return self.file.node_text(op) if op is not None else None
        return None

    def evaluate(self, node: tree_sitter.Node, depth: int = 0) -> Number | None:
        """The value of a pure-literal expression (``-5``, ``60 * 60 * 24``, ``2 ** 32 - 1``), else None."""
        if depth > 40:
            return None
        kind = node.type
        if kind in ("number", "integer", "float"):
            return parse_number(self.file.node_text(node), self.dialect)
        if kind == "parenthesized_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            return self.evaluate(inner[0], depth + 1) if len(inner) == 1 else None
        if kind in ("unary_expression", "unary_operator"):
            op = self.operator(node)
            arg = node.child_by_field_name("argument")
            if arg is None or op not in ("-", "+"):
                return None
            value = self.evaluate(arg, depth + 1)
            return None if value is None else (-value if op == "-" else value)
        if kind in ("binary_expression", "binary_operator"):
            op = self.operator(node)
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op not in _PURE_OPS or left is None or right is None:
                return None
            a, b = self.evaluate(left, depth + 1), self.evaluate(right, depth + 1)
            if a is None or b is None:
                return None
            return _apply(op, a, b)
        return None

    def value_node(self, number: tree_sitter.Node) -> tree_sitter.Node:
        """Climb from a literal to the largest pure-literal expression holding it."""
        current = number
        while current.parent is not None:
            parent = current.parent
            if (
                parent.type == "parenthesized_expression"
                or (parent.type in ("unary_expression", "unary_operator") and self.operator(parent) in ("-", "+"))
                or parent.type in ("binary_expression", "binary_operator")
                and self.evaluate(parent) is not None
            ):
                current = parent
            else:
                break
        return current

    def parent(self, node: tree_sitter.Node) -> tuple[tree_sitter.Node | None, tree_sitter.Node]:
        """The nearest parent that is not a parenthesis or a type cast, and the child leading to it."""
        child = node
        parent = node.parent
        while parent is not None and parent.type in _TRANSPARENT:
            child, parent = parent, parent.parent
        return parent, child

    def field_of(self, parent: tree_sitter.Node, child: tree_sitter.Node) -> str | None:
        for index, candidate in enumerate(parent.children):
            if candidate.id == child.id:
                return parent.field_name_for_child(index)
        return None

    # -- surroundings ---------------------------------------------------------------------------

    def in_definition(self, node: tree_sitter.Node) -> str | None:
        """Why ``node`` sits in a constant, enum or type definition (never flagged), else None."""
        child = node
        current = node.parent
        while current is not None:
            kind = current.type
            if kind in (
                "literal_type",
                "type",
                "enum_body",
                "enum_assignment",
                "type_annotation",
                "type_arguments",
                "type_alias_declaration",
            ):
                return "type or enum"
            if kind in _FUNCTION_BOUNDARIES:
                return None
            if kind == "variable_declarator" and self.field_of(current, child) == "value":
                name = current.child_by_field_name("name")
                if name is not None and _UPPER_NAME.match(self.file.node_text(name)):
                    return "constant"
            elif kind in ("assignment", "assignment_expression") and self.field_of(current, child) == "right":
                if self.is_upper_target(current.child_by_field_name("left")):
                    return "constant"
            elif kind in ("public_field_definition", "field_definition") and self.field_of(current, child) == "value":
                name = current.child_by_field_name("name") or current.child_by_field_name("property")
                if name is not None and _UPPER_NAME.match(self.file.node_text(name)):
                    return "constant"
            elif kind == "class_definition":
                bases = current.child_by_field_name("superclasses")
                if bases is not None and _ENUM_BASE.search(self.file.node_text(bases)):
                    return "type or enum"
                return None
            child, current = current, current.parent
        return None

    def is_view_status(self, container: tree_sitter.Node, node: tree_sitter.Node, value: Number) -> bool:
        """``return jsonify(...), 201`` in a Flask-style view: the second item is the HTTP status."""
        items = [c for c in container.named_children if c.type != "comment"]
        return (
            self.options.ignore_http_status_codes
            and container.type in ("expression_list", "tuple")
            and len(items) in (2, 3)
            and items[1].id == node.id
            and isinstance(value, int)
            and 100 <= value <= 599
        )

    def is_data_table(self, container: tree_sitter.Node) -> bool:
        """More than four numbers, or nested containers: a table of data, not a magic number."""
        if container.id not in self.tables:
            self.tables[container.id] = self._count_table(container)
        return self.tables[container.id]

    def _count_table(self, container: tree_sitter.Node) -> bool:
        if self.is_membership_set(container):
            return False  # [3, 5, 10, 15].includes(x), x in (3, 5, 10, 15): values tested, not data
        numbers = 0
        stack = list(container.named_children)
        while stack:
            node = stack.pop()
            if node.type in _CONTAINERS or node.type in ("object", "dictionary"):
                return True
            if node.type in ("number", "integer", "float"):
                numbers += 1
                if numbers > _TABLE_SIZE:
                    return True
            stack.extend(node.named_children)
        return False

    def is_membership_set(self, container: tree_sitter.Node) -> bool:
        """A literal container tested for membership right where it is written."""
        parent, child = self.parent(container)
        if parent is None:
            return False
        if parent.type == "member_expression" and self.field_of(parent, child) == "object":
            prop = parent.child_by_field_name("property")
            return prop is not None and self.file.node_text(prop) in ("includes", "indexOf", "has", "contains")
        if parent.type == "comparison_operator":
            return any(not c.is_named and c.type in ("in", "not in") for c in parent.children)
        return False

    def in_calendar_call(self, node: tree_sitter.Node) -> bool:
        """True inside the arguments of ``new Date(...)``, ``datetime(...)``, ``d.setMonth(...)``."""
        current = node.parent
        while current is not None and current.type not in _FUNCTION_BOUNDARIES:
            if current.type in ("arguments", "argument_list"):
                call = current.parent
                name = self.callee(call) if call is not None and call.type in _CALLS else ""
                components = name.startswith("set") or len(current.named_children) >= 2  # not Date(ms)
                if name in _CALENDAR_CALLEES and components:
                    return True
            if current.type in ("expression_statement", "statement_block", "block", "program", "module"):
                return False
            current = current.parent
        return False

    def is_calendar_factor(
        self, operands: list[tree_sitter.Node], value: Number, at: tree_sitter.Node | None = None
    ) -> bool:
        """``weeks * 7``, ``hours % 12``, ``month + 12``: a calendar unit applied to a value named for
        it; with ``at`` (a product), also inside a function, class or call named for it
        (``addDays(date, amount * 7)`` in ``addWeeks``)."""
        if not any(value in factors for _, factors in _CALENDAR_FACTORS):
            return False
        names = [self.enclosing_names(at), self.call_around(at)] if at is not None else []
        text = " ".join([*(self.file.node_text(o) for o in operands), *names])
        return any(pattern.search(text) and value in factors for pattern, factors in _CALENDAR_FACTORS)

    def call_around(self, node: tree_sitter.Node) -> str:
        """The callee an expression is passed to directly (``addDays`` for ``addDays(d, n * 7)``), else ``""``."""
        current = node
        while True:
            parent, current = self.parent(current)
            if parent is None:
                return ""
            if parent.type in ("binary_expression", "binary_operator", "unary_expression", "unary_operator"):
                current = parent
                continue
            if parent.type in ("arguments", "argument_list") and parent.parent is not None:
                return self.callee(parent.parent) if parent.parent.type in _CALLS else ""
            return ""

    def is_lookup_key(self, node: tree_sitter.Node) -> bool:
        """True when the expression holding ``node`` is a dict or object key (``{3 + wkb25bit: "Polygon25D"}``)."""
        current = node
        while True:
            parent, current = self.parent(current)
            if parent is None:
                return False
            if parent.type in ("binary_expression", "binary_operator", "unary_expression", "unary_operator"):
                current = parent
                continue
            if parent.type == "computed_property_name":
                return True
            return parent.type == "pair" and self.field_of(parent, current) == "key"

    def in_style(self, node: tree_sitter.Node) -> bool:
        """True inside a style object, a styled/css template or a style prop (CSS values)."""
        if self.dialect != "js":
            return False
        current = node.parent
        while current is not None and current.type not in ("program", "class_body"):
            kind = current.type
            if kind == "jsx_attribute" and current.named_children:
                if _STYLE_ATTRIBUTE.match(self.file.node_text(current.named_children[0])):
                    return True
            elif kind == "call_expression":
                func = current.child_by_field_name("function")
                if func is not None and _STYLE_CALL.match(self.file.node_text(func)):
                    return True
            elif kind == "pair":
                key = current.child_by_field_name("key")
                if key is not None and _STYLE_KEY.match(self.file.node_text(key).strip("'\"")):
                    return True  # MUI theme ``styleOverrides: {...}``, ``sx: {...}``
            elif kind == "template_substitution" and current.next_sibling is not None:
                if _CSS_UNIT_AFTER.match(self.file.node_text(current.next_sibling)):
                    return True  # `${SPACING * 0.75}px`: a CSS length
            elif kind == "variable_declarator":
                name = current.child_by_field_name("name")
                if name is not None and name.type == "identifier" and _STYLE_VARIABLE.search(self.file.node_text(name)):
                    return True
            elif kind in ("assignment_expression", "augmented_assignment_expression"):
                target = current.child_by_field_name("left")
                if target is not None and _STYLE_TARGET.search(self.file.node_text(target)):
                    return True  # el.style.left = x + 17 + "px"
            elif kind == "binary_expression" and self.operator(current) == "+":
                right = current.child_by_field_name("right")
                if right is not None and _CSS_UNIT_STRING.match(self.file.node_text(right)):
                    return True  # (x - 30) + "px": a CSS length
            current = current.parent
        return False

    def is_upper_target(self, target: tree_sitter.Node | None) -> bool:
        if target is None:
            return False
        if target.type in ("member_expression", "attribute"):
            target = target.child_by_field_name("property") or target.child_by_field_name("attribute")
        if target is None or target.type not in ("identifier", "property_identifier"):
            return False
        return bool(_UPPER_NAME.match(self.file.node_text(target)))

    def in_broken_code(self, node: tree_sitter.Node) -> bool:
        current: tree_sitter.Node | None = node
        while current is not None:
            if current.type == "ERROR" or current.is_missing:
                return True
            current = current.parent
        return False

    def callee(self, call: tree_sitter.Node) -> str:
        """The last name of a call's function: ``setTimeout``, ``toFixed``, ``sleep``."""
        func = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        while func is not None and func.type in _TRANSPARENT | {"await_expression"}:
            func = next(iter(func.named_children), None)
        if func is None:
            return ""
        if func.type in ("member_expression", "attribute"):
            prop = func.child_by_field_name("property") or func.child_by_field_name("attribute")
            return self.file.node_text(prop) if prop is not None else ""
        if func.type in ("identifier", "property_identifier"):
            return self.file.node_text(func)
        return ""

    def follow(
        self, node: tree_sitter.Node
    ) -> tuple[tree_sitter.Node | None, tree_sitter.Node, tree_sitter.Node | None]:
        """Follow a value through ternary branches, containers and initial-value wrappers.

        Returns the first parent that does something else with it, the child it came through, and
        the outermost container (array, tuple, list) it travelled in, if any.
        """
        container: tree_sitter.Node | None = None
        child = node
        while True:
            parent, child = self.parent(child)
            if parent is None:
                return None, child, container
            kind = parent.type
            if kind == "ternary_expression" and self.field_of(parent, child) in ("consequence", "alternative"):
                child = parent
                continue
            if (
                kind == "conditional_expression"
                and parent.named_children
                and (child.id in (parent.named_children[0].id, parent.named_children[-1].id))
            ):
                child = parent
                continue
            if (
                kind in ("binary_expression", "boolean_operator")
                and self.operator(parent) in ("&&", "and")
                and self.field_of(parent, child) == "right"
            ):
                child = parent
                continue
            if kind in _CONTAINERS or kind == "spread_element":
                container = parent if kind in _CONTAINERS else container
                child = parent
                continue
            if kind in ("arguments", "argument_list") and parent.parent is not None:
                call = parent.parent
                positional = [c for c in parent.named_children if c.type not in ("comment", "keyword_argument")]
                if (
                    call.type in _CALLS
                    and self.callee(call) in _INITIAL_VALUE_WRAPPERS
                    and positional
                    and positional[0].id == child.id
                ):
                    outer, _ = self.parent(call)
                    if outer is not None and outer.type in (
                        "variable_declarator",
                        "assignment",
                        "assignment_expression",
                    ):
                        child = call
                        continue
            return parent, child, container

    # -- judging --------------------------------------------------------------------------------

    def judge(self, number: tree_sitter.Node) -> tuple[tree_sitter.Node, Number, _Judgement] | None:
        value_node = self.value_node(number)
        if value_node.id != number.id and number.id != _first_number(value_node).id:
            return None  # a pure-literal expression is judged once, at its first literal
        value = self.evaluate(value_node)
        if value is None:
            return None
        if value in self.options.ignore:
            return None
        flow = self.follow(value_node)
        container = flow[2]
        if container is not None and (container.id in self.reported_chains or self.is_data_table(container)):
            return None  # a table of numbers is data; a small container is reported once
        if self.in_definition(value_node) is not None:
            return None
        if self.in_style(value_node) or self.in_calendar_call(value_node):
            return None
        judgement = self.judge_use(value_node, value, flow)
        if judgement is None:
            return None
        if container is not None and judgement.node is None:
            self.reported_chains.add(container.id)
            judgement = replace(judgement, node=container)
        if judgement.clear and self.in_broken_code(value_node):
            judgement = _Judgement(False, judgement.context, judgement.message, judgement.extra, judgement.node)
        return judgement.node or value_node, value, judgement

    def judge_use(
        self,
        node: tree_sitter.Node,
        value: Number,
        flow: tuple[tree_sitter.Node | None, tree_sitter.Node, tree_sitter.Node | None],
    ) -> _Judgement | None:
        shown = self.shown(node, value)
        parent, child, container = flow
        via_container = container is not None
        if parent is None:
            return None
        kind = parent.type
        field = self.field_of(parent, child)
        op = self.operator(parent)
        if kind == "comparison_operator" or (kind == "binary_expression" and op in _COMPARISON_OPS):
            return self.judge_comparison(parent, child, value, shown, via_container)
        if kind in ("binary_expression", "boolean_operator") and op in _FALLBACK_OPS:
            if field == "right":
                return self.default_value(shown)
            return _call("condition", f"magic number {shown} used as a condition: name it")
        if kind in ("binary_expression", "binary_operator") and op is not None:
            if self.is_lookup_key(parent):
                return None  # {3 + wkb25bit: "Polygon25D"}: a computed key of a lookup table
            if via_container:
                return _call("container in an expression", f"magic number {shown} in an expression: name it")
            return self.judge_arithmetic(parent, child, op, value, shown, field)
        if kind in ("augmented_assignment_expression", "augmented_assignment"):
            return self.judge_augmented(parent, value, shown, op or "")
        if kind in ("variable_declarator", "assignment", "named_expression") and field in ("value", "right"):
            return None
        if kind == "assignment_expression" and field == "right":
            return None
        if kind in ("public_field_definition", "field_definition") and field == "value":
            return None
        if kind == "pair":
            if field == "key":
                return None
            return self.property_value(shown, "object property")
        if kind == "keyword_argument":
            return self.property_value(shown, "keyword argument")
        if kind == "jsx_expression":
            if parent.parent is not None and parent.parent.type == "jsx_attribute":
                return self.property_value(shown, "JSX attribute")
            return _call("JSX child", f"magic number {shown} rendered in JSX: name it")
        if kind in _DEFAULT_PARENTS or (kind in ("required_parameter", "optional_parameter") and field == "value"):
            return self.default_value(shown)
        if kind == "slice" and self.is_prefix_skip(parent, child, value):
            return self.prefix_skip(shown)
        if kind in ("subscript_expression", "subscript", "slice"):
            return self.index(shown, via_container)
        if kind in ("arguments", "argument_list"):
            return self.judge_argument(parent, child, value, shown, via_container)
        if kind == "return_statement" and container is not None and self.is_view_status(container, node, value):
            return None
        if kind in ("return_statement", "yield", "yield_expression") or (
            kind in ("arrow_function", "lambda") and field == "body"
        ):
            return self.judge_return(node, value, shown)
        if kind in ("switch_case", "case_pattern"):
            return self.judge_case(parent, value, shown)
        if kind in ("expression_statement", "ERROR", "unary_expression", "unary_operator", "not_operator"):
            return None
        if kind in ("template_substitution", "interpolation"):
            return _call("interpolation", f"magic number {shown} in a template string: name it")
        if kind == "member_expression" and via_container:
            return _call("membership", f"magic numbers {shown} tested for membership: name the set")
        if value in _HALVES_AND_PAIRS:
            return None
        return _call(kind.replace("_", " "), f"magic number {shown}: name it (e.g. a module-level constant)")

    def shown(self, node: tree_sitter.Node, value: Number) -> str:
        """How the message shows a value: ``86400``, ``-5``, ``60 * 60 * 24 (= 86400)``."""
        text = " ".join(self.file.node_text(node).split())
        if _first_number(node).end_byte == node.end_byte or text.strip("()") == _display(value):
            return text.strip("()") if text.startswith("(") and text.endswith(")") else text
        return f"{text} (= {_display(value)})"

    def property_value(self, shown: str, where: str) -> _Judgement | None:
        if not self.options.detect_objects:
            return None
        return _clear(where, f"magic number {shown} as {where}: name it (e.g. a module-level constant)")

    def default_value(self, shown: str) -> _Judgement | None:
        if self.options.ignore_default_values:
            return None
        return _clear(
            "default value", f"magic number {shown} as a default value: name it (e.g. a module-level constant)"
        )

    def judge_return(self, node: tree_sitter.Node, value: Number, shown: str) -> _Judgement | None:
        if value in _HALVES_AND_PAIRS:
            return None  # return 2: a pair, a half, the usual exit status of a usage error
        words = _words(self.enclosing_names(node))
        if any(words & units and value in results for units, results in _CALENDAR_RESULTS):
            return None  # daysInMonth() returns 30: a calendar quantity named by its function
        return _call("return value", f"magic number {shown} returned: name it (e.g. a module-level constant)")

    def is_prefix_skip(self, slice_node: tree_sitter.Node, child: tree_sitter.Node, value: Number) -> bool:
        """``line[6:]``: a slice with only a start of 3 or more skips a prefix of that length."""
        if not isinstance(value, int) or value < 3:
            return False
        parts = [c for c in slice_node.children if c.type != "comment"]
        return len(parts) == 2 and parts[0].id == child.id and self.file.node_text(parts[1]) == ":"

    def prefix_skip(self, shown: str) -> _Judgement:
        return _call(
            "prefix length",
            f"magic number {shown} skips a prefix of that length: name it (e.g. len(PREFIX) or PREFIX.length)",
        )

    def index(self, shown: str, via_container: bool) -> _Judgement | None:
        if self.options.ignore_array_indexes:
            return None
        return _clear("index", f"magic number {shown} as an index: name it (e.g. a module-level constant)")

    def operand_text(self, node: tree_sitter.Node) -> str:
        return " ".join(self.file.node_text(node).split())

    def judge_comparison(
        self, parent: tree_sitter.Node, child: tree_sitter.Node, value: Number, shown: str, via_container: bool
    ) -> _Judgement | None:
        operands = [
            c
            for i, c in enumerate(parent.children)
            if c.is_named and c.type != "comment" and parent.field_name_for_child(i) not in ("operators", "operator")
        ]
        position = next((i for i, c in enumerate(operands) if c.id == child.id), -1)
        # In a chain (``0 < x < 3600``, ``4 == 3 == x``) a value is compared with its neighbours only.
        neighbours = [operands[i] for i in (position - 1, position + 1) if 0 <= i < len(operands)]
        others = [o for o in neighbours if self.evaluate(o) is None]
        if not others:
            return None  # comparing two literals: not a magic number question
        other = others[0] if len(others) == 1 else _nearest(others, child)
        other_text = self.operand_text(other)
        is_int = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if self.options.ignore_http_status_codes and is_int and 100 <= value <= 600 and _STATUS.search(other_text):
            return None  # 600: the end of the status range (``500 <= status < 600``)
        other_words = _words(other_text)
        if other_words & _VERSION_WORDS or "version" in other_text.lower():
            return None
        if via_container and is_int and self.is_digit_check(other):
            return None  # value % 100 in (11, 12, 13): the last digits of an ordinal rule
        if via_container:
            return _call("membership", f"magic number {shown} in a comparison with {_short(other_text)}: name it")
        if value in _RADIXES and other_words & _RADIX_WORDS:
            return None  # base == 10: a radix names itself
        if is_int and self.is_unit_bound(other, parent, value):
            return None
        if is_int and self.is_digit_check(other):
            return None  # n % 10 === 2, rem100 !== 11: plural and ordinal rules compare decimal digits
        if value in (9, 10, 99, 100) and self.is_zero_padding(parent):
            return None
        if value == 0.5:
            return None  # Math.random() < 0.5, factor > 0.5: the midpoint of a 0..1 value
        if value == 100 and _PERCENT.search(other_text):
            return None
        if value in _ANGLES and _ANGLE.search(other_text):
            return None
        if abs(value) <= _EPSILON:
            return None  # abs(a - b) < 1e-9: a tolerance for "equal"
        if self.is_length(other):
            dimension = bool(_words(self.leaf_name(other)) & _DIMENSION_WORDS)
            if abs(value) <= 2 or (abs(value) < 10 and (self.is_equality(parent) or dimension)):
                return None  # len(pair) == 2, len(parts) == 3, coord_dim > 3: a shape check
        elif abs(value) == 2 and not self.is_equality(parent):
            return None  # if n < 2: a base case
        if self.in_for_condition(parent):
            hint = f"a module-level constant {_constant_name(other_text)} = {_display(value)}"
            return _call(
                "loop bound",
                f"magic number {shown} as a loop bound of {_short(other_text)}: name it (e.g. {hint})",
                (("compared_with", other_text),),
            )
        if self.is_equality(parent):
            hint = f"a module-level constant saying what {_short(other_text)} {_display(value)} means"
        else:
            hint = f"a module-level constant {_constant_name(other_text)} = {_display(value)}"
        close_call = (
            abs(value) == 2
            or (self.is_length(other) and abs(value) < 10)
            or (self.is_abs(other) and abs(value) < 1)  # a tolerance: abs(a - b) < 1e-3
            or self.in_index(parent)
        )
        return (_call if close_call else _clear)(
            "comparison",
            f"magic number {shown} compared with {_short(other_text)}: name it (e.g. {hint})",
            (("compared_with", other_text),),
        )

    def is_equality(self, comparison: tree_sitter.Node) -> bool:
        ops = [
            self.file.node_text(c)
            for i, c in enumerate(comparison.children)
            if comparison.field_name_for_child(i) in ("operator", "operators")
        ]
        return any(op in ("==", "===", "!=", "!==") for op in ops)

    def is_unit_bound(self, other: tree_sitter.Node, comparison: tree_sitter.Node, value: Number) -> bool:
        """``minutes < 60``, ``self.data.hour > 11``, ``month == 12``, ``value <= 59`` in ``MinuteParser``:
        a value named (or in a function or class named) for a calendar or clock unit, compared with
        the unit's bound; and month or weekday numbers compared for equality with a month or a
        weekday (``month === 2``, ``d.getDay() === 5``)."""
        leaf = self.leaf_name(other)
        words = _words(leaf) | _words(self.enclosing_names(comparison))
        if any(words & names and value in bounds for names, bounds in _UNIT_BOUNDS):
            return True
        if not self.is_equality(comparison):
            return False
        if words & _MONTH_WORDS:
            return 1 <= value <= 12  # month === 2: a month number
        leaf_words = _words(leaf)
        is_weekday = leaf in _WEEKDAY_CALLEES or "weekday" in leaf_words or {"day", "of", "week"} <= leaf_words
        return is_weekday and 0 <= value <= 7  # d.getDay() === 5, date.weekday() == 4: a weekday number

    def leaf_name(self, node: tree_sitter.Node) -> str:
        """The name that says what a value is: ``hour`` in ``self.data.hour``, ``getHours`` in
        ``d.getHours()``, ``seconds`` in ``delta.seconds // 60``."""
        for _ in range(20):
            while node.type in _TRANSPARENT and node.named_children:
                node = node.named_children[0]
            if node.type in ("identifier", "property_identifier"):
                return self.file.node_text(node)
            if node.type in ("member_expression", "attribute"):
                prop = node.child_by_field_name("property") or node.child_by_field_name("attribute")
                return self.file.node_text(prop) if prop is not None else ""
            if node.type in ("call", "call_expression"):
                return self.callee(node)
            if node.type in ("binary_expression", "binary_operator"):
                left = node.child_by_field_name("left")
                if left is None:
                    return ""
                node = left
                continue
            return ""
        return ""

    def is_digit_check(self, node: tree_sitter.Node) -> bool:
        """The last decimal digits of a number: ``n % 10``, ``n % 100``, or a name such as ``rem100``,
        ``lastDigit``."""
        while node.type in _TRANSPARENT and node.named_children:
            node = node.named_children[0]
        if node.type in ("binary_expression", "binary_operator") and self.operator(node) == "%":
            right = node.child_by_field_name("right")
            modulus = self.evaluate(right) if right is not None else None
            return modulus in _DECIMAL_MODULI
        words = _words(self.leaf_name(node))
        return bool(words & _DIGIT_WORDS) or bool(words & _REMAINDER_WORDS and words & {"10", "100", "1000"})

    def enclosing_names(self, node: tree_sitter.Node) -> str:
        """The names of the function and the class around ``node`` (``MinuteParser validate``)."""
        names: list[str] = []
        current = node.parent
        function_seen = False
        while current is not None:
            kind = current.type
            if kind in _FUNCTION_BOUNDARIES and not function_seen:
                function_seen = True
                name = current.child_by_field_name("name")
                holder = current.parent
                if name is None and holder is not None and holder.type == "variable_declarator":
                    name = holder.child_by_field_name("name")
                elif name is None and holder is not None and holder.type == "assignment_expression":
                    left = holder.child_by_field_name("left")  # proto.isoWeeksInYear = function () {...}
                    name = left.child_by_field_name("property") if left is not None else None
                elif name is None and holder is not None and holder.type == "pair":
                    name = holder.child_by_field_name("key")
                if name is not None:
                    names.append(self.file.node_text(name))
            elif kind in ("class_declaration", "class_definition", "class", "abstract_class_declaration"):
                name = current.child_by_field_name("name")
                if name is not None:
                    names.append(self.file.node_text(name))
                break
            current = current.parent
        return " ".join(names)

    def is_zero_padding(self, comparison: tree_sitter.Node) -> bool:
        """``n < 10 ? '0' + n : n`` and ``if (n < 10) s = '0' + s``: padding to two digits."""
        parent, condition = self.parent(comparison)
        if parent is None:
            return False
        if parent.type in ("ternary_expression", "conditional_expression"):
            branches = [c for c in parent.named_children if c.id != condition.id]
            return any(_ZERO_PAD.match(self.file.node_text(b)) for b in branches)
        if parent.type == "if_statement" and self.field_of(parent, condition) == "condition":
            body = parent.child_by_field_name("consequence")
            return body is not None and _ZERO_PAD_ANYWHERE.search(self.file.node_text(body)) is not None
        return False

    def is_length(self, node: tree_sitter.Node) -> bool:
        while node.type in _TRANSPARENT and node.named_children:
            node = node.named_children[0]
        if node.type in ("identifier", "member_expression", "attribute"):
            last = node
            if node.type != "identifier":
                last = node.child_by_field_name("property") or node.child_by_field_name("attribute") or node
            if _words(self.file.node_text(last)) & _LENGTH_WORDS:
                return True  # len_rv, ndim, coord_dim, self.dims, nameLength
        if node.type in ("member_expression", "attribute"):
            prop = node.child_by_field_name("property") or node.child_by_field_name("attribute")
            return prop is not None and self.file.node_text(prop) in ("length", "size", "byteLength", "count", "ndim")
        if node.type in ("subscript", "subscript_expression"):
            inner = node.child_by_field_name("value") or node.child_by_field_name("object")
            return inner is not None and self.file.node_text(inner).endswith(".shape")
        if node.type in ("call", "call_expression"):
            return self.callee(node) in ("len", "count", "size")
        return False

    def is_abs(self, node: tree_sitter.Node) -> bool:
        while node.type in _TRANSPARENT and node.named_children:
            node = node.named_children[0]
        return node.type in ("call", "call_expression") and self.callee(node) in ("abs", "fabs")

    def in_for_condition(self, node: tree_sitter.Node) -> bool:
        current = node
        while current.parent is not None:
            parent = current.parent
            if parent.type == "for_statement":
                return self.field_of(parent, current) == "condition"
            if parent.type not in ("binary_expression", "parenthesized_expression", "expression_statement"):
                return False
            current = parent
        return False

    def in_index(self, node: tree_sitter.Node) -> bool:
        """True when ``node`` sits inside a subscript's index expression (``buf[i * 4]``)."""
        child = node
        current = node.parent
        while (
            current is not None
            and current.type not in _FUNCTION_BOUNDARIES
            and current.type
            not in (
                "expression_statement",
                "statement_block",
                "block",
            )
        ):
            if current.type == "subscript_expression" and self.field_of(current, child) == "index":
                return True
            if current.type == "subscript" and self.field_of(current, child) == "subscript":
                return True
            if current.type == "slice":
                return True
            call = current.parent if current.type in ("arguments", "argument_list") else None
            if call is not None and call.type in _CALLS and self.callee(call) in _INDEX_CALLEES:
                return True
            child, current = current, current.parent
        return False

    def judge_arithmetic(
        self, parent: tree_sitter.Node, child: tree_sitter.Node, op: str, value: Number, shown: str, field: str | None
    ) -> _Judgement | None:
        if op == "**":
            if field == "right" and float(value).is_integer():
                return None
            if value in self.options.ignore or value in _HALVES_AND_PAIRS or value in _CONVERSION_FACTORS:
                return None
            return self.computation(parent, [(child, value)], shown)
        if op in _SHIFT_OPS:
            if field == "right":
                return None
            return _call("bit shift", f"magic number {shown} shifted: name it")
        if op in _BITWISE_OPS:
            if isinstance(value, int) and value > 0 and value & (value + 1) == 0:
                return None  # an all-ones mask: 0xFF, 0x7F, 0xFFFF
            return _call("bit mask", f"magic number {shown} as a bit mask: name the flag")
        if op in _ADDITIVE_OPS:
            if value in _HALVES_AND_PAIRS:
                return None
            if value in _ANGLES and _ANGLE.search(self.operand_text(parent)):
                return None  # angle - 360: wrapping an angle
            if self.is_calendar_factor([parent], value):
                return None  # month + 12, day - 7: calendar units
            if self.has_string_operand(parent):
                return None  # string building: "Page " + 3
            return self.computation(parent, [(child, value)], shown)
        if op in _MULTIPLICATIVE_OPS:
            return self.judge_product(parent, op)
        return None

    def assigned_name(self, node: tree_sitter.Node) -> str:
        """The name ``node``'s value is assigned to directly (``thirdSize`` in ``thirdSize = SIZE / 3``)."""
        parent, child = self.parent(node)
        if parent is None:
            return ""
        field = self.field_of(parent, child)
        if parent.type == "variable_declarator" and field == "value":
            target = parent.child_by_field_name("name")
        elif parent.type in ("assignment", "assignment_expression") and field in ("right", "value"):
            target = parent.child_by_field_name("left")
        else:
            return ""
        return self.leaf_name(target) if target is not None else ""

    def has_string_operand(self, node: tree_sitter.Node) -> bool:
        for side in ("left", "right"):
            operand = node.child_by_field_name(side)
            while operand is not None and operand.type in _TRANSPARENT and operand.named_children:
                operand = operand.named_children[0]
            if operand is not None and operand.type in ("string", "template_string", "concatenated_string"):
                return True
        return False

    def is_sequence(self, node: tree_sitter.Node) -> bool:
        """A string, bytes, list or tuple value (``"-"``, ``[0]``, ``tuple(p) + (x,)``): ``*`` repeats it."""
        while node.type in _TRANSPARENT and node.named_children:
            node = node.named_children[0]
        if node.type in ("string", "template_string", "concatenated_string", "list", "tuple", "array"):
            return True
        if node.type in ("call", "call_expression") and self.callee(node) in _SEQUENCE_BUILDERS:
            return True
        if node.type in ("binary_expression", "binary_operator") and self.operator(node) == "+":
            return any(
                operand is not None and self.is_sequence(operand)
                for operand in (node.child_by_field_name("left"), node.child_by_field_name("right"))
            )
        return False

    def judge_product(self, node: tree_sitter.Node, op: str) -> _Judgement | None:
        """Judge a whole chain of ``*``, ``/``, ``%`` once: unit conversions pass, other factors are magic."""
        root = node
        while True:
            parent, _child = self.parent(root)
            if parent is None or parent.type not in ("binary_expression", "binary_operator"):
                break
            if self.operator(parent) not in _MULTIPLICATIVE_OPS or self.evaluate(parent) is not None:
                break
            root = parent
        if root.id in self.reported_chains:
            return None
        self.reported_chains.add(root.id)
        literals: list[tuple[tree_sitter.Node, Number]] = []
        others: list[tree_sitter.Node] = []
        self.chain_leaves(root, literals, others)
        if any(self.is_sequence(o) for o in others):
            return None  # "%d items" % 5, "-" * 40, [0] * 8: formatting and repetition, not arithmetic
        if any(_PI.search(self.file.node_text(o)) for o in others):
            return None  # fractions and multiples of pi are geometry, not magic
        stated = {_FRACTION_WORDS[w] for w in _words(self.assigned_name(root)) if w in _FRACTION_WORDS}
        magic = [
            (leaf, v)
            for leaf, v in literals
            if v not in stated  # thirdSize = SIZE / 3: the name states the fraction
            and v not in self.options.ignore
            and v not in _HALVES_AND_PAIRS
            and not (others and abs(v) in _CONVERSION_FACTORS)
            and not self.is_calendar_factor(others, v, root)
        ]
        if not magic:
            return None
        shown = " and ".join(self.shown(leaf, v) for leaf, v in magic)
        if any(_CTYPES_TYPE.match(self.file.node_text(o)) for o in others):
            # c_double * 6: the length of a ctypes array type, like ``new Array(6)``
            return None  # c_double * 6: the length of a ctypes array type, part of a type
        return self.computation(root, magic, shown, anchor=magic[0][0])

    def chain_leaves(
        self, node: tree_sitter.Node, literals: list[tuple[tree_sitter.Node, Number]], others: list[tree_sitter.Node]
    ) -> None:
        value = self.evaluate(node)
        if value is not None:
            literals.append((node, value))
            return
        if node.type == "parenthesized_expression" and len(node.named_children) == 1:
            self.chain_leaves(node.named_children[0], literals, others)
            return
        if node.type in ("binary_expression", "binary_operator") and self.operator(node) in _MULTIPLICATIVE_OPS:
            for side in ("left", "right"):
                operand = node.child_by_field_name(side)
                if operand is not None:
                    self.chain_leaves(operand, literals, others)
            return
        others.append(node)

    def computation(
        self,
        expression: tree_sitter.Node,
        magic: list[tuple[tree_sitter.Node, Number]],
        shown: str,
        anchor: tree_sitter.Node | None = None,
    ) -> _Judgement:
        text = _short(self.operand_text(expression))
        plural = "s" if len(magic) > 1 else ""
        judgement = (_call if self.in_index(expression) else _clear)(
            "computation",
            f"magic number{plural} {shown} in `{text}`: name {'them' if plural else 'it'} "
            "(e.g. a module-level constant)",
        )
        if anchor is not None:
            return replace(judgement, node=anchor)
        return judgement

    def judge_augmented(self, parent: tree_sitter.Node, value: Number, shown: str, op: str) -> _Judgement | None:
        base = op[:-1]
        if base in _FALLBACK_OPS:
            return self.default_value(shown)
        if value in _HALVES_AND_PAIRS:
            return None
        if base in _MULTIPLICATIVE_OPS and abs(value) in _CONVERSION_FACTORS:
            return None
        if base in _ADDITIVE_OPS and value in _ANGLES and _ANGLE.search(self.operand_text(parent)):
            return None
        target = parent.child_by_field_name("left")
        if target is not None and self.is_calendar_factor([target], value, parent):
            return None  # delta += 7 in nextDay, lastDayOfFirstWeek += 7: calendar units
        if base in _SHIFT_OPS:
            return None
        if base in _BITWISE_OPS:
            if isinstance(value, int) and value > 0 and value & (value + 1) == 0:
                return None
            return _call("bit mask", f"magic number {shown} as a bit mask: name the flag")
        if base == "**" and float(value).is_integer():
            return None
        return self.computation(parent, [(parent, value)], shown)

    def judge_argument(
        self, arguments: tree_sitter.Node, child: tree_sitter.Node, value: Number, shown: str, via_container: bool
    ) -> _Judgement | None:
        call = arguments.parent
        if call is None or call.type not in _CALLS:
            return _call("call argument", f"magic number {shown} passed to a call: name it")
        name = self.callee(call)
        positional = [c for c in arguments.named_children if c.type not in ("comment", "keyword_argument")]
        index = next((i for i, c in enumerate(positional) if c.id == child.id), -1)
        if via_container:
            return _call(
                "call argument", f"magic number {shown} passed to {name or 'a call'}: name it", (("callee", name),)
            )
        if name in ("slice", "substring", "substr") and len(positional) == 1 and isinstance(value, int) and value >= 3:
            return self.prefix_skip(shown)  # s.slice(6): the length of a prefix
        if name in _INDEX_CALLEES or (name in ("pop", "get", "item") and len(positional) == 1):
            return self.index(shown, via_container)
        if name in _DEFAULT_ARGUMENT_CALLEES and index == _DEFAULT_ARGUMENT_CALLEES[name]:
            return self.default_value(shown)
        if name in _SELF_DESCRIBING_CALLEES or (name == "int" and index == 1) or (name == "stringify" and index == 2):
            return None
        if _COLOUR_CALLEE.search(name):
            return None  # ColorTriplet(255, 0, 255), Color.from_rgb(...): colour components
        if name == "time":
            return None  # datetime.time(12, 30): clock components
        if name in ("log", "log2", "log10") and value in _CONVERSION_FACTORS:
            return None  # Math.log(1024): the base of a unit scale
        is_int = float(value).is_integer()
        if self.options.ignore_http_status_codes and name in _HTTP_STATUS_CALLEES and is_int and 100 <= value <= 599:
            return None
        if abs(value) <= _EPSILON:
            return None  # plt.pause(1e-9), isclose(a, b, 1e-9): "as little as possible"
        if name in _TIMER_CALLEES:
            return _call(
                "delay",
                f"magic number {shown} as the delay of {name}: name it (e.g. a module-level constant ending in _MS)",
                (("callee", name), ("argument_index", str(index))),
            )
        if name in _STRING_WIDTH_CALLEES or name in _SCALE_CALLEES:
            return None  # "=".repeat(40), s.zfill(3), theme.spacing(3): a width or a step of a scale
        if value in _HALVES_AND_PAIRS:
            return None  # Math.max(w / 2, 0.5), split(":", 2), pow(x, 2): halves and pairs
        if value in _ANGLES and any(_ANGLE.search(self.file.node_text(c)) for c in positional if c.id != child.id):
            return None  # determineLimits(angle, 90, 270): degrees beside an angle
        if name == "divmod" and index == 1 and abs(value) in _CONVERSION_FACTORS:
            return None  # divmod(seconds, 60): a unit conversion
        neighbours = [c for c in positional if c.id != child.id]
        if 0 <= index < len(positional) - 1 and _PAD_STRING.match(self.file.node_text(positional[index + 1])):
            return None  # pad(n, 3, '0'): a zero-padding width
        if (abs(value) in _CONVERSION_FACTORS or any(value in f for _, f in _CALENDAR_FACTORS)) and any(
            _words(self.file.node_text(c)) & _TIME_UNIT_WORDS for c in neighbours
        ):
            return None  # quotient_and_remainder(secs, 3600, HOURS): a unit conversion beside its units
        return _call(
            "call argument",
            f"magic number {shown} passed to {name or 'a call'}: name it (e.g. a module-level constant)",
            (("callee", name), ("argument_index", str(index))),
        )

    def judge_case(self, parent: tree_sitter.Node, value: Number, shown: str) -> _Judgement | None:
        current: tree_sitter.Node | None = parent
        while current is not None and current.type not in ("switch_statement", "match_statement"):
            current = current.parent
        subject = ""
        if current is not None:
            node = current.child_by_field_name("value") or current.child_by_field_name("subject")
            subject = self.file.node_text(node) if node is not None else ""
        is_int = float(value).is_integer()
        if self.options.ignore_http_status_codes and is_int and 100 <= value <= 599 and _STATUS.search(subject):
            return None
        if subject and _words(subject) & ({"length", "len", "argc", "arity"} | _LENGTH_WORDS):
            return None  # switch (arguments.length) { case 3: ... }: dispatch on a count
        return _call("case label", f"magic number {shown} as a case of {_short(subject) or 'a switch'}: name it")


def _apply(op: str, a: Number, b: Number) -> Number | None:
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        if op == "//":
            return a // b
        if op == "%":
            return a % b
        if op == "**":
            if abs(b) > 64 or abs(a) > 1e6:
                return None
            result = a**b
            return result if isinstance(result, (int, float)) else None
        if isinstance(a, int) and isinstance(b, int):
            if op == "<<":
                return a << b if 0 <= b <= 64 else None
            if op in (">>", ">>>"):
                return a >> b if 0 <= b <= 64 else None
            if op == "&":
                return a & b
            if op == "|":
                return a | b
            if op == "^":
                return a ^ b
    except (ArithmeticError, ValueError, TypeError):
        return None
    return None


def _first_number(node: tree_sitter.Node) -> tree_sitter.Node:
    current = node
    while current.type not in ("number", "integer", "float") and current.named_children:
        current = current.named_children[0]
    return current


def _nearest(candidates: list[tree_sitter.Node], child: tree_sitter.Node) -> tree_sitter.Node:
    return min(candidates, key=lambda c: abs(c.start_byte - child.start_byte))


def _words(text: str) -> set[str]:
    """The lower-case words of identifiers in ``text``: ``self.data.hour`` → {self, data, hour},
    ``muiMajor`` → {mui, major}, ``len_rv`` → {len, rv}."""
    return {w.lower() for w in _WORD.findall(text)}


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_GENERIC_WORDS = frozenset(
    {
        "self",
        "this",
        "props",
        "state",
        "len",
        "math",
        "abs",
        "e",
        "event",
        "evt",
        "window",
        "document",
        "options",
        "opts",
        "config",
        "cls",
        "get",
        "current",
        "value",
    }
)


def _constant_name(text: str) -> str:
    """``user.retryCount`` → ``USER_RETRY_COUNT_LIMIT``: a name to suggest for a compared value."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w.lower() not in _GENERIC_WORDS]
    parts = [p.upper() for w in words[-2:] for p in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", w)]
    return "_".join(parts[-3:] + ["LIMIT"]) if parts else "THRESHOLD"


def _clear(context: str, message: str, extra: tuple[tuple[str, str], ...] = ()) -> _Judgement:
    return _Judgement(True, context, message, extra)


def _call(context: str, message: str, extra: tuple[tuple[str, str], ...] = ()) -> _Judgement:
    return _Judgement(True, context, message, extra, call=True)


def _ambiguous(context: str, message: str, extra: tuple[tuple[str, str], ...] = ()) -> _Judgement:
    return _Judgement(False, context, message, extra)


def _numbers(file: SourceFile) -> Iterator[tree_sitter.Node]:
    dialect = "python" if file.language == "python" else "js"
    nodes = languages.captures(file.language, _NUMBER_QUERY[dialect], file.tree.root_node).get("n", [])
    yield from sorted(nodes, key=lambda n: n.start_byte)


def _is_minified(file: SourceFile) -> bool:
    """Minified bundles (``*.min.js``, or long files of very long lines) are build output, not code to name."""
    if _MINIFIED_NAME.search(file.path):
        return True
    size = len(file.source)
    return size > _MINIFIED_MIN_BYTES and size / max(file.line_count, 1) > _MINIFIED_LINE_LENGTH


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Candidates for magic numbers in a Python or JS/TS file (test files skipped by default)."""
    options = Options.from_rule(rule.options)
    if (options.ignore_test_files and ctx.is_test_file) or ctx.is_token_file or _is_minified(file):
        return []
    judge = _Judge(file, options)
    candidates: list[Candidate] = []
    for number in _numbers(file):
        result = judge.judge(number)
        if result is None:
            continue
        node, judged_value, judgement = result
        value = judge.evaluate(node) if judgement.node is not None else judged_value
        span = file.node_span(node)
        candidates.append(
            Candidate(
                rule_id=rule.id,
                span=span,
                snippet=file.line_text(span.line).strip(),
                message=judgement.message,
                clear=judgement.clear and not (judgement.call and rule.llm),
                data={
                    "value": _display(value) if value is not None else file.node_text(node),
                    "literal": file.node_text(node),
                    "context": judgement.context,
                    **dict(judgement.extra),
                },
            )
        )
    return candidates
