"""Every git command tinyarms-lint runs, and nothing else.

Changed lines come from ``git diff -U0`` hunks (new-side line numbers); file content comes from
the index (``git show :path``) in hook mode so partially staged files are linted as committed.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from .errors import GitError

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _git(args: list[str], cwd: str | os.PathLike[str] | None = None, stdin: bytes | None = None) -> bytes:
    env = dict(os.environ)
    # a hook runs with GIT_INDEX_FILE etc. set by git itself; keep them, but never page or colour
    env["GIT_PAGER"] = "cat"
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            env=env,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as exc:  # pragma: no cover - git missing from PATH
        raise GitError("git is not installed or not on PATH") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"git {args[0]} failed"
        raise GitError(first.removeprefix("fatal: "))
    return done.stdout


def repo_root(cwd: str | os.PathLike[str] | None = None) -> Path:
    """The top of the working tree that ``cwd`` is in; GitError when it is not in one."""
    try:
        out = _git(["rev-parse", "--show-toplevel"], cwd=cwd)
    except GitError as exc:
        raise GitError(f"not a git repository: {Path(cwd or '.').resolve()} ({exc})") from exc
    return Path(out.decode("utf-8").strip())


def has_head(root: Path) -> bool:
    """False in a repository with no commit yet."""
    try:
        _git(["rev-parse", "--verify", "-q", "HEAD"], cwd=root)
    except GitError:
        return False
    return True


def parse_diff(diff: bytes) -> dict[str, frozenset[int]]:
    """Map each new-side path in a ``-U0 --no-prefix`` diff to its added or modified line numbers.

    Deleted files are left out; renamed and copied files appear under their new path.
    """
    changes: dict[str, set[int]] = {}
    current: str | None = None
    for raw in diff.split(b"\n"):
        if raw.startswith(b"diff --git "):
            current = None
        elif raw.startswith(b"+++ "):
            # git appends a TAB to names that contain a space (for GNU patch)
            target = raw[4:].rstrip(b"\r").removesuffix(b"\t")
            if target == b"/dev/null":
                current = None
            else:
                current = _unquote(target)
                changes.setdefault(current, set())
        elif current is not None and raw.startswith(b"@@"):
            match = _HUNK.match(raw)
            if match:
                start = int(match.group(1))
                count = int(match.group(2)) if match.group(2) is not None else 1
                changes[current].update(range(start, start + count))
    return {path: frozenset(lines) for path, lines in changes.items()}


def _unquote(raw: bytes) -> str:
    """Undo git's C-style quoting of unusual paths (``"a\\303\\251.py"``)."""
    if raw.startswith(b'"') and raw.endswith(b'"'):
        body = raw[1:-1]
        out = bytearray()
        i = 0
        simple = {ord("n"): 10, ord("t"): 9, ord('"'): 34, ord("\\"): 92, ord("r"): 13}
        while i < len(body):
            ch = body[i]
            if ch == 92 and i + 1 < len(body):  # backslash
                nxt = body[i + 1]
                if 48 <= nxt <= 55 and i + 3 < len(body):
                    out.append(int(body[i + 1 : i + 4], 8))
                    i += 4
                    continue
                out.append(simple.get(nxt, nxt))
                i += 2
                continue
            out.append(ch)
            i += 1
        raw = bytes(out)
    return raw.decode("utf-8", "surrogateescape")


_DIFF_ARGS = ["diff", "-U0", "--no-color", "--no-ext-diff", "--no-prefix", "-M", "--diff-filter=ACMR"]


def staged_changes(root: Path) -> dict[str, frozenset[int]]:
    """Lines changed in the index against HEAD (against the empty tree before the first commit).

    ``git diff --cached`` without a commit compares with HEAD, or shows every staged line on an
    unborn branch, so no ``rev-parse`` is needed first (one git process less per hook run).
    """
    return parse_diff(_git([*_DIFF_ARGS, "--cached"], cwd=root))


