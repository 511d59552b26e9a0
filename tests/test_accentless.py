"""Hungarian and Vietnamese typed without accents, against English look-alikes."""

from __future__ import annotations

import pytest

from tinyarms_lint import accentless, langid


def tokens(text: str) -> list[str]:
    return langid.words(text)


@pytest.mark.parametrize(
    "text",
    [
        "lay danh sach don hang cua nguoi dung",
        "Kiem tra xem doc gia co lam mat sach khong",
        "Cap nhat ket qua giao dich",
        "Lấy danh sách người dùng",  # with diacritics too
    ],
)
def test_vietnamese_with_and_without_diacritics(text: str) -> None:
    assert accentless.vietnamese(tokens(text), langid.is_english_word)


@pytest.mark.parametrize(
    "text",
    [
        "Set the map to the top of it",  # short English words shaped like Vietnamese syllables
        "Lay out the day in a grid",
        "Cap the value at ten",
        "do not hang on close",
    ],
)
def test_english_is_not_vietnamese(text: str) -> None:
    assert not accentless.vietnamese(tokens(text), langid.is_english_word)


def test_vietnamese_syllables() -> None:
    assert all(accentless.vietnamese_syllable(w) for w in ("nguoi", "khong", "truong", "quyen", "nghieng"))
    assert not any(accentless.vietnamese_syllable(w) for w in ("card", "value", "string", "game", "key"))


def test_hungarian_words_and_english_spelling() -> None:
    hungarian = tokens("Visszaadja a felhasznalo aktiv rendeleseit")
    assert accentless.hungarian_words(hungarian, langid.is_english_word) >= 2
    assert accentless.english_share(hungarian, langid.is_english_word) < 0.5
    english = tokens("squeak chunk delimiter")
    assert accentless.english_share(english, langid.is_english_word) >= 0.5
    assert accentless.hungarian_words(tokens("Return the value when it exists"), langid.is_english_word) == 0
