"""Hungarian and Vietnamese typed without diacritics, told from English by their words' shape.

People often skip accents in code comments ("lay danh sach don hang cua nguoi dung",
"Visszaadja a felhasznalo aktiv rendeleseit"). Trigram models trained on accented text are
unsure on such text, so :mod:`tinyarms_lint.langid` asks these checks too:

- Vietnamese: every syllable is an onset plus one of a closed set of rhymes, and everyday words
  (lay, danh, sach, cua, nguoi, khong ...) that are not also English words carry the decision.
- Vietnamese: two-syllable compounds (xu ly, kiem tra, bo qua, lich su ...) count as everyday
  words even when one half is also an English word (van ban, tim thay).
- Vietnamese about code (Them Node vao dau linked list): English words of code are names of
  things, not English prose, and are left out of the syllable share.
- Hungarian: function words (az, hogy, nincs ...), everyday verbs of comments (beallitja,
  lekerdezi ...) and word shapes English rarely has: sz after a vowel, the digraphs zs, gy, ny before a
  vowel, the prefix meg-, plurals after a consonant (konyvtarak, getterek), and case or verb
  endings (-nak, -bol, -juk, -asa, -ata, -sagot, -itja ...).
- Both: a lexicon of Hungarian stems (from a Hunspell dictionary, endings stripped before the
  look-up) and Vietnamese syllables, English words removed, loaded only when a comment that is
  not mostly English words needs it.
- People's and places' names (Nguyen Van An, Laszlo Bokor, Budapest) are not prose: see
  :func:`name_spans`.

Everything here is plain set lookups and anchored regexes over single words: linear time.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_VI_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
# Rhymes of Vietnamese written without tone marks or vowel diacritics (ă â ê ô ơ ư fold into a e o u).
_VI_RHYMES = _words(
    """
    a ai ao au ay ac ach am an ang anh ap at
    e eo ec ech em en eng enh ep et eu
    i ia iu ic ich im in inh ip it iec iem ien ieng iep iet ieu
    o oa oai oay oac oach oam oan oang oanh oap oat oe oen oet oi oc om on ong op ot oong ooc
    u ua uan uang uat uay uc ue uech uenh uen uet ui um un ung up ut uy uya uyen uyet uynh uych uyt uyu uu
    uo uoc uoi uom uon uong uop uot uou
    y yen yet yeu
    """
)
_VI_SPLIT = re.compile(rf"^({_VI_ONSET})([aeiouy][a-z]{{0,4}})$")

# Everyday Vietnamese words of code comments, without diacritics, that are not English words.
VIETNAMESE_WORDS = _words(
    """
    lay danh sach cua cac nhung trong ngoai khi neu thi va voi cho de da dang se duoc bi khong chua roi
    mot hai ba bon sau tu den ra vao len xuong lai moi cu tao xoa sua them cap nhat kiem tra ve gia tri
    ham bien hien nguoi dung don hang san pham tien thanh toan tinh tong dem doc ghi luu tim chon mua
    gio trang thai loi thong bao ket qua noi nay kia day dau cuoi dong cot chu muc vi du phan nhap xuat
    khoan khau ky cong bai khach nhan vien quan ly he lieu co thu duong dan chuoi mang doi tuong lop
    phuong thuoc goi gui yeu cau hoi xem hay hoac vi nen nao sao nhieu tat ca tung rieng chung chi cung
    van con nua xong truoc giua tren duoi ben canh can phai nhu gi ai lam viec ngay phut giay thang nam
    tuan hom mai khoi trinh chuong tiep theo hoan thanh cho nay ton tai nguoc thay xu hop dia dien thoai
    so luong hieu ung dinh nghia khai bao tham truyen vao duyet qua giao dien nut bam chuyen sang hinh
    anh tieu de noi dung mo ta quyen chinh xac sai dung roi het han moi nhat cu hon it nhat bang nhau
    khac lon nho hon tang giam kieu so nguyen thuc ngau nhien vong lap dieu kien ket thuc bat dau
    nhom hoc thieu uoc lich su ko dc bo qua kiem chung uu tien ky tu cham gach nut thao tac
    """
) - (
    _ENGLISH_LOOKALIKES := _words(
        "the so to do in an a i it can ban hang con tin den sang long me he be bin mat day lay cap lap van hop bat ton"
        " vi ai tim hay bang"
    )
)

# Two-syllable Vietnamese compounds of code comments, without diacritics. Both syllables count as
# Vietnamese words together, even where one alone is also an English word (van ban, tim thay).
VIETNAMESE_COMPOUNDS = frozenset(
    tuple(pair.split("_"))
    for pair in _words(
        """
    kiem_tra xu_ly bo_qua lich_su van_ban tim_thay danh_sach thong_tin du_lieu nguoi_dung tra_ve
    gia_tri ket_qua thanh_cong that_bai dang_nhap dang_ky mat_khau tai_khoan cap_nhat kiem_chung
    uu_tien ky_tu hien_thi san_pham don_hang gio_hang thong_bao trang_thai so_luong dia_chi noi_dung
    mo_ta tieu_de hinh_anh duong_dan tham_so khoi_tao dinh_nghia khai_bao phan_tu vong_lap dieu_kien
    doi_tuong phuong_thuc thuoc_tinh so_nguyen xoa_bo them_moi tao_moi luu_tru tai_len tai_xuong
    nhan_vien khach_hang bao_cao tim_kiem sap_xep chuyen_doi xac_thuc phan_quyen quan_ly nguoc_lai
    mac_dinh tuy_chon bat_dau ket_thuc tiep_theo truoc_do hoan_thanh van_de cau_hinh ket_noi co_so
    bo_nho tin_nhan cap_phat hop_le dinh_dang phan_trang chuc_nang giao_dien ban_dau lay_ra in_ra
    """
    )
)

# Hungarian function and everyday words (and verbs common in comments), without accents, that are
# not English words.
HUNGARIAN_WORDS = _words(
    """
    az es hogy nem egy ha meg van nincs mar akkor ami amely amelyik amig lesz volt lehet szerint utan
    elott kozott nelkul minden ahol ahogy pedig viszont tehat mivel ezert illetve vissza adja ertek
    erteket ertekek hiba fuggveny felhasznalo adatok adat beallitas ellenorzi letrehoz torli ugyanis
    mindig soha valami semmi akar kulon eseten esetben alapjan helyett miatt egyebkent ez ezt azt mert
    majd igy itt ott csak kell vagy ki be le fel ra ezen azon ennek annak egyik masik uj regi osszes
    elem elemet lista listat tomb tombbe szam szamot szoveg gomb oldal adott sor sort oszlop tabla
    beallit beallitja lekerdez lekerdezi lekerdezes letrehozza hozzaad hozzaadja meghivja vegigmegy
    megy eltarolja kiszamolja kiszamitja visszater mindket mindketto jelenlegi tombon tombot kep kepet
    meret meretet szulo valtozo valtozot kapcsolat uzenet adatbazis letezik kereses torles hozza
    """
)

_HU_SHAPE = re.compile(
    r"(?:sz|zs|cs|gy|ny|ty|ly)[aeiou]|[aeiou]sz|^meg(?!a)[a-z]{3}"  # sz after a vowel (hasznalata); the prefix meg- (not mega)
    r"|(?:nak|nek|bol|bol|rol|tol|hoz|hez|hoz|ban|ben|val|vel|bol|juk|jat|jet|unk|tok|tek|asa|ese|asat|eset"
    r"|ast|est|ott|ett|itt|kent|ni|ja|je|li|ti"  # -li -ti: verbs (torli, feltolti)
    r"|(?:bb|cc|dd|ff|gg|kk|ll|mm|nn|pp|rr|ss|tt|vv|zz)[ae]l|[a-z]{5}as"  # -kkel -ssal (with); -as: szamitas
    r"|(?:sag|seg)(?:ot|et|at|ok|ek|ban|ben)?|itja|[aeiou]t[aeo]t|[^n]ova"  # -sagot (not -sage), -itja, -atat, -va (not nova)
    r"|[^aeiou](?:ak|ok|ek)|(?<!d)ata)$"  # plurals after a consonant (konyvtarak, getterek; not book, week); -ata (not data)
)


# Hungarian endings typed without accents, longest first, stripped before a lexicon look-up (at most
# two: sor-ai-n, hely-re): case endings, possessives and plurals, and verb endings of comments (with
# -juk and -ja assimilated after s and z: rendez-zuk, olvas-sa, rendez-ze).
_HU_ENDINGS = tuple(
    sorted(
        _words(
            """
            ra re ba be ban ben bol rol tol hoz hez nak nek nal nel val vel ert ig kent kor on en an nal
            ai ei ait eit ain ein aik eik ja je jat jet juk uk unk ink ank enk jaik ak ok ek at et ot k t n a e i
            ja je ni tok tek hat het tuk tuk ott ett tt ta te asa ese asat eset as es
            zuk suk za ze sa se
            """
        ),
        key=len,
        reverse=True,
    )
)


@functools.cache
def lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Hungarian stems and Vietnamese syllables typed without accents, English words removed, and
    English words a stem with an ending would match (:mod:`tinyarms_lint.accentless_lexicon`,
    57,000 words): loaded on first use only."""
    from . import accentless_lexicon

    return (
        frozenset(accentless_lexicon.HUNGARIAN.split()),
        frozenset(accentless_lexicon.VIETNAMESE.split()),
        frozenset(accentless_lexicon.ENGLISH.split()),
    )


