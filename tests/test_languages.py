"""languages.py: the detectors' queries compiled as one bundle per language give what each gives alone."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import tree_sitter

from tinyarms_lint import languages
from tinyarms_lint.detectors import DETECTORS

PROJECT = Path(__file__).resolve().parents[1]

PYTHON = b'''"""Module docstring."""
import os
from a.b import c as d  # trailing comment


class Box:
    """Class docstring."""

    size = 3

    def area(self) -> float:
        """Method docstring."""
        return self.size * 2.5 + 0x10  # a comment
'''
JS = b"""import x from "./x";
export { y } from '../y';
const z = require("z"); // comment
/* block */
const t = `total ${1 + 2}`;
"""
TSX = (
    JS
    + b"""import fs = require("fs");
export const P = () => <div title="Hi">Hello <b>there</b> {42}<br /></div>;
"""
)
SAMPLES = {
    "python": [PYTHON, (PROJECT / "fixtures/demo/app/billing.py").read_bytes()],
    "javascript": [JS],
    "jsx": [JS + b"const e = <p>Text</p>;\n"],
    "typescript": [JS + b'import fs = require("fs");\nconst n: number = 7;\n'],
    "tsx": [TSX, (PROJECT / "fixtures/demo/src/components/PriceTag.tsx").read_bytes()],
    "scss": [
        (PROJECT / "fixtures/demo/src/styles/checkout.scss").read_bytes(),
        b"// line\n/* block */\n.a { b: 1; }\n",
    ],
    "css": [(PROJECT / "fixtures/demo/src/styles/tokens.css").read_bytes(), b"/* c */\n.a { color: red; }\n"],
}


@pytest.fixture(scope="module", autouse=True)
def _all_detectors_declared() -> None:
    for target in DETECTORS.values():
        importlib.import_module(f"tinyarms_lint.detectors.{target.split(':')[0]}")


def _spans(found: dict[str, list[tree_sitter.Node]]) -> dict[str, list[tuple[int, int, str]]]:
    return {name: [(n.start_byte, n.end_byte, n.type) for n in nodes] for name, nodes in found.items()}


def test_every_declared_bundle_compiles_as_one_query() -> None:
    assert set(SAMPLES) <= set(languages._DECLARED)
    for language, sources in languages._DECLARED.items():
        bundle = languages._Bundle(language, sources)
        assert sorted(set(bundle.source_of)) == list(range(len(sources))), language


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_bundled_captures_and_matches_equal_each_query_alone(language: str) -> None:
    captured = 0
    for code in SAMPLES[language]:
        root = languages.parser(language).parse(code).root_node
        for source in languages._DECLARED[language]:
            alone = tree_sitter.QueryCursor(languages.query(language, source))
            assert languages._bundle(language, source) is not None
            bundled = _spans(languages.captures(language, source, root))
            assert bundled == _spans(alone.captures(root)), source
            matched = [(p, _spans(found)) for p, found in languages.matches(language, source, root)]
            assert matched == [(p, _spans(found)) for p, found in alone.matches(root)], source
            captured += sum(map(len, bundled.values()))
    assert captured  # the samples exercise the queries


def test_a_bundle_answers_for_the_node_it_is_given_not_the_last_one() -> None:
    source = "(comment) @comment"
    assert languages._bundle("python", source) is not None
    first = languages.parser("python").parse(b"# one\n").root_node
    second = languages.parser("python").parse(b"x = 1\n# two\n# three\n").root_node
    found_first = languages.captures("python", source, first)
    found_second = languages.captures("python", source, second)
    assert [n.start_byte for nodes in found_first.values() for n in nodes] == [0]
    assert [n.start_byte for nodes in found_second.values() for n in nodes] == [6, 12]
    assert languages.captures("python", source, first) == found_first


def test_capture_names_are_renamed_outside_strings_and_comments_only() -> None:
    source = '((identifier) @name (#any-of? @name "x" "a@b")) ; @not.a.capture\n'
    bundle = languages._Bundle("python", ["(comment) @c", source])
    assert bundle.source_of == [0, 1]
    root = languages.parser("python").parse(b"x = y  # note\n").root_node
    assert _spans(bundle.captures(root)) == {"q0.c": [(7, 13, "comment")], "q1.name": [(0, 1, "identifier")]}
    renamed = languages._QUERY_TOKEN.sub(lambda m: "@P." + m.group(1) if m.group(1) else m.group(0), source)
    assert renamed == '((identifier) @P.name (#any-of? @P.name "x" "a@b")) ; @not.a.capture\n'


def test_an_undeclared_query_runs_alone() -> None:
    root = languages.parser("python").parse(b"x = 1\n").root_node
    source = "(expression_statement) @statement"
    assert languages._bundle("python", source) is None
    assert _spans(languages.captures("python", source, root)) == {"statement": [(0, 5, "expression_statement")]}
