"""The ``dry`` detector: code in this file that duplicates code elsewhere in the repository.

The file's normalized tokens are fingerprinted (see ``dry_index``) and looked up in the index of
every other file; seeds that line up are extended to maximal runs of equal tokens, split where
names and literals stop being a consistent renaming, trimmed to whole lines, filtered (varied
tokens, mostly the same names), and each run of at least ``min_tokens`` tokens becomes one finding
on this file's copy, naming the other places.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import sqlite3
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import dry_index
from ..budget import outside_budget
from ..dry_index import IDENT, LITERAL, DryIndexError, FingerprintIndex, Normalization, TokenStream
from ..errors import ConfigError
from ..types import Candidate

if TYPE_CHECKING:
    from ..regions import SourceFile
    from ..rules import Rule
    from .base import DetectContext, RepositoryView

# A duplicated run must use at least this many different tokens: a run that repeats a short
# pattern (a list of fields, a table of constants) is data, not copied logic.
MIN_DISTINCT_TOKENS = 12
# When names (identifiers, literals) may differ, at least this share of their occurrences must be
# the same in both copies: a renamed copy keeps most names, code that merely has the same shape
# (two serializers, two CSS rules with other values) does not...
MIN_SAME_NAMES = 0.5
# ... unless only this many occurrences differ (a renamed function, a new CSS selector).
MAX_RENAMED_ALWAYS = 2
# A renamed copy must be longer than an exact one by this many tokens per renamed name or literal,
# beyond the first (a copied function under a new name, a rule under a new selector).
RENAME_COST = 5
FREE_RENAMES = 1
# A fingerprint seen more often than this in one file is a repeated idiom, not a seed for a copy.
MAX_SELF_OCCURRENCES = 40
# At most this share of a run's tokens may be other than keys, values and their punctuation for
# the run to count as a table of values (then other values make it another table, not a copy).
TABLE_CODE_SHARE = 0.1
# A run of ``min_tokens`` is reported as the whole lines it covers; those must still hold this share of
# ``min_tokens`` (jscpd counts a clone that starts or ends mid-line; so does this rule, up to here).
TRIMMED_SHARE = 0.8
# Occurrences of one fingerprint fetched from the index, and other files compared with each file
# (those sharing the most fingerprints): the work per file is bounded, so a run grows linearly with
# the repository even when every file resembles every other (generated services, a component kit).
MAX_HASH_OCCURRENCES = 64
MAX_COMPARED_FILES = 12
# Files compared besides those because they seed a stretch of the file none of those seed (the 12 can all
# share one piece of boilerplate with it while one other file holds a copy of another piece).
MAX_COVERING_FILES = 4
# ... looked for among the next files of the ranking only (scanning all of it made a file's cost grow with
# the number of files similar to it).
MAX_COVERING_SCAN = 64
# Tokens compared at once (as one slice) while a run is extended, before the last few one by one.
EXTEND_STEP = 16
# Other files' token streams kept in memory during a run.
TOKEN_CACHE_SIZE = 256
# Other files named in a finding's message (the one sharing most with this copy first, one range
# each): a copy made five times names all four others; every place is in the finding's data.
SHOWN_FILES = 4
_CLOSERS = frozenset(zlib.crc32(text) for text in (b"}", b")", b"]", b";", b","))
# The punctuation of object and array literals: a run of only these, names and literals is a table.
_TABLE_PUNCTUATION = frozenset(zlib.crc32(text) for text in (b":", b",", b"{", b"}", b"[", b"]", b'"', b"'"))


@dataclass(frozen=True)
class DryOptions:
    """The rule's options, validated."""

    min_tokens: int
    min_lines: int
    min_copies: int
    normalization: Normalization
    ignore: tuple[str, ...]
    check_tests: bool

    @property
    def seeds_needed(self) -> int:
        """Shared fingerprints on one alignment that any run of ``min_tokens`` tokens must have."""
        return max(1, (self.min_tokens - dry_index.K + 1) // dry_index.W)


def _int_option(options: dict[str, Any], name: str, default: int, minimum: int) -> int:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"rules.dry.{name} must be a whole number of at least {minimum}, got {value!r}")
    return value