def hungarian_known(word: str) -> bool:
    """True when ``word`` (folded, four letters or more) is a Hungarian stem of the lexicon, as it
    is or after one or two endings (gyokeret, kepernyore): stems of three letters only with an
    ending. Not English words of code comments that look so (modules, token), nor their -s, -es,
    -ed forms."""
    if len(word) < 4:
        return False
    stems, _, english = lexicon()
    if word in english or any(word.endswith(e) and word[: -len(e)] in english for e in ("s", "es", "ed", "d")):
        return False
    if word in stems:
        return True
    for ending in _HU_ENDINGS:
        if not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        if len(stem) >= 3 and stem in stems:
            return True
        for second in _HU_ENDINGS:
            inner = stem[: -len(second)]
            if stem.endswith(second) and len(inner) >= 3 and inner in stems:
                return True
    return False


def fold(word: str) -> str:
    """``word`` in lower case without diacritics (đ as d), as people type it without accents."""
    if word.isascii():  # most words of code comments: nothing to take off (a --all run folds ~650k)
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


def vietnamese_syllable(word: str) -> bool:
    """True when ``word`` (folded) is one Vietnamese syllable: an onset and a known rhyme."""
    match = _VI_SPLIT.match(word)
    return match is not None and match.group(2) in _VI_RHYMES


