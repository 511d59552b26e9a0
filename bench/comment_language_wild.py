"""comment-language on hand-labelled comments from public Hungarian and Vietnamese repositories.

The samples (bench/data/comments_hu_vi.tsv) were taken from public code found with a code search
and labelled (hu / vi / en) before the detector was run on them; the rows marked ``held`` come
from other repositories and other searches than the ``tune`` rows and were not looked at while
changing langid. Each comment is written as a JavaScript line comment (a multi-line block as
consecutive ``//`` lines) and goes through the real detector with the bundled rule's options.
Recall counts comments of 3+ words (the rule's ``min_words``), and apart those typed without any
accented letter (ASCII only); English rows count false alarms.

With ``--model PATH`` the uncertain candidates are also put to the model's one narrow question
(:func:`tinyarms_lint.llm.language_question.ask`), to measure what the model adds; with
``--ask-all`` as well, every comment the static tier leaves without a clear finding is asked (what
the model would add, and what English it would flag, as a fallback on everything).

A candidate that is not clear (undecided, left to the model) is never counted as found by the
static tier; the table shows such candidates in their own column.

No peer: no ESLint/other linter rule identifies the natural language of comments.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from common import PROJECT, machine

sys.path.insert(0, str(PROJECT))

from tinyarms_lint import langid
from tinyarms_lint.detectors import comment_language
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import load_rules

DATA = PROJECT / "bench" / "data" / "comments_hu_vi.tsv"


@dataclass(frozen=True)
class Sample:
    source: str
    split: str
    label: str
    text: str


@dataclass
class Score:
    found: int = 0
    uncertain: int = 0
    asked: int = 0
    total: int = 0
    plain_found: int = 0  # of the comments typed without any accented letter
    plain_total: int = 0
    misses: list[str] = field(default_factory=list)


def samples(path: Path = DATA) -> list[Sample]:
    rows = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    reader = csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Sample(r["source"], r["split"], r["label"], r["text"]) for r in reader]


def candidates_for(text: str) -> list[comment_language.Candidate]:
    rule = load_rules([])["comment-language"]
    source = "\n".join(f"// {part.strip()}" for part in text.split(" | ")) + "\nrun();\n"
    file = SourceFile.parse("sample.js", "javascript", source.encode("utf-8"))
    return comment_language.detect(file, rule, DetectContext(root=PROJECT))


def word_count(text: str) -> int:
    return len(langid.words(comment_language.prose_of(text.replace(" | ", "\n"))))


def score(split: str, ask: object = None, ask_all: bool = False) -> dict[str, Score]:
    out: dict[str, Score] = {}
    for sample in samples():
        if sample.split != split:
            continue
        if sample.label != "en" and word_count(sample.text) < 3:
            continue
        result = out.setdefault(sample.label, Score())
        result.total += 1
        found = candidates_for(sample.text)
        clear = [c for c in found if c.clear]
        unsure = [c for c in found if not c.clear]
        hit = bool(clear)
        if not hit and (unsure or ask_all) and callable(ask):
            hit = ask(str(unsure[0].data["text"]) if unsure else sample.text.replace(" | ", "\n")) not in (None, "en")
            result.asked += 1
        result.found += hit
        if sample.text.isascii():
            result.plain_total += 1
            result.plain_found += hit
        result.uncertain += bool(unsure and not clear)
        if (sample.label != "en") != hit:
            result.misses.append(sample.text)
    return out


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="GGUF to ask the narrow language question on uncertain candidates")
    parser.add_argument(
        "--ask-all", action="store_true", help="with --model: ask on every comment without a clear finding"
    )
    parser.add_argument(
        "--splits",
        default="tune,held1,held2,held3,held4,held5,held6,held7,held8,held9",
        help="comma-separated splits to score",
    )
    args = parser.parse_args()
    ask = None
    if args.model:
        from tinyarms_lint.llm import language_question
        from tinyarms_lint.llm.llama import LlamaBackend

        backend = LlamaBackend(Path(args.model))

        def ask(text: str) -> str | None:
            answer = language_question.ask(backend, text, ("en", "hu", "vi"))
            return answer.language if answer and answer.margin >= language_question.MIN_MARGIN else None

    lines = [
        (
            "comment-language on hand-labelled comments from public repositories (bench/data/comments_hu_vi.tsv), "
            f"static tier{' + model question' if ask else ''}{' on every comment without a clear finding' if args.ask_all else ''}; "
            f"{machine()}"
        ),
        "",
        (
            "| split | language | comments (3+ words) | flagged | recall | without accents: flagged / comments "
            "| unsure (model asked) | English comments | false alarms |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    misses = []
    for split in args.splits.split(","):
        result = score(split, ask, args.ask_all)
        en = result.get("en", Score())
        for label in ("hu", "vi"):
            s = result.get(label, Score())
            recall = s.found / s.total if s.total else 1.0
            lines.append(
                f"| {split} | {label} | {s.total} | {s.found} | {recall:.2f} | {s.plain_found} / {s.plain_total} "
                f"| {s.uncertain} ({s.asked}) "
                f"| {en.total} | {en.found} |"
            )
            misses += [f"{split} {label}: {m}" for m in s.misses]
        misses += [f"{split} en false alarm: {m}" for m in en.misses]
    if misses:
        lines += ["", "Missed:", ""] + [f"- {m}" for m in misses]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