def _bool_option(options: dict[str, Any], name: str, default: bool) -> bool:
    value = options.get(name, default)
    if not isinstance(value, bool):
        raise ConfigError(f"rules.dry.{name} must be true or false, got {value!r}")
    return value


def parse_options(options: dict[str, Any]) -> DryOptions:
    """Options from the rule file and the configuration; ConfigError names a bad value."""
    ignore = options.get("ignore") or []
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(g, str) for g in ignore):
        raise ConfigError("rules.dry.ignore must be a list of glob patterns")
    return DryOptions(
        min_tokens=_int_option(options, "min_tokens", 50, 1),
        min_lines=_int_option(options, "min_lines", 5, 1),
        min_copies=_int_option(options, "min_copies", 2, 2),
        normalization=Normalization(
            identifiers=_bool_option(options, "normalize_identifiers", True),
            literals=_bool_option(options, "normalize_literals", True),
        ),
        ignore=tuple(ignore),
        check_tests=_bool_option(options, "check_tests", False),
    )


@dataclass
class OtherFile:
    """A file's tokens and the byte offsets where its lines start."""

    tokens: TokenStream
    line_starts: list[int]

    def line_of(self, offset: int) -> int:
        """The 1-based line holding byte ``offset``."""
        return bisect.bisect_right(self.line_starts, offset)

    def lines(self, start: int, length: int) -> tuple[int, int]:
        """First and last line of ``length`` tokens from token ``start``."""
        tokens = self.tokens
        return self.line_of(tokens.starts[start]), self.line_of(tokens.ends[start + length - 1] - 1)


@dataclass
class DryState:
    """What the rule keeps for one run: the opened index and other files' token streams."""

    options: DryOptions
    repository: RepositoryView | None
    index: FingerprintIndex | None = None
    synced: bool = False
    fingerprinted: int = 0  # files of the repository fingerprinted by this run
    pid: int = field(default_factory=os.getpid)
    others: OrderedDict[int, OtherFile | None] = field(default_factory=OrderedDict)

    def other(self, blob_id: int, exclude: str) -> OtherFile | None:
        """The token stream of a stored blob, read through the repository view (cached)."""
        if blob_id in self.others:
            self.others.move_to_end(blob_id)
            return self.others[blob_id]
        found: OtherFile | None = None
        assert self.index is not None and self.repository is not None
        stored = self.index.stream(blob_id)
        if stored is not None:  # as the index stored it: the file is not read, parsed and tokenized again
            found = OtherFile(*stored)
            self.remember(blob_id, found)
            return found
        for path in self.index.blob_paths.get(blob_id, []):
            if path == exclude:
                continue
            data = _read(self.repository, path)
            if data is None:
                continue
            tokens = dry_index.tokenize_source(path, data, self.options.normalization)
            if tokens is not None:
                found = OtherFile(tokens, dry_index.line_starts(data))
            break
        self.remember(blob_id, found)
        return found

    def remember(self, blob_id: int, tokens: OtherFile | None) -> None:
        self.others[blob_id] = tokens
        self.others.move_to_end(blob_id)
        if len(self.others) > TOKEN_CACHE_SIZE:
            self.others.popitem(last=False)


def _read(repository: RepositoryView, path: str) -> bytes | None:
    try:
        return repository.read(path)
    except Exception:  # noqa: BLE001 - a file that vanished or git cannot show is just skipped
        return None


def _note(ctx: DetectContext, message: str) -> None:
    notes = ctx.project.setdefault("notes", [])
    if isinstance(notes, list) and message not in notes:
        notes.append(message)


def prepare(rule: Rule, ctx: DetectContext, jobs: int) -> None:
    """Open and update the duplicate index before any file is checked, tokenizing over ``jobs`` processes;
    the token streams stay in this process's memory, so workers forked after this compare without
    tokenizing again (the engine calls it before it forks its own workers)."""
    options = parse_options(rule.options)
    state = _state(None, ctx, options, None, jobs)
    if state.index is not None:
        with contextlib.suppress(sqlite3.Error):  # read once here, not once per worker (lookups still work)
            state.index.hold(MAX_HASH_OCCURRENCES)
        state.index.close()  # SQLite connections do not cross a fork: each worker opens its own
    ctx.project.get("dry", {}).pop(options, None)


