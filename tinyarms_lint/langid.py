"""Offline natural-language identification for comments, UI strings and locale values.

A cheap check answers "plainly English?" for ASCII text without loading anything; only text that
fails it reaches lingua-language-detector (the optional ``lang`` extra), restricted to the
configured candidate languages and loaded on first use. Without lingua a small heuristic built
on letters and function words unique to Hungarian and Vietnamese stands in, and says so.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from . import accentless

Method = Literal["english-check", "lingua", "heuristic"]


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, for word lists kept compact in source."""
    return frozenset(text.split())


# Letters found in Vietnamese and in no other language a team is likely to configure together
# with it (ơ ư, and the vowels with a dot below or a hook above).
VIETNAMESE_LETTERS = frozenset(
    "ơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĐ"
)
# ő and ű (double acute) are Hungarian's own; á é í ó ö ú ü are shared with many languages.
HUNGARIAN_LETTERS = frozenset("őűŐŰ")
HUNGARIAN_SHARED = frozenset("áéíóöúüÁÉÍÓÖÚÜ")

# Function words that are not also English words, without accents (as people type them when
# they skip diacritics).
HUNGARIAN_HINTS = wordset(
    """
    hogy nem egy az ez es meg csak kell mar nincs vagy ezt azt mert majd igy itt ott akkor amikor
    ami amely amelyik lesz volt lehet szerint utan elott kozott nelkul minden ahol ahogy pedig
    viszont tehat mivel ezert illetve vissza adja erteket ertek hiba fuggveny felhasznalo adatok
    beallitas ellenorzi ellenorizzuk letrehoz torli nincsen ugyanis mindig soha valami semmi akar
    kulon eseten esetben alapjan helyett miatt amig egyebkent
    """
)
VIETNAMESE_HINTS = wordset(
    """
    cua khong nguoi duoc nhung trong mot cac nay voi va khi neu thi lay tra danh sach dung phai chua
    nhu sau truoc gia tri ham bien kiem tra hien thi nguoi dung xu ly loi nhap xuat tao xoa cap nhat
    mang rong chi roi hay cung vao
    """
)

