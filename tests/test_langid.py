"""Language identification: the cheap English check, lingua among the candidates, the fallback."""

from __future__ import annotations

import unicodedata

import pytest

from tinyarms_lint import langid

ENGLISH = [
    "Return the cached value if it exists",
    "Parse args, validate config and start the server",
    "Fail open; the alerting on Redis health will page someone.",
    "Keyset pagination: OFFSET gets slower with every page on large tables.",
    "go to the next page when the user scrolls to the bottom",
    "Thanks to Kovács Péter for the original formula",
]
HUNGARIAN = [
    "A felhasználó adatait tölti be a szerverről",
    "Forintban nincs fillér, ezért egész számra kerekítünk.",
    "Ha a termék már a kosárban van, csak a mennyiségét növeljük.",
]
VIETNAMESE = [
    "Lấy danh sách người dùng từ máy chủ",
    "Nếu không có dữ liệu thì trả về mảng rỗng",
    "Số ngày giữ đơn hàng chưa thanh toán trước khi tự động hủy.",
]


@pytest.mark.parametrize("text", ENGLISH)
def test_plain_english_never_builds_lingua(text: str) -> None:
    identifier = langid.LanguageIdentifier(("en", "hu", "vi"))
    guess = identifier.identify(langid.prose(text))
    assert guess is not None and guess.language == "en"
    assert guess.method == "english-check"
    assert not identifier.lingua_loaded


@pytest.mark.parametrize(("text", "language"), [*((t, "hu") for t in HUNGARIAN), *((t, "vi") for t in VIETNAMESE)])
def test_hungarian_and_vietnamese_are_identified_with_confidence(text: str, language: str) -> None:
    guess = langid.identifier(("en", "hu", "vi")).identify(langid.prose(text))
    assert guess is not None
    assert guess.language == language
    assert guess.confidence >= 0.9


def test_letters_unique_to_a_language_make_a_guess_decisive() -> None:
    identifier = langid.identifier(("en", "hu", "vi"))
    vietnamese = identifier.identify("Lưu thay đổi")
    hungarian = identifier.identify("Először a legfrissebb")
    shared_only = identifier.identify("Mentés és bezárás")
    assert vietnamese is not None and vietnamese.decisive and vietnamese.language == "vi"
    assert hungarian is not None and hungarian.decisive and hungarian.language == "hu"
    assert shared_only is not None and shared_only.language == "hu" and not shared_only.decisive


def test_ascii_vietnamese_and_hungarian_fail_the_english_check() -> None:
    vietnamese = langid.words("Ham nay tra ve ten nguoi dung dang dang nhap")
    hungarian = langid.words("Ellenorizzuk hogy a felhasznalo be van jelentkezve")
    assert langid.vietnamese_shaped(vietnamese)
    assert not langid.plainly_english(vietnamese)
    assert langid.hungarian_hints(hungarian) >= 1
    assert not langid.plainly_english(hungarian)
    guess = langid.identifier(("en", "hu", "vi")).identify(" ".join(vietnamese))
    assert guess is not None and guess.language == "vi" and guess.confidence >= 0.9


def test_english_check_needs_english_words_when_other_languages_are_configured() -> None:
    german = langid.words("Gibt den Wert zurueck wenn er existiert")
    assert langid.plainly_english(german)  # no Hungarian or Vietnamese sign: English by default
    assert not langid.plainly_english(german, ("en", "hu", "vi", "de"))
    assert langid.plainly_english(langid.words("Return the value when it exists"), ("en", "de"))


def test_identification_is_restricted_to_the_candidates() -> None:
    text = "Lấy danh sách người dùng từ máy chủ"
    guess = langid.LanguageIdentifier(("en", "hu")).identify(text)
    assert guess is None or guess.language in ("en", "hu")
    german = langid.LanguageIdentifier(("en", "de")).identify("Gibt den Wert zurück, wenn er im Speicher liegt")
    assert german is not None and german.language == "de"