@outside_budget  # opening the repository-wide index is not the first file's cost
def _state(
    file: SourceFile | None,
    ctx: DetectContext,
    options: DryOptions,
    own: dry_index.Fingerprinted | None,
    jobs: int = 1,
) -> DryState:
    """The run's DryState for these options; opens and syncs the index on first use.

    ``own`` is this file's token count and fingerprints, stored as its blob when the file's
    content is the blob the repository view lists for its path."""
    states: dict[DryOptions, DryState] = ctx.project.setdefault("dry", {})
    state = states.get(options)
    if state is None or state.pid != os.getpid():  # a forked worker (--jobs) opens its own connection
        state = states[options] = DryState(options, ctx.repository)
    if state.synced or ctx.repository is None:
        return state
    state.synced = True
    repository = ctx.repository
    try:
        view = {
            path: blob
            for path, blob in repository.files().items()
            if dry_index.eligible(path, options.ignore, ctx.exclude)
        }
    except Exception as exc:  # noqa: BLE001 - no view of the repository: this file alone
        _note(ctx, f"dry: cannot list the repository's files ({exc}); checked files against themselves only")
        return state
    known = {}
    if file is not None and own is not None:
        own_blob = dry_index.git_blob_id(file.source)
        known = {own_blob: own} if view.get(file.path) == own_blob else {}

    def read(paths: list[str]) -> dict[str, bytes]:
        read_many = getattr(repository, "read_many", None)  # one git process for many files
        found: dict[str, bytes] | None = None
        if read_many is not None:
            with contextlib.suppress(Exception):
                found = read_many(paths)
        if found is None:  # a view without it (or it failed): one file at a time
            contents = {path: _read(repository, path) for path in paths}
            found = {path: data for path, data in contents.items() if data is not None}
        return found

    try:
        from ..cache import default_cache_dir

        directory = default_cache_dir(ctx.cache_dir, ctx.root) / "dry"
        state.index = FingerprintIndex(
            dry_index.index_path(directory, ctx.root, options.normalization), options.normalization
        )
        state.fingerprinted = state.index.sync(view, read, _persist_check(repository), known, jobs)
    except (DryIndexError, OSError) as exc:
        _note(ctx, f"dry: duplicate index unavailable ({exc}); checked files against themselves only")
        state.index = None
    if state.index is not None:
        for message in state.index.notes:
            _note(ctx, message)
    return state


def _persist_check(repository: RepositoryView) -> Callable[[str, str, bytes], bool]:
    """Content read from a git working tree that differs from its index blob is not stored
    under that blob id (it would poison the cache); every other view's ids are its own."""
    from ..repository import GitRepository

    if not isinstance(repository, GitRepository) or repository.from_index:
        return lambda path, blob, data: True
    return lambda path, blob, data: dry_index.git_blob_id(data) == blob


@dataclass(frozen=True)
class Run:
    """``length`` equal tokens at ``mine`` in this file and ``theirs`` in the other."""

    mine: int
    theirs: int
    length: int


def _extend(a: TokenStream, b: TokenStream, i: int, j: int, literals: bool) -> Run:
    """The maximal run of equal normalized tokens through the aligned positions ``i``, ``j``
    (two literals count as equal when ``literals`` may differ)."""
    ac, bc = a.compared(literals), b.compared(literals)
    step = EXTEND_STEP
    start_a, start_b = i, j
    while start_a >= step and start_b >= step and ac[start_a - step : start_a] == bc[start_b - step : start_b]:
        start_a -= step
        start_b -= step
    while start_a > 0 and start_b > 0 and ac[start_a - 1] == bc[start_b - 1]:
        start_a -= 1
        start_b -= 1
    end_a, end_b = i, j
    len_a, len_b = len(ac), len(bc)
    while end_a + step <= len_a and end_b + step <= len_b and ac[end_a : end_a + step] == bc[end_b : end_b + step]:
        end_a += step
        end_b += step
    while end_a < len_a and end_b < len_b and ac[end_a] == bc[end_b]:
        end_a += 1
        end_b += 1
    return Run(start_a, start_b, end_a - start_a)


