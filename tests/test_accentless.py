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


def test_compounds_count_even_when_a_half_is_english() -> None:
    assert accentless.vietnamese(tokens("bo qua upload"), langid.is_english_word)
    assert accentless.vietnamese(tokens("xu ly upload file"), langid.is_english_word)  # half the words English
    assert not accentless.vietnamese(tokens("a van ban on trucks"), langid.is_english_word)  # every word English
    assert not accentless.vietnamese(tokens("the van was parked by the ban"), langid.is_english_word)


def test_hungarian_needs_more_hungarian_than_english_words() -> None:
    assert accentless.hungarian(tokens("beallitja a jelenlegi koordinatat"), langid.is_english_word)
    assert not accentless.hungarian(tokens("Return the value when it exists"), langid.is_english_word)
    assert not accentless.hungarian(tokens("Beallitja the current value for the user"), langid.is_english_word)


def test_name_spans_are_runs_of_names_and_cities() -> None:
    text = "Authors: Laszlo Bokor and Nguyen Van An, Budapest. Nguyen lieu cua mon"
    names = [text[a:b] for a, b in accentless.name_spans(text)]
    assert names == ["Laszlo Bokor", "Nguyen Van An", "Budapest"]


def test_hungarian_endings_are_not_english_ones() -> None:
    assert accentless.hungarian_words(tokens("tavolsagot koordinatat beallitja lathatova"), langid.is_english_word) == 4
    assert accentless.hungarian_words(tokens("passage dosage massage supernova"), langid.is_english_word) == 0


def test_sz_after_a_vowel_plurals_meg_and_ata_count_as_hungarian() -> None:
    hungarian = tokens("hasznalata osztaly konyvtarak getterek valtozok megfelelo")
    assert accentless.hungarian_words(hungarian, langid.is_english_word) == 6
    # English words that look alike: sz after a consonant (GDAL's papszlist), -ok/-ek after a vowel,
    # mega-, -ata after d
    english = tokens("papszlist webhook facebook cheek megabyte metadata")
    assert accentless.hungarian_words(english, langid.is_english_word) == 0
