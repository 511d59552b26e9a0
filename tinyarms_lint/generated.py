"""Generated and minified files, which the run skips by default (``skip_generated``) with a note.

A file is generated when one of its first lines says so (``@generated``, ``DO NOT EDIT``,
``auto-generated``, ``Code generated``), and minified when its average line is longer than
``minified_line_length`` characters (GitHub's linguist uses the same signal). Data files (JSON,
YAML) are often written on one line by tools and are judged by their markers only.
"""

from __future__ import annotations

import re

HEAD_LINES = 10
HEAD_BYTES = 4096
MIN_MINIFIED_SIZE = 2048  # a short one-liner is not a bundle
DATA_LANGUAGES = frozenset({"json", "yaml"})
_MARKER = re.compile(
    r"@generated\b|do not edit\b|auto-?generated\b|automatically generated\b|\bcode generated\b", re.IGNORECASE
)


def generated_reason(text: str, language: str, minified_line_length: int) -> str | None:
    """Why ``text`` counts as generated or minified (for the note), or None when it is neither."""
    head = "\n".join(text[:HEAD_BYTES].split("\n", HEAD_LINES)[:HEAD_LINES])
    marker = _MARKER.search(head)
    if marker is not None:
        return f"generated (says {marker.group(0)!r} in its first lines)"
    if minified_line_length <= 0 or language in DATA_LANGUAGES or len(text) < MIN_MINIFIED_SIZE:
        return None
    average = len(text) // (text.count("\n") + 1)
    if average > minified_line_length:
        return f"minified (average line {average:,} characters, over minified_line_length = {minified_line_length})"
    return None
