"""detectors/dry.py: duplicates across a real git repository and within a file, the options, the
hook path (only changed regions, only changed files fingerprinted) and a damaged index."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from tinyarms_lint import dry_index
from tinyarms_lint.config import Config
from tinyarms_lint.detectors import dry
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.detectors.dry import detect
from tinyarms_lint.dry_index import LITERAL, Normalization, TokenStream
from tinyarms_lint.engine import Engine, Target, active_rules
from tinyarms_lint.errors import ConfigError
from tinyarms_lint.languages import language_for_path
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.reporters.merge import result_from_json
from tinyarms_lint.repository import DirectoryRepository, GitRepository
from tinyarms_lint.rules import load_rule_file, load_rules
from tinyarms_lint.types import Candidate

from ..conftest import PROJECT, git, run_cli

RULE = load_rule_file(PROJECT / "rules" / "dry.md")

SUMMARY = """def summarize_orders(orders, currency):
    totals = {}
    for order in orders:
        if order.status == "cancelled":
            continue
        key = order.placed_at.strftime("%Y-%m")
        bucket = totals.setdefault(key, {"count": 0, "amount": 0})
        bucket["count"] += 1
        bucket["amount"] += order.total
    rows = []
    for month, bucket in sorted(totals.items()):
        rows.append(f"{month}: {bucket['count']} orders, {bucket['amount']:.2f} {currency}")
    return "\\n".join(rows)
"""
# the same function with its names changed one-for-one
RENAMED = (
    SUMMARY.replace("summarize_orders", "summarize_refunds")
    .replace("orders", "refunds")
    .replace("order", "refund")
    .replace("totals", "per_month")
)
# the same shape with (almost) every name different: not a copy
SAME_SHAPE = """def tally_visits(visits, site):
    counts = {}
    for visit in visits:
        if visit.kind == "bot":
            continue
        day = visit.seen_at.strftime("%Y-%m-%d")
        slot = counts.setdefault(day, {"hits": 0, "seconds": 0})
        slot["hits"] += 1
        slot["seconds"] += visit.duration
    lines = []
    for date, slot in sorted(counts.items()):
        lines.append(f"{date}: {slot['hits']} visits, {slot['seconds']:.0f}s on {site}")
    return "\\n".join(lines)
