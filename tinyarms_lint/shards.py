"""Splitting a run's files into CI shards: ``--shard I/N`` picks the files of shard I of N.

A file's shard is decided by a hash of its repository path alone, so it never depends on which other
files exist: adding or removing files moves no other file between shards. Detectors that compare a file
against the whole repository (``dry``) keep doing so; only the set of files checked is split.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .engine import Target

_SPEC = re.compile(r"(\d{1,4})/(\d{1,4})")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, path: str) -> bool:
        """True when ``path`` belongs to this shard."""
        return shard_of(path, self.count) == self.index


def parse_shard(spec: str) -> Shard:
    """``"2/4"`` → Shard(2, 4); UsageError for anything else."""
    match = _SPEC.fullmatch(spec.strip())
    if match is None:
        raise UsageError(f"--shard takes I/N (e.g. 2/4), got {spec!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {spec}: I must be between 1 and N")
    return Shard(index, count)


def shard_of(path: str, count: int) -> int:
    """The 1-based shard of ``path`` among ``count`` shards (stable across machines and Python runs)."""
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count + 1


def select(targets: Sequence[Target], shard: Shard) -> list[Target]:
    """The targets whose path falls in ``shard``, in their original order."""
    return [target for target in targets if shard.holds(target.path)]
