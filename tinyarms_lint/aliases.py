"""Path aliases of a JS/TS project and module resolution, for the ``import-aliases`` rule.

Reads ``compilerOptions.paths`` and ``baseUrl`` from the nearest ``tsconfig.json`` / ``jsconfig.json``
(JSONC: comments and trailing commas allowed), following ``extends`` (relative files, arrays, and
packages in ``node_modules``) and a solution config's ``references``. Resolves module specifiers to
files with TypeScript's rules (extensions, ``index`` files, ``.js`` written for ``.ts`` sources), and
Python relative imports to absolute module names.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
# TypeScript's extension order for a specifier without one, then plain JavaScript.
EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mts", ".cts", ".mjs", ".cjs")
_JS_TO_TS = {".js": (".ts", ".tsx", ".d.ts"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
_MAX_EXTENDS = 16


class TsconfigError(ValueError):
    """A tsconfig/jsconfig that cannot be read or parsed; the rule then knows no aliases for it."""


@dataclass(frozen=True)
class PathAliases:
    """The effective ``baseUrl`` and ``paths`` of one config, with absolute bases."""

    config: Path
    base_url: Path | None = None
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()  # pattern -> absolute targets (``*`` kept)
    paths_base: Path | None = None  # where ``paths`` targets started: baseUrl, else the declaring config's folder
    base_url_is_subfolder: bool = False  # ``"baseUrl": "src"`` (a deliberate choice) rather than ``"."``

    def has_aliases(self) -> bool:
        return bool(self.paths) or self.base_url is not None


@dataclass(frozen=True)
class AliasSuggestion:
    """The aliased specifier to write instead of a relative one, and the mapping that gives it."""

    specifier: str
    pattern: str
    target: str


@dataclass
class _RawConfig:
    path: Path
    data: dict[str, Any]
    base_url: tuple[str, Path] | None = None  # value and the folder it is relative to
    paths: tuple[dict[str, Any], Path] | None = None
    references: list[Path] = field(default_factory=list)
    include: list[str] | None = None


# -- JSONC ------------------------------------------------------------------------------------------


def strip_jsonc(text: str) -> str:
    """JSON text from JSONC: comments removed and trailing commas dropped, strings untouched."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
        elif ch == ",":
            j = i + 1
            while j < n and (text[j].isspace() or text.startswith(("//", "/*"), j)):
                if text.startswith("//", j):
                    end = text.find("\n", j)
                    j = n if end == -1 else end
                elif text.startswith("/*", j):
                    end = text.find("*/", j + 2)
                    j = n if end == -1 else end + 2
                else:
                    j += 1
            if j < n and text[j] in "]}":
                i += 1  # a trailing comma
            else:
                out.append(ch)
                i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_jsonc(text: str) -> Any:
    """Parse JSONC text (tsconfig syntax); TsconfigError when it is not valid."""
    try:
        return json.loads(strip_jsonc(text.lstrip("\ufeff")))
    except json.JSONDecodeError as exc:
        raise TsconfigError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc


# -- loading configs --------------------------------------------------------------------------------


def _read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TsconfigError(f"{path}: cannot read ({exc.__class__.__name__})") from exc
    data = parse_jsonc(text)
    if not isinstance(data, dict):
        raise TsconfigError(f"{path}: not a JSON object")
    return data


def _within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def resolve_extends(spec: str, config: Path, root: Path) -> Path | None:
    """The file an ``extends`` entry names: a relative path, or a package in ``node_modules``."""
    if spec.startswith((".", "/")) or os.path.isabs(spec):
        base = (config.parent / spec) if not os.path.isabs(spec) else Path(spec)
        for candidate in (base, Path(f"{base}.json"), base / "tsconfig.json"):
            if candidate.is_file():
                return candidate
        return None
    folder = config.parent
    while True:
        package = folder / "node_modules" / spec
        for candidate in (package, Path(f"{package}.json")):
            if candidate.is_file():
                return candidate
        if package.is_dir():
            manifest = package / "package.json"
            if manifest.is_file():
                try:
                    declared = json.loads(manifest.read_text(encoding="utf-8")).get("tsconfig")
                except (OSError, ValueError, AttributeError):
                    declared = None
                if isinstance(declared, str) and (package / declared).is_file():
                    return package / declared
            if (package / "tsconfig.json").is_file():
                return package / "tsconfig.json"
        if folder == root or folder.parent == folder or not _within(folder.parent, root):
            return None
        folder = folder.parent


