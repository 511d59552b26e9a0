"""detectors/magic_numbers.py: what is clear, what is never flagged, what goes to the model tier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.detectors.magic_numbers import detect, parse_number
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import load_rule_file
from tinyarms_lint.types import Candidate

from ..conftest import PROJECT

RULE = load_rule_file(PROJECT / "rules" / "magic-numbers.md")
EXTENSION = {"python": "py", "typescript": "ts", "tsx": "tsx", "javascript": "js", "jsx": "jsx"}


def run(language: str, code: str, **options: Any) -> list[Candidate]:
    rule = RULE.with_overrides(None, options)
    file = SourceFile.parse(f"src/mod.{EXTENSION[language]}", language, code.encode("utf-8"))
    return detect(file, rule, DetectContext(root=Path(".")))


def clear_texts(language: str, code: str, **options: Any) -> list[str]:
    return [c.data["literal"] for c in run(language, code, **options) if c.clear]


def ambiguous_texts(language: str, code: str, **options: Any) -> list[str]:
    return [c.data["literal"] for c in run(language, code, **options) if not c.clear]


@pytest.mark.parametrize(
    ("text", "dialect", "value"),
    [
        ("86400", "python", 86400),
        ("1_000_000", "python", 1_000_000),
        ("0xFF", "js", 255),
        ("0o755", "python", 0o755),
        ("0b101", "js", 5),
        ("017", "js", 15),
        ("019", "js", 19),
        ("10n", "js", 10),
        ("1e3", "js", 1000.0),
        (".5", "js", 0.5),
        ("3j", "python", None),
    ],
)
def test_parse_number_reads_both_syntaxes(text: str, dialect: str, value: float | None) -> None:
    assert parse_number(text, dialect) == value


def test_comparison_and_computation_are_clear_in_python() -> None:
    code = "def f(retries, price, now):\n    if retries > 7:\n        return price * 1.19\n    return now + 86400\n"
    candidates = run("python", code)
    assert [(c.span.line, c.data["literal"], c.clear) for c in candidates] == [
        (2, "7", True),
        (3, "1.19", True),
        (4, "86400", True),
    ]
    assert candidates[0].message == (
        "magic number 7 compared with retries: name it (e.g. a module-level constant RETRIES_LIMIT = 7)"
    )
    assert "1.19 in `price * 1.19`" in candidates[1].message


def test_span_covers_the_literal_and_a_literal_product_is_one_value() -> None:
    code = "const stale = Date.now() - 5 * 60 * 1000;\n"
    (candidate,) = run("typescript", code)
    assert code[candidate.span.start_byte : candidate.span.end_byte] == "5 * 60 * 1000"
    assert (candidate.span.line, candidate.span.column) == (1, 28)
    assert candidate.data["value"] == "300000"
    assert "magic number 5 * 60 * 1000 (= 300000)" in candidate.message


def test_equality_message_asks_what_the_value_means() -> None:
    (candidate,) = run("javascript", "if (e.keyCode === 13) submit();\n")
    assert candidate.clear
    assert "saying what e.keyCode 13 means" in candidate.message


@pytest.mark.parametrize(
    "code",
    [
        "TIMEOUT = 30\n",
        "SECONDS_PER_DAY = 60 * 60 * 24\n",
        "MAX_UPLOAD = int(os.environ.get('MAX_UPLOAD', 10 * 1024))\n",
        "def f():\n    timeout = 30\n    sizes = [10, 20, 50]\n    self.delay = 0.25\n",
        "def f(retries=3, *, timeout=30.5):\n    pass\n",
        "Field(max_length=255)\n",
        "d = {404: 'Not found', 'timeout': 30}\n",
        "class Status(IntEnum):\n    ok = 200\n    teapot = 418\n",
        "x: Literal[3] = other\n",
        "a = argv[1] + argv[3]\nb = text[:80]\n",
        "ms = seconds * 1000\nt = elapsed / 1000 / 60\npct = round(ratio * 100) / 100\n",
        "half = n / 2\ny = x ** 3\nroot = x ** 0.5\n",
        "if response.status_code == 404:\n    pass\n",
        "if sys.version_info >= (3, 8):\n    pass\n",
        "d = datetime(2020, 1, 1)\nr = round(x, 3)\nn = int(s, 16)\n",
        "port = int(os.environ.get('PORT', 8080))\ntimeout = options.timeout or 30\n",
        "lo = value & 0xFF\nhi = (value >> 8) & 0xFF\n",
        "line = '-' * 40\nmsg = '%d items' % 5\n",
        "if len(pair) == 2:\n    pass\n",
        "MAX = 5\nif x > MAX:\n    pass\n",
        "def create():\n    return jsonify(order), 201\n",
    ],
)
def test_python_never_flagged(code: str) -> None:
    assert run("python", code) == []


@pytest.mark.parametrize(
    "code",
    [
        "export const ONE_DAY = 24 * 60 * 60 * 1000;\n",
        "function f() { const delay = 300; let retries = 3; this.limit = 20; }\n",
        "enum Level { Low = 10, High = 20 }\n",
        "type Dice = 1 | 2 | 3 | 4 | 5 | 6;\ntype Third<T extends unknown[]> = T[2];\n",
        "class Svc { private retries = 3; static readonly MAX = 5; }\n",
        "function f(a = 3, { tax = 0.25 } = {}) {}\n",
        "const size = props.size ?? 16;\nconst port = process.env.PORT || 3000;\n",
        "const r = Math.round(x * 100) / 100;\nconst s = ms / 1000;\nconst mb = bytes / 1024 / 1024;\n",
        "n.toFixed(3); parseInt(s, 10); v.slice(0, 10); new Date(2020, 0, 1); s.padStart(4, '0');\n",
        "res.status(404).json({}); if (res.status === 404) {}\n",
        "const st = { padding: 16, zIndex: 1000 };\n",
        "const [page, setPage] = useState(20);\n",
        "const size = isMobile ? 12 : 16;\n",
        "const rad = (deg * Math.PI) / 180;\n",
        "if (Math.random() < 0.5) flip();\n",
        "if (percent >= 100) done();\n",
    ],
)
def test_typescript_never_flagged(code: str) -> None:
    assert run("typescript", code) == []


def test_calendar_components_and_units() -> None:
    code = (
        "def next_month(year, month):\n"
        "    return date(year + (month == 12), month % 12 + 1, 1)\n"
        "def quarter(month):\n"
        "    return (month - 1) // 3 + 1\n"
        "def fiscal(day):\n"
        "    return day.month >= 7\n"
    )
    assert [(c.span.line, c.data["literal"]) for c in run("python", code)] == [(6, "7")]
    ts = "const a = new Date(d.getFullYear(), d.getMonth() + 3, 1);\nconst b = new Date(t + 14 * DAY);\n"
    assert [(c.span.line, c.data["literal"]) for c in run("typescript", ts)] == [(2, "14")]


def test_jsx_props_and_style_objects_are_named_or_css() -> None:
    code = (
        "export const Row = () => (\n"
        "  <Grid xs={12} style={{ width: w * 1.5, zIndex: 1000 }} tabIndex={-1}>\n"
        "    <Box sx={{ mt: 3 * k }} />\n"
        "  </Grid>\n"
        ");\n"
        "const Track = styled.div`\n  height: ${(p) => p.size * 4}px;\n`;\n"
    )
    assert run("tsx", code) == []


def test_module_level_const_is_named_only_directly() -> None:
    code = "export const breakpoint = 768;\nexport const isMobile = window.innerWidth < 768;\n"
    assert [(c.span.line, c.clear) for c in run("typescript", code)] == [(2, True)]


def test_constant_initializer_does_not_cover_functions_inside_it() -> None:
    code = "export const HANDLERS = {\n  limit: 50,\n  check: (v: number) => v > 100,\n};\n"
    assert [(c.span.line, c.data["literal"]) for c in run("typescript", code)] == [(3, "100")]


def test_a_product_chain_is_reported_once_at_its_magic_factor() -> None:
    (candidate,) = run("python", "c = (f - 32) / 100 * 5 / 9\n", ignore=[0, 1, -1, 32])
    assert candidate.data["literal"] == "5"
    assert "magic numbers 5 and 9" in candidate.message


@pytest.mark.parametrize(
    ("language", "code", "literal"),
    [
        ("typescript", "setTimeout(fn, 300);\n", "300"),
        ("typescript", "setTimeout(f, 3000);\n", "3000"),
        ("python", "time.sleep(0.5)\n", "0.5"),
        ("python", "for i in range(10):\n    pass\n", "10"),
        ("typescript", "const a = new Array(3);\n", "3"),
        ("typescript", "function f() { return 42; }\n", "42"),
        ("typescript", "function retryBudget() { return 60; }\n", "60"),
        ("typescript", "const getPadding = () => 16;\n", "16"),
        ("typescript", "switch (step) { case 3: break; }\n", "3"),
        ("typescript", "for (let i = 0; i < 5; i++) {}\n", "5"),
        ("python", "if flags & 0x04:\n    pass\n", "0x04"),
        ("typescript", "const v = buf[i + 4];\n", "4"),
        ("python", "z = np.zeros((3, 3))\n", "(3, 3)"),
        ("typescript", "console.log(0x1A + 0x02);\n", "0x1A + 0x02"),
        ("typescript", "const token = header.slice(7);\n", "7"),
        ("python", "token = header[7:]\n", "7"),
        ("typescript", "if (form.password.length < 8) fail();\n", "8"),
        ("python", "if self.verbose == 2:\n    pass\n", "2"),
        ("python", "if abs(a - b) < 1e-3:\n    pass\n", "1e-3"),
        ("tsx", "const badge = <span>{42}</span>;\n", "42"),
        ("typescript", "if ([1, 2, 3, 5, 10, 15].includes(step)) f();\n", "[1, 2, 3, 5, 10, 15]"),
        ("python", "if step in (3, 5, 10, 15, 20):\n    pass\n", "(3, 5, 10, 15, 20)"),
    ],
)
def test_former_model_tier_cases_are_decided_as_violations(language: str, code: str, literal: str) -> None:
    assert clear_texts(language, code) == [literal]
    assert ambiguous_texts(language, code) == []


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "if len(parts) == 3:\n    pass\n"),
        ("python", "if n < 2:\n    pass\n"),
        ("python", "if abs(a - b) < 1e-9:\n    pass\n"),
        ("python", "plt.pause(1e-9)\n"),
        ("python", "mins, s = divmod(int(t), 60)\n"),
        ("typescript", "const w = Math.max(width / 2, 0.5);\n"),
        ("typescript", "const y = factor > 0.5 ? to : from;\n"),
        ("typescript", "const bar = '='.repeat(40);\n"),
        ("typescript", "const gap = theme.spacing(3);\n"),
        ("typescript", "const limits = determineLimits(angle, pos, 90, 270);\n"),
        ("typescript", "const r = Math.round(x * 100) / 100;\n"),
        ("typescript", "const hue = h % 360;\n"),
        ("typescript", "function getSecondsInMinute() { return 60; }\n"),
        ("tsx", "const el = <textarea rows={4} />;\n"),
        ("typescript", "const jq = $.fn.jquery.substr(0, 2) === '1.';\n"),
        ("typescript", "switch (arguments.length) { case 3: break; }\n"),
        ("typescript", "function daysInMonth(m: number) { return m === 2 ? 28 : 31; }\n"),
        ("python", "def main():\n    return 2\n"),
    ],
)
def test_plain_uses_are_decided_fine(language: str, code: str) -> None:
    assert run(language, code) == []


def test_call_argument_data_names_the_callee() -> None:
    (candidate,) = run("typescript", "retry(refresh, 5);\n")
    assert candidate.data["callee"] == "retry"
    assert candidate.data["argument_index"] == "1"
    assert candidate.data["context"] == "call argument"
    (delay,) = run("typescript", "setTimeout(refresh, 300);\n")
    assert delay.data["context"] == "delay"
    assert delay.clear


def test_data_tables_are_not_candidates() -> None:
    code = "TABLE = CellTable([(0, 31), (127, 159), (768, 879)])\nx = f([10, 20, 30, 40, 50])\n"
    assert run("python", code.replace("TABLE", "table")) == []


def test_length_comparisons_above_two_are_flagged() -> None:
    code = "if (name.length > 2) {}\nif (name.length > 5) {}\nif (name.length > 50) {}\n"
    assert [(c.span.line, c.clear) for c in run("javascript", code)] == [(2, True), (3, True)]


def test_options_turn_exemptions_off() -> None:
    code = "def f(timeout=30):\n    x = argv[3]\n    g(limit=50)\n"
    assert run("python", code) == []
    flagged = clear_texts("python", code, ignore_default_values=False, ignore_array_indexes=False, detect_objects=True)
    assert flagged == ["30", "3", "50"]


def test_ignore_option_replaces_the_default_list() -> None:
    code = "if retries > 7:\n    pass\nif level > 1:\n    pass\n"
    assert clear_texts("python", code, ignore=[7]) == ["1"]
    assert clear_texts("javascript", "if (n > 100n) {}\n", ignore=["100n"]) == []


def test_http_status_option() -> None:
    code = "if response.status_code == 404:\n    pass\n"
    assert clear_texts("python", code, ignore_http_status_codes=False) == ["404"]


def test_test_files_are_skipped_unless_configured() -> None:
    file = SourceFile.parse("tests/test_x.py", "python", b"assert total > 7\n")
    assert detect(file, RULE, DetectContext(root=Path("."), is_test_file=True)) == []
    rule = RULE.with_overrides(None, {"ignore_test_files": False})
    assert len(detect(file, rule, DetectContext(root=Path("."), is_test_file=True))) == 1


def test_token_files_are_skipped() -> None:
    file = SourceFile.parse("src/theme.ts", "typescript", b"export const x = y * 1.5;\n")
    assert detect(file, RULE, DetectContext(root=Path("."), is_token_file=True)) == []


@pytest.mark.parametrize(
    ("language", "code", "ambiguous"),
    [
        ("python", "def f(:\n    if x > 7 +\n", set()),
        ("typescript", "function (x { if (x > 7 ) { return x * 1.19 \n", {"7", "1.19"}),
        ("tsx", "<div>{x > 99 && </div>\n", None),
        ("python", "\x00\x01 if 3 >", None),
    ],
)
def test_broken_code_never_crashes_and_is_never_clear(language: str, code: str, ambiguous: set[str] | None) -> None:
    candidates = run(language, code)
    assert [c for c in candidates if c.clear] == []
    if ambiguous is not None:
        assert {c.data["literal"] for c in candidates} == ambiguous


@pytest.mark.parametrize(
    ("language", "code"),
    [
        # unit bounds of a value named for a calendar or clock unit
        (
            "python",
            "if delta.seconds < 60:\n    pass\nif self.data.hour > 11:\n    pass\nif today.month == 12:\n    pass\n",
        ),
        (
            "typescript",
            "const pm = d.getHours() >= 12;\nconst h = d.getHours() % 12 || 12;\nconst sat = d.getDay() === 6;\n",
        ),
        ("typescript", "class MinuteParser { validate(value: number) { return value <= 59; } }\n"),
        ("typescript", "function addWeeks(d: Date, n: number) { return addDays(d, n * 7); }\n"),
        ("javascript", "const leap = year % 4 === 0 && year % 100 !== 0 || year % 400 === 0;\n"),
        # padding to two digits
        ("javascript", "const s = n < 10 ? '0' + n : String(n);\nif (m < 10) { m = '0' + m; }\n"),
        # version checks, radixes, HTTP status ranges, decimal digits
        ("tsx", "const x = muiMajor >= 6 ? a : b;\n"),
        ("python", "assert minor >= 21\nelif_ = 500 <= self.status_code < 600\nif base == 10:\n    pass\n"),
        ("javascript", "if (n % 10 === 2 && n % 100 !== 12) s = 'nd';\nif (rem100 > 20) s = 'th';\n"),
        # computed keys of lookup tables, repetition, sign-flipped conversions
        ("python", "TYPES = {}\ntypes = {3 + wkb25bit: 'Polygon25D', 4 + wkb25bit: 'MultiPoint25D'}\n"),
        ("python", "sql = (tuple(params) + (path,)) * 3\nbuf = [0] * 256\n"),
        ("javascript", "const offset = new Date().getTimezoneOffset() * -60;\n"),
        # CSS values outside style objects
        ("javascript", "box.style.left = findPosX(link) + 17 + 'px';\nbox.style.top = Math.max(0, y - 30) + 'px';\n"),
        (
            "typescript",
            "const pad = `${SPACING * 0.75}px`;\nconst t = { styleOverrides: { root: { padding: s * 1.5 } } };\n",
        ),
        # chained comparisons compare neighbours only
        ("python", "if 4 == 3 == 3:\n    pass\n"),
    ],
)
def test_plain_numbers_in_the_wild_are_not_flagged(language: str, code: str) -> None:
    assert clear_texts(language, code) == []


@pytest.mark.parametrize(
    ("language", "code", "literal"),
    [
        ("python", "if day.month >= 7:\n    pass\n", "7"),  # a policy, not a unit bound
        ("typescript", "if (hours >= 17) evening();\n", "17"),
        ("typescript", "if (days > 30) expire();\n", "30"),
        ("javascript", "if (event.which === 27) close();\n", "27"),
        ("python", "if 0 < x < 3600 < y:\n    pass\n", "3600"),
        ("typescript", "const label = `${count * 3} items`;\n", "3"),
        ("javascript", 'const label = price + 5 + " EUR";\n', "5"),  # a sum shown, not a CSS length
        ("python", "x = offset.days * 86400\n", "86400"),
    ],
)
def test_policies_next_to_those_exemptions_stay_clear(language: str, code: str, literal: str) -> None:
    assert clear_texts(language, code) == [literal]


@pytest.mark.parametrize(
    ("code", "literal"),
    [
        ("if len_rv == 3:\n    pass\n", "3"),
        ("if ndim == 3:\n    pass\n", "3"),
        ("if coord_dim > 3:\n    pass\n", "3"),
        ("gtf = (c_double * 6)()\n", "6"),
    ],
)
def test_shapes_and_ctypes_lengths_are_fine(code: str, literal: str) -> None:
    assert literal and run("python", code) == []


def test_minified_bundles_are_skipped() -> None:
    line = "var a=b*1.19,c=d>86400;" * 60
    code = (line + "\n") * 4
    file = SourceFile.parse("static/vendor/app.js", "javascript", code.encode())
    assert detect(file, RULE, DetectContext(root=Path("."))) == []
    named = SourceFile.parse("static/app.min.js", "javascript", b"if (x > 86400) y();\n")
    assert detect(named, RULE, DetectContext(root=Path("."))) == []
    plain = SourceFile.parse("static/app.js", "javascript", b"if (x > 86400) y();\n")
    assert len(detect(plain, RULE, DetectContext(root=Path(".")))) == 1


def test_judgement_calls_go_to_the_model_when_its_tier_is_on() -> None:
    code = "setTimeout(refresh, 3000);\nif (retries > 7) stop();\n"
    assert [(c.span.line, c.clear) for c in run("typescript", code)] == [(1, True), (2, True)]
    rule = RULE.with_overrides(None, {}, llm=True)
    file = SourceFile.parse("src/mod.ts", "typescript", code.encode())
    assert [(c.span.line, c.clear) for c in detect(file, rule, DetectContext(root=Path(".")))] == [
        (1, False),
        (2, True),
    ]