def vietnamese(tokens: Sequence[str], is_english: Callable[[str], bool] = lambda word: False) -> bool:
    """True when ``tokens`` read as Vietnamese with or without diacritics: three words or more, at
    least two everyday Vietnamese words making up 30% of them, and 60% Vietnamese syllables; or,
    with a two-syllable compound among them (xu ly, kiem tra), 50% Vietnamese syllables. When an
    everyday word is there, other syllables of the lexicon (:func:`lexicon`) that are not English
    (nor capitalised after the first word: names; all capitals are not names) count as Vietnamese
    words too. One-letter words (symbols: k = n-1) are left out when three longer words remain.
    In a comment about code (two different everyday Vietnamese words that are no English words,
    no English function word: :func:`_about_code`), words of code that are no Vietnamese syllables
    (node, linked list, camelCase identifiers) are left out of the syllable share.

    ``is_english`` tells words to count as English even if they are Vietnamese syllables too; the
    halves of a compound count as Vietnamese whatever ``is_english`` says, as long as one word of
    the text is Vietnamese and not English.
    """
    # one-letter words of code comments are symbols (k = n-1), not words of either language
    if len([t for t in tokens if len(t) > 1]) >= 3:
        tokens = [t for t in tokens if len(t) > 1]
    if len(tokens) < 3:
        return False
    folded = [fold(t) for t in tokens]
    in_compound = [False] * len(folded)
    for index in range(len(folded) - 1):
        if (folded[index], folded[index + 1]) in VIETNAMESE_COMPOUNDS:
            in_compound[index] = in_compound[index + 1] = True
    english = [t.isascii() and is_english(t) for t in tokens]
    lexical = sum(
        1 for w, paired, en in zip(folded, in_compound, english) if paired or (w in VIETNAMESE_WORDS and not en)
    )
    # at least one word that is no English word (a van ban on trucks)
    unmistakable = any(
        (paired or w in VIETNAMESE_WORDS) and not en and w not in _ENGLISH_LOOKALIKES
        for w, paired, en in zip(folded, in_compound, english)
    )
    if unmistakable and lexical < max(2, 0.3 * len(folded)):
        # other syllables of the lexicon that are no English words count too (ke thua, lam tron),
        # unless capitalised after the first word: a name (Ho Chi Minh City; not PHAN TICH in capitals)
        syllables_known = lexicon()[1]
        lexical += sum(
            1
            for index, (w, token, paired, en) in enumerate(zip(folded, tokens, in_compound, english))
            if not paired
            and not en
            and w not in VIETNAMESE_WORDS
            and w in syllables_known
            and (index == 0 or not token.istitle())
        )
    syllables = sum(1 for w in folded if vietnamese_syllable(w))
    share = 0.5 if any(in_compound) else 0.6
    counted = len(folded)
    if _about_code(tokens, folded, in_compound, english):
        # words of code (node, linked list, camelCase) that are no Vietnamese syllables stand for
        # identifiers: the share is taken over the other words (Them Node vao dau linked list)
        counted -= sum(
            1
            for w, t, en in zip(folded, tokens, english)
            if not vietnamese_syllable(w) and (en or w in _CODE_WORDS or _CAMEL_CASE.search(t))
        )
    return (
        unmistakable
        and lexical >= 2
        and lexical >= 0.3 * len(folded)
        and counted >= 2
        and syllables >= share * counted
    )