# Common English words, including the vocabulary of code comments and user interfaces. Used to
# tell plain English from look-alikes cheaply and to recognise real words in UI strings.
ENGLISH_WORDS = wordset(
    """
    a about above accept access account across action actions active actually add added adding
    address admin after again against age all allow allowed allows almost alone along already also
    although always am amount an and another answer any anyone anything app apply are area around as
    ask at attempt auto available avoid away back background bad bar base based basic be because
    become been before begin behavior being below best better between big bit block body both bottom
    box break browse bug build built but button buy by cache cached call called calls can cancel
    cannot card care case cases cause change changed changes character chart check checked checkout
    child choose city class clean clear click client close closed code collapse color column come
    comment comments common company complete condition config configuration confirm connect
    connection contact contain contains content continue control copy correct could count country
    create created creates current custom customer cut dark data date day days dead debug default
    define delete deleted depend description design detail details device did different directly
    disable disabled display do does doing done down download draft drop due during each early easy
    edit effect either element else email empty enable enabled end enough ensure enter entire entry
    equal error errors even event every everything example except existing exists expand expected
    expire expired explain export extra fail failed false fast feature feedback fetch field fields
    file files fill filter find finish first fix flag follow following for force form format forward
    found free from full function further future get gets getting give given go goes going good got
    great group guest handle handler happen has have having header height hello help here hidden
    hide high history hold home hook how however icon id if ignore image import important in include
    included incorrect index info information initial input inside instead into invalid is issue it
    item items its itself join just keep key kind know label language large last later layout least
    leave left legacy length less let level like limit line link list load loaded loading local lock
    log login logout long look lost low main make makes manage many map mark match may maybe me menu
    merge message messages method might minimum missing mode model modified more most move much must
    my name need needed needs never new next no none normal not note nothing notice now null number
    object of off offer old on once one only open option optional options or order other otherwise
    our out output over own page parent parse part pass password past path pay payment pending
    people per perform permission phone pick place plan please point policy popup possible post
    prefer prepare press preview previous price primary print privacy private problem process
    product profile progress project provide public purchase push put query question quick quite
    random range rate rather read ready real really reason receive recent record redirect refresh
    register reload remain remember remove removed render repeat replace reply report request
    require required reset resolve response rest restore result results retry return returns review
    right role root row rule run running safe same sample save saved scroll search second section
    secure see select selected send sent server service session set sets setting settings setup
    several share should show shown shows side sign simple since single site size skip small so some
    someone something sometimes soon sort source space special start state status step still stop
    storage store string style subject submit success such summary support sure switch sync system
    table take task team tell temporary test text than thank thanks that the their them then there
    these they thing things think this those though through time times title to today together too
    tool top total track transfer true try turn twice two type under undo unique unknown unless
    until up update updated upload upon us usage use used useful user users uses using valid
    validate value values verify version very via view visible wait want warning was way we web week
    welcome well were what when where whether which while who whole why will window with within
    without word work works would write wrong year yes yet you your zero ability able accepted
    accessible account's achieve activity actual adapt additional adjust advanced agree agreement
    alert alerts already answer apart append archive argument arguments array ask assign assume
    attach attachment attachments author automatic automatically avatar balance bank basket
    beginning behind below benefit bill billing birth board book booking border bought brand browser
    bucket buffer business busy calendar capacity caption cart catalog catalogue category certain
    chain channel charge cheap checkbox choice cities claim click clicked closing collection combine
    coming compare completed compute confirmed conflict consider contact contents context copied
    cost coupon course cover credit currency daily dashboard database deadline decide decimal
    declined delay deliver delivered delivery deny deposit describe desktop destination developer
    dialog direction disabled discount discard dismiss distance document documents domain double
    draft drag driver duplicate duration edit editor effective elsewhere empty encode entered
    environment estimate everyone exact exactly exit expand experience expiry extend external family
    fee fetching filled final finished fit fixed focus folder forgot forgotten free frequently
    friend friends front fresh gallery general generate gift global goal grant guide half happy hard
    hash heading hint hour hours idle immediately include increase instance instead interval invite
    invoice invoices join kept latest leave less limit listing live login manual maximum means
    member members memory minute minutes mobile money month monthly months morning navigation nearly
    network newest newsletter night notification notifications notify offline often older online
    onto opened operation orders original overview owner package paid parameter partial partner
    passed paste pause paused payments percent period personal photo photos picture placed plain
    player plus popular portal position preferences premium pressed prices pricing print privacy
    proceed processing products profile promo promotion properties property protect provider
    purchase quantity queue quote rating reach reached recently reduce refund region regular reject
    related release rename renew request requests reserved resend resource retry reviews revoke
    round route saving schedule score screen secret security seen sell seller selling send sending
    sequence series shared shipping shipped ships shop shopping short shortcut showing sign signed
    signup size slow sold something sorry spend stock street subscribe subscription subtotal suggest
    supported survey tab tag tags tax terms thing third thread ticket timeout tip today's tomorrow
    top touch trial trust unable unavailable unread unsaved unsubscribe upcoming upgrade urgent
    username verified video visit wallet watch weekly whatever wish wishlist within worker yesterday
    quit nickname avatar apply applied sorry oops done learn more less read skip next previous back
    continue finish start retry login sign signin signup
    """
)

# Every pattern below runs in linear time on long unbroken tokens (1 MB of base64, of ``/.``): tokens
# longer than LONGEST_TOKEN are never prose (base64, minified code, long paths) and are dropped first,
# and the ``*_FRESH`` variants start a token-long part only where the token (or word) starts, unless
# a match just ended there (see ``_sub_linear``). Without both, ``\S+=\S*`` on a 20 KB token took
# 0.6 s and on 40 KB 1.7 s (issue 11).
LONGEST_TOKEN = 64
_LONG_TOKEN = re.compile(rf"(?<!\S)\S{{{LONGEST_TOKEN + 1},}}")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|\S[^\s@]*@\S+\.\w+", re.IGNORECASE)
_URL_FRESH = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|(?<!\S)\S[^\s@]*@\S+\.\w+", re.IGNORECASE)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# Tokens that are code, not prose: dotted or slashed paths, snake_case, camelCase, calls, flags,
# @tags with a name, #refs, words with digits, {placeholders}.
_CODE_TOKEN_PARTS = r"""(?x)
    {s}\S*[/\\]\S*[/\\.]\S*           # paths with at least two separators or an extension
    | {s}\S[^\s(]*\((?:[^\s)]*\))+     # calls like foo() or fn(x), up to the last )
    | {w}[\w$]+(?:\.[\w$]+)+           # dotted names (foo.bar, file.ts)
    | {word}\w*_\w*                     # snake_case and _private
    | {lower}[a-z]+[A-Z]\w*              # camelCase
    | [A-Z][a-z]+[A-Z]\w*               # PascalCase with more than one hump
    | {word}\w*\d\w*                    # anything with a digit
    | (?<!\S)--?[a-z][\w-]*             # command-line flags
    | [@#][\w-]+                        # @param, #123
    | \{{[^{{}}\n]*\}}                      # {{placeholders}} and JSDoc types
    | \$\w+                             # $variables
    | {s}\S+=\S*                        # key=value
    """