"""
OTHER = """def parse_config(text):
    values = {}
    for raw in text.splitlines():
        name, _, value = raw.partition("=")
        values[name.strip()] = value.strip()
    return values
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own index folder (the user's cache is never touched)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(cache))
    return cache


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def commit(repo: Path, files: dict[str, str], message: str = "c") -> None:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def cli(repo: Path, *args: str, cache: Path) -> tuple[int, list[str], str]:
    done = run_cli("check", "--no-llm", "--select", "dry", *args, cwd=repo, env={"TINYARMS_CACHE_DIR": str(cache)})
    assert done.code in (0, 1), done.stderr
    return done.code, [line for line in done.stdout.splitlines() if " dry " in line], done.stderr


def candidates(
    root: Path,
    path: str,
    options: dict[str, Any] | None = None,
    repository: object | None = "directory",
    is_test_file: bool = False,
    project: dict[str, Any] | None = None,
) -> list[Candidate]:
    data = (root / path).read_bytes()
    language = language_for_path(path)
    assert language is not None
    file = SourceFile.parse(path, language, data)
    view = DirectoryRepository(root) if repository == "directory" else repository
    ctx = DetectContext(
        root=root,
        repository=view,  # type: ignore[arg-type]
        is_test_file=is_test_file,
        project=project if project is not None else {},
    )
    return detect(file, RULE.with_overrides(None, options or {}), ctx)


def lines(found: list[Candidate]) -> list[int]:
    return [c.span.line for c in found]


# -- across the repository ---------------------------------------------------------------------


def test_staged_copy_of_committed_code_names_the_original(repo: Path, private_cache: Path) -> None:
    commit(repo, {"shop/reports.py": "import csv\n\n\n" + SUMMARY, "shop/config.py": OTHER})
    write(repo, {"shop/refunds.py": "from shop import db\n\n\n" + RENAMED})
    git(repo, "add", "-A")
    code, found, _ = cli(repo, "--staged", cache=private_cache)
    assert code == 1
    assert found == ["shop/refunds.py:4:1: dry duplicates shop/reports.py:4-16 (121 tokens)"]


def test_unchanged_duplicates_elsewhere_in_a_changed_file_are_not_reported(repo: Path, private_cache: Path) -> None:
    commit(repo, {"a.py": SUMMARY + "\n\n" + OTHER, "b.py": SUMMARY})
    (repo / "a.py").write_text(SUMMARY + "\n\n" + OTHER.replace("values = {}", "values = dict()"))
    git(repo, "add", "a.py")
    assert cli(repo, "--staged", cache=private_cache)[1] == []
    (repo / "a.py").write_text(SUMMARY.replace("rows = []", "rows = list()") + "\n\n" + OTHER)
    git(repo, "add", "a.py")
    found = cli(repo, "--staged", cache=private_cache)[1]
    assert len(found) == 1 and found[0].startswith("a.py:1:1: dry duplicates b.py:")


def test_copies_made_in_the_same_commit_report_each_other(repo: Path, private_cache: Path) -> None:
    commit(repo, {"config.py": OTHER})
    write(repo, {"one.py": SUMMARY, "two.py": "\n\n" + SUMMARY})
    git(repo, "add", "-A")
    found = cli(repo, "--staged", cache=private_cache)[1]
    assert [f.split(" (")[0] for f in found] == [
        "one.py:1:1: dry duplicates two.py:3-15",
        "two.py:3:1: dry duplicates one.py:1-13",
    ]


def test_stdin_is_compared_with_the_repository(repo: Path, private_cache: Path) -> None:
    commit(repo, {"reports.py": SUMMARY})
    done = run_cli(
        "check", "--no-llm", "--select", "dry", "--stdin-filename", "new.py",
        cwd=repo, env={"TINYARMS_CACHE_DIR": str(private_cache)}, stdin="\n" + RENAMED,
    )  # fmt: skip
    assert done.code == 1, done.stderr
    assert "new.py:2:1: dry duplicates reports.py:1-13" in done.stdout


def fingerprinted(engine: Engine) -> list[int]:
    """How many repository files each dry index of the run fingerprinted."""
    states = engine.project["dry"]
    assert isinstance(states, dict)
    return [state.fingerprinted for state in states.values()]


def test_second_hook_run_fingerprints_only_the_changed_file(repo: Path) -> None:
    commit(
        repo, {f"pkg/m{i}.py": OTHER.replace("parse_config", f"parse_{i}") for i in range(12)} | {"pkg/r.py": SUMMARY}
    )
    config = Config(root=repo)
    rules = [r for r in active_rules(load_rules([]), config) if r.id == "dry"]

    def hook_run() -> tuple[Engine, list[str]]:
        engine = Engine(config, rules, repository=GitRepository(repo, from_index=True))
        staged = {"pkg/new.py": frozenset(range(1, 20))}
        targets = [Target(p, (repo / p).read_bytes, changed) for p, changed in staged.items()]
        result = engine.run(targets)
        return engine, [f.message for f in result.findings]

    write(repo, {"pkg/new.py": RENAMED})
    git(repo, "add", "-A")
    first, messages = hook_run()
    assert messages == ["duplicates pkg/r.py:1-13 (121 tokens)"]
    assert fingerprinted(first) == [13]  # cold: every other file
    write(repo, {"pkg/new.py": RENAMED + "\n\nLIMIT = 3\n"})
    git(repo, "add", "-A")
    second, messages = hook_run()
    assert fingerprinted(second) == [0]  # its own content was at hand
    assert messages == ["duplicates pkg/r.py:1-13 (121 tokens)"]
    write(repo, {"pkg/m3.py": OTHER.replace("parse_config", "parse_three") + "\nX = 1\n", "pkg/new.py": RENAMED})
    git(repo, "add", "-A")
    third, _ = hook_run()
    assert fingerprinted(third) == [1]  # m3.py only


def test_parallel_workers_agree_with_one_process(repo: Path, private_cache: Path) -> None:
    files = {f"m{i}.py": OTHER.replace("parse_config", f"parse_{i}") for i in range(8)}
    commit(repo, files | {"a.py": SUMMARY, "b.py": "\n" + RENAMED, "c.ts": "export const x = 1;\n"})
    single = cli(repo, "--all", "--jobs", "1", cache=private_cache)[1]
    double = cli(repo, "--all", "--jobs", "2", cache=private_cache / "other")[1]
    assert single == double and len(single) == 2


def test_a_damaged_index_is_rebuilt_and_the_run_goes_on(repo: Path, private_cache: Path) -> None:
    commit(repo, {"reports.py": SUMMARY})
    write(repo, {"copy.py": SUMMARY})
    git(repo, "add", "-A")
    assert len(cli(repo, "--staged", cache=private_cache)[1]) == 1
    (index_file,) = (private_cache / "dry").glob("*.sqlite3")
    for extra in (private_cache / "dry").glob("*.sqlite3-*"):
        extra.unlink()
    index_file.write_bytes(b"\x00garbage" * 4096)
    _, found, stderr = cli(repo, "--staged", cache=private_cache)
    assert len(found) == 1
    assert re.search(r"note: dry: the duplicate index .* was unreadable .*rebuilt it", stderr)


def test_an_unusable_cache_folder_still_checks_the_file_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TINYARMS_CACHE_DIR", str(blocker))
    write(tmp_path / "w", {"a.py": SUMMARY + "\n\n" + RENAMED, "b.py": SUMMARY})
    project: dict[str, Any] = {}
    found = candidates(tmp_path / "w", "a.py", project=project)
    assert lines(found) == [1, 16]  # within the file only: b.py is out of sight
    assert any("duplicate index unavailable" in note for note in project["notes"])


# -- within one file and without a repository -------------------------------------------------


def test_within_a_file_both_copies_are_reported_without_a_repository(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SUMMARY + "\n\n" + RENAMED})
    found = candidates(tmp_path, "a.py", repository=None)
    assert [(c.span.line, c.message) for c in found] == [
        (1, "duplicates a.py:16-28 (121 tokens)"),
        (16, "duplicates a.py:1-13 (121 tokens)"),
    ]
    assert found[0].span.end_line == 13 and found[0].clear