def renamable_kinds(normalization: Normalization) -> frozenset[int]:
    """The token classes a copy may rename: identifiers and/or literals, by the options."""
    return frozenset(kind for kind, on in ((IDENT, normalization.identifiers), (LITERAL, normalization.literals)) if on)


def consistent_runs(a: TokenStream, b: TokenStream, run: Run, normalization: Normalization) -> list[Run]:
    """Split ``run`` where names (and literals) stop being a one-to-one renaming (Baker's p-match).

    Each returned run is a maximal stretch in which every name of one copy always stands for the
    same name of the other, and the other way round.
    """
    renamable = renamable_kinds(normalization)
    if not renamable or a.raw[run.mine : run.mine + run.length] == b.raw[run.theirs : run.theirs + run.length]:
        return [run]  # nothing renamed: one consistent run
    kinds, ar, br = a.kinds, a.raw, b.raw
    out: list[Run] = []
    forward: dict[int, tuple[int, int]] = {}  # name here -> (name there, last offset seen)
    backward: dict[int, tuple[int, int]] = {}
    start = 0
    offset = 0
    while offset < run.length:
        i, j = run.mine + offset, run.theirs + offset
        if kinds[i] not in renamable:
            offset += 1
            continue
        mine, theirs = ar[i], br[j]
        ahead, behind = forward.get(mine), backward.get(theirs)
        if (ahead is None or ahead[0] == theirs) and (behind is None or behind[0] == mine):
            forward[mine] = (theirs, offset)
            backward[theirs] = (mine, offset)
            offset += 1
            continue
        out.append(Run(run.mine + start, run.theirs + start, offset - start))
        # restart after the last use of the binding that conflicts; the token is checked again
        start = 1 + max(
            ahead[1] if ahead is not None and ahead[0] != theirs else -1,
            behind[1] if behind is not None and behind[0] != mine else -1,
        )
        forward.clear()
        backward.clear()
        for back in range(start, offset):
            if kinds[run.mine + back] in renamable:
                forward[ar[run.mine + back]] = (br[run.theirs + back], back)
                backward[br[run.theirs + back]] = (ar[run.mine + back], back)
    out.append(Run(run.mine + start, run.theirs + start, run.length - start))
    return out


def _looks_copied(a: TokenStream, b: TokenStream, run: Run, options: DryOptions) -> bool:
    """Filters a long run must pass: varied tokens and, when names may differ, mostly the same
    names, with a longer run asked of a copy for every name it renames."""
    # names kept as they are in both copies count as themselves: a copied list of props or fields is
    # varied code, while one pattern repeated (a table of constants) stays a handful of codes
    mine_raw = a.raw[run.mine : run.mine + run.length]
    theirs_raw = b.raw[run.theirs : run.theirs + run.length]
    renamable = renamable_kinds(options.normalization)
    if mine_raw == theirs_raw:  # an exact copy: nothing renamed, no table of other values
        if len(set(mine_raw)) < MIN_DISTINCT_TOKENS:
            return False
        return not renamable or a.counted(run.mine, run.length) >= options.min_tokens
    if len(set(a.norm[run.mine : run.mine + run.length]) | set(mine_raw).intersection(theirs_raw)) < MIN_DISTINCT_TOKENS:
        return False
    if not renamable:
        return True
    total = same = 0
    renamed: set[int] = set()
    for offset in range(run.length):
        i = run.mine + offset
        if a.kinds[i] in renamable:
            total += 1
            if a.raw[i] == b.raw[run.theirs + offset]:
                same += 1
            else:
                renamed.add(a.raw[i])
    if total - same > MAX_RENAMED_ALWAYS and same < MIN_SAME_NAMES * total:
        return False
    if renamed and _table_of_values(a, b, run):
        return False  # the same keys with other values: two tables (a light and a dark palette), not a copy
    return a.counted(run.mine, run.length) >= options.min_tokens + RENAME_COST * max(0, len(renamed) - FREE_RENAMES)


