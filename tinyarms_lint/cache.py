"""The verdict cache: model verdicts remembered across runs, keyed by everything that decides them.

A verdict is stored under ``verdict_key(...)`` of the normalized region text, the rule id and rule-file
hash, the model identity, the prompt template version, the tool version and the decision parameters.
Values are JSON objects stored as JSON text; nothing is ever pickled.

Storage is one SQLite file through the standard library's ``sqlite3`` (WAL mode, a busy timeout),
not diskcache. Measured on the project's 2-core dev machine (shared, so ranges), Python 3.11,
diskcache 5.6.3, 2,000 keys, three runs each (VerdictCache as shipped vs ``diskcache.Cache`` with
``disk=JSONDisk``):

- import on top of the CLI's own imports: this module 0.6 ms (sqlite3, 1.5-2.6 ms, is imported at
  the first lookup only), diskcache 7-11 ms;
- open an existing cache and look up once 0.8-1.3 ms (diskcache 4.2-8.1 ms); hit 10-13 µs (32-51
  µs); miss 6-10 µs (18-23 µs); put 67-79 µs (334-410 µs);
- safety: ``diskcache.JSONDisk`` still calls ``pickle.load`` on any row whose ``mode`` column says
  "pickle", so a row planted in the cache file runs code even with a JSON disk (CVE-2025-69872; tried
  with diskcache 5.6.3). Here ``json.loads`` is the only decoder, so no stored byte can run code.

The directory is 0700 and the files 0600 (wider permissions on a directory we own are tightened; a
directory owned by someone else disables the cache). A corrupted database is rebuilt empty with a
one-line warning; any other storage failure (read-only disk, a path that is a file, a lock held
too long) disables the cache for the run with a one-line warning, and the run goes on without it.
Several processes (pre-commit's parallel hooks, CI shards) may share the directory at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ModelError

if TYPE_CHECKING:
    import sqlite3
    from typing import Self  # only for type checkers: 3.11+, never imported at run time


KEY_SCHEME = "tinyarms-lint/verdict-key/1"
SCHEMA_VERSION = 1
DB_NAME = f"verdicts-v{SCHEMA_VERSION}.sqlite3"
LOCK_NAME = "rebuild.lock"
RECENT_RUNS = 20
MAX_ENTRIES = 200_000
BUSY_TIMEOUT_SECONDS = 30.0
_DB_SUFFIXES = ("", "-wal", "-shm", "-journal")
_COLUMNS = {"verdicts": ["key", "value", "stored_at", "used_at"]}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    stored_at REAL NOT NULL,
    used_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS verdicts_used_at ON verdicts (used_at);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finished_at REAL NOT NULL,
    hits INTEGER NOT NULL,
    misses INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS model_fingerprints (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    digest TEXT NOT NULL
);
"""
_SCHEMA_NAMES = frozenset({"verdicts", "verdicts_used_at", "runs", "model_fingerprints"})
# SQLite primary result codes: busy, and the two that mean "damaged or not a database".
_SQLITE_BUSY, _SQLITE_CORRUPT, _SQLITE_NOTADB = 5, 11, 26

T = TypeVar("T")

# Model digests already computed in this process: (path, size, mtime_ns, inode) -> sha256 hex.
_MODEL_DIGESTS: dict[tuple[str, int, int, int], str] = {}


def normalize_region_text(text: str) -> str:
    """``text`` with ``\\r\\n``/``\\r`` turned into ``\\n``, trailing whitespace stripped from each line
    and trailing blank lines dropped, so whitespace-only edits keep their cached verdicts."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def verdict_key(*parts: str) -> str:
    """The sha256 hex digest of ``parts``, each length-prefixed so ``("ab", "c") != ("a", "bc")``."""
    digest = hashlib.sha256(KEY_SCHEME.encode("ascii"))
    for part in parts:
        if not isinstance(part, str):
            raise TypeError(f"verdict_key parts must be str, got {type(part).__name__}")
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def default_cache_dir(config_cache_dir: str | None, root: Path) -> Path:
    """Where the cache lives (locations.cache_dir): ``$TINYARMS_CACHE_DIR``, else the configured
    ``cache_dir`` (relative to the repository ``root``), else the user's cache folder."""
    from .locations import cache_dir

    return Path(cache_dir(config_cache_dir, os.fspath(root)))