def test_repetitive_data_is_not_a_duplicate(tmp_path: Path) -> None:
    rows = "".join(f'    "{name}": {i},\n' for i, name in enumerate(["alpha", "beta", "gamma", "delta"] * 12))
    write(tmp_path, {"a.py": "CODES = {\n" + rows + "}\n"})
    assert candidates(tmp_path, "a.py", repository=None) == []


def test_syntax_errors_do_not_crash_or_hide_copies(tmp_path: Path) -> None:
    broken = SUMMARY + "\ndef (:\n    ]]] = \n\n" + RENAMED
    write(tmp_path, {"a.py": broken, "b.tsx": "export function (( {{ <div>\n" + "const = ;;\n" * 40})
    assert lines(candidates(tmp_path, "a.py", repository=None)) == [1, 18]
    assert candidates(tmp_path, "b.tsx") == []


# -- what counts as a copy ---------------------------------------------------------------------


def test_renamed_copy_needs_identifier_normalization(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SUMMARY, "b.py": RENAMED})
    assert lines(candidates(tmp_path, "b.py")) == [1]
    assert candidates(tmp_path, "b.py", {"normalize_identifiers": False}) == []


def test_changed_strings_need_literal_normalization(tmp_path: Path) -> None:
    changed = (
        SUMMARY.replace('"cancelled"', '"void"')
        .replace('"%Y-%m"', '"%Y"')
        .replace('"amount"', '"sum"')
        .replace("'amount'", "'sum'")
        .replace('"\\n"', '"; "')
    )
    write(tmp_path, {"a.py": SUMMARY, "b.py": changed})
    assert lines(candidates(tmp_path, "b.py")) == [1]
    assert candidates(tmp_path, "b.py", {"normalize_literals": False}) == []


def test_same_shape_with_other_names_is_not_a_copy(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SUMMARY, "b.py": SAME_SHAPE})
    assert candidates(tmp_path, "b.py") == []


def test_min_tokens_and_min_lines(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": OTHER, "b.py": "\n" + OTHER})
    assert candidates(tmp_path, "b.py") == []  # 40 tokens
    assert lines(candidates(tmp_path, "b.py", {"min_tokens": 30})) == [2]
    assert candidates(tmp_path, "b.py", {"min_tokens": 30, "min_lines": 7}) == []


def test_rule_of_three(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SUMMARY, "b.py": SUMMARY + "\n# b\n"})
    assert candidates(tmp_path, "b.py", {"min_copies": 3}) == []
    write(tmp_path, {"c.py": "\n\n" + SUMMARY})
    (found,) = candidates(tmp_path, "b.py", {"min_copies": 3})
    assert found.message == "duplicates a.py:1-13, c.py:3-15 (121 tokens)"