def test_prose_drops_code_urls_directives_and_names() -> None:
    text = "TODO(kovacs): see https://example.com/a/b and `getUser()` in src/api/users.ts, thanks Szabó Éva"
    cleaned = langid.prose(text)
    assert "https" not in cleaned and "getUser" not in cleaned and "users.ts" not in cleaned
    assert "TODO" not in cleaned and "Szabó" not in cleaned and "Éva" not in cleaned
    assert langid.words(cleaned) == ["see", "and", "in", "thanks"]
    # a sentence may start with an accented capital: it stays
    assert langid.words(langid.prose("Először töltsük be az adatokat.")) == [
        "Először",
        "töltsük",
        "be",
        "az",
        "adatokat",
    ]


def test_decomposed_vietnamese_is_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Hủy đơn hàng đã quá hạn")
    assert langid.letter_evidence(decomposed)["vi"] >= 3
    guess = langid.identifier(("en", "hu", "vi")).identify(decomposed)
    assert guess is not None and guess.language == "vi" and guess.decisive


def test_fallback_without_lingua_recognises_hungarian_and_vietnamese() -> None:
    identifier = langid.LanguageIdentifier(("en", "hu", "vi"), use_lingua=False)
    for text in HUNGARIAN:
        guess = identifier.identify(text)
        assert guess is not None and guess.language == "hu" and guess.method == "heuristic", text
    for text in VIETNAMESE:
        guess = identifier.identify(text)
        assert guess is not None and guess.language == "vi", text
    ascii_vi = identifier.identify("Ham nay tra ve ten nguoi dung dang dang nhap")
    assert ascii_vi is not None and ascii_vi.language == "vi"
    english = identifier.identify("Return the cached value if it exists")
    assert english is not None and english.language == "en"
    assert not identifier.lingua_loaded


def test_english_words_include_inflections() -> None:
    assert langid.is_english_word("Saved") and langid.is_english_word("queries") and langid.is_english_word("loading")
    assert not langid.is_english_word("Mentés") and not langid.is_english_word("Acme")
    assert langid.english_ratio(["the", "kosár", "is", "üres"]) == 0.5


@pytest.mark.parametrize(
    "text",
    [
        "Convert đồng amounts to integer cents",
        "Keep the ő and ű characters when slugifying",
        "The Vietnamese label is Lưu thay đổi",
    ],
)
def test_one_foreign_word_in_english_never_makes_a_confident_foreign_guess(text: str) -> None:
    guess = langid.identifier(("en", "hu", "vi")).identify(langid.prose(text))
    assert guess is not None
    assert guess.language == "en" or guess.confidence <= 0.6


def test_word_level_support_for_hungarian_and_vietnamese() -> None:
    assert langid.supports("vi", langid.words("Tính tổng tiền đơn hàng"))
    assert not langid.supports("vi", langid.words("Convert đồng amounts to integer cents"))
    assert langid.supports("hu", langid.words("A keresett oldal nem létezik"))
    assert langid.supports("hu", langid.words("Atvaltjuk az osszeget pontokra"))
    assert not langid.supports("hu", langid.words("Keep the ő and ű characters when slugifying"))
    assert langid.supports("de", ["irgendwas"])  # languages without word checks are not second-guessed


def test_foreign_script_needs_most_letters_in_a_script_no_candidate_uses() -> None:
    assert langid.foreign_script("只有菜单模式才支持弹出方向", ("en", "hu", "vi")) == "zh"
    assert langid.foreign_script("メニューを閉じる", ("en",)) == "ja"
    assert langid.foreign_script("Возвращает сумму значений", ("en", "hu")) == "ru"
    assert langid.foreign_script("Возвращает сумму значений", ("ru", "en")) is None
    assert langid.foreign_script("Angle θ = π / 4, such as 中文 or Ελληνικά", ("en",)) is None
    assert langid.foreign_script("Plain English text", ("en",)) is None
    assert langid.foreign_script("Tổng hợp đơn hàng", ("en", "vi")) is None


def test_vietnamese_letters_in_two_of_four_words_outweigh_english_words_of_code() -> None:
    ident = langid.LanguageIdentifier(("en", "hu", "vi"))
    guess = ident.identify("tạo surface của start")
    assert guess is not None and (guess.language, guess.confidence) == ("vi", 0.95)
    assert langid.vietnamese_lettered(langid.words("tạo surface của start"))
    # one Vietnamese term quoted in an English sentence stays English
    quoted = "Optional negotiated discount (giảm giá), in VNĐ, subtracted from the grand total."
    assert not langid.vietnamese_lettered(langid.words(quoted))