def _load_chain(path: Path, root: Path, seen: tuple[Path, ...] = ()) -> _RawConfig:
    """A config with what it inherits: later ``extends`` entries and the file itself win."""
    if path in seen or len(seen) > _MAX_EXTENDS:
        raise TsconfigError(f"{path}: circular or too deep extends")
    data = _read_config(path)
    merged = _RawConfig(path, data)
    extends = data.get("extends")
    parents = [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []
    for spec in parents:
        if not isinstance(spec, str):
            continue
        parent_path = resolve_extends(spec, path, root)
        if parent_path is None:
            continue  # a package that is not installed: TypeScript would error, we know less
        parent = _load_chain(parent_path.resolve(), root, (*seen, path))
        merged.base_url = parent.base_url or merged.base_url
        merged.paths = parent.paths or merged.paths
        merged.include = parent.include if parent.include is not None else merged.include
    options = data.get("compilerOptions")
    if isinstance(options, dict):
        if isinstance(options.get("baseUrl"), str):
            merged.base_url = (options["baseUrl"], path.parent)
        if isinstance(options.get("paths"), dict):
            merged.paths = (options["paths"], path.parent)
    if isinstance(data.get("include"), list):
        merged.include = [p for p in data["include"] if isinstance(p, str)]
    for reference in data.get("references") or []:
        if isinstance(reference, dict) and isinstance(reference.get("path"), str):
            target = path.parent / reference["path"]
            merged.references.append(target / "tsconfig.json" if target.is_dir() else target)
    return merged


def _substitute(value: str, config_dir: Path) -> str:
    return value.replace("${configDir}", config_dir.as_posix())


def load_aliases(path: Path, root: Path) -> PathAliases:
    """The effective aliases of the config at ``path`` (``extends`` followed); TsconfigError if unreadable."""
    raw = _load_chain(path.resolve(), root.resolve())
    return _aliases_from(raw)


def _aliases_from(raw: _RawConfig) -> PathAliases:
    leaf_dir = raw.path.parent
    base_url: Path | None = None
    subfolder = False
    if raw.base_url is not None:
        value, folder = raw.base_url
        base_url = Path(os.path.normpath(folder / _substitute(value, leaf_dir)))
        subfolder = base_url != folder
    paths: list[tuple[str, tuple[str, ...]]] = []
    paths_base: Path | None = base_url
    if raw.paths is not None:
        mapping, declared_in = raw.paths
        paths_base = base_url or declared_in
        for pattern, targets in mapping.items():
            if isinstance(targets, str):
                targets = [targets]
            if isinstance(pattern, str) and isinstance(targets, list):
                clean = tuple(
                    os.path.normpath(paths_base / _substitute(t, leaf_dir)) for t in targets if isinstance(t, str)
                )
                if clean and pattern.count("*") <= 1:
                    paths.append((pattern, clean))
    return PathAliases(raw.path, base_url, tuple(paths), paths_base, subfolder)


def _included(file: Path, config_dir: Path, include: list[str] | None) -> bool:
    if include is None:
        return True
    for pattern in include:
        static = []
        for part in Path(pattern).parts:
            if any(ch in part for ch in "*?{["):
                break
            static.append(part)
        prefix = Path(os.path.normpath(config_dir.joinpath(*static))) if static else config_dir
        if file == prefix or _within(file, prefix):
            return True
    return False


class AliasIndex:
    """Finds and caches, per folder, the aliases that apply to files in it (kept in ``ctx.project``)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._by_folder: dict[Path, PathAliases | None] = {}
        self._by_config: dict[Path, _RawConfig | None] = {}
        self.problems: list[str] = []

    def _raw(self, path: Path) -> _RawConfig | None:
        path = path.resolve()
        if path not in self._by_config:
            try:
                self._by_config[path] = _load_chain(path, self.root)
            except TsconfigError as exc:
                self.problems.append(str(exc))
                self._by_config[path] = None
        return self._by_config[path]

    def nearest_config(self, folder: Path) -> Path | None:
        """The nearest tsconfig.json (or jsconfig.json) in ``folder`` or above it, within the root."""
        current = folder.resolve()
        while _within(current, self.root):
            for name in CONFIG_NAMES:
                if (current / name).is_file():
                    return current / name
            if current == self.root:
                break
            current = current.parent
        return None

    def for_file(self, file: Path) -> PathAliases | None:
        """The aliases in force for ``file`` (an absolute path), or None without a config."""
        folder = file.parent.resolve()
        if folder not in self._by_folder:
            self._by_folder[folder] = self._find(folder)
        return self._by_folder[folder]

    def _find(self, folder: Path) -> PathAliases | None:
        config = self.nearest_config(folder)
        if config is None:
            return None
        raw = self._raw(config)
        if raw is None:
            return None
        if raw.paths is None and raw.base_url is None and raw.references:
            # a solution config (Vite's tsconfig.json): the referenced project that includes the folder
            for reference in raw.references:
                ref = self._raw(reference) if reference.is_file() else None
                if ref is not None and (ref.paths or ref.base_url) and _included(folder, ref.path.parent, ref.include):
                    return _aliases_from(ref)
        return _aliases_from(raw)


# -- resolving specifiers ---------------------------------------------------------------------------


def resolve_file(path: Path) -> Path | None:
    """The file a path-like specifier means, with TypeScript's extension and ``index`` lookup."""
    text = os.path.normpath(str(path))
    candidate = Path(text)
    suffix = candidate.suffix
    if suffix and suffix not in EXTENSIONS and candidate.is_file():
        return candidate.resolve()  # ./styles.css, ./data.json, ./logo.svg
    for ext in EXTENSIONS:
        if Path(text + ext).is_file():
            return Path(text + ext).resolve()
    if suffix in _JS_TO_TS:
        stem = text[: -len(suffix)]
        for ext in _JS_TO_TS[suffix]:
            if Path(stem + ext).is_file():
                return Path(stem + ext).resolve()
    if suffix in EXTENSIONS and candidate.is_file():
        return candidate.resolve()
    if candidate.is_dir():
        manifest = candidate / "package.json"
        if manifest.is_file():
            try:
                meta = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
            for key in ("types", "typings", "module", "main"):
                entry = meta.get(key) if isinstance(meta, dict) else None
                if isinstance(entry, str):
                    found = resolve_file(candidate / entry)
                    if found is not None:
                        return found
        for ext in EXTENSIONS:
            index = candidate / f"index{ext}"
            if index.is_file():
                return index.resolve()
    return None


def is_relative(specifier: str) -> bool:
    return specifier in (".", "..") or specifier.startswith(("./", "../"))


def parent_depth(specifier: str) -> int:
    """How many folders up a relative specifier climbs before it goes down: ``../../x`` → 2."""
    depth = 0
    for part in specifier.split("/"):
        if part == "..":
            depth += 1
        elif part != ".":
            break
    return depth


def _match(pattern: str, specifier: str) -> str | None:
    """The text ``*`` stands for when ``specifier`` matches ``pattern`` (``""`` for an exact pattern)."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    prefix, suffix = pattern.split("*", 1)
    if specifier.startswith(prefix) and specifier.endswith(suffix) and len(specifier) >= len(prefix) + len(suffix):
        return specifier[len(prefix) : len(specifier) - len(suffix)]
    return None


def resolve_specifier(specifier: str, importer: Path, aliases: PathAliases | None) -> Path | None:
    """The file ``specifier`` imports from ``importer`` (absolute), with TypeScript's rules.

    Relative specifiers resolve against the importer's folder; others through ``paths`` (the
    matching pattern with the longest prefix, its targets in order) and then ``baseUrl``.
    Packages in ``node_modules`` are not resolved (None).
    """
    if is_relative(specifier) or os.path.isabs(specifier):
        return resolve_file(importer.parent / specifier)
    if aliases is None:
        return None
    best: tuple[int, str, tuple[str, ...]] | None = None
    for pattern, targets in aliases.paths:
        star = _match(pattern, specifier)
        if star is None:
            continue
        rank = 1 << 30 if "*" not in pattern else len(pattern.split("*", 1)[0])
        if best is None or rank > best[0]:
            best = (rank, star, targets)
    if best is not None and aliases.paths_base is not None:
        _, star, targets = best
        for target in targets:
            found = resolve_file(aliases.paths_base / target.replace("*", star, 1))
            if found is not None:
                return found
    if aliases.base_url is not None:
        return resolve_file(aliases.base_url / specifier)
    return None


def _prefix_of(base: Path, target_prefix: str) -> str:
    """Absolute text a path must start with to match a ``paths`` target's part before ``*``."""
    joined = os.path.normpath(base / target_prefix) if target_prefix else os.path.normpath(base)
    if not target_prefix or target_prefix.endswith("/"):
        return joined.rstrip("/") + "/"
    return joined