class _UnusableCache(Exception):
    """The cache directory cannot be used (owned by someone else); disables the cache."""


class _NotOurDatabase(Exception):
    """A database file that is not ours or fails the quick check; rebuilt like a corrupted one."""


def _is_corruption(exc: BaseException) -> bool:
    if isinstance(exc, _NotOurDatabase):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message


def _private_file(path: Path) -> None:
    """Create ``path`` as 0600 if missing; drop group and other bits if it exists with them."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "posix":
            mode = os.fstat(fd).st_mode & 0o777
            if mode & 0o077:
                os.fchmod(fd, mode & 0o700)
    finally:
        os.close(fd)


def _identity(path: Path) -> tuple[int, int, int] | None:
    """Device, inode and change time: tells whether ``path`` is still the file we opened."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_ctime_ns


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or exc.__class__.__name__


class VerdictCache:
    """Verdicts (JSON objects) by key, in ``directory``; never raises on storage trouble.

    Storage problems end up as one-line messages in ``warnings``: a damaged file is rebuilt empty,
    anything else disables the cache for the rest of this instance's life. One instance per thread.
    """

    def __init__(self, directory: Path, *, max_entries: int = MAX_ENTRIES) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.max_entries = max_entries
        self.warnings: list[str] = []
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._disabled = False
        self._used: set[str] = set()
        self._file_identity: tuple[int, int, int] | None = None  # the database file we last opened

    # -- public API ---------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """False once a storage problem disabled the cache for this run."""
        return not self._disabled

    def get(self, key: str) -> dict[str, Any] | None:
        """The verdict stored under ``key``, or None (counted as a hit or a miss)."""
        value = self._lookup(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` (a JSON object with string keys) under ``key``; TypeError if it is not one."""
        if not isinstance(value, dict):
            raise TypeError(f"verdict cache values are JSON objects, got {type(value).__name__}")
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        now = time.time()
        self._call(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO verdicts (key, value, stored_at, used_at) VALUES (?, ?, ?, ?)",
                (key, text, now, now),
            ),
            None,
            create=True,
        )

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every stored (key, verdict), oldest first; entries that are not JSON objects are passed over."""
        rows: list[tuple[str, str]] = self._call(
            lambda db: db.execute("SELECT key, value FROM verdicts ORDER BY stored_at, key").fetchall(), []
        )
        for key, text in rows:
            value = _decode(text)
            if isinstance(key, str) and value is not None:
                yield key, value

    def put_many(self, entries: list[tuple[str, dict[str, Any]]]) -> int:
        """Store entries whose key is not stored yet (a stored verdict is kept); how many were added."""
        texts = [
            (key, json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False))
            for key, value in entries
        ]
        now = time.time()

        def insert(db: sqlite3.Connection) -> int:
            with _transaction(db):
                before = db.total_changes
                db.executemany(
                    "INSERT OR IGNORE INTO verdicts (key, value, stored_at, used_at) VALUES (?, ?, ?, ?)",
                    [(key, text, now, now) for key, text in texts],
                )
                return int(db.total_changes - before)

        return self._call(insert, 0, create=True) if texts else 0

    def record_run(self, hits: int, misses: int) -> None:
        """Remember one run's hit and miss counts (runs without lookups are not recorded); keeps the
        last ``RECENT_RUNS`` runs and trims the least recently used entries beyond ``max_entries``."""
        self._flush_used()
        if hits + misses <= 0:
            return

        def record(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.execute("INSERT INTO runs (finished_at, hits, misses) VALUES (?, ?, ?)", (time.time(), hits, misses))
                db.execute(
                    "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)", (RECENT_RUNS,)
                )
            (entries,) = db.execute("SELECT count(*) FROM verdicts").fetchone()
            if entries > self.max_entries:
                db.execute(
                    "DELETE FROM verdicts WHERE key IN (SELECT key FROM verdicts ORDER BY used_at LIMIT ?)",
                    (entries - self.max_entries,),
                )

        self._call(record, None, create=True)

    def stats(self) -> dict[str, Any]:
        """``entries``, ``size_bytes`` (of the database files), and over the last recorded runs:
        ``runs``, ``hits``, ``misses``, ``hit_rate`` (None before any lookup), plus ``recent_runs``
        (newest first) and ``directory``."""

        def read(db: sqlite3.Connection) -> tuple[int, list[tuple[float, int, int]]]:
            (entries,) = db.execute("SELECT count(*) FROM verdicts").fetchone()
            runs = db.execute(
                "SELECT finished_at, hits, misses FROM runs ORDER BY id DESC LIMIT ?", (RECENT_RUNS,)
            ).fetchall()
            return int(entries), [(float(t), int(h), int(m)) for t, h, m in runs]

        size_bytes = self._size_bytes()
        nothing: tuple[int, list[tuple[float, int, int]]] = (0, [])
        entries, runs = self._call(read, nothing)
        hits = sum(h for _, h, _ in runs)
        misses = sum(m for _, _, m in runs)
        return {
            "directory": str(self.directory),
            "enabled": self.enabled,
            "entries": entries,
            "size_bytes": size_bytes,
            "runs": len(runs),
            "hits": hits,
            "misses": misses,
            "hit_rate": hits / (hits + misses) if hits + misses else None,
            "recent_runs": [{"finished_at": t, "hits": h, "misses": m} for t, h, m in runs],
        }

    def clear(self) -> int:
        """Remove every entry, the run history and remembered model digests; the number of entries removed.

        Files of other cache format versions in the directory are deleted too.
        """

        def wipe(db: sqlite3.Connection) -> int:
            with _transaction(db):
                (entries,) = db.execute("SELECT count(*) FROM verdicts").fetchone()
                for table in ("verdicts", "runs", "model_fingerprints"):
                    db.execute(f"DELETE FROM {table}")
            with contextlib.suppress(Exception):  # shrinking the file is optional (another run may hold it)
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute("VACUUM")
            return int(entries)

        self._used.clear()
        removed = self._call(wipe, 0)
        if self.directory.is_dir():
            for stale in self.directory.glob("verdicts-v*.sqlite3*"):
                if not stale.name.startswith(DB_NAME):
                    with contextlib.suppress(OSError):
                        stale.unlink()
        return removed

    def model_identity(self, model_path: Path) -> str:
        """The model part of a verdict key: resolved path, size and the sha256 of the whole file.

        The digest is computed once per file version (path, size, mtime, inode) and remembered in the
        cache (a 1.1 GB GGUF hashes in about 1.5 s on the dev machine; later runs look it up in
        microseconds). When the cache is disabled nothing is hashed: no key will be stored anyway.
        ModelError when the file cannot be read.
        """
        try:
            resolved = Path(model_path).resolve()
            info = resolved.stat()
        except OSError as exc:
            raise ModelError(f"{model_path}: cannot read model file ({_reason(exc)})") from exc
        version = (str(resolved), info.st_size, info.st_mtime_ns, info.st_ino)
        prefix = f"{resolved}|{info.st_size}"
        digest = _MODEL_DIGESTS.get(version)
        if digest is None:
            digest = self._remembered_digest(version)
        if digest is None:
            if self._disabled:
                return f"{prefix}|mtime:{info.st_mtime_ns}"
            digest = _file_sha256(resolved, model_path)
            self._call(
                lambda db: db.execute(
                    "INSERT OR REPLACE INTO model_fingerprints (path, size, mtime_ns, inode, digest)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (*version, digest),
                ),
                None,
                create=True,
            )
        _MODEL_DIGESTS[version] = digest
        return f"{prefix}|sha256:{digest}"

    def close(self) -> None:
        """Write pending usage times and close the database (the instance may be used again)."""
        self._flush_used()
        self._close_quietly()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------

    def _lookup(self, key: str) -> dict[str, Any] | None:
        row = self._call(lambda db: db.execute("SELECT value FROM verdicts WHERE key = ?", (key,)).fetchone(), None)
        value = _decode(row[0]) if row is not None else None
        if row is not None and value is None:
            self._warn_once(f"verdict cache {self.path}: dropped an entry that is not a JSON object")
            self._call(lambda db: db.execute("DELETE FROM verdicts WHERE key = ?", (key,)), None)
        if value is not None:
            self._used.add(key)
        return value

    def _remembered_digest(self, version: tuple[str, int, int, int]) -> str | None:
        row = self._call(
            lambda db: db.execute(
                "SELECT digest FROM model_fingerprints WHERE path = ? AND size = ? AND mtime_ns = ? AND inode = ?",
                version,
            ).fetchone(),
            None,
        )
        return row[0] if row is not None and isinstance(row[0], str) else None

    def _flush_used(self) -> None:
        if not self._used or self._db is None:
            self._used.clear()
            return
        used, self._used = sorted(self._used), set()
        now = time.time()

        def touch(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.executemany("UPDATE verdicts SET used_at = ? WHERE key = ?", [(now, key) for key in used])

        self._call(touch, None)

    def _call(self, action: Callable[[sqlite3.Connection], T], default: T, *, create: bool = False) -> T:
        """Run ``action`` on the database; rebuild once on corruption, otherwise disable and return ``default``.

        With ``create`` False a cache that does not exist yet is not created (reads return ``default``).
        """
        import sqlite3

        if self._disabled:
            return default
        for attempt in (1, 2):
            try:
                if self._db is None:
                    if not create and not self.path.exists():
                        if self.directory.exists() and not self.directory.is_dir():
                            self._disable("not a directory")
                        return default
                    self._db = self._open()
                return action(self._db)
            except sqlite3.ProgrammingError:
                raise
            except (sqlite3.DatabaseError, _NotOurDatabase) as exc:
                self._close_quietly()
                if attempt == 1 and _is_corruption(exc) and self._rebuild(exc):
                    continue
                self._disable(_reason(exc))
            except (OSError, _UnusableCache) as exc:
                self._close_quietly()
                self._disable(_reason(exc))
            return default
        return default  # pragma: no cover - the loop always returns

    def _open(self) -> sqlite3.Connection:
        """Open the database under a shared lock, so no rebuild swaps files meanwhile; a database
        that is new (or not yet in WAL mode) is set up under the exclusive lock instead, because
        SQLite answers "locked" at once, without waiting, to two processes switching it to WAL."""
        self._prepare_directory()
        lock = self.directory / LOCK_NAME
        with _directory_lock(lock, shared=True):
            db = self._open_locked(initialize=False)
            if _is_ready(db):
                return db
            db.close()
        with _directory_lock(lock, shared=False):
            return self._open_locked(initialize=True)

    def _open_locked(self, *, initialize: bool) -> sqlite3.Connection:
        import sqlite3

        _private_file(self.path)
        self._file_identity = _identity(self.path)
        for suffix in _DB_SUFFIXES[1:]:
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                _private_file(extra)
        db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            db.execute("PRAGMA synchronous = NORMAL")
            for table, columns in _COLUMNS.items():
                found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                if found and found != columns:
                    raise _NotOurDatabase(f"table {table} has columns {', '.join(found)}, not ours")
            if initialize:
                # stays in rollback-journal mode where WAL is impossible (some network file systems)
                _when_not_busy(lambda: db.execute("PRAGMA journal_mode = WAL"))
                _when_not_busy(lambda: db.executescript(_SCHEMA))
        except BaseException:
            db.close()
            raise
        return db

    def _prepare_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name != "posix":
            return
        info = self.directory.stat()
        if info.st_uid != os.getuid():
            raise _UnusableCache(f"{self.directory} belongs to another user (uid {info.st_uid})")
        mode = info.st_mode & 0o777
        if mode & 0o077:
            os.chmod(self.directory, mode & 0o700)

    def _rebuild(self, exc: BaseException) -> bool:
        """Replace a damaged database with an empty one, unless another process already did.

        Under the exclusive lock, a file that is still the one we saw fail is replaced; a file that
        changed since (another run rebuilt or wrote it) is kept if it passes SQLite's quick check.
        """
        seen = self._file_identity
        try:
            with _directory_lock(self.directory / LOCK_NAME, shared=False):
                if seen is None or _identity(self.path) != seen:
                    try:
                        self._db = self._checked(self._open_locked(initialize=True))
                    except Exception as again:  # only a file still damaged is replaced
                        if not _is_corruption(again):
                            raise  # busy or unwritable: never delete a database others may be using
                if self._db is None:
                    for suffix in _DB_SUFFIXES:
                        self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
                    self._db = self._open_locked(initialize=True)
        except Exception as failure:  # noqa: BLE001 - cannot rebuild: the caller disables the cache
            self._close_quietly()
            self._disable(f"damaged ({_reason(exc)}) and could not be rebuilt ({_reason(failure)})")
            return False
        if not any(line.endswith("rebuilt it empty") for line in self.warnings):
            self.warnings.append(f"verdict cache {self.path} was unreadable ({_reason(exc)}); rebuilt it empty")
        return True

    @staticmethod
    def _checked(db: sqlite3.Connection) -> sqlite3.Connection:
        try:
            (result,) = db.execute("PRAGMA quick_check(1)").fetchone()
            if result != "ok":
                raise _NotOurDatabase(f"damaged: {result}")
        except BaseException:
            db.close()
            raise
        return db

    def _disable(self, reason: str) -> None:
        if not self._disabled:
            self._disabled = True
            self.warnings.append(f"verdict cache disabled for this run: {self.directory}: {reason}")

    def _warn_once(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _close_quietly(self) -> None:
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None

    def _size_bytes(self) -> int:
        """Bytes of the verdict database files, not of other things kept in the directory (models,
        model prefix states, the duplicate index), nor SQLite's ``-shm`` index (shared memory)."""
        total = 0
        with contextlib.suppress(OSError):
            for path in self.directory.glob("verdicts-v*.sqlite3*"):
                if not path.name.endswith("-shm"):
                    with contextlib.suppress(OSError):
                        total += path.lstat().st_size
        return total


def _is_ready(db: sqlite3.Connection) -> bool:
    """True when the database is in WAL mode and has all our tables and indexes."""
    (mode,) = db.execute("PRAGMA journal_mode").fetchone()
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    return str(mode).lower() == "wal" and _SCHEMA_NAMES <= names


def _when_not_busy(action: Callable[[], object]) -> None:
    """Run ``action``, retrying while SQLite reports the database busy without having waited."""
    import sqlite3

    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            busy = code & 0xFF == _SQLITE_BUSY if isinstance(code, int) else "locked" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _decode(text: object) -> dict[str, Any] | None:
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextlib.contextmanager
def _directory_lock(lock_path: Path, *, shared: bool) -> Iterator[None]:
    """A lock between processes: shared to open the database, exclusive to replace it.

    A no-op where ``fcntl`` is missing (Windows): there a rebuild may race another run's open.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _file_sha256(path: Path, shown: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ModelError(f"{shown}: cannot read model file ({_reason(exc)})") from exc
    return digest.hexdigest()