def test_many_places_are_summed_up(tmp_path: Path) -> None:
    write(tmp_path, {f"m{i}.py": "\n" * i + SUMMARY for i in range(6)})
    (found,) = candidates(tmp_path, "m0.py")
    assert found.message == "duplicates m1.py:2-14, m2.py:3-15, m3.py:4-16, m4.py:5-17 +1 more (121 tokens)"
    assert found.data["places"][-1] == "m5.py:6-18"


def test_a_file_holding_two_copies_is_named_once_so_every_other_file_is(tmp_path: Path) -> None:
    # a copy made five times, one of the others twice in one file: the message names each of the four
    # other files once (its closest range), the second range is in the finding's data
    twice = SUMMARY + "\n\n" + SUMMARY.replace("summarize_orders", "summarize_orders_again")
    write(tmp_path, {"m0.py": SUMMARY, "m1.py": twice, "m2.py": SUMMARY, "m3.py": SUMMARY, "m4.py": SUMMARY})
    (found,) = candidates(tmp_path, "m0.py")
    for other in ("m1.py", "m2.py", "m3.py", "m4.py"):
        assert found.message.count(other) == 1
    assert found.message.endswith("+1 more (121 tokens)")
    assert sorted(found.data["places"]) == ["m1.py:1-13", "m1.py:16-28", "m2.py:1-13", "m3.py:1-13", "m4.py:1-13"]


PROPS_THEN_BODY = """export const {name} = ({{
  {props}
}}) => {{
  const translate = useTranslate();
  const {{ options: {{ breadcrumb: globalBreadcrumb }} = {{}} }} = useRefineContext();
  const routerType = useRouterType();
  const back = useBack();
  const getUserFriendlyName = useUserFriendlyName();
  const resourceLabel = getUserFriendlyName(resource?.meta?.label ?? resource?.name, "plural");
  return {{ translate, globalBreadcrumb, routerType, back, resourceLabel }};
}};
"""


def test_an_exact_copy_behind_a_renamed_props_list_is_reported(tmp_path: Path) -> None:
    # the props destructured in front differ name for name (too many renames for a renamed copy), the
    # body after them is the same token for token: the exact part is a copy, as jscpd counts it
    create = PROPS_THEN_BODY.format(
        name="Create",
        props="title, saveButtonProps, footerButtons, footerButtonProps, goBack, breadcrumb, isLoading, "
        "headerProps, headerButtons, wrapperProps, contentProps, children, resource,",
    )
    show = PROPS_THEN_BODY.format(
        name="Show",
        props="canEdit, canDelete, recordItemId, dataProviderName, headerButtonProps, refetch, isFetching, "
        "editButtonProps, deleteButtonProps, listButtonProps, refreshButtonProps, meta, resource,",
    )
    write(tmp_path, {"create.tsx": create, "show.tsx": "\n" + show})
    (found,) = candidates(tmp_path, "show.tsx")
    assert found.message.startswith("duplicates create.tsx:")
    assert 4 <= found.span.line <= 5 and found.span.end_line == 12
    write(tmp_path, {"show.tsx": "\n" + show.replace("const back", "let back")})
    assert candidates(tmp_path, "show.tsx") == []  # cut in two, each exact part is too short


FOOTER = """export const Footer = () => (
  <Box pt="sm" {...contentProps}>
    <Group spacing="xs" {...headerButtonProps}>
      {headerButtons}
    </Group>
    <Stack>
      <Text size="sm">{title}</Text>
      {children}
    </Stack>
  </Box>
);
"""