def _table_of_values(a: TokenStream, b: TokenStream, run: Run) -> bool:
    """True when the run is (nearly) only keys, values and literal punctuation, and a value differs:
    the declaration around a table (``export const dark: Palette = {``) is allowed for."""
    values_differ = False
    code = 0
    for offset in range(run.length):
        i, j = run.mine + offset, run.theirs + offset
        if a.kinds[i] == LITERAL:
            values_differ = values_differ or a.raw[i] != b.raw[j]
        elif a.kinds[i] != IDENT and a.raw[i] not in _TABLE_PUNCTUATION:
            code += 1
    return values_differ and code <= TABLE_CODE_SHARE * run.length


def _trim_to_lines(run: Run, own: OtherFile) -> Run:
    """``run`` without the partial lines at its ends, so a duplicate is whole lines of this file."""
    tokens = own.tokens
    start, end = run.mine, run.mine + run.length
    while start < end and tokens.raw[start] in _CLOSERS:  # the end of what came before the copy
        start += 1
    while start < end and start > 0 and own.line_of(tokens.ends[start - 1] - 1) == own.line_of(tokens.starts[start]):
        start += 1
    while (
        end > start and end < len(tokens) and own.line_of(tokens.ends[end - 1] - 1) == own.line_of(tokens.starts[end])
    ):
        end -= 1
    return Run(start, run.theirs + start - run.mine, end - start)


@dataclass(frozen=True)
class Place:
    """Where another copy is: a path and 1-based inclusive lines."""

    path: str
    line: int
    end_line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}-{self.end_line}"


@dataclass
class Duplicate:
    """A duplicated stretch of this file (token range) and the other places it also appears."""

    start: int
    end: int
    places: list[Place]


def _runs_against(
    own: OtherFile,
    theirs: TokenStream,
    seeds: dict[int, list[int]],
    options: DryOptions,
    same_file: bool,
) -> list[Run]:
    """Verified runs of this file against ``theirs`` from seeds grouped by alignment (their - mine)."""
    mine = own.tokens
    found: list[Run] = []
    for shift, positions in seeds.items():
        if len(set(positions)) < options.seeds_needed:
            continue
        covered_until = -1
        for position in sorted(set(positions)):
            if position < covered_until:
                continue
            other = position + shift
            if mine.norm[position : position + dry_index.K] != theirs.norm[other : other + dry_index.K]:
                continue  # a hash collision
            run = _extend(mine, theirs, position, other, options.normalization.literals)
            covered_until = run.mine + run.length
            if same_file:  # the two copies of a run within one file must not overlap
                run = Run(run.mine, run.theirs, min(run.length, abs(run.theirs - run.mine)))
            if mine.counted(run.mine, run.length) < options.min_tokens:
                continue
            for part in consistent_runs(mine, theirs, run, options.normalization):
                if mine.counted(part.mine, part.length) < options.min_tokens:
                    continue
                # a renamed stretch that does not pass may still hold an exact copy (the copy's
                # neighbours renamed, as a destructured props list in front of copied code)
                copied = (
                    [part] if _looks_copied(mine, theirs, part, options) else _exact_runs(mine, theirs, part, options)
                )
                for piece in copied:
                    # reported as whole lines; the partial lines cut off at its ends still counted
                    whole = _trim_to_lines(piece, own)
                    if mine.counted(whole.mine, whole.length) >= TRIMMED_SHARE * options.min_tokens:
                        found.append(whole)
    return found


def _exact_runs(a: TokenStream, b: TokenStream, run: Run, options: DryOptions) -> list[Run]:
    """The stretches of ``run`` whose tokens are the same in both copies (names and literals too) that
    are long and varied enough on their own: what jscpd's exact mode counts."""
    out: list[Run] = []
    ar, br = a.raw, b.raw
    start = 0
    for offset in range(run.length + 1):
        if offset < run.length and ar[run.mine + offset] == br[run.theirs + offset]:
            continue
        if a.counted(run.mine + start, offset - start) >= options.min_tokens:
            piece = Run(run.mine + start, run.theirs + start, offset - start)
            if _looks_copied(a, b, piece, options):
                out.append(piece)
        start = offset + 1
    return out