# English words of code that Vietnamese comments name things by and langid's English list lacks.
_CODE_WORDS = _words(
    """
    node nodes list array struct pointer head tail stack queue tree root key value file string int char
    float double bool null index id ptr ds arr str num obj tmp temp var func param params arg args
    """
)
_CAMEL_CASE = re.compile(r"[a-z][A-Z]")
# English function words: where one stands, the comment is an English sentence, not Vietnamese
# about code (not "in", Vietnamese "print"; "to", "the" and the like are no Vietnamese words anyway).
_ENGLISH_FUNCTION_WORDS = _words(
    "the of and to is are was be for with this that these those from by at it its into or not if then than an as"
)


def _about_code(
    tokens: Sequence[str], folded: Sequence[str], in_compound: Sequence[bool], english: Sequence[bool]
) -> bool:
    """True when ``tokens`` read as Vietnamese about code: two different everyday Vietnamese words
    (or a compound) that are no English words, not capitalised after the first word (names), and
    no English function word (an English sentence quoting two Vietnamese words is English)."""
    if any(w in _ENGLISH_FUNCTION_WORDS for w in folded):
        return False
    everyday = {
        w
        for index, (w, t, paired, en) in enumerate(zip(folded, tokens, in_compound, english))
        if (paired or (w in VIETNAMESE_WORDS and not en and w not in _ENGLISH_LOOKALIKES))
        and (index == 0 or not t.istitle())
    }
    return len(everyday) >= 2


def hungarian_words(
    tokens: Iterable[str], is_english: Callable[[str], bool] = lambda word: False, known: bool = False
) -> int:
    """How many of ``tokens`` look Hungarian when typed without accents: a Hungarian function or
    everyday word, or a word of five letters or more that is not English and has a Hungarian
    digraph before a vowel or a Hungarian ending; with ``known``, also a word of the lexicon
    (:func:`hungarian_known`) that is not English."""
    count = 0
    for token in tokens:
        word = fold(token)
        if token.isascii() and is_english(token):
            continue
        if (
            word in HUNGARIAN_WORDS
            or (len(word) >= 5 and _HU_SHAPE.search(word))
            or (known and not english_shaped(word) and hungarian_known(word))
        ):
            count += 1
    return count