def test_jsx_tokens_are_counted_as_jscpd_counts_them_and_layout_is_not_compared(tmp_path: Path) -> None:
    # 64 tokens compared; </ and /> count two and each of the 8 line breaks between JSX children one more: 72
    collapsed = FOOTER.replace("\n      {headerButtons}\n    </Group>", "{headerButtons}</Group>")
    write(tmp_path, {"a.tsx": FOOTER, "b.tsx": "\n" + FOOTER, "c.tsx": "\n\n" + collapsed})
    (found,) = candidates(tmp_path, "b.tsx", {"min_tokens": 72})
    assert found.message == "duplicates a.tsx:1-11, c.tsx:3-11 (72 tokens)"  # laid out otherwise, still a copy
    assert candidates(tmp_path, "b.tsx", {"min_tokens": 73}) == []
    assert candidates(tmp_path, "c.tsx", {"min_tokens": 72}) == []  # two breaks fewer in this copy: 70


RETRY = """def fetch_with_retry(session, url, attempts, backoff):
    last_error = None
    for attempt in range(attempts):
        try:
            response = session.get(url, timeout=backoff * (attempt + 1))
            response.raise_for_status()
            return response.json()
        except ConnectionError as error:
            last_error = error
            time.sleep(backoff * 2 ** attempt)
    raise RuntimeError(f"gave up on {url} after {attempts} attempts") from last_error
"""


def test_a_copy_held_by_one_file_is_found_past_files_sharing_other_boilerplate(tmp_path: Path) -> None:
    # fourteen files share the summary with this file (more than the twelve most similar files compared);
    # only one holds its other function: it is compared too, since it seeds a stretch none of those do
    write(tmp_path, {f"b{i:02}.py": f"# copy {i}\n" + SUMMARY for i in range(14)})
    write(tmp_path, {"m.py": SUMMARY + "\n\n" + RETRY, "z.py": "\n\n\n" + RETRY})
    found = candidates(tmp_path, "m.py")
    assert [c.message for c in found if c.span.line > 13] == ["duplicates z.py:4-14 (89 tokens)"]
    assert found[0].span.line == 1 and "+" in found[0].message  # the summary: four files named, more counted


def test_test_files_are_reported_only_with_check_tests(tmp_path: Path) -> None:
    write(tmp_path, {"src/a.py": SUMMARY, "tests/test_a.py": SUMMARY})
    assert candidates(tmp_path, "tests/test_a.py", is_test_file=True) == []
    found = candidates(tmp_path, "tests/test_a.py", {"check_tests": True}, is_test_file=True)
    assert [c.message for c in found] == ["duplicates src/a.py:1-13 (121 tokens)"]


def test_generated_and_ignored_copies_do_not_count(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "lib/report.py": SUMMARY,
            "dist/lib/report.py": SUMMARY,
            "lib/report_pb2.py": SUMMARY,
            "legacy/report.py": "# Code generated by a tool. DO NOT EDIT.\n" + SUMMARY,
        },
    )
    assert candidates(tmp_path, "lib/report.py") == []
    assert candidates(tmp_path, "dist/lib/report.py") == []  # never reported either
    write(tmp_path, {"legacy/report.py": SUMMARY})
    assert lines(candidates(tmp_path, "lib/report.py")) == [1]
    assert candidates(tmp_path, "lib/report.py", {"ignore": ["legacy/**"]}) == []
    assert candidates(tmp_path, "legacy/report.py", {"ignore": ["legacy/**"]}) == []


def test_identical_files_each_count_as_a_place(repo: Path, private_cache: Path) -> None:
    commit(repo, {"a.py": SUMMARY, "b.py": SUMMARY})
    write(repo, {"c.py": "\n" + SUMMARY})
    git(repo, "add", "-A")
    found = cli(repo, "--staged", cache=private_cache)[1]
    assert found == ["c.py:2:1: dry duplicates a.py:1-13, b.py:1-13 (121 tokens)"]


def test_css_and_tsx_copies(tmp_path: Path) -> None:
    block = "".join(
        f"  {prop};\n"
        for prop in [
            "display: flex", "align-items: center", "gap: 0.5rem", "padding: 0.75rem 1rem",
            "border: 1px solid transparent", "border-radius: 0.375rem", "font-size: 0.875rem",
            "line-height: 1.4", "color: var(--alert-text)", "box-shadow: var(--shadow-sm)",
            "transition: opacity 150ms ease-in",
        ]
    )  # fmt: skip
    write(tmp_path, {"a.scss": f".alert-warning {{\n{block}}}\n", "b.css": f"\n.notice {{\n{block}}}\n"})
    assert lines(candidates(tmp_path, "b.css")) == [2]
    values = block.replace("0.5rem", "1rem").replace("0.75rem 1rem", "2rem").replace("0.375rem", "4px")
    write(tmp_path, {"b.css": f"\n.notice {{\n{values}}}\n"})
    assert candidates(tmp_path, "b.css") == []  # same properties, other values: not a copy