def _self_seeds(prints: list[tuple[int, int]]) -> dict[int, list[int]]:
    by_hash: dict[int, list[int]] = {}
    for value, position in prints:
        by_hash.setdefault(value, []).append(position)
    seeds: dict[int, list[int]] = {}
    for positions in by_hash.values():
        if len(positions) < 2 or len(positions) > MAX_SELF_OCCURRENCES:
            continue
        for x, first in enumerate(positions):
            for second in positions[x + 1 :]:
                seeds.setdefault(second - first, []).append(first)
                seeds.setdefault(first - second, []).append(second)
    return seeds


def find_duplicates(
    file: SourceFile, mine: TokenStream, prints: list[tuple[int, int]], state: DryState
) -> list[Duplicate]:
    """Every stretch of ``mine`` (fingerprinted as ``prints``) duplicated elsewhere, with its other places."""
    options = state.options
    own = OtherFile(mine, dry_index.line_starts(file.source))
    pieces: list[tuple[int, int, Place]] = []
    index = state.index
    if index is not None and file.path in index.paths:  # later files compare against it: keep it
        blob_id = index.paths[file.path]
        if index.blob_names.get(blob_id) == dry_index.git_blob_id(file.source):
            state.remember(blob_id, own)

    def add(runs: Iterable[Run], other: OtherFile, paths: list[str]) -> None:
        for run in runs:
            first, last = other.lines(run.theirs, run.length)
            for path in paths:
                pieces.append((run.mine, run.mine + run.length, Place(path, first, last)))

    add(_runs_against(own, mine, _self_seeds(prints), options, same_file=True), own, [file.path])
    if index is not None:
        try:
            occurrences = index.lookup((value for value, _ in prints), per_hash=MAX_HASH_OCCURRENCES)
        except DryIndexError:
            occurrences = {}
        by_blob: dict[int, dict[int, list[int]]] = {}
        for value, position in prints:
            for hit in occurrences.get(value, ()):
                by_blob.setdefault(hit.blob_id, {}).setdefault(hit.pos - position, []).append(position)
        elsewhere = {  # this file's own blob is no other copy (unless another path holds the same content)
            blob_id: seeds
            for blob_id, seeds in by_blob.items()
            if any(path != file.path for path in index.blob_paths.get(blob_id, []))
        }
        for blob_id in _compared_files(elsewhere, options.seeds_needed):
            seeds = by_blob[blob_id]
            paths = [path for path in index.blob_paths.get(blob_id, []) if path != file.path]
            other = state.other(blob_id, exclude=file.path) if paths else None
            if other is not None:
                add(_runs_against(own, other.tokens, seeds, options, same_file=False), other, sorted(paths))
    return _group(pieces, file.path)


def _compared_files(by_blob: dict[int, dict[int, list[int]]], seeds_needed: int) -> list[int]:
    """The other files (blob ids) this file is compared with: the ``MAX_COMPARED_FILES`` most similar
    (most seeds on one alignment), then up to ``MAX_COVERING_FILES`` more, among the next
    ``MAX_COVERING_SCAN`` of the ranking, that seed a stretch of this file none of those seeds: a file
    sharing boilerplate with many others is still compared with the one file that holds a copy of its
    other stretch."""
    scored = sorted(
        ((max(len(set(p)) for p in seeds.values()), blob_id) for blob_id, seeds in by_blob.items()),
        key=lambda item: (-item[0], item[1]),
    )
    ranked = [blob_id for best, blob_id in scored if best >= seeds_needed]

    def seeded(blob_id: int) -> set[int]:
        return {p for positions in by_blob[blob_id].values() if len(set(positions)) >= seeds_needed for p in positions}

    chosen = ranked[:MAX_COMPARED_FILES]
    if len(ranked) <= MAX_COMPARED_FILES:
        return chosen
    covered: set[int] = set()
    for blob_id in chosen:
        covered |= seeded(blob_id)
    extra: list[int] = []
    for blob_id in ranked[MAX_COMPARED_FILES : MAX_COMPARED_FILES + MAX_COVERING_SCAN]:
        if len(extra) == MAX_COVERING_FILES:
            break
        new = seeded(blob_id) - covered
        if new:
            extra.append(blob_id)
            covered |= new
    return chosen + extra


