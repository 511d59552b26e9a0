"""i18n-locale-consistency: sibling locale files compared key by key, on disk and in git's index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyarms_lint.config import Config
from tinyarms_lint.detectors import locale_consistency as lc
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.engine import Engine, Target
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.repository import DirectoryRepository, GitRepository
from tinyarms_lint.rules import Rule, load_rules
from tinyarms_lint.types import Candidate

from ..conftest import FIXTURES, git

RULE = load_rules([])["i18n-locale-consistency"]
FOLDER = FIXTURES / "i18n-locale-consistency"


def detect_in(root: Path, path: str, rule: Rule = RULE, repository: object | None = None) -> list[Candidate]:
    language = language_for_path(path)
    assert language is not None
    file = SourceFile.parse(path, language, (root / path).read_bytes())
    ctx = DetectContext(root=root, repository=repository)  # type: ignore[arg-type]
    return lc.detect(file, rule, ctx)


def kinds(candidates: list[Candidate], clear: bool = True) -> list[tuple[int, str]]:
    return sorted((c.span.line, c.data["kind"]) for c in candidates if c.clear is clear)


SIDECAR = json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SIDECAR["files"]))
def test_planted_defects_match_the_sidecar(path: str) -> None:
    expected = sorted((e["line"], e["kind"]) for e in SIDECAR["files"][path] if e["kind"] != "ok")
    ok_lines = {e["line"] for e in SIDECAR["files"][path] if e["kind"] == "ok"}
    candidates = detect_in(FOLDER, path, repository=DirectoryRepository(FOLDER))
    assert kinds(candidates) == expected
    assert not ok_lines & {c.span.line for c in candidates if c.clear}


def test_yaml_fixtures_hold_their_marks_inline() -> None:
    hu = detect_in(FOLDER, "shop/config/locales/hu.yml", repository=DirectoryRepository(FOLDER))
    assert kinds(hu) == [(13, "untranslated"), (14, "placeholders"), (15, "extra"), (17, "missing")]
    assert "greeting" in next(c.message for c in hu if c.data["kind"] == "missing")


def test_unchanged_translations_go_to_the_model_with_both_texts() -> None:
    shipped = detect_in(FOLDER, "web/public/locales/hu/checkout.json", repository=DirectoryRepository(FOLDER))
    assert [c for c in shipped if not c.clear] == []  # the rule ships with its model tier off
    with_model = RULE.with_overrides(None, {}, llm=True)
    candidates = detect_in(
        FOLDER, "web/public/locales/hu/checkout.json", with_model, repository=DirectoryRepository(FOLDER)
    )
    assert kinds(candidates) == []
    meaning = {c.data["key"]: c.data for c in candidates if not c.clear}
    assert meaning["steps.review"] == {
        "kind": "meaning",
        "key": "steps.review",
        "source_text": "Review order",
        "translation": "Rendelés áttekintése",
        "source_language": "en",
        "language": "hu",
        "source_file": "web/public/locales/en/checkout.json",
        "changed_only": True,
    }
    assert "payment.total" not in meaning and "confirm" not in meaning  # no words, or identical
    no_model = with_model.with_overrides(None, {"check_meaning": False})
    assert detect_in(FOLDER, "web/public/locales/hu/checkout.json", no_model) == []


def write(root: Path, files: dict[str, object]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=2))


def test_without_a_repository_view_siblings_are_read_from_the_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/i18n/en-US.json": {
                "greeting": "Hello, {name}!",
                "items_one": "{count} item",
                "items_other": "{count} items",
            },
            "src/i18n/vi-VN.json": {"greeting": "Xin chào, {ten}!", "items_other": "{count} sản phẩm"},
            "src/i18n/hu-HU.json": {"greeting": "Szia, {name}!", "items_other": "{count} termék"},
        },
    )
    rule = RULE.with_overrides(None, {"locale_files": ["**/i18n/{lang}.json"], "check_meaning": False})
    assert kinds(detect_in(tmp_path, "src/i18n/vi-VN.json", rule)) == [(2, "placeholders")]
    # Hungarian has a "one" plural form: items_one is required there, not in Vietnamese
    assert kinds(detect_in(tmp_path, "src/i18n/hu-HU.json", rule)) == [(1, "missing")]
    source_side = detect_in(tmp_path, "src/i18n/en-US.json", rule)
    assert kinds(source_side) == [(3, "missing")]
    assert source_side[0].data["languages"] == ["hu"]


def test_hook_mode_reads_siblings_from_the_index(repo: Path) -> None:
    write(
        repo,
        {
            "locales/en/app.json": {"save": "Save", "cancel": "Cancel"},
            "locales/hu/app.json": {"save": "Mentés", "cancel": "Mégse"},
        },
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "locales")
    write(repo, {"locales/en/app.json": {"save": "Save", "cancel": "Cancel", "delete": "Delete item"}})
    git(repo, "add", "locales/en/app.json")
    # the Hungarian file gets the key in the working tree only: the commit would still lack it
    write(repo, {"locales/hu/app.json": {"save": "Mentés", "cancel": "Mégse", "delete": "Tétel törlése"}})
    rule = RULE.with_overrides(None, {"check_meaning": False})
    engine = Engine(Config(root=repo), [rule], repository=GitRepository(repo, from_index=True))
    staged = git(repo, "show", ":locales/en/app.json").encode()
    result = engine.run([Target("locales/en/app.json", lambda: staged, frozenset({4}))])
    assert [(f.line, f.rule) for f in result.findings] == [(4, "i18n-locale-consistency")]
    assert "'delete' is missing from Hungarian" in result.findings[0].message
    from_disk = Engine(Config(root=repo), [rule], repository=GitRepository(repo, from_index=False))
    assert from_disk.run([Target("locales/en/app.json", lambda: staged, frozenset({4}))]).findings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello {{name}}, you have {{- count}} new {{count, number}}", {"{{name}}", "{{count}}"}),
        ("{count, plural, one {# review by {author}} other {# reviews}}", {"{count, plural}", "{author}"}),
        ("{gender, select, male {He} female {She} other {They}} replied", {"{gender, select: female male other}"}),
        ("%s of %d files, %(name)s, %1$s and 100%% done", {"%s", "%d", "%(name)s", "%1$s"}),
        ("Hi %{first_name}, see $t(common.terms)", {"%{first_name}", "$t(common.terms)"}),
        ("Share on <1>Facebook</1> or <strong>Zalo</strong>", {"<1>", "<strong>"}),
        ("Plain text with no slots: 5 < 6", set()),
    ],
)
def test_placeholders(text: str, expected: set[str]) -> None:
    assert lc.placeholders(text) == expected


def test_plural_categories_follow_each_language() -> None:
    source = lc.LocaleFile("en.json", {("items_one",): _entry("x"), ("items_other",): _entry("x")})
    target = lc.LocaleFile("vi.json")
    assert not lc._required(("items_one",), source, "vi", target)
    assert lc._required(("items_other",), source, "vi", target)
    assert lc._required(("items_one",), source, "hu", target)
    assert lc._valid_plural_variant(("items_few",), source, "pl")


def _entry(value: str) -> lc.Entry:
    return lc.Entry(value, 0, 1, 0, 1)


def test_locale_globs_with_region_codes() -> None:
    globs = ("**/locales/{lang}/**/*.json", "**/{lang}.yml")
    found = lc.match_locale_path("apps/web/public/locales/vi_VN/checkout/errors.json", globs)
    assert found is not None and found.code == "vi_VN" and found.language == "vi"
    assert found.with_code("en") == "apps/web/public/locales/en/checkout/errors.json"
    rails = lc.match_locale_path("config/locales/hu.yml", globs)
    assert rails is not None and rails.language == "hu"
    assert lc.match_locale_path("src/components/Button.json", globs) is None


def test_multi_locale_files_and_non_locale_json(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/messages.json": {"en": {"a": "Sign in", "b": "Sign out"}, "vi": {"a": "Đăng nhập"}},
            "src/languages.json": {"en": "English", "hu": "Magyar"},
            "src/app.json": {"name": "shop", "version": 2},
        },
    )
    assert kinds(detect_in(tmp_path, "src/messages.json")) == [(6, "missing")]
    assert detect_in(tmp_path, "src/languages.json") == []
    assert detect_in(tmp_path, "src/app.json") == []


def test_broken_files_do_not_crash(tmp_path: Path) -> None:
    write(tmp_path, {"locales/en/a.json": '{"a": "Save", "b": "Cancel"}', "locales/hu/a.json": '{"a": "Mentés", "b": '})
    write(tmp_path, {"locales/en/b.yml": "a: [unclosed\n", "locales/hu/b.yml": "a: Mentés\n"})
    assert kinds(detect_in(tmp_path, "locales/hu/a.json")) == [(1, "missing")]
    assert detect_in(tmp_path, "locales/hu/b.yml") is not None


def untranslated_keys(root: Path, path: str) -> list[str]:
    return [c.data["key"] for c in detect_in(root, path) if c.data["kind"] == "untranslated"]


def test_identical_values_are_judged_with_the_english_lexicon(tmp_path: Path) -> None:
    english = {
        "edge": "Raised",  # common English words outside the built-in UI list
        "font": "Small Caps",
        "NF": "Norfolk Island",  # a name whose head noun is English
        "HM": "Heard Island and McDonald Islands",
        "BL": "Saint Barthélemy",  # a name led by its only English word: kept
        "CV": "Cape Verde",
        "style": "Proportional Sans-Serif",  # read as such a name too (a known miss)
        "city": "Budapest",  # not English
        "count": "{{count}}",
        "mail": "Email",  # an international word
        "copyright": "© {{year}} Acme Shop",  # a copyright line names its holder
        "rights": "© {{year}} Acme Shop. All rights reserved.",
    }
    vietnamese = dict(english)
    write(tmp_path, {"locales/en/a.json": english, "locales/vi/a.json": vietnamese})
    assert untranslated_keys(tmp_path, "locales/vi/a.json") == ["edge", "font", "NF", "HM", "rights"]


def test_words_the_translation_uses_in_its_own_text_are_not_english(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "locales/en/a.json": {"run": "Program", "start": "Start the program", "key": "API Key", "tip": "Created"},
            "locales/hu/a.json": {"run": "Program", "start": "A program indítása", "key": "API Key", "tip": "Kész"},
            "locales/vi/a.json": {
                "run": "Program",
                "start": "Chạy chương trình",
                "key": "API Key",
                "tip": "Chính sách {{key}} đã được tạo",
            },
        },
    )
    # "program" is in a translated Hungarian value: a Hungarian word. A word seen only in a
    # placeholder ({{key}}) or in ASCII-only text does not count.
    assert untranslated_keys(tmp_path, "locales/hu/a.json") == ["key"]
    assert untranslated_keys(tmp_path, "locales/vi/a.json") == ["run", "key"]


def test_english_text_in_a_translation_is_judged_with_the_lexicon(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "locale/en.json": {"MK": "North Macedonia"},
            "locale/vi.json": {"MK": "Macedonia, The Former Yugoslav Republic Of"},
        },
    )
    assert kinds(detect_in(tmp_path, "locale/vi.json")) == [(2, "wrong-language")]


def test_the_lexicon_is_loaded_only_when_an_identical_value_is_judged() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from tinyarms_lint.detectors import locale_consistency;"
        "from tinyarms_lint import english_words as e; print(e.lexicon.cache_info().currsize);"
        "print(e.is_common('Islands'), e.is_common('Sans-Serif'), e.is_common('Budapest'), len(e.lexicon()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:4] == ["0", "True", "False", "False"]
    assert 30_000 < int(out[4]) < 50_000