_CODE_TOKEN = re.compile(_CODE_TOKEN_PARTS.format(s="", w="", word="", lower=""))
_CODE_TOKEN_FRESH = re.compile(
    _CODE_TOKEN_PARTS.format(s=r"(?<!\S)", w=r"(?<![\w$])", word=r"(?<!\w)", lower=r"(?<![a-z])")
)


def _sub_linear(pattern: re.Pattern[str], fresh: re.Pattern[str], text: str) -> str:
    """``pattern.sub(" ", text)`` in linear time: ``fresh`` is ``pattern`` with parts that would rescan a
    token from inside it allowed to start only at its start. After a failed position the scan moves on,
    and such a part cannot match where it failed one character earlier, so the two agree there; only
    where a match has just ended is ``pattern`` itself tried."""
    out: list[str] = []
    last = 0
    match = fresh.search(text)
    while match is not None:
        out.append(text[last : match.start()])
        out.append(" ")
        last = match.end()
        match = pattern.match(text, last) or fresh.search(text, last + 1)
    out.append(text[last:])
    return "".join(out)


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_VI_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_VI_SYLLABLE = re.compile(rf"^{_VI_ONSET}[aeiouy]{{1,3}}(?:ng|nh|ch|[cmnpt])?$")
_VI_MARKED = re.compile(r"^(?:ngh|ng|nh|kh|ph|tr|gi|qu)|uo|ie|ua|nh$|ng$")


@dataclass(frozen=True)
class Guess:
    """The most likely language of a text (ISO 639-1 code), how sure, and how it was decided.

    ``decisive`` is True when letters unique to the language were seen (ơ ư ạ … for Vietnamese,
    ő ű for Hungarian), which makes even a one-word text trustworthy.
    """

    language: str
    confidence: float
    method: Method
    decisive: bool = False


def normalize(text: str) -> str:
    """NFC form, so decomposed Vietnamese (as macOS writes it) matches the letter tables."""
    return unicodedata.normalize("NFC", text)