def _group(pieces: list[tuple[int, int, Place]], own_path: str) -> list[Duplicate]:
    """Overlapping stretches of this file become one duplicate listing every other place, the place
    sharing the most tokens with this copy first (of those sharing as many, the closest to ``own_path``)."""
    groups: list[Duplicate] = []
    shared: list[list[tuple[Place, int]]] = []
    for start, end, place in sorted(pieces, key=lambda p: (p[0], -p[1])):
        if groups and start < groups[-1].end:
            groups[-1].end = max(groups[-1].end, end)
            shared[-1].append((place, end - start))
        else:
            groups.append(Duplicate(start, end, []))
            shared.append([(place, end - start)])
    for group, places in zip(groups, shared):
        group.places = _merge_places(places, own_path)
    return groups


def _merge_places(places: list[tuple[Place, int]], own_path: str = "") -> list[Place]:
    """One place per copy (ranges of one file that overlap or touch are the same copy), most shared
    tokens first, then the closest to ``own_path`` (this file, its folder, ...), then by path."""
    merged: list[tuple[Place, int]] = []
    for place, tokens in sorted(places, key=lambda p: (p[0].path, p[0].line, p[0].end_line)):
        last = merged[-1] if merged else None
        if last is not None and last[0].path == place.path and place.line <= last[0].end_line + 1:
            merged[-1] = (Place(place.path, last[0].line, max(last[0].end_line, place.end_line)), last[1] + tokens)
        else:
            merged.append((place, tokens))
    ranked = sorted(merged, key=lambda m: (-m[1], _distance(own_path, m[0].path), m[0].path, m[0].line))
    return [place for place, _ in ranked]


def _distance(own_path: str, path: str) -> int:
    """How far ``path`` lies from ``own_path`` in the tree: 0 the same file, 1 the same folder, 2 more per
    folder up and down between them (a block copied into many files names the nearest copies first)."""
    if path == own_path:
        return 0
    mine, theirs = own_path.split("/")[:-1], path.split("/")[:-1]
    common = 0
    while common < min(len(mine), len(theirs)) and mine[common] == theirs[common]:
        common += 1
    return 1 + (len(mine) - common) + (len(theirs) - common)


def _message(duplicate: Duplicate, tokens: int) -> str:
    first: dict[str, Place] = {}
    for place in duplicate.places:
        if place.path not in first and len(first) < SHOWN_FILES:
            first[place.path] = place
    shown = ", ".join(str(p) for p in first.values())
    more = len(duplicate.places) - len(first)
    return f"duplicates {shown}" + (f" +{more} more" if more > 0 else "") + f" ({tokens} tokens)"


def detect(file: SourceFile, rule: Rule, ctx: DetectContext) -> list[Candidate]:
    """Candidates for every duplicated stretch of ``file`` (the engine keeps those in changed regions)."""
    options = parse_options(rule.options)
    if file.language not in dry_index.DRY_LANGUAGES or not dry_index.eligible(file.path, options.ignore):
        return []
    if (ctx.is_test_file and not options.check_tests) or dry_index.is_generated_source(file.source):
        return []
    mine = dry_index.tokenize(file.tree, file.source, file.language, options.normalization)
    prints = dry_index.fingerprints(mine)
    state = _state(file, ctx, options, (len(mine), prints))
    if mine.counted(0, len(mine)) < options.min_tokens:
        return []
    candidates: list[Candidate] = []
    for duplicate in find_duplicates(file, mine, prints, state):
        if 1 + len(duplicate.places) < options.min_copies:
            continue
        span = file.span(mine.starts[duplicate.start], mine.ends[duplicate.end - 1])
        if span.end_line - span.line + 1 < options.min_lines:
            continue
        tokens = mine.counted(duplicate.start, duplicate.end - duplicate.start)  # as jscpd counts them
        candidates.append(
            Candidate(
                rule_id=rule.id,
                span=span,
                snippet=file.line_text(span.line).strip()[:120],
                message=_message(duplicate, tokens),
                clear=True,
                data={
                    "tokens": tokens,
                    "places": [str(p) for p in duplicate.places],
                    "related": [(p.path, p.line, p.end_line) for p in duplicate.places],  # every copy, in the output
                },
            )
        )
    return candidates
