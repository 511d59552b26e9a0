"""comment-language on real tree-sitter parses: which comments are flagged, how, and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint import langid
from tinyarms_lint.config import Config
from tinyarms_lint.detectors import comment_language
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import Rule, load_rules
from tinyarms_lint.types import Candidate

RULE = load_rules([])["comment-language"]


def run(path: str, language: str, source: str, rule: Rule = RULE, ctx: DetectContext | None = None) -> list[Candidate]:
    file = SourceFile.parse(path, language, source.encode("utf-8"))
    return comment_language.detect(file, rule, ctx or DetectContext(root=Path(".")))


def lines(candidates: list[Candidate], clear: bool = True) -> list[int]:
    return [c.span.line for c in candidates if c.clear is clear]


PYTHON = '''"""Számlázási segédfüggvények a havi zárásokhoz."""

import os  # noqa: F401


def total(items):
    # Összeadja a tételek bruttó árát,
    # a sztornózott tételeket kihagyva.
    return sum(i.gross for i in items if not i.cancelled)


def first(items):
    """Return the first item, or None for an empty list."""
    # Kész
    return items[0] if items else None  # Trả về phần tử đầu tiên của danh sách


# print("Hiba történt a számla küldésekor")
# See https://example.com/hu/szamlazas/szabalyzat
# Thanks to Kovács Péter for the rounding rules.
'''


def test_python_comments_docstrings_and_trailing_comments() -> None:
    found = run("billing.py", "python", PYTHON)
    assert lines(found) == [1, 7, 15]
    languages = {c.span.line: c.data["language"] for c in found}
    assert languages == {1: "hu", 7: "hu", 15: "vi"}
    block = next(c for c in found if c.span.line == 7)
    assert block.span.end_line == 8, "consecutive own-line comments are one finding"
    assert block.data["kind"] == "translate"
    assert block.data["text"] == "Összeadja a tételek bruttó árát,\na sztornózott tételeket kihagyva."
    assert block.data["target_language"] == "en"
    assert "Hungarian" in block.message


def test_short_comments_go_to_the_model_only_with_unique_letters() -> None:
    found = run("a.py", "python", "x = 1  # Xong rồi\ny = 2  # Nincs kész\n")
    assert lines(found) == []
    assert lines(found, clear=False) == [1]
    assert found[0].data["kind"] == "comment-language"


@pytest.mark.parametrize(
    ("path", "language", "source", "expected"),
    [
        ("a.ts", "typescript", "// Lấy danh sách đơn hàng của người dùng hiện tại\nexport const x = 1;\n", [1]),
        (
            "a.ts",
            "typescript",
            "/**\n * Kosárkezelő hook: tételek hozzáadása és törlése.\n */\nexport function f() {}\n",
            [1],
        ),
        (
            "a.tsx",
            "tsx",
            "export const A = () => (\n  <div>\n    {/* Az utolsó oszlop a műveleteké, ezért nincs fejléce. */}\n  </div>\n);\n",
            [3],
        ),
        ("a.scss", "scss", "// Khi rê chuột, thẻ nổi lên nhẹ để người dùng biết\n.card { color: red; }\n", [1]),
        ("a.css", "css", "/* A fejléc logója nyomtatásban sem lehet szélesebb. */\n.logo { width: 4rem; }\n", [1]),
        ("a.html", "html", '<!-- Ứng dụng React được gắn vào phần tử này. -->\n<div id="root"></div>\n', [1]),
        ("a.yml", "yaml", "# Chỉ cho phép một lần triển khai chạy tại một thời điểm.\nconcurrency: staging\n", [1]),
    ],
)
def test_every_comment_syntax(path: str, language: str, source: str, expected: list[int]) -> None:
    assert lines(run(path, language, source)) == expected


ENGLISH_TS = """// Copyright (c) 2024 Example Ltd. All rights reserved.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
/** Runs a search after the user stops typing; stale responses are ignored. */
export function search(query: string) {
  // Searching for one or two characters returns half the catalogue, so skip it.
  if (query.length < 3) return [];
  // alert("Giỏ hàng của bạn đang trống!");
  // const total = items.reduce((s, i) => s + i.ár, 0);
  // Reviewed by Nguyễn Văn An from the payments team.
  // Shows the "Thanh toán" button only when the cart is valid.
  return fetch(`/api/search?q=${query}`); // TODO(tran.minh): add paging
}
"""


def test_english_code_comments_directives_names_and_licenses_are_not_flagged() -> None:
    assert run("search.ts", "typescript", ENGLISH_TS) == []


def test_license_headers_in_any_language_are_skipped() -> None:
    source = (
        "# Szerzői jog © 2023 Kovács és Társa Kft. Minden jog fenntartva.\n# A forráskód nem terjeszthető.\nx = 1\n"
    )
    assert run("a.py", "python", source) == []


def test_ascii_vietnamese_and_hungarian_are_flagged() -> None:
    source = (
        "// Kiem tra gio hang truoc khi thanh toan, neu rong thi khong cho tiep tuc\n"
        "const a = 1;\n"
        "// Ellenorizzuk hogy a cegnev nem ures es nem csak szokozokbol all\n"
        "const b = 2;\n"
    )
    found = run("a.ts", "typescript", source)
    assert [(c.span.line, c.data["language"]) for c in found if c.clear] == [(1, "vi"), (3, "hu")]


def test_team_language_and_docstring_options() -> None:
    hungarian_team = RULE.with_overrides(None, {"language": "hu"})
    source = '"""Számlázási segédfüggvények."""\n# Return the first item of the list when it exists\nx = 1\n'
    found = run("a.py", "python", source, hungarian_team)
    assert [(c.span.line, c.data["language"], c.data["target_language"]) for c in found] == [(2, "en", "hu")]
    no_docstrings = RULE.with_overrides(None, {"docstrings": False})
    assert run("a.py", "python", '"""Számlázási segédfüggvények a havi zárásokhoz."""\n', no_docstrings) == []


def test_low_confidence_guesses_go_to_the_model() -> None:
    strict = RULE.with_overrides(None, {"min_confidence": 1.01})
    found = run("a.py", "python", "# A felhasználó adatait tölti be a szerverről\nx = 1\n", strict)
    assert lines(found) == [] and lines(found, clear=False) == [1]


def test_without_lingua_the_fallback_still_flags_and_leaves_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    fallback = langid.LanguageIdentifier(("en", "hu", "vi"), use_lingua=False)
    monkeypatch.setattr(langid, "identifier", lambda candidates: fallback)
    ctx = DetectContext(root=Path("."))
    found = run("billing.py", "python", PYTHON, ctx=ctx)
    assert lines(found) == [1, 7, 15]
    assert any("lingua-language-detector is not installed" in note for note in ctx.project["notes"])


def test_engine_reports_only_changed_regions_and_surfaces_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = PYTHON.encode("utf-8")
    engine = Engine(Config(root=tmp_path), [RULE])
    result = engine.run([Target("billing.py", lambda: source, frozenset({14, 15}))])
    assert [(f.line, f.rule) for f in result.findings] == [(15, "comment-language")]
    fallback = langid.LanguageIdentifier(("en", "hu", "vi"), use_lingua=False)
    monkeypatch.setattr(langid, "identifier", lambda candidates: fallback)
    degraded = Engine(Config(root=tmp_path), [RULE]).run([Target("billing.py", lambda: source, None)])
    assert [f.line for f in degraded.findings] == [1, 7, 15]
    assert any("tinyarms-lint[lang]" in note for note in degraded.stats.notes)


def test_broken_and_odd_input_does_not_crash() -> None:
    assert run("a.py", "python", "def f(:\n    # Összeadja a tételek bruttó árát és visszaadja\n    return (\n") != []
    assert run("a.ts", "typescript", "/* unterminated comment with Tiếng Việt\nconst x = ") is not None
    assert run("a.py", "python", "") == []
    assert run("a.py", "python", "#\n#   \n# 🎉🎉🎉\n") == []


# ---------------------------------------------------------------------------------------------
# The translation fix


def fixed(path: str, language: str, source: str, translation: str) -> str:
    candidate = next(c for c in run(path, language, source) if c.clear)
    fix = comment_language.translation_fix(candidate, translation)
    data = source.encode("utf-8")
    return (data[: fix.span.start_byte] + fix.replacement.encode("utf-8") + data[fix.span.end_byte :]).decode("utf-8")


def test_fix_keeps_line_comment_syntax_and_indentation() -> None:
    source = (
        "def f(items):\n    # Összeadja a tételek bruttó árát,\n    # a sztornózott tételeket kihagyva.\n    return 1\n"
    )
    result = fixed("a.py", "python", source, "Add up the gross price of the items,\nskipping cancelled ones.")
    assert (
        result
        == "def f(items):\n    # Add up the gross price of the items,\n    # skipping cancelled ones.\n    return 1\n"
    )


def test_fix_keeps_jsdoc_stars() -> None:
    source = "  /**\n   * Lấy danh sách đơn hàng của người dùng hiện tại.\n   * @param userId - mã người dùng\n   */\n"
    result = fixed("a.ts", "typescript", source, "Fetch the current user's orders.\n@param userId - the user's id")
    assert result == "  /**\n   * Fetch the current user's orders.\n   * @param userId - the user's id\n   */\n"


def test_fix_keeps_docstring_quotes() -> None:
    source = 'def f():\n    """Trả về danh sách người dùng đang hoạt động.\n\n    Không bao gồm tài khoản bị khóa.\n    """\n'
    result = fixed("a.py", "python", source, "Return the active users.\n\nLocked accounts are left out.")
    assert result == 'def f():\n    """Return the active users.\n\n    Locked accounts are left out.\n    """\n'
    one_line = fixed("a.py", "python", '"""Számlázási segédfüggvények a havi zárásokhoz."""\n', "Billing helpers.")
    assert one_line == '"""Billing helpers."""\n'


def test_fix_keeps_block_jsx_and_trailing_comment_syntax() -> None:
    css = fixed("a.css", "css", "/* A fejléc logója nyomtatásban sem lehet szélesebb. */\n", "The logo stays narrow.")
    assert css == "/* The logo stays narrow. */\n"
    jsx = "const A = () => (\n  <div>\n    {/* Az utolsó oszlop a műveleteké, fejléc nélkül. */}\n  </div>\n);\n"
    assert "{/* The last column holds actions. */}" in fixed("a.tsx", "tsx", jsx, "The last column holds actions.")
    trailing = "return items  # Trả về phần tử đầu tiên của danh sách\n"
    assert fixed("a.py", "python", trailing, "Return the first element") == "return items  # Return the first element\n"
    fix = comment_language.translation_fix(run("a.py", "python", trailing)[0], "Return the first element")
    assert fix.description == "translate the Vietnamese comment to English"


def problem(path: str, language: str, source: str, translation: str) -> str | None:
    candidate = next(c for c in run(path, language, source) if c.clear)
    return comment_language.translation_problem(candidate, translation, RULE)


def test_a_good_translation_passes_the_checks() -> None:
    block = "def f(items):\n    # Összeadja a tételek bruttó árát,\n    # a sztornózott tételeket kihagyva.\n"
    assert problem("a.py", "python", block, "Add up the gross price of the items,\nskipping cancelled ones.") is None
    jsdoc = "/**\n * Lấy danh sách đơn hàng của người dùng hiện tại.\n */\n"
    assert problem("a.ts", "typescript", jsdoc, "Fetch the current user's orders.") is None
    assert (
        problem(
            "a.ts", "typescript", "// 只有菜单模式才支持弹出方向\n", "Only the menu mode supports a popup direction"
        )
        is None
    )
    assert problem("a.py", "python", "x = 1  # Trả về phần tử đầu tiên của danh sách\n", "`items[0]`") is None


def test_translations_that_would_break_the_comment_are_rejected() -> None:
    delimiters = "the translation holds comment delimiters"
    css = "/* A fejléc logója nyomtatásban sem lehet szélesebb. */\n"
    assert problem("a.css", "css", css, "The logo */ stays narrow.") == delimiters
    assert problem("a.css", "css", css, "The /* logo */ stays narrow.") == delimiters
    docstring = 'def f():\n    """Trả về danh sách người dùng đang hoạt động."""\n'
    assert problem("a.py", "python", docstring, 'Return the "active" users."') == delimiters  # would end in """"
    assert problem("a.py", "python", docstring, 'Return the active users.""" + x') == delimiters
    assert problem("a.py", "python", docstring, 'Return the "active" users.') is None
    line = "// Lấy danh sách đơn hàng của người dùng hiện tại\n"
    assert problem("a.ts", "typescript", line, "Fetch the orders\n// of the current user") == delimiters
    assert problem("a.ts", "typescript", line, "Fetch the orders<|im_end|>") == delimiters
    assert problem("a.ts", "typescript", line, "Fetch the orders of the current user") is None