def hungarian(tokens: Sequence[str], is_english: Callable[[str], bool] = lambda word: False) -> bool:
    """True when ``tokens`` read as Hungarian typed without accents: three ASCII words or more, at
    least two different Hungarian-looking words (:func:`hungarian_words`, with the lexicon when
    fewer than half the words are English) making up 40% of them, and no fewer than the English
    ones (:func:`english_words`)."""
    if len(tokens) < 3 or not all(t.isascii() for t in tokens):
        return False
    # the lexicon only for comments that are not mostly English words (an English comment never loads it)
    known = english_share(tokens, is_english) < 0.5
    count = hungarian_words(tokens, is_english, known)
    distinct = hungarian_words({fold(t) for t in tokens}, is_english, known)  # not "Ha ha ha ha"
    return distinct >= 2 and count >= 0.4 * len(tokens) and count >= english_words(tokens, is_english)


# Spellings common in English and absent from Hungarian and Vietnamese words typed without accents.
_ENGLISH_SHAPE = re.compile(r"[wq]|th|ch|ck|ph|sh|(?<!^b)(?<!^l)ea|ou|oo|ee|ght|tion|ing$|[^lgnt]y$|^x|x$")


def english_shaped(word: str) -> bool:
    """True when ``word`` is spelled like English and unlike Hungarian (Vietnamese has ch and th):
    w, q, th, ch, ck, sh, ea, ou, -ing, -tion, a final y after a consonant other than l g n t.
    (Not ea after a first b or l: the Hungarian prefixes be- and le- before a, as in beallitja.)"""
    return bool(_ENGLISH_SHAPE.search(word.lower()))


def english_words(tokens: Sequence[str], is_english: Callable[[str], bool]) -> int:
    """How many of ``tokens`` longer than one letter are English words or spelled like English."""
    return sum(1 for t in tokens if len(t) > 1 and (is_english(t) or english_shaped(t)))


def english_share(tokens: Sequence[str], is_english: Callable[[str], bool]) -> float:
    """Share of ``tokens`` that are English words or spelled like English (0.0 for no tokens).

    One-letter words (a, i) are left out: "a" is the Hungarian article as well."""
    longer = [t for t in tokens if len(t) > 1]
    if not longer:
        return 0.0
    return english_words(longer, is_english) / len(longer)


# Names that are not prose in any language: Vietnamese family names that start a run of capitalised
# words (Nguyen Van An), Hungarian given names inside one (Laszlo Bokor, Kovacs Peter), and cities.
# Family names that are also everyday words at the start of a title (Dang Nhap, Phan Trang, Dinh
# Nghia, Truong Hop, Lam Moi) are left out.
_VI_FAMILY_NAMES = _words("nguyen tran le pham hoang huynh vu vo bui ngo duong trinh vuong")
_HU_GIVEN_NAMES = _words(
    """
    laszlo tamas levente istvan janos zoltan gabor attila balazs bence akos zsolt andras ferenc sandor
    jozsef gyorgy imre tibor csaba krisztian mate adam daniel david norbert peter gergely miklos lajos
    katalin eva zsuzsanna erzsebet anna maria judit agnes eszter reka dora nora ildiko krisztina
    """
)
_PLACES = _words("budapest debrecen szeged pecs gyor miskolc hanoi saigon haiphong danang")
_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:[ \t-][A-Z][a-z]+)*")


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a person or a city: a run of capitalised ASCII words starting with a
    Vietnamese family name or holding a Hungarian given name (two words at least), or a city name.
    Linear time: the run pattern has one way to match each character."""
    spans = []
    for match in _CAPITALISED_RUN.finditer(text):
        names = [w.lower() for w in re.split(r"[ \t-]", match.group(0))]
        person = len(names) >= 2 and (names[0] in _VI_FAMILY_NAMES or any(n in _HU_GIVEN_NAMES for n in names))
        if person or (len(names) == 1 and names[0] in _PLACES):
            spans.append(match.span())
    return spans
