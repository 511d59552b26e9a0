"""dry_index.py: tokens from real tree-sitter parses, winnowing, and the SQLite index on disk."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import stat
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tinyarms_lint import dry_index as di
from tinyarms_lint import git as tgit
from tinyarms_lint.languages import parser
from tinyarms_lint.repository import DirectoryRepository, GitRepository

from .conftest import git

IDS = di.Normalization(identifiers=True)
EXACT = di.Normalization(identifiers=False, literals=False)


def tokens_of(language: str, source: str, normalization: di.Normalization = IDS) -> di.TokenStream:
    data = source.encode()
    return di.tokenize(parser(language).parse(data), data, language, normalization)


def texts(language: str, source: str) -> list[str]:
    stream = tokens_of(language, source)
    data = source.encode()
    return [data[s:e].decode() for s, e in zip(stream.starts, stream.ends)]


# -- tokens ------------------------------------------------------------------------------------


def test_python_tokens_skip_comments_docstrings_and_imports() -> None:
    source = (
        '"""Module doc."""\nimport os\nfrom a import b  # why\n\ndef f(x):\n    """Doc."""\n    return x + 1  # add\n'
    )
    assert texts("python", source) == ["def", "f", "(", "x", ")", ":", "return", "x", "+", "1"]


def test_typescript_tokens_skip_imports_reexports_and_comments() -> None:
    source = (
        'import { a } from "./a";\nexport * from "./b";\nexport { c } from "./c";\n'
        "// note\nexport const d = a(1); /* end */\n"
    )
    assert texts("typescript", source) == ["export", "const", "d", "=", "a", "(", "1", ")", ";"]


def test_jsx_closing_and_self_closing_tags_count_two_tokens_as_in_jscpd() -> None:
    source = "const a = <div>{x}<br /></div>;\n"
    assert texts("tsx", source) == [
        "const", "a", "=", "<", "div", ">", "{", "x", "}", "<", "br", "/", ">", "<", "/", "div", ">", ";",
    ]  # fmt: skip
    closing = tokens_of("tsx", source)
    assert closing.norm[13:15] == tokens_of("tsx", "a < / b;").norm[1:3]  # the same codes as a lone < and /


def test_layout_whitespace_between_jsx_children_is_counted_not_compared() -> None:
    laid_out = "const a = (\n  <>\n    <div>\n      {x}\n      <br />\n    </div>\n  </>\n);\n"
    stream = tokens_of("tsx", laid_out)
    data = laid_out.encode()
    # after the fragment's >, <div>, {x}, <br /> and </div>: five breaks, each one more token for min_tokens
    assert [data[stream.starts[i] : stream.ends[i]].decode() for i in stream.jsx_breaks] == [">", ">", "}", ">", ">"]
    assert stream.counted(0, len(stream)) == len(stream) + 5
    assert stream.counted(6, 3) == 3  # "<", "div", ">": the break after that > ends the stretch, not inside it
    assert stream.counted(5, 4) == 4 + 1  # ">", "<", "div", ">": the break after the fragment's > is inside
    one_line = tokens_of("tsx", "const a = (<><div>{x}<br /></div></>);\n")
    assert one_line.norm == stream.norm and one_line.jsx_breaks == []  # compared the same, counted less
    assert tokens_of("typescript", "const a = b < c;\nconst d = e > f;\n").jsx_breaks == []


def test_css_keeps_values_whole_and_skips_at_imports() -> None:
    source = '@import "base.css";\n.card { color: #fff; margin: 8px auto; content: "x"; }\n'
    assert texts("css", source) == [
        ".", "card", "{", "color", ":", "#fff", ";", "margin", ":", "8px", "auto", ";",
        "content", ":", '"x"', ";", "}",
    ]  # fmt: skip


def test_renamed_identifiers_normalize_to_the_same_codes() -> None:
    first = tokens_of("python", "def total(items):\n    return sum(i.price for i in items)\n")
    second = tokens_of("python", "def amount(lines):\n    return sum(l.price for l in lines)\n")
    assert first.norm == second.norm
    assert first.raw != second.raw
    exact_first = tokens_of("python", "def total(items):\n    return 1\n", EXACT)
    exact_second = tokens_of("python", "def amount(lines):\n    return 1\n", EXACT)
    assert exact_first.norm != exact_second.norm


def test_literals_are_never_normalized_in_fingerprints() -> None:
    first = tokens_of("typescript", 'fetch("/api/users");')
    second = tokens_of("typescript", 'fetch("/api/orders");')
    assert first.norm != second.norm
    assert first.kinds == second.kinds
    assert di.LITERAL in first.kinds


def test_interpolated_strings_are_split_so_names_inside_them_are_identifiers() -> None:
    ts = texts("typescript", "const u = `/api/${teamId}/members`;")
    assert "teamId" in ts and "`/api/${teamId}/members`" not in ts
    assert "`plain`" in texts("typescript", "const u = `plain`;")
    py = texts("python", 'x = f"{user.name}!"\ny = "plain"\n')
    assert "user" in py and '"plain"' in py


def test_syntax_errors_still_tokenize() -> None:
    stream = tokens_of("tsx", "export function ( {{ <div>}} const = ;;\n\x00")
    assert len(stream) > 0
    assert len(stream.norm) == len(stream.raw) == len(stream.starts) == len(stream.ends)


# -- fingerprints ------------------------------------------------------------------------------


def test_winnow_picks_the_rightmost_minimum_of_each_window() -> None:
    hashes = [77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98]
    # the example of Schleimer et al., window 4: {17, 17, 8, 39, 17}
    assert di.winnow(hashes, 4) == [(17, 3), (17, 6), (8, 8), (39, 11), (17, 15)]
    assert di.winnow([5, 3, 3], 4) == [(3, 2)]
    assert di.winnow([], 4) == []


def test_every_shared_run_of_the_guarantee_length_shares_a_fingerprint() -> None:
    rng = random.Random(42)
    for _ in range(200):
        shared = [rng.randrange(40) for _ in range(di.GUARANTEE)]
        left = [rng.randrange(40) for _ in range(rng.randrange(0, 60))] + shared
        left += [rng.randrange(40) for _ in range(rng.randrange(0, 60))]
        right = [rng.randrange(40) for _ in range(rng.randrange(0, 60))] + shared
        right += [rng.randrange(40) for _ in range(rng.randrange(0, 60))]
        left_prints = {h for h, _ in di.winnow(di.kgram_hashes(left))}
        right_prints = {h for h, _ in di.winnow(di.kgram_hashes(right))}
        assert left_prints & right_prints


def test_kgram_hashes_are_stable_across_processes() -> None:
    codes = list(range(100, 130))
    here = di.kgram_hashes(codes)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        there = pool.apply(di.kgram_hashes, (codes,))
    assert here == there


# -- what takes part ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "node_modules/lib/index.js",
        "web/vendor/jquery.js",
        "dist/app.js",
        "static/app.min.js",
        "static/app.bundle.js",
        "lib/jquery-min.js",
        "src/types/api.d.ts",
        "proto/user_pb2.py",
        "src/api.generated.ts",
        "app/migrations/0001_initial.py",
        "src/__snapshots__/Button.test.tsx",
    ],
)
def test_generated_vendored_and_minified_paths(path: str) -> None:
    assert di.is_generated_path(path)
    assert not di.eligible(path, ())


@pytest.mark.parametrize("path", ["src/app.ts", "src/minimal.ts", "build.py", "docs/generator.py", "x.tsx"])
def test_ordinary_paths_take_part(path: str) -> None:
    assert not di.is_generated_path(path)
    assert di.eligible(path, ())


def test_languages_data_files_and_ignore_globs() -> None:
    assert not di.eligible("package-lock.json", ())
    assert not di.eligible("config.yaml", ())
    assert not di.eligible("index.html", ())
    assert not di.eligible("src/legacy/old.ts", ("src/legacy/**",))
    assert di.eligible("src/new/old.ts", ("src/legacy/**",))


def test_generated_and_minified_content() -> None:
    assert di.is_generated_source(b"// Code generated by protoc-gen-ts. DO NOT EDIT.\nexport const a = 1;\n")
    assert di.is_generated_source(b"# Generated by Django 5.1 on 2024-01-01\nfrom django.db import migrations\n")
    assert di.is_generated_source(b"var a=1;" * 1000)
    assert not di.is_generated_source(b"export const a = 1;\n" * 200)


# -- the index on disk -------------------------------------------------------------------------

PY_A = "def load(path):\n    with open(path) as handle:\n        return [line.strip() for line in handle if line]\n" * 3
PY_B = "class Cart:\n    def total(self):\n        return sum(line.price * line.qty for line in self.lines)\n" * 3


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def open_index(tmp_path: Path) -> di.FingerprintIndex:
    return di.FingerprintIndex(tmp_path / "cache" / "dry" / "index.sqlite3", IDS)


def read_from(repository: DirectoryRepository | GitRepository) -> Callable[[list[str]], dict[str, bytes]]:
    return repository.read_many


def test_sync_fingerprints_only_new_blobs(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, {"a.py": PY_A, "b.py": PY_B, "c.py": PY_A})
    repo = DirectoryRepository(root)
    index = open_index(tmp_path)
    view = {p: b for p, b in repo.files().items() if di.eligible(p, ())}
    assert index.sync(view, read_from(repo)) == 3  # outside git, content ids include the path
    assert set(index.paths) == {"a.py", "b.py", "c.py"}
    index.close()

    again = open_index(tmp_path)
    assert again.sync(view, read_from(repo)) == 0  # warm: nothing fingerprinted
    changed = dict(view, **{"b.py": "new-id-of-b"})
    calls: list[list[str]] = []

    def read(paths: list[str]) -> dict[str, bytes]:
        calls.append(paths)
        return repo.read_many(paths)

    assert again.sync(changed, read) == 1
    assert calls == [["b.py"]]


def test_git_view_stores_each_blob_once_and_reads_the_index_in_one_process(repo: Path, tmp_path: Path) -> None:
    write(repo, {"a.py": PY_A, "copy/a.py": PY_A, "b.py": PY_B})
    git(repo, "add", "-A")
    view = GitRepository(repo, from_index=True)
    ids = view.files()
    assert ids["a.py"] == ids["copy/a.py"] == di.git_blob_id(PY_A.encode())
    assert tgit.blob_contents(repo, [ids["a.py"], "0" * 40]) == {ids["a.py"]: PY_A.encode()}
    assert view.read_many(["a.py", "b.py", "missing.py"]) == {"a.py": PY_A.encode(), "b.py": PY_B.encode()}
    index = open_index(tmp_path)
    assert index.sync(ids, read_from(view)) == 2  # two distinct blobs
    blob_id = index.paths["a.py"]
    assert sorted(index.blob_paths[blob_id]) == ["a.py", "copy/a.py"]
    tokens = di.tokenize_source("a.py", PY_A.encode(), IDS)
    assert tokens is not None
    found = index.lookup(h for h, _ in di.fingerprints(tokens))
    assert found and all(hit.blob_id == blob_id for hits in found.values() for hit in hits)


def test_removed_files_leave_no_rows(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, {"a.py": PY_A, "b.py": PY_B})
    repo = DirectoryRepository(root)
    index = open_index(tmp_path)
    index.sync(repo.files(), read_from(repo))
    index.sync({"a.py": repo.files()["a.py"]}, read_from(repo))
    db = sqlite3.connect(index.path)
    blobs = db.execute("SELECT count(*) FROM blobs").fetchone()[0]
    orphans = db.execute("SELECT count(*) FROM prints WHERE blob_id NOT IN (SELECT blob_id FROM paths)").fetchone()[0]
    assert (blobs, orphans) == (1, 0)
    assert set(index.paths) == {"a.py"}


def test_content_that_is_not_the_listed_blob_is_not_stored_under_it(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, {"a.py": PY_A})
    repo = DirectoryRepository(root)
    index = open_index(tmp_path)
    index.sync({"a.py": "index-blob"}, read_from(repo), persist=lambda path, blob, data: False)
    assert index.blob_names[index.paths["a.py"]] == "local:" + di.git_blob_id(PY_A.encode())
    # the next run asks again, since the listed blob was never stored
    assert index.sync({"a.py": "index-blob"}, read_from(repo), persist=lambda path, blob, data: False) == 1


def test_corrupted_index_is_rebuilt_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "dry" / "index.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    index = di.FingerprintIndex(path, IDS)
    assert index.notes and "rebuilt" in index.notes[0]
    root = tmp_path / "work"
    write(root, {"a.py": PY_A})
    repo = DirectoryRepository(root)
    assert index.sync(repo.files(), read_from(repo)) == 1


def test_index_from_another_version_or_setting_is_emptied(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, {"a.py": PY_A})
    repo = DirectoryRepository(root)
    path = tmp_path / "cache" / "dry" / "index.sqlite3"
    di.FingerprintIndex(path, IDS).sync(repo.files(), read_from(repo))
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = 'v0;old' WHERE key = 'settings'")
    db.commit()
    db.close()
    assert di.FingerprintIndex(path, IDS).sync(repo.files(), read_from(repo)) == 1


def test_index_folder_and_file_are_private(tmp_path: Path) -> None:
    index = open_index(tmp_path)
    assert stat.S_IMODE(index.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(index.path.parent.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(index.path.stat().st_mode) == 0o600


def test_index_path_is_per_repository_and_identifier_setting(tmp_path: Path) -> None:
    first = di.index_path(tmp_path / "cache", tmp_path / "a", IDS)
    assert first.parent == tmp_path / "cache"
    assert first != di.index_path(tmp_path / "cache", tmp_path / "b", IDS)
    assert first != di.index_path(tmp_path / "cache", tmp_path / "a", EXACT)
    # literals are never normalized in fingerprints, so their setting shares the index
    assert first == di.index_path(tmp_path / "cache", tmp_path / "a", di.Normalization(literals=False))


def _sync_in_child(args: tuple[str, str]) -> int:
    root, cache = args
    repo = DirectoryRepository(Path(root))
    index = di.FingerprintIndex(Path(cache) / "index.sqlite3", IDS)
    return index.sync(repo.files(), repo.read_many)


def test_concurrent_builds_do_the_work_once_and_agree(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, {f"m{i}.py": PY_A.replace("load", f"load{i}") for i in range(40)})
    cache = tmp_path / "cache" / "dry"
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        done = pool.map(_sync_in_child, [(str(root), str(cache))] * 3)
    assert sorted(done) == [0, 0, 40]  # one process built it, the others found it built
    db = sqlite3.connect(cache / "index.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM paths").fetchone()[0] == 40
    expected = 0
    for path in sorted(root.iterdir()):
        tokens = di.tokenize_source(path.name, path.read_bytes(), IDS)
        assert tokens is not None
        expected += len(di.fingerprints(tokens))
    assert db.execute("SELECT count(*) FROM prints").fetchone()[0] == expected  # nothing lost to a late re-create


def test_token_streams_are_built_once_per_content_and_normalization() -> None:
    norm = di.Normalization()
    first = di.tokenize_source("a.py", PY_A.encode(), norm)
    again = di.tokenize_source("copy/a.py", PY_A.encode(), norm)
    assert first is not None and again is first  # same content: the stream built once is reused
    other = di.tokenize_source("a.py", PY_A.encode(), di.Normalization(identifiers=False))
    assert other is not None and other is not first
    assert other.norm != first.norm and other.raw == first.raw  # identifiers are normalized only in `first`


def _variants(count: int) -> dict[str, str]:
    """``count`` files: Python, TSX (JSX layout breaks) and SCSS, each a little different."""
    tsx = 'export function Card{i}({{ title }}) {{\n  return (\n    <div className="card">\n      <h2>{{title}}</h2>\n      <p>n{i}</p>\n    </div>\n  );\n}}\n'
    scss = ".card{i} {{\n  color: #{i:03};\n  margin: {i}px;\n}}\n"
    files: dict[str, str] = {}
    for i in range(count):
        kind = i % 3
        if kind == 0:
            files[f"m{i}.py"] = PY_A.replace("load", f"load{i}")
        elif kind == 1:
            files[f"c{i}.tsx"] = tsx.format(i=i) * 2
        else:
            files[f"s{i}.scss"] = scss.format(i=i) * 3
    return files


def test_tokenizing_in_worker_processes_gives_the_same_streams_and_keeps_them_here() -> None:
    norm = di.Normalization(identifiers=True, literals=False)  # a normalization no other test tokenizes with
    items = [(path, text.encode()) for path, text in _variants(di.MIN_PARALLEL_TOKENIZE + 6).items()]
    with di._workers(2) as pool:
        assert pool is not None
        done = di.tokenize_many(items, norm, pool)
    forked = [None if d is None else d[0] for d in done]
    for (path, data), tokens, stored in zip(items, forked, done):
        language = di.dry_language(path)
        assert tokens is not None and language is not None and stored is not None
        assert di.decode_stream(stored[1])[1] == di.line_starts(data)
        here = di._tokenize(parser(language).parse(data), data, language, norm)
        assert (tokens.norm, tokens.raw, tokens.kinds, tokens.starts, tokens.ends, tokens.jsx_breaks) == (
            here.norm,
            here.raw,
            here.kinds,
            here.starts,
            here.ends,
            here.jsx_breaks,
        )
        assert tokens.winnowed == di.winnow(di.kgram_hashes(here.norm))
        assert di.tokenize_source(path, data, norm) is tokens  # remembered in this process: not tokenized again
    assert any(tokens is not None and tokens.jsx_breaks for tokens in forked)


def test_an_index_built_over_several_processes_equals_one_built_in_one(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, _variants(di.MIN_PARALLEL_TOKENIZE + 6))
    repo = DirectoryRepository(root)
    view = {p: b for p, b in repo.files().items() if di.eligible(p, ())}
    rows = []
    for jobs in (1, 2):
        index = di.FingerprintIndex(tmp_path / f"cache{jobs}" / "dry" / "index.sqlite3", IDS)
        assert index.sync(view, read_from(repo), jobs=jobs) == len(view)
        db = sqlite3.connect(index.path)
        rows.append(
            db.execute(
                "SELECT paths.path, blobs.tokens, prints.hash, prints.pos FROM prints JOIN blobs ON blobs.id ="
                " prints.blob_id JOIN paths ON paths.blob_id = blobs.id ORDER BY 1, 4"
            ).fetchall()
        )
        index.close()
    assert rows[0] == rows[1] and len(rows[0]) > 100


def test_many_lookups_are_answered_from_memory_with_the_same_occurrences(tmp_path: Path) -> None:
    root = tmp_path / "work"
    # one fingerprint in ten files: at most three occurrences of each are asked for
    write(root, {f"m{i}.py": PY_A for i in range(10)} | {"b.py": PY_B})
    repo = DirectoryRepository(root)
    index = open_index(tmp_path)
    index.sync(repo.files(), read_from(repo))
    tokens = di.tokenize_source("m0.py", PY_A.encode(), IDS)
    assert tokens is not None
    hashes = [h for h, _ in di.fingerprints(tokens)]
    from_queries = [index.lookup(hashes, per_hash=3) for _ in range(di.HOLD_AFTER_LOOKUPS)]
    from_memory = index.lookup(hashes, per_hash=3)
    assert index._held_per_hash == 3  # the table was read
    assert from_memory == from_queries[0] and all(len(hits) == 3 for hits in from_memory.values())
    assert index.lookup(hashes) == index.lookup(hashes)  # every occurrence: still from the database
    assert all(len({hit.blob_id for hit in hits}) == 10 for hits in index.lookup(hashes).values())
    write(root, {"m1.py": PY_B + "\nX = 1\n"})  # an update drops what is held
    repo = DirectoryRepository(root)
    index.sync(repo.files(), read_from(repo))
    assert index._held_per_hash == 0
    assert all(len(hits) == 3 for hits in index.lookup(hashes, per_hash=3).values())


def test_stored_token_streams_decode_to_what_was_tokenized_and_bad_ones_are_refused(tmp_path: Path) -> None:
    data = ('const a = <div className="x">\n  <b>{y}</b>\n</div>;\n' * 4).encode()
    tokens = di.tokenize_source("a.tsx", data, IDS)
    assert tokens is not None and tokens.jsx_breaks
    decoded, starts = di.decode_stream(di.encode_stream(tokens, di.line_starts(data)))
    fields = ("norm", "raw", "kinds", "starts", "ends", "jsx_breaks", "winnowed")
    assert [getattr(decoded, f) for f in fields] == [getattr(tokens, f) for f in fields]
    assert starts == di.line_starts(data) == [0, 30, 43, 51, 81, 94, 102, 132, 145, 153, 183, 196, 204]
    with pytest.raises(ValueError):
        di.decode_stream(zlib.compress(b"\x01\x00\x00\x00" + b"\x00" * 40))
    root = tmp_path / "work"
    write(root, {"a.py": PY_A, "b.py": PY_B})
    repo = DirectoryRepository(root)
    index = open_index(tmp_path)
    index.sync(repo.files(), read_from(repo))
    assert index.stream(index.paths["a.py"]) is not None  # tokenized by this process: at hand
    di._BLOB_STREAMS.clear()  # as in another process: read from the database
    stored = index.stream(index.paths["a.py"])
    assert stored is not None and stored[0].norm == di.tokenize_source("a.py", PY_A.encode(), IDS).norm  # type: ignore[union-attr]
    db = sqlite3.connect(index.path)
    db.execute("UPDATE blobs SET stream = x'00ff' WHERE id = ?", (index.paths["b.py"],))
    db.commit()
    assert index.stream(index.paths["b.py"]) is None  # damaged: the caller reads and tokenizes the file


def test_a_table_held_before_a_fork_serves_the_forked_index_while_the_index_is_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write(root, {f"m{i}.py": PY_A for i in range(4)} | {"b.py": PY_B})
    repo = DirectoryRepository(root)
    parent = open_index(tmp_path)
    parent.sync(repo.files(), read_from(repo))
    assert parent.hold(per_hash=2)
    tokens = di.tokenize_source("m0.py", PY_A.encode(), IDS)
    assert tokens is not None
    hashes = [h for h, _ in di.fingerprints(tokens)]
    child = open_index(tmp_path)  # a worker's own connection
    child.sync(repo.files(), read_from(repo))
    assert child.lookup(hashes, per_hash=2) == parent.lookup(hashes, per_hash=2)
    assert child._held_per_hash == 2 and child._lookups == 0  # served at once, from the held table
    write(root, {"m1.py": PY_B + "\nY = 2\n"})
    changed = DirectoryRepository(root)
    parent.sync(changed.files(), read_from(changed))  # a new generation: the held table is not used again
    third = open_index(tmp_path)
    third.sync(changed.files(), read_from(changed))
    third.lookup(hashes, per_hash=2)
    assert third._held_per_hash == 0 and third._lookups == 1
