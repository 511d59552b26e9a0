"""comment-language: comments and docstrings written in another language than the team's.

Comments come from tree-sitter (comment nodes, Python docstrings); consecutive own-line comments
form one block. The prose left after removing code, URLs, directives and names goes to
:mod:`tinyarms_lint.langid`. A confident foreign guess is a clear finding whose data asks the model
tier for an English translation (see :func:`translation_fix`); a hesitant one is left to the model.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import accentless, langid, languages
from ..types import Candidate, Fix

if TYPE_CHECKING:
    import tree_sitter

    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext

LANGUAGE_NAMES = {
    "en": "English",
    "hu": "Hungarian",
    "vi": "Vietnamese",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "cs": "Czech",
    "sk": "Slovak",
    "ro": "Romanian",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tr": "Turkish",
    "sv": "Swedish",
    "fi": "Finnish",
    "id": "Indonesian",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
}

_COMMENT_QUERIES = {
    "scss": "[(comment) (js_comment)] @comment",
}
_DEFAULT_COMMENT_QUERY = "(comment) @comment"
_DOCSTRING_OWNERS = "[(function_definition body: (block) @body) (class_definition body: (block) @body)]"
languages.declare_query(languages.KNOWN_LANGUAGES - _COMMENT_QUERIES.keys(), _DEFAULT_COMMENT_QUERY)
for _language, _query in _COMMENT_QUERIES.items():
    languages.declare_query(frozenset({_language}), _query)
languages.declare_query(frozenset({"python"}), _DOCSTRING_OWNERS)

# Tool directives and fixture marks: not prose, whatever language the rest is in.
_DIRECTIVE = re.compile(
    r"""(?ix)
    ^\s*(?:(?:\#\s*)?(?:end)?region\b|-\*-.*-\*-|!)[^\n]*    # folding regions, coding lines, shebangs
    | (?:^|(?<=[\s#/*]))
    (?:noqa\b|type:\s*ignore|pragma:|pragma\s+no\s+cover|pylint:|mypy:|pyright:|isort:|fmt:\s*(?:on|off|skip)
      |ruff:|eslint-disable\S*|eslint-enable\S*|eslint\s+\w|@ts-\w[\w-]*|prettier-ignore|istanbul\s+ignore
      |c8\s+ignore|stylelint-\S+|webpack\w+:|nosec\b|nolint\b)
    [^\n]*
    """
)
_MARK = re.compile(r"\b(?:expect|ok):\s*[a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*")
_TRAILING_MARKER = re.compile(r"(?<!\s)\s*(?://|#|/\*|\*/)\s*$")  # starts where a run of spaces does: linear
_LICENSE = re.compile(
    r"copyright|\(c\)\s*\d|©|spdx-license|all rights reserved|licensed under|permission is hereby granted"
    r"|szerzői jog|bản quyền",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(
    r"""(?x)
    ^\s*(?:>>>|\.\.\.\s|\$\s)                                       # doctest, shell prompts
    | ^\s*(?:import|from\s+\S+\s+import|def|class|return|const|let|var|if|elif|for|while|print
        |function|export|await|async|throw|raise|assert|yield)\b[^\n]*[;:({=\[]
    | ^[^(=\[]*[(=\[][^\n]*[;{]\s*$                                 # ends like a statement or block
    | ^\s*[}\])]+[;,)]*\s*$                                         # closing brackets
    | ^\s*[\w.$\[\]]+\s*(?:[-+*/]?=|=>)\s*\S                          # an assignment
    | ^\s*[\w.$]+\(.*\)\s*;?\s*$                                    # a bare call
    | ^\s*</?[A-Za-z][\w.-]*[\s/>]                                  # markup
    | ^\s*[@#.][\w-]+\s*\{                                          # CSS selectors
    """
)


@dataclass
class CommentBlock:
    """A comment (or several consecutive own-line comments) and how to rebuild it around new text."""

    start_byte: int
    end_byte: int
    body: str
    syntax: dict[str, Any] = field(default_factory=dict)


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Comments and docstrings whose prose is in a configured language other than the team's."""
    options = rule.options
    team = str(options.get("language", "en")).lower()
    candidates = tuple(dict.fromkeys([team, *(str(c).lower() for c in options.get("candidates", ["en", "hu", "vi"]))]))
    min_words = int(options.get("min_words", 3))
    min_confidence = float(options.get("min_confidence", 0.9))
    identifier = langid.identifier(candidates)
    blocks = comment_blocks(file, docstrings=bool(options.get("docstrings", True)))
    out: list[Candidate] = []
    for block in blocks:
        text = prose_of(block.body)
        if not text:
            continue
        tokens = langid.words(text)
        if not tokens:
            continue
        script_language = langid.foreign_script(text, candidates)
        if script_language is not None:  # a Chinese or Cyrillic comment: no candidate is written so
            guess: langid.Guess | None = langid.Guess(script_language, 1.0, "heuristic", True)
        else:
            guess = identifier.identify(text)
        if guess is None or guess.language == team:
            continue
        if not identifier.use_lingua and guess.method == "heuristic" and script_language is None:
            _note_degraded(ctx)
        name = LANGUAGE_NAMES.get(guess.language, guess.language)
        team_name = LANGUAGE_NAMES.get(team, team)
        span = file.span(block.start_byte, block.end_byte)
        snippet = file.line_text(span.line).strip()
        data: dict[str, Any] = {
            "kind": "translate",
            "text": block.body,
            "language": guess.language,
            "target_language": team,
            "confidence": round(guess.confidence, 3),
            "syntax": block.syntax,
        }
        english_share = langid.english_ratio(tokens) if team == "en" else 0.0
        sure = guess.confidence >= min_confidence and english_share <= 0.5
        if script_language is not None:
            sure = True  # mostly letters of another script: unmistakable, however few "words"
        elif len(tokens) < min_words:
            # Too short for language id alone: only a model may call it, and only on clear letters.
            if not guess.decisive:
                continue
            sure = False
        if sure:
            message = f"Comment is in {name}; write comments in {team_name}"
            out.append(Candidate(rule.id, span, snippet, message, clear=True, data=data))
        elif guess.confidence >= 0.5:
            data["kind"] = "comment-language"
            message = f"Comment may be in {name}; write comments in {team_name}"
            out.append(Candidate(rule.id, span, snippet, message, clear=False, data=data))
    return out


def _note_degraded(ctx: DetectContext) -> None:
    notes = ctx.project.setdefault("notes", [])
    note = (
        "comment-language: lingua-language-detector is not installed, so languages are told apart by "
        "their letters and function words only (pip install 'tinyarms-lint[lang]')"
    )
    if isinstance(notes, list) and note not in notes:
        notes.append(note)


def prose_of(body: str) -> str:
    """The prose of a comment body for language id: no directives, marks, code lines, licenses, or
    people's and cities' names typed without accents (:func:`accentless.name_spans`)."""
    if _LICENSE.search(body):
        return ""
    lines = []
    for line in body.splitlines():
        line = _MARK.sub(" ", line)
        line = _DIRECTIVE.sub(" ", line)
        line = _TRAILING_MARKER.sub("", line)
        if not line.strip() or _CODE_LINE.search(line):
            continue
        lines.append(line.strip())
    text = " ".join(lines)
    kept, last = [], 0
    for start, end in accentless.name_spans(text):  # Nguyen Van An, Laszlo Bokor, Budapest: names, not prose
        kept += [text[last:start], " "]
        last = end
    return langid.prose("".join(kept) + text[last:])


# ---------------------------------------------------------------------------------------------
# Finding comments


def comment_blocks(file: SourceFile, docstrings: bool = True) -> list[CommentBlock]:
    """Every comment of ``file`` (own-line runs merged) and, for Python, its docstrings."""
    source = _COMMENT_QUERIES.get(file.language, _DEFAULT_COMMENT_QUERY)

    nodes = sorted(
        (n for group in languages.captures(file.language, source, file.tree.root_node).values() for n in group),
        key=lambda n: n.start_byte,
    )
    blocks: list[CommentBlock] = []
    run: list[tree_sitter.Node] = []
    for node in nodes:
        if run and _continues_run(file, run[-1], node):
            run.append(node)
            continue
        if run:
            blocks.append(_line_block(file, run) if len(run) > 1 else _single_block(file, run[0]))
        run = [node] if _is_own_line_comment(file, node) else []
        if not run:
            blocks.append(_single_block(file, node))
    if run:
        blocks.append(_line_block(file, run) if len(run) > 1 else _single_block(file, run[0]))
    if docstrings and file.language == "python":
        blocks.extend(_docstrings(file))
    blocks.sort(key=lambda b: b.start_byte)
    return blocks


def _line_marker(text: str) -> str | None:
    for marker in ("//", "#"):
        if text.startswith(marker):
            return marker
    return None


def _is_own_line_comment(file: SourceFile, node: tree_sitter.Node) -> bool:
    text = file.node_text(node)
    if _line_marker(text) is None or "\n" in text:
        return False
    line = file.line_text(node.start_point[0] + 1)
    column = len(file.source[node.start_byte - node.start_point[1] : node.start_byte].decode("utf-8", "replace"))
    return not line[:column].strip()


def _continues_run(file: SourceFile, previous: tree_sitter.Node, node: tree_sitter.Node) -> bool:
    return (
        _is_own_line_comment(file, node)
        and node.start_point[0] == previous.start_point[0] + 1
        and node.start_point[1] == previous.start_point[1]
        and _line_marker(file.node_text(node)) == _line_marker(file.node_text(previous))
    )


def _strip_line_comment(text: str, marker: str) -> tuple[str, str]:
    """The body of one ``#`` or ``//`` comment, and the exact prefix it had (``# ``, ``//``, ``/// ``)."""
    match = re.match(rf"{re.escape(marker)}[{re.escape(marker[0])}!:]*\s?", text)
    prefix = match.group(0) if match else marker
    return text[len(prefix) :].rstrip(), prefix


def _line_block(file: SourceFile, run: list[tree_sitter.Node]) -> CommentBlock:
    first = file.node_text(run[0])
    marker = _line_marker(first) or "#"
    bodies = []
    prefix = marker + " "
    for index, node in enumerate(run):
        body, this_prefix = _strip_line_comment(file.node_text(node), marker)
        if index == 0:
            prefix = this_prefix if this_prefix.endswith(" ") else this_prefix + " "
        bodies.append(body)
    indent = file.line_text(run[0].start_point[0] + 1)[: _char_column(file, run[0])]
    syntax = {"style": "line", "prefix": prefix, "indent": indent}
    return CommentBlock(run[0].start_byte, run[-1].end_byte, "\n".join(bodies), syntax)


def _char_column(file: SourceFile, node: tree_sitter.Node) -> int:
    return len(file.source[node.start_byte - node.start_point[1] : node.start_byte].decode("utf-8", "replace"))


def _single_block(file: SourceFile, node: tree_sitter.Node) -> CommentBlock:
    text = file.node_text(node)
    indent = file.line_text(node.start_point[0] + 1)[: _char_column(file, node)]
    indent = indent if not indent.strip() else " " * len(indent)
    marker = _line_marker(text)
    if marker is not None:
        body, prefix = _strip_line_comment(text, marker)
        prefix = prefix if prefix.endswith(" ") else prefix + " "
        return CommentBlock(node.start_byte, node.end_byte, body, {"style": "line", "prefix": prefix, "indent": indent})
    if text.startswith("<!--"):
        body = text[4:-3] if text.endswith("-->") else text[4:]
        syntax = {"style": "block", "open": "<!--", "close": "-->", "star": False, "indent": indent}
        return CommentBlock(node.start_byte, node.end_byte, inspect.cleandoc(body), syntax)
    opener = re.match(r"/\*[*!]?", text)
    open_text = opener.group(0) if opener else "/*"
    inner = text[len(open_text) : -2] if text.endswith("*/") else text[len(open_text) :]
    lines = inner.split("\n")
    star = len(lines) > 1 and all(re.match(r"\s*\*", ln) for ln in lines[1:] if ln.strip())
    if star:
        lines = [re.sub(r"^\s*\*(?!/) ?", "", ln) for ln in lines]
    body = inspect.cleandoc("\n".join(lines))
    syntax = {"style": "block", "open": open_text, "close": "*/", "star": star, "indent": indent}
    syntax["multiline"] = "\n" in text
    return CommentBlock(node.start_byte, node.end_byte, body, syntax)


def _docstrings(file: SourceFile) -> list[CommentBlock]:
    owners = [file.tree.root_node]
    captures = languages.captures("python", _DOCSTRING_OWNERS, file.tree.root_node)
    owners.extend(captures.get("body", []))
    out = []
    for owner in owners:
        first = next((c for c in owner.named_children if c.type != "comment"), None)
        if first is None or first.type != "expression_statement" or first.named_child_count != 1:
            continue
        string = first.named_children[0]
        if string.type != "string" or any(c.type == "interpolation" for c in string.named_children):
            continue
        start = next((c for c in string.children if c.type == "string_start"), None)
        end = next((c for c in string.children if c.type == "string_end"), None)
        if start is None or end is None:
            continue
        quote = file.node_text(start)
        raw = file.slice(start.end_byte, end.start_byte)
        indent = " " * _char_column(file, string)
        syntax = {
            "style": "docstring",
            "open": quote,
            "close": file.node_text(end),
            "indent": indent,
            "closing_own_line": raw.endswith(("\n" + indent, "\n")),
        }
        out.append(CommentBlock(string.start_byte, string.end_byte, inspect.cleandoc(raw), syntax))
    return out


# ---------------------------------------------------------------------------------------------
# The fix the model tier proposes


def rebuild_comment(syntax: dict[str, Any], text: str) -> str:
    """The comment described by ``syntax`` (from a candidate's data) with ``text`` as its body.

    The result replaces the candidate's whole span, so the first line carries no indentation.
    """
    lines = text.strip("\n").split("\n") or [""]
    indent = str(syntax.get("indent", ""))
    style = syntax.get("style")
    if style == "line":
        prefix = str(syntax.get("prefix", "# "))
        rendered = [(prefix + ln) if ln.strip() else prefix.rstrip() for ln in lines]
        return ("\n" + indent).join(rendered)
    if style == "docstring":
        opening, closing = str(syntax["open"]), str(syntax["close"])
        if len(lines) == 1 and not syntax.get("closing_own_line"):
            return f"{opening}{lines[0]}{closing}"
        body = ("\n").join((indent + ln) if ln.strip() else "" for ln in lines[1:])
        parts = [opening + lines[0]]
        if body:
            parts.append(body)
        parts.append(indent + closing)
        return "\n".join(parts)
    opening, closing = str(syntax.get("open", "/*")), str(syntax.get("close", "*/"))
    if len(lines) == 1 and not syntax.get("multiline"):
        return f"{opening} {lines[0]} {closing}"
    if syntax.get("star"):
        inner = [f"{indent} * {ln}".rstrip() for ln in lines]
        return "\n".join([opening, *inner, f"{indent} {closing}"])
    inner = [f"{indent}  {ln}".rstrip() for ln in lines]
    return "\n".join([opening, *inner, f"{indent}{closing}"])


def translation_fix(candidate: Candidate, translation: str) -> Fix:
    """The Fix for a ``translate`` candidate once the model has translated ``data["text"]``."""
    syntax = candidate.data.get("syntax", {})
    replacement = rebuild_comment(syntax, translation)
    source = LANGUAGE_NAMES.get(str(candidate.data.get("language", "")), "foreign-language")
    target = str(candidate.data.get("target_language", "en"))
    return Fix(candidate.span, replacement, f"translate the {source} comment to {LANGUAGE_NAMES.get(target, target)}")


def translation_problem(candidate: Candidate, translation: str, rule: Rule) -> str | None:
    """Why the model's ``translation`` of a ``translate`` candidate must not become a fix, or None.

    Rejected: an empty answer, one far longer than the comment, one holding the comment's own
    delimiters (it would end the comment early or nest markers), and one whose language is not the
    team's (still the source language, or another).
    """
    text = translation.strip()
    if not text:
        return "the translation is empty"
    source = str(candidate.data.get("text", ""))
    if " ".join(text.split()) == " ".join(source.split()):
        return "the translation is the comment itself"
    if len(text) > 3 * len(source) + 60 or text.count("\n") > 2 * source.count("\n") + 2:
        return "the translation is much longer than the comment"
    if _breaks_syntax(candidate.data.get("syntax", {}), text):
        return "the translation holds comment delimiters"
    team = str(candidate.data.get("target_language", rule.options.get("language", "en"))).lower()
    options = rule.options.get("candidates", ["en", "hu", "vi"])
    candidates = tuple(dict.fromkeys([team, *(str(c).lower() for c in options)]))
    prose = prose_of(text)
    if not prose:
        return None  # nothing left to identify (names, code); the delimiter check above still applied
    guess: langid.Guess | None
    script_language = langid.foreign_script(prose, candidates)
    if script_language is not None:
        guess = langid.Guess(script_language, 1.0, "heuristic", True)
    else:
        guess = langid.identifier(candidates).identify(prose)
    if guess is not None and guess.language != team and guess.confidence >= 0.5:  # as detect() would see it
        return f"the translation is still in {LANGUAGE_NAMES.get(guess.language, guess.language)}"
    return None


def _breaks_syntax(syntax: dict[str, Any], text: str) -> bool:
    if "<|" in text:
        return True  # chat-template markers: the model talking, not a translation
    style = syntax.get("style")
    if style == "line":
        marker = str(syntax.get("prefix", "#")).strip()[:2] or "#"
        return any(line.lstrip().startswith(marker) for line in text.split("\n"))
    if style == "docstring":
        closing = str(syntax.get("close", '"""'))
        quote = closing[:1] or '"'
        return closing in text or text.startswith(quote) or text.endswith((quote, "\\"))
    opening, closing = str(syntax.get("open", "/*")), str(syntax.get("close", "*/"))
    return closing in text or opening[:2] in text or (opening == "<!--" and "--" in text)