def suggest_aliases(specifier: str, importer: Path, aliases: PathAliases, use_base_url: bool) -> list[AliasSuggestion]:
    """Aliased specifiers for a relative ``specifier``, the most specific (longest target) first.

    Only suggestions that resolve to the same file as the original are returned; an original that
    does not resolve to a file gives none.
    """
    original = resolve_file(importer.parent / specifier)
    if original is None:
        return []
    wanted = os.path.normpath(importer.parent / specifier)
    ranked: list[tuple[int, int, AliasSuggestion]] = []
    order = 0
    if aliases.paths_base is not None:
        for pattern, targets in aliases.paths:
            if pattern.startswith("*"):
                continue  # "*": ["types/*"] is a fallback lookup, not an alias: "money" would read as a package
            for target in targets:
                order += 1
                if "*" in pattern and "*" in target:
                    head, tail = target.split("*", 1)
                    prefix = _prefix_of(aliases.paths_base, head)
                    if not wanted.startswith(prefix) or not wanted.endswith(tail):
                        continue
                    star = wanted[len(prefix) : len(wanted) - len(tail)]
                    if not star or star.startswith("/"):
                        continue
                    suggestion = AliasSuggestion(pattern.replace("*", star, 1), pattern, target)
                    ranked.append((len(prefix), -order, suggestion))
                elif "*" not in pattern + target and resolve_file(aliases.paths_base / target) == original:
                    if original.stem == "index" and _within(importer, original.parent):
                        continue  # a module of the package importing its own entry point (Nx-style @org/lib)
                    full = os.path.normpath(aliases.paths_base / target)
                    ranked.append((len(full) + 1, -order, AliasSuggestion(pattern, pattern, target)))
    if use_base_url and aliases.base_url is not None:
        base = os.path.normpath(aliases.base_url).rstrip("/") + "/"
        if wanted.startswith(base) and len(wanted) > len(base):
            ranked.append((0, 0, AliasSuggestion(wanted[len(base) :], "baseUrl", base.rstrip("/"))))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [s for _, _, s in ranked if resolve_specifier(s.specifier, importer, aliases) == original]