def prose(text: str) -> str:
    """``text`` without the parts a language detector must not see: URLs, code, tags, names.

    Removed: URLs and e-mail addresses, `code spans`, HTML tags, identifiers (snake_case,
    camelCase, dotted names, calls, words with digits), @tags, {placeholders}, all-caps words
    (TODO, API), and capitalised words with accents in mid-sentence (people's names such as
    Kovács Péter), and tokens longer than LONGEST_TOKEN characters (never prose). Sentence punctuation
    is kept so sentence starts are still known. Linear in the length of ``text``.
    """
    text = normalize(text)
    text = _LONG_TOKEN.sub(" ", text)
    text = _sub_linear(_URL, _URL_FRESH, text)
    text = _CODE_SPAN.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _sub_linear(_CODE_TOKEN, _CODE_TOKEN_FRESH, text)
    kept: list[str] = []
    sentence_start = True
    for match in re.finditer(r"\S+", text):
        token = match.group(0)
        letters = "".join(_WORD.findall(token))
        if letters:
            is_caps = len(letters) > 1 and letters.isupper()
            is_name = not sentence_start and letters[0].isupper() and not letters.isascii() and letters[1:].islower()
            if not is_caps and not is_name:
                kept.append(token)
            sentence_start = bool(_SENTENCE_END.search(token))
        else:
            kept.append(token)
            if _SENTENCE_END.search(token):
                sentence_start = True
    return " ".join(kept)


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters, with inner apostrophes and hyphens."""
    return _WORD.findall(normalize(text))


def vietnamese_shaped(tokens: Sequence[str]) -> bool:
    """True when ASCII words read like Vietnamese typed without diacritics (Ham nay tra ve ...)."""
    lowered = [t.lower() for t in tokens]
    if len(lowered) < 3:
        return False
    syllables = sum(1 for t in lowered if _VI_SYLLABLE.match(t))
    marked = sum(1 for t in lowered if _VI_SYLLABLE.match(t) and _VI_MARKED.search(t))
    hints = sum(1 for t in lowered if t in VIETNAMESE_HINTS and t not in ENGLISH_WORDS)
    return syllables / len(lowered) >= 0.8 and (marked >= 1 or hints >= 2)


def vietnamese_lettered(tokens: Sequence[str]) -> bool:
    """True when two words or more, and 40% of ``tokens`` at least, carry letters only Vietnamese
    has (ạ, ủ, ơ, đ ...): a Vietnamese comment around English words of code, not an English
    comment quoting one Vietnamese term ("discount (giảm giá), in VNĐ, subtracted from the total")."""
    lettered = sum(1 for t in tokens if any(ch in VIETNAMESE_LETTERS for ch in t))
    return lettered >= 2 and lettered >= 0.4 * len(tokens)


def hungarian_hints(tokens: Iterable[str]) -> int:
    """How many words are Hungarian function words (accents stripped, English look-alikes excluded)."""
    return sum(1 for t in tokens if _strip_accents(t.lower()) in HUNGARIAN_HINTS)


_HU_DIGRAPH = re.compile(r"sz|zs|gy|ny|cs|ly|ty")
_HU_SUFFIX = re.compile(
    r"(?:ás|és|ok|ek|ak|ban|ben|ból|ből|ról|ről|tól|től|hoz|hez|höz|nak|nek|nál|nél|val|vel|ral|rel|ért|ja|je"
    r"|unk|ünk|juk|jük|ják|jék|ot|et|at|át|ét|ra|re|ba|be|ig|ként|ni|kor|ik)$"
)


_HU_ASCII_SHAPE = re.compile(r"sz|zs|cs(?=[aeiou])|gy(?=[aeiou])|(?:juk|unk|nak|nek|ban|ben|bol|rol|hoz|hez|kent)$")


def hungarian_shaped(tokens: Iterable[str]) -> int:
    """How many words look Hungarian: a function word, accents with a digraph or a suffix, or
    (typed without accents) a digraph such as sz or gy, or a suffix such as -juk or -nak."""
    count = 0
    for token in tokens:
        lower = token.lower()
        if _strip_accents(lower) in HUNGARIAN_HINTS:
            count += 1
        elif any(ch in HUNGARIAN_SHARED or ch in HUNGARIAN_LETTERS for ch in lower):
            count += bool(_HU_DIGRAPH.search(lower) or _HU_SUFFIX.search(lower))
        elif lower.isascii() and len(lower) > 3 and lower not in ENGLISH_WORDS:
            count += bool(_HU_ASCII_SHAPE.search(lower))
    return count


def supports(language: str, tokens: Sequence[str]) -> bool:
    """Whether the words themselves back a guess of Hungarian or Vietnamese.

    lingua must pick one of its candidates even for an English sentence with one foreign word
    ("Convert đồng amounts to cents"); the guess stands only when enough words carry the
    language's letters or shape. Other languages are not second-guessed.
    """
    if not tokens:
        return False
    accented = sum(1 for t in tokens if not t.isascii()) / len(tokens)
    if language == "vi":
        return vietnamese_shaped(tokens) or accented >= 0.3 or accentless.vietnamese(tokens, is_english_word)
    if language == "hu":
        shaped = max(hungarian_shaped(tokens), accentless.hungarian_words(tokens, is_english_word))
        if (
            shaped >= 1
            and len(tokens) >= 3
            and all(t.isascii() for t in tokens)
            and accentless.english_share(tokens, is_english_word) < 0.5
        ):
            return True  # typed without accents, a Hungarian word among mostly non-English ones
        return shaped >= 2 or (shaped >= 1 and accented >= 0.25) or accented >= 0.5
    return True


def english_ratio(tokens: Sequence[str]) -> float:
    """Share of ``tokens`` that are common English words (0.0 for no tokens)."""
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if _english_form(t.lower()) in ENGLISH_WORDS) / len(tokens)


@functools.lru_cache(maxsize=1 << 16)
def is_english_word(token: str) -> bool:
    """True for a common English word, in any case and with simple inflections (saves, saved).
    Remembered per word: an ``--all`` run asks about ~650k words, mostly the same few thousand."""
    return _english_form(token.lower()) in ENGLISH_WORDS


def _english_form(token: str) -> str:
    if token in ENGLISH_WORDS:
        return token
    token = token.replace("’", "'")
    token = token.removesuffix("'s")
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if token.endswith(suffix) and token[: len(token) - len(suffix)] + repl in ENGLISH_WORDS:
            return token[: len(token) - len(suffix)] + repl
    return token


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")


def plainly_english(tokens: Sequence[str], candidates: Iterable[str] = ("en", "hu", "vi")) -> bool:
    """The cheap pre-check: ASCII words with no sign of a configured foreign language.

    For the default candidates (English, Hungarian, Vietnamese) the signs are Hungarian function
    words and Vietnamese syllable shape; when other languages are configured, English function
    words must also make up a fair share of the text.
    """
    if not tokens or not all(t.isascii() for t in tokens):
        return False
    if hungarian_hints(tokens) or vietnamese_shaped(tokens):
        return False
    if (
        accentless.vietnamese(tokens, is_english_word)
        or accentless.hungarian(tokens, is_english_word)
        or (
            accentless.hungarian_words(tokens, is_english_word)
            and accentless.english_share(tokens, is_english_word) < 0.5
        )
    ):
        return False  # typed without accents: let the identifier look
    if set(candidates) - {"en", "hu", "vi"}:
        return english_ratio(tokens) >= 0.3
    return True


# Scripts other than Latin, by the first word of their Unicode character names, with the
# language a comment in that script is most likely in (Han with kana is Japanese).
_SCRIPTS = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "ARABIC": "ar",
    "HEBREW": "he",
    "THAI": "th",
    "DEVANAGARI": "hi",
}
# The script each language is written in (languages not listed use Latin).
_LANGUAGE_SCRIPTS = {
    "zh": {"CJK"},
    "ja": {"CJK", "HIRAGANA", "KATAKANA"},
    "ko": {"HANGUL", "CJK"},
    "ru": {"CYRILLIC"},
    "uk": {"CYRILLIC"},
    "bg": {"CYRILLIC"},
    "sr": {"CYRILLIC"},
    "el": {"GREEK"},
    "ar": {"ARABIC"},
    "fa": {"ARABIC"},
    "he": {"HEBREW"},
    "th": {"THAI"},
    "hi": {"DEVANAGARI"},
}


def foreign_script(text: str, candidates: Iterable[str]) -> str | None:
    """The likely language of ``text`` when it is written mostly in a script none of the
    ``candidates`` uses (a Chinese or Russian comment on an English team): at least four such
    letters, and at least half of all letters. None otherwise (Latin text, a stray ``α`` or ``→``)."""
    if text.isascii():
        return None
    allowed = set().union(*(_LANGUAGE_SCRIPTS.get(c, {"LATIN"}) for c in candidates))
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        if ch.isascii():
            continue
        script = unicodedata.name(ch, "").split(" ", 1)[0]
        if script in _SCRIPTS and script not in allowed:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    foreign = sum(counts.values())
    if foreign < 4 or foreign * 2 < letters:
        return None
    if counts.get("HIRAGANA") or counts.get("KATAKANA"):
        return "ja"
    return _SCRIPTS[max(counts, key=lambda k: counts[k])]


def letter_evidence(text: str) -> dict[str, int]:
    """Counts of letters unique to Vietnamese and Hungarian, and of Hungarian-shared accents."""
    text = normalize(text)
    return {
        "vi": sum(1 for ch in text if ch in VIETNAMESE_LETTERS),
        "hu": sum(1 for ch in text if ch in HUNGARIAN_LETTERS),
        "hu_shared": sum(1 for ch in text if ch in HUNGARIAN_SHARED),
    }


@functools.cache
def lingua_available() -> bool:
    """True when lingua-language-detector is installed (the ``lang`` extra); found without importing
    it, which costs a few milliseconds in hook runs that never need it."""
    from importlib.util import find_spec

    try:
        return find_spec("lingua") is not None
    except (ImportError, ValueError):
        return False


class LanguageIdentifier:
    """Tells which of ``candidates`` (ISO 639-1 codes) a text is in; lingua is built on first need.

    lingua runs in its low-accuracy mode (trigram models only) by default: it loads in tens of
    milliseconds instead of one to two seconds, and on this project's fixtures and stress cases
    it decides exactly as the full mode does once the word-level checks (:func:`supports`) apply.
    """

    def __init__(self, candidates: Sequence[str], use_lingua: bool = True, low_accuracy: bool = True) -> None:
        self.candidates = tuple(dict.fromkeys(c.lower() for c in candidates))
        self.use_lingua = use_lingua and lingua_available()
        self.low_accuracy = low_accuracy
        self._detector: Any = None
        self._by_code: dict[Any, str] = {}

    @property
    def lingua_loaded(self) -> bool:
        """True once lingua has been built (the cost the English pre-check avoids)."""
        return self._detector is not None

    def identify(self, text: str) -> Guess | None:
        """The likeliest candidate language of ``text`` (already cleaned with :func:`prose`), or None."""
        tokens = words(text)
        if not tokens:
            return None
        if "en" in self.candidates and plainly_english(tokens, self.candidates):
            return Guess("en", 1.0, "english-check")
        evidence = letter_evidence(text)
        decisive = self._decisive(evidence, tokens)
        if "vi" in self.candidates and decisive in (None, "vi") and accentless.vietnamese(tokens, is_english_word):
            # trigram models trained on accented text are unsure on Vietnamese typed without
            # diacritics (they often say English or Hungarian); its syllables and words are not
            return Guess("vi", 0.95, "heuristic", decisive == "vi")
        if decisive == "vi" and "vi" in self.candidates and vietnamese_lettered(tokens):
            # "tạo surface của start": English words of code among Vietnamese ones that carry its
            # own letters; lingua weighs the English words and may say English
            return Guess("vi", 0.95, "heuristic", True)
        if "hu" in self.candidates and decisive in (None, "hu") and accentless.hungarian(tokens, is_english_word):
            # the same for Hungarian typed without accents (lingua often says English): its
            # function words, verbs and endings outnumbering the English words settle it
            return Guess("hu", 0.95, "heuristic", decisive == "hu")
        if self.use_lingua:
            guess = self._lingua(" ".join(tokens))
            if guess is not None:
                language, confidence = guess
                # lingua is unsure about Vietnamese typed without diacritics; its syllable shape
                # (or Hungarian function words) agreeing with lingua settles it.
                if (language == "vi" and vietnamese_shaped(tokens)) or (
                    language == "hu"
                    and max(hungarian_hints(tokens), accentless.hungarian_words(tokens, is_english_word)) >= 2
                    and accentless.english_share(tokens, is_english_word) < 0.5
                ):
                    confidence = max(confidence, 0.95)
                if not supports(language, tokens):
                    confidence = min(confidence, 0.6)  # lingua alone: the model may decide
                elif decisive == language:
                    confidence = max(confidence, 0.95)  # its own letters, and its words agree
                return Guess(language, confidence, "lingua", decisive == language)
        return self._heuristic(tokens, evidence, decisive)

    def _decisive(self, evidence: dict[str, int], tokens: Sequence[str]) -> str | None:
        if "vi" in self.candidates and evidence["vi"] >= 1:
            return "vi"
        if "hu" in self.candidates and evidence["hu"] >= 1:
            return "hu"
        return None

    def _lingua(self, text: str) -> tuple[str, float] | None:
        if self._detector is None:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            languages = []
            for code in self.candidates:
                try:
                    language = Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
                except ValueError:
                    continue
                languages.append(language)
                self._by_code[language] = code
            if len(languages) < 2:
                return None
            builder = LanguageDetectorBuilder.from_languages(*languages)
            if self.low_accuracy:
                builder = builder.with_low_accuracy_mode()
            self._detector = builder.build()
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None
        top = values[0]
        return self._by_code[top.language], float(top.value)

    def _heuristic(self, tokens: Sequence[str], evidence: dict[str, int], decisive: str | None) -> Guess | None:
        """Without lingua: Vietnamese and Hungarian by their letters and function words."""
        if decisive is not None:
            return Guess(decisive, 0.95, "heuristic", True)
        if "vi" in self.candidates and vietnamese_shaped(tokens):
            return Guess("vi", 0.9, "heuristic")
        shaped = hungarian_shaped(tokens)
        if "hu" in self.candidates and (shaped >= 2 or (shaped and len(tokens) <= 3)):
            return Guess("hu", 0.9, "heuristic")
        if "en" in self.candidates and english_ratio(tokens) >= 0.3:
            return Guess("en", 0.8, "heuristic")
        return None


@functools.cache
def identifier(candidates: tuple[str, ...]) -> LanguageIdentifier:
    """A shared identifier per candidate set, so lingua is built at most once per process."""
    return LanguageIdentifier(candidates)