def changes_between(root: Path, from_ref: str, to_ref: str) -> dict[str, frozenset[int]]:
    """Lines changed between two refs (pre-commit's ``--from-ref``/``--to-ref``)."""
    return parse_diff(_git([*_DIFF_ARGS, f"{from_ref}...{to_ref}"], cwd=root))


def changes_since(root: Path, base: str) -> dict[str, frozenset[int]]:
    """Lines changed in the working tree since the merge base of ``base`` and HEAD."""
    try:
        merge_base = _git(["merge-base", base, "HEAD"], cwd=root).decode().strip()
    except GitError as exc:
        raise GitError(f"cannot diff against {base!r}: {exc}") from exc
    return parse_diff(_git([*_DIFF_ARGS, merge_base], cwd=root))


def staged_content(root: Path, path: str) -> bytes:
    """The content of ``path`` as staged in the index."""
    return _git(["show", f":{path}"], cwd=root)


def staged_contents(root: Path, paths: list[str]) -> dict[str, bytes]:
    """The staged content of several paths, read by one ``git cat-file --batch`` (``:path`` names).

    Paths git does not have in the index (and names with a line break, which ``--batch`` cannot
    take) are left out: ``staged_content`` reads them one by one and says what is wrong.
    """
    names = [p for p in paths if "\n" not in p and "\r" not in p]
    if not names:
        return {}
    request = "".join(f":{name}\n" for name in names).encode("utf-8", "surrogateescape")
    out = _git(["cat-file", "--batch"], cwd=root, stdin=request)
    found: dict[str, bytes] = {}
    at = 0
    for name in names:  # git answers in the order asked, one header (and body) per name
        header_end = out.index(b"\n", at)
        header = out[at:header_end]
        at = header_end + 1
        if header.endswith((b" missing", b" ambiguous")):
            continue
        size = int(header.rsplit(b" ", 1)[1])
        found[name] = out[at : at + size]
        at += size + 1
    return found


def tracked_files(root: Path) -> list[str]:
    """Every file in the index once, as repository-relative paths with forward slashes.

    During a merge conflict the index holds up to three entries (stages) per file; ``ls-files``
    lists each, so the names are deduplicated here.
    """
    out = _git(["ls-files", "-z", "--cached"], cwd=root)
    return list(dict.fromkeys(p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p))


def unmerged_files(root: Path) -> list[str]:
    """Files with an unresolved merge conflict (index stages 1-3), each once."""
    out = _git(["ls-files", "-z", "--unmerged"], cwd=root)
    names = (entry.partition(b"\t")[2] for entry in out.split(b"\0") if entry)
    return list(dict.fromkeys(name.decode("utf-8", "surrogateescape") for name in names if name))


def untracked_files(root: Path) -> list[str]:
    """Files in the working tree that git does not track and does not ignore (``ls-files --others``)."""
    out = _git(["ls-files", "-z", "--others", "--exclude-standard"], cwd=root)
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def blob_ids(root: Path, paths: list[str]) -> dict[str, str]:
    """The index blob id of each tracked path (for caches keyed by content)."""
    out = _git(["ls-files", "-z", "--stage", "--", *paths], cwd=root) if paths else b""
    ids: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        ids[name.decode("utf-8", "surrogateescape")] = meta.split()[1].decode()
    return ids


def blob_contents(root: Path, blob_ids: list[str]) -> dict[str, bytes]:
    """The content of each blob id, read by one ``git cat-file --batch`` (ids git lacks are left out)."""
    found: dict[str, bytes] = {}
    for start in range(0, len(blob_ids), 1000):
        chunk = blob_ids[start : start + 1000]
        out = _git(["cat-file", "--batch"], cwd=root, stdin="".join(f"{blob}\n" for blob in chunk).encode())
        at = 0
        while at < len(out):
            header_end = out.index(b"\n", at)
            header = out[at:header_end].split()
            at = header_end + 1
            if len(header) != 3:  # "<id> missing"
                continue
            size = int(header[2])
            found[header[0].decode()] = out[at : at + size]
            at += size + 1
    return found