# -- Python -----------------------------------------------------------------------------------------


def python_package_parts(file: Path) -> list[str] | None:
    """The dotted package of ``file`` (``["shop", "orders"]``), climbing folders that hold ``__init__.py``.

    None when the file's own folder is not a regular package (a script or a namespace package).
    """
    folder = file.parent
    if not (folder / "__init__.py").is_file():
        return None
    parts: list[str] = []
    while (folder / "__init__.py").is_file():
        parts.append(folder.name)
        if folder.parent == folder:
            break
        folder = folder.parent
    return list(reversed(parts))


def absolute_module(file: Path, level: int, name: str) -> str | None:
    """The absolute module of ``from <level dots><name> import ...`` written in ``file``, or None."""
    package = python_package_parts(file)
    if package is None or level < 1 or level - 1 >= len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def python_search_root(file: Path) -> Path | None:
    """The folder that holds ``file``'s top-level package (what ``sys.path`` must contain)."""
    package = python_package_parts(file)
    if package is None:
        return None
    folder = file.parent
    for _ in package:
        folder = folder.parent
    return folder


def resolve_python_module(search_root: Path, dotted: str) -> Path | None:
    """The file of an absolute module under ``search_root``: ``a/b.py`` or ``a/b/__init__.py``."""
    base = search_root.joinpath(*dotted.split("."))
    for candidate in (Path(f"{base}.py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def resolve_relative_module(file: Path, level: int, name: str) -> Path | None:
    """The file of ``from <level dots><name> import ...`` in ``file``, climbing real folders."""
    folder = file.parent
    for _ in range(level - 1):
        folder = folder.parent
    base = folder.joinpath(*name.split(".")) if name else folder
    for candidate in (Path(f"{base}.py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None