def test_translations_in_the_wrong_language_or_size_are_rejected() -> None:
    source = "// Lấy danh sách đơn hàng của người dùng hiện tại\n"
    assert problem("a.ts", "typescript", source, "  ") == "the translation is empty"
    assert problem("a.ts", "typescript", source, "Lấy danh sách đơn hàng của người dùng") == (
        "the translation is still in Vietnamese"
    )
    assert problem("a.ts", "typescript", source, "A felhasználó rendeléseinek listája") == (
        "the translation is still in Hungarian"
    )
    assert (
        problem("a.ts", "typescript", source, "获取当前用户的订单列表和详细信息")
        == "the translation is still in Chinese"
    )
    assert problem("a.ts", "typescript", source, "Fetch the orders. " * 12) == (
        "the translation is much longer than the comment"
    )
    assert problem("a.ts", "typescript", source, "Fetch\nthe\norders\nof\nthe\nuser") == (
        "the translation is much longer than the comment"
    )


def test_comments_in_a_script_no_candidate_uses_are_clear_without_lingua(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = langid.LanguageIdentifier(("en", "hu", "vi"))
    monkeypatch.setattr(langid, "identifier", lambda candidates: fresh)
    source = (
        "// 只有菜单模式才支持弹出方向\n"
        "const a = 1;\n"
        "/** Возвращает сумму значений. */\n"
        "const b = 2;\n"
        "// Angle θ = π / 4, labels such as 中文 or Ελληνικά are kept → as they are\n"
        "const c = 3;\n"
    )
    scripts_only = "\n".join(source.splitlines()[:4]) + "\n"
    assert lines(run("a.ts", "typescript", scripts_only)) == [1, 3]
    assert not fresh.lingua_loaded  # told apart by their letters alone
    found = run("a.ts", "typescript", source)
    assert [(c.span.line, c.data["language"]) for c in found if c.clear] == [(1, "zh"), (3, "ru")]
    assert lines(found, clear=False) == []
    russian_team = RULE.with_overrides(None, {"language": "ru", "candidates": ["ru", "en"]})
    assert [c.span.line for c in run("a.ts", "typescript", source, russian_team) if c.clear] == [1, 5]


@pytest.mark.parametrize(
    "comment",
    [
        "Visszaadja a felhasznalo aktiv rendeleseit",
        "Lekeri a kivalasztott sor indexet a tablabol",
        "lay danh sach don hang cua nguoi dung",
        "Kiem tra xem doc gia co lam mat sach khong",
    ],
)
def test_accentless_hungarian_and_vietnamese_are_clear_findings(comment: str) -> None:
    found = run("a.js", "javascript", f"// {comment}\nrun();\n")
    assert [c.clear for c in found] == [True]
    assert found[0].data["language"] in ("hu", "vi")


def test_english_with_words_shaped_like_hungarian_or_vietnamese_is_not_flagged() -> None:
    source = "// squeak chunk delimiter\nrun();\n// Set the map to the top of it\nrun();\n"
    assert run("a.js", "javascript", source) == []


@pytest.mark.parametrize(
    "comment",
    [
        "beallitja a tavolsagot",  # a verb of comments and -sagot
        "Vegigmegy a tombon",
        "Constructor mindket koordinataval",  # lingua alone says English
        "xu ly upload file",  # a compound, half the words English
        "Lay feedback cho van ban",  # van ban: both halves are English words alone
        "In lich su",
        "megfelelo konyvtarak hasznalata",  # meg-, a plural, sz after a vowel and -ata
        "osztaly valtozok hsznalata",
    ],
)
def test_short_accentless_comments_with_compounds_verbs_and_endings(comment: str) -> None:
    found = run("a.js", "javascript", f"// {comment}\nrun();\n")
    assert [(c.clear, c.data["language"]) for c in found] in ([(True, "hu")], [(True, "vi")])


@pytest.mark.parametrize(
    "comment",
    [
        "Nguyen Van Cau Thu (seeded ID)",
        "Nguyen Huu Quang Hoa - B21DCCN379",
        "Authors: Laszlo Tamas Zeke, Levente Mihalyi, Laszlo Bokor",
        "Budapest, Szechenyi Rakpart",
        "Ho Chi Minh City reference points used as fixtures",
        "Swap in Hungarian if frames ever carry 10+ simultaneous faces.",
    ],
)
def test_names_and_places_typed_without_accents_are_not_flagged(comment: str) -> None:
    assert run("a.js", "javascript", f"// {comment}\nrun();\n") == []


def test_a_vietnamese_sentence_starting_with_a_family_name_word_is_still_flagged() -> None:
    found = run("a.js", "javascript", "// Nguyen lieu cua 1 mon an trong thuc don\nrun();\n")
    assert [(c.clear, c.data["language"]) for c in found] == [(True, "vi")]


def test_one_hungarian_word_repeated_is_not_hungarian() -> None:
    assert run("a.py", "python", "stacklevel = 9  # Ha ha ha ha magic numbers :/\n") == []


@pytest.mark.parametrize(
    ("comment", "language"),
    [
        ("Getterek, setterek és adderek:", "hu"),  # English stems with Hungarian plurals
        ("tạo surface của start", "vi"),  # half the words carry Vietnamese letters
    ],
)
def test_mixed_comments_with_english_words_of_code_are_clear_findings(comment: str, language: str) -> None:
    found = run("a.js", "javascript", f"// {comment}\nrun();\n")
    assert [(c.clear, c.data["language"]) for c in found] == [(True, language)]


def test_english_comments_with_a_hungarian_looking_identifier_or_a_quoted_vietnamese_term_are_not_flagged() -> None:
    source = (
        "# Convert papszlist to ctypes array.\n"
        "x = 1  # Optional negotiated discount (giảm giá), in VNĐ, subtracted from the grand total.\n"
    )
    assert run("a.py", "python", source) == []


@pytest.mark.parametrize(
    ("comment", "language"),
    [
        ("a jatek vege", "hu"),  # words of the Hungarian lexicon, typed without accents
        ("kiirja a fat a kepernyore", "hu"),
        ("ke thua lop cha", "vi"),  # syllables of the Vietnamese lexicon
    ],
)
def test_short_accentless_comments_of_lexicon_words_are_clear_findings(comment: str, language: str) -> None:
    found = run("a.js", "javascript", f"// {comment}\nrun();\n")
    assert [(c.clear, c.data["language"]) for c in found] == [(True, language)]


def test_english_comments_with_words_a_hungarian_stem_would_match_are_not_flagged() -> None:
    source = "# Standard Library Modules for PIM Modula-2\n# A top-level module\nx = 1  # closest token type\n"
    assert run("a.py", "python", source) == []


def test_vietnamese_about_code_with_half_the_words_english_is_a_clear_finding() -> None:
    source = "// Them Node vao dau linked list\nrun();\n// Rename the xoa and sua handlers in node list\nrun();\n"
    found = run("a.js", "javascript", source)
    assert [(c.span.line, c.clear, c.data["language"]) for c in found] == [(1, True, "vi")]
