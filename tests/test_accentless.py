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


def test_the_lexicon_knows_hungarian_stems_with_endings_and_no_english_words() -> None:
    stems, syllables, _ = accentless.lexicon()
    assert {"gyoker", "kepernyo", "tabla", "jatek"} <= stems
    assert not {"file", "program", "sort", "class", "data"} & stems  # English words removed
    assert all(accentless.hungarian_known(w) for w in ("gyokeret", "kepernyore", "tablan", "jatekosok"))
    assert not any(accentless.hungarian_known(w) for w in ("value", "string", "modules", "token"))
    assert {"thua", "nguoi"} <= syllables and not {"the", "can", "day"} & syllables


def test_lexicon_words_make_short_accentless_comments_hungarian_or_vietnamese() -> None:
    assert accentless.hungarian(tokens("a jatek vege"), langid.is_english_word)
    assert accentless.vietnamese(tokens("ke thua lop cha"), langid.is_english_word)
    # capitalised syllables after the first word are a name, not Vietnamese prose
    assert not accentless.vietnamese(tokens("Ho Chi Minh City office"), langid.is_english_word)
    assert not accentless.hungarian(tokens("Standard Library Modules for PIM Modula-2"), langid.is_english_word)


def test_english_comments_never_load_the_lexicon() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tinyarms_lint import langid\n"
        "ident = langid.LanguageIdentifier(('en', 'hu', 'vi'), use_lingua=False)\n"
        "for text in ('Return the value when it exists', 'Sort the rows by their first column'):\n"
        "    ident.identify(text)\n"
        "print('tinyarms_lint.accentless_lexicon' in sys.modules)\n"
        "ident.identify('a jatek vege')\n"
        "print('tinyarms_lint.accentless_lexicon' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_assimilated_verb_endings_and_vietnamese_in_capitals_or_among_symbols() -> None:
    # -juk and -ja after s and z: keres-suk, olvas-sa, rendez-ze
    assert all(accentless.hungarian_known(w) for w in ("keressuk", "olvassa", "rendezze"))
    assert not any(accentless.hungarian_known(w) for w in ("purpose", "license", "sense", "close"))
    # all capitals are not names (Title Case words after the first are)
    assert accentless.vietnamese(tokens("KE THUA LOP CHA"), langid.is_english_word)
    assert not accentless.vietnamese(tokens("Ke Thua Lop Cha"), langid.is_english_word)
    # one-letter symbols of code do not dilute the Vietnamese words, nor make English Vietnamese
    assert accentless.vietnamese(tokens("Case: them vao cuoi (i = n, j = 0), O(n)."), langid.is_english_word)
    assert not accentless.vietnamese(tokens("Set x to y and z to w in a loop"), langid.is_english_word)


def test_words_of_code_are_left_out_of_the_vietnamese_syllable_share() -> None:
    # half the words are English words of code (node, linked list): the Vietnamese ones decide
    assert accentless.vietnamese(tokens("Them Node vao dau linked list"), langid.is_english_word)
    assert accentless.vietnamese(tokens("Xoa node cuoi cung trong linked list"), langid.is_english_word)
    # not when an English function word makes it a sentence, nor for names (Title Case after the first word)
    assert not accentless.vietnamese(tokens("Them Node vao dau linked list of items"), langid.is_english_word)
    assert not accentless.vietnamese(tokens("Rename the xoa and sua handlers in node list"), langid.is_english_word)
    assert not accentless.vietnamese(tokens("move Cua Cac node list"), langid.is_english_word)
