"""Regenerates tinyarms_lint/accentless_lexicon.py: Hungarian stems and Vietnamese syllables typed
without accents, minus English words.

Hungarian: the stems of the Hunspell dictionary ``dictionary-hu@3.0.0`` (npm; wooorm/dictionaries,
from Magyar Ispell by László Németh and Ferenc Godó, licensed GPL-2.0 OR LGPL-2.1 OR MPL-1.1; the
derived list is used under MPL-1.1). Lower-case stems only (no proper nouns), accents folded
(``fold``), letters a-z only, 3 to 12 letters.

Vietnamese: every syllable the onset-and-rhyme grammar of :mod:`tinyarms_lint.accentless` allows,
of 3 letters or more. (``dictionary-vi`` is GPL-only, so it is not used for shipped data.)

From both, English is removed: the common English words of :mod:`tinyarms_lint.langid` (with
their inflections), English-shaped spellings for Hungarian (th, ck, -ing ...), and every distinct
word of the English comments in the wild that ``bench/accuracy_language.py`` reads (Python
packages of the venv and JS files of bench/.work/node_modules) plus the English-labelled rows of
bench/data/comments_hu_vi.tsv's tune split.

    nice -n 19 npm pack dictionary-hu@3.0.0 --pack-destination bench/.work/dictionaries
    python bench/accentless_lexicon.py bench/.work/dictionaries/dictionary-hu-3.0.0.tgz
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

from common import PROJECT

sys.path.insert(0, str(PROJECT))

from accuracy_language import parsed, wild_files

from tinyarms_lint import accentless, langid
from tinyarms_lint.detectors import comment_language

OUT = PROJECT / "tinyarms_lint" / "accentless_lexicon.py"
_LETTERS = re.compile(r"^[a-z]{3,12}$")


def english_in_the_wild() -> set[str]:
    """Every distinct word (folded, lower case) of the comments in the wild."""
    seen: set[str] = set()
    repos = PROJECT / "bench" / ".work" / "wild" / "repos"  # bench/wild_code.py's repositories (django, rich ...)
    code = [p for ext in ("py", "js", "ts", "tsx", "jsx") for p in sorted(repos.rglob(f"*.{ext}"))]
    # lunr's language packs (mkdocs) hold Vietnamese and other languages' comments: not English
    for _path, file in parsed(wild_files() + [p for p in code if "lunr" not in p.name and p.stat().st_size < 200_000]):
        for block in comment_language.comment_blocks(file):
            seen.update(accentless.fold(w) for w in langid.words(comment_language.prose_of(block.body)))
    return seen


def hunspell_stems(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("package/index.dic")
        assert member is not None
        lines = member.read().decode("utf-8").splitlines()[1:]
    return [line.split("\t")[0].split("/")[0] for line in lines]


def english(word: str, wild: set[str]) -> bool:
    return word in wild or langid.is_english_word(word)


def vietnamese_syllables() -> set[str]:
    onsets = ["", "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdghklmnprstvx"]
    return {
        onset + rhyme
        for onset in onsets
        for rhyme in accentless._VI_RHYMES
        if len(onset + rhyme) >= 3 and accentless.vietnamese_syllable(onset + rhyme)
    }


def known(word: str, stems: set[str]) -> bool:
    """accentless.hungarian_known against ``stems``."""
    if word in stems:
        return True
    for ending in accentless._HU_ENDINGS:
        stem = word[: -len(ending)]
        if (
            word.endswith(ending)
            and len(stem) >= 3
            and (
                stem in stems
                or any(
                    stem.endswith(second) and len(stem) - len(second) >= 3 and stem[: -len(second)] in stems
                    for second in accentless._HU_ENDINGS
                )
            )
        ):
            return True
    return False


def chunked(words: list[str], width: int = 100) -> str:
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def main() -> None:
    wild = english_in_the_wild()
    print(f"{len(wild)} distinct words in the English comments in the wild", file=sys.stderr)
    stems = hunspell_stems(Path(sys.argv[1]))
    hungarian = sorted(
        {
            accentless.fold(s)
            for s in stems
            if s[:1].islower() and _LETTERS.match(accentless.fold(s)) and not english(accentless.fold(s), wild)
        }
        - {w for w in map(accentless.fold, stems) if accentless.english_shaped(w)}
    )
    vietnamese = sorted(w for w in vietnamese_syllables() if not english(w, wild))
    # English words of the wild comments that the endings of accentless.hungarian_known could read
    # as a Hungarian stem with an ending (modules, token): shipped so that such words never count
    english_words = sorted(
        w for w in wild if re.fullmatch(r"[a-z]{3,}", w) and not langid.is_english_word(w) and known(w, set(hungarian))
    )
    print(
        f"{len(english_words)} English words of the wild that a Hungarian stem with an ending matches", file=sys.stderr
    )
    print(f"{len(stems)} Hunspell stems -> {len(hungarian)} Hungarian words", file=sys.stderr)
    print(f"{len(vietnamese)} Vietnamese syllables", file=sys.stderr)
    OUT.write_text(
        '"""Hungarian stems and Vietnamese syllables typed without accents, minus English words.\n\n'
        "Generated by bench/accentless_lexicon.py (read it for how): do not edit by hand.\n"
        "HUNGARIAN is derived from the Hunspell dictionary dictionary-hu@3.0.0 (Magyar Ispell, László\n"
        "Németh and Ferenc Godó; GPL-2.0 OR LGPL-2.1 OR MPL-1.1), used under MPL-1.1: this list is\n"
        "available under MPL-1.1 (https://www.mozilla.org/MPL/1.1/). VIETNAMESE comes from this\n"
        "project's own syllable grammar (tinyarms_lint/accentless.py). ENGLISH: words of English comments\n"
        "in the wild that a Hungarian stem with an ending would match (never counted as Hungarian). All are\n"
        'plain strings, split into sets only on first use (see accentless.lexicon).\n"""\n\n'
        f'HUNGARIAN = """\n{chunked(hungarian)}\n"""\n\n'
        f'VIETNAMESE = """\n{chunked(vietnamese)}\n"""\n\n'
        f'ENGLISH = """\n{chunked(english_words)}\n"""\n',
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