def test_invalid_options_are_config_errors(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SUMMARY})
    with pytest.raises(ConfigError, match="rules.dry.min_tokens"):
        candidates(tmp_path, "a.py", {"min_tokens": "many"})
    with pytest.raises(ConfigError, match="rules.dry.min_copies"):
        candidates(tmp_path, "a.py", {"min_copies": 1})
    with pytest.raises(ConfigError, match="rules.dry.ignore"):
        candidates(tmp_path, "a.py", {"ignore": [3]})


def test_rule_examples(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    for number, example in enumerate(RULE.bad_examples + RULE.good_examples):
        is_bad = number < len(RULE.bad_examples)
        language = "tsx" if "useState" in example else "scss"
        path = f"example-{number}.{language}"
        engine = Engine(config, [RULE], repository=None)
        data = example.encode()
        result = engine.run([Target(path, lambda: data, None)])  # noqa: B023 - runs right here
        assert bool(result.findings) == is_bad, (path, [f.message for f in result.findings])


def test_an_index_prepared_before_the_workers_fork_gives_what_one_process_gives(
    repo: Path, private_cache: Path
) -> None:
    # enough files for the engine's workers and for tokenizing the index in worker processes
    files = {f"pkg/m{i}.py": OTHER.replace("parse_config", f"parse_{i}") + f"\nLIMIT_{i} = {i}\n" for i in range(70)}
    commit(repo, files | {"a.py": SUMMARY, "b.py": "\n" + RENAMED, "c.py": "# c\n" + SUMMARY + "\n" + RETRY})
    commit(repo, {"d.py": "\n\n" + RETRY})
    single = cli(repo, "--all", "--jobs", "1", cache=private_cache)[1]
    double = cli(repo, "--all", "--jobs", "2", cache=private_cache / "other")[1]
    warm = cli(repo, "--all", "--jobs", "2", cache=private_cache / "other")[1]
    assert single == double == warm
    assert any(line.startswith("d.py:3:1: dry duplicates c.py:") for line in single), single
    assert sum(" dry duplicates " in line for line in single) >= 4


def test_the_covering_files_are_looked_for_among_the_next_files_of_the_ranking_only() -> None:
    # blob 1..12: the most similar (seeding positions 0-2 on one alignment); then files seeding other positions
    by_blob: dict[int, dict[int, list[int]]] = {blob: {0: [0, 1, 2]} for blob in range(1, 13)}
    within = 12 + dry.MAX_COVERING_SCAN
    beyond = within + 1
    by_blob |= {blob: {0: [0, 1]} for blob in range(13, beyond)}  # the rest of the ranking: nothing new
    by_blob[within] = {5: [40, 41]}  # the last file scanned seeds positions 40-41
    by_blob[beyond] = {9: [80, 81]}  # past the scan: not compared, though it seeds something new
    chosen = dry._compared_files(by_blob, seeds_needed=2)
    assert chosen[:12] == list(range(1, 13))
    assert chosen[12:] == [within]


def _extend_one_by_one(a: TokenStream, b: TokenStream, i: int, j: int, literals: bool) -> tuple[int, int, int]:
    """The definition of a run: extended token by token while the tokens are equal (literals: any two)."""

    def same(x: int, y: int) -> bool:
        return a.norm[x] == b.norm[y] or (literals and a.kinds[x] == LITERAL and b.kinds[y] == LITERAL)

    start_a, start_b = i, j
    while start_a > 0 and start_b > 0 and same(start_a - 1, start_b - 1):
        start_a, start_b = start_a - 1, start_b - 1
    end_a, end_b = i, j
    while end_a < len(a) and end_b < len(b) and same(end_a, end_b):
        end_a, end_b = end_a + 1, end_b + 1
    return start_a, start_b, end_a - start_a


def test_runs_extended_by_slices_equal_runs_extended_token_by_token() -> None:
    rng = random.Random(5)
    text_a = SUMMARY + "\n" + RETRY + "\n" + SUMMARY.replace('"cancelled"', '"void"') + OTHER
    text_b = OTHER + RENAMED + "\n" + RETRY.replace("3", "4") + SUMMARY
    for literals in (True, False):
        norm = Normalization(identifiers=True, literals=literals)
        a = dry_index.tokenize_source("a.py", text_a.encode(), norm)
        b = dry_index.tokenize_source("b.py", text_b.encode(), norm)
        assert a is not None and b is not None
        long_runs = 0
        for _ in range(400):
            i, j = rng.randrange(len(a)), rng.randrange(len(b))
            if a.norm[i] != b.norm[j]:
                continue
            run = dry._extend(a, b, i, j, literals)
            assert (run.mine, run.theirs, run.length) == _extend_one_by_one(a, b, i, j, literals)
            long_runs += run.length > 2 * dry.EXTEND_STEP
        assert long_runs > 0


def test_every_place_is_in_the_json_and_sarif_outputs_and_survives_a_merge(repo: Path, private_cache: Path) -> None:
    commit(repo, {f"m{i}.py": "\n" * i + SUMMARY for i in range(1, 7)})
    write(repo, {"m0.py": SUMMARY})
    git(repo, "add", "-A")
    env = {"TINYARMS_CACHE_DIR": str(private_cache)}
    done = run_cli("check", "--staged", "--no-llm", "--select", "dry", "--format", "json", cwd=repo, env=env)
    (finding,) = [f for f in json.loads(done.stdout)["findings"] if f["path"] == "m0.py"]
    assert finding["message"].endswith("+2 more (121 tokens)")
    assert finding["related"] == [{"path": f"m{i}.py", "line": i + 1, "end_line": i + 13} for i in range(1, 7)]
    sarif = run_cli("check", "--staged", "--no-llm", "--select", "dry", "--format", "sarif", cwd=repo, env=env)
    (result,) = [r for r in json.loads(sarif.stdout)["runs"][0]["results"] if "m0.py" in json.dumps(r["locations"])]
    assert [
        (r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"])
        for r in result["relatedLocations"]
    ] == [(f"m{i}.py", i + 1) for i in range(1, 7)]
    rebuilt = result_from_json(json.loads(done.stdout))
    assert [f.related for f in rebuilt.findings if f.path == "m0.py"] == [
        tuple((f"m{i}.py", i + 1, i + 13) for i in range(1, 7))
    ]


class CountingRepository(DirectoryRepository):
    """A folder view that counts the files read one by one (the dry rule reads another file only when the
    index has no token stream of it)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.reads: list[str] = []

    def read(self, path: str) -> bytes:
        self.reads.append(path)
        return super().read(path)


def test_a_warm_index_compares_with_stored_streams_without_reading_other_files(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SUMMARY, "b.py": "\n" + RENAMED, "c.py": "\n\n" + RETRY, "d.py": "# d\n" + RETRY})
    cold = candidates(tmp_path, "a.py", repository=CountingRepository(tmp_path))
    view = CountingRepository(tmp_path)
    warm = candidates(tmp_path, "a.py", repository=view)  # a new run: the index is on disk, nothing in memory
    assert [c.message for c in warm] == [c.message for c in cold] == ["duplicates b.py:2-14 (121 tokens)"]
    warm_d = candidates(tmp_path, "d.py", repository=view)
    assert [c.message for c in warm_d] == ["duplicates c.py:3-13 (89 tokens)"]
    assert view.reads == []


def test_of_copies_sharing_as_much_the_nearest_are_named_first(tmp_path: Path) -> None:
    write(tmp_path, {"aaa/first.py": SUMMARY, "zzz/deep/far.py": SUMMARY, "pkg/near.py": SUMMARY, "pkg/m.py": SUMMARY})
    (found,) = candidates(tmp_path, "pkg/m.py")
    assert found.message == "duplicates pkg/near.py:1-13, aaa/first.py:1-13, zzz/deep/far.py:1-13 (121 tokens)"
    # a copy sharing more tokens still comes first, wherever it is
    write(tmp_path, {"zzz/deep/far.py": SUMMARY + "\n" + RETRY, "pkg/m.py": SUMMARY + "\n" + RETRY})
    (found,) = candidates(tmp_path, "pkg/m.py")
    assert found.message.startswith("duplicates zzz/deep/far.py:1-25, pkg/near.py:1-13, aaa/first.py:1-13")
