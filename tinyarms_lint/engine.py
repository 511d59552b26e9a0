"""The one place that knows the order of a run: files → regions → candidates → verdicts → findings."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import languages
from .budget import BudgetExceeded, FileBudget
from .config import Config, type_error
from .detectors import get_detector, get_preparer
from .detectors.base import DetectContext, RepositoryView
from .errors import ConfigError
from .regions import SourceFile, changed_regions
from .rules import Rule, option_type_problem
from .severity import STATIC_CLEAR_CONFIDENCE, UNCALIBRATED_MODEL_CAP, UNDECIDED_CONFIDENCE, at_most
from .suppressions import find_suppressions
from .types import Candidate, Finding, Region, RunResult, RunStats, Verdict

if TYPE_CHECKING:
    from .llm.base import Judge


@dataclass(frozen=True)
class Target:
    """One file to lint: its repository-relative path, how to read it, and its changed lines."""

    path: str
    read: Callable[[], bytes]
    changed_lines: frozenset[int] | None = None


def active_rules(
    all_rules: dict[str, Rule],
    config: Config,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> list[Rule]:
    """The rules this run applies, with configured severity and options merged in."""
    for rule_id in (*select, *ignore, *config.select, *config.ignore, *config.rules):
        if rule_id not in all_rules:
            raise ConfigError(f"unknown rule {rule_id!r} (see `tinyarms-lint rules list`)")
    chosen = select or config.select or tuple(all_rules)
    skipped = set(ignore) | set(config.ignore)
    rules = []
    for rule_id in chosen:
        if rule_id in skipped:
            continue
        rule = all_rules[rule_id]
        settings = config.rules.get(rule_id)
        if settings is not None:
            unknown = sorted(set(settings.options) - set(rule.options))
            if unknown:
                raise ConfigError(
                    f"rules.{rule_id}: unknown option {unknown[0]!r}"
                    + (f" (known: {', '.join(sorted(rule.options))})" if rule.options else "")
                )
            for key, value in settings.options.items():
                expected = option_type_problem(rule, key, value)
                if expected is not None:
                    raise type_error(config.source or "config", f"rules.{rule_id}.{key}", expected, value)
            rule = rule.with_overrides(settings.severity, settings.options, settings.llm, settings.undecided)
        rules.append(rule)
    return rules


def _decode(path: str, data: bytes, config: Config, stats: RunStats) -> str | None:
    if len(data) > config.max_file_size:
        stats.skipped.append(f"{path}: skipped, larger than max_file_size ({len(data)} > {config.max_file_size} bytes)")
        return None
    if b"\0" in data[:8192]:
        stats.skipped.append(f"{path}: skipped, binary file")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        stats.skipped.append(f"{path}: skipped, not valid UTF-8 (byte {exc.start})")
        return None


def _in_regions(candidate: Candidate, regions: list[Region]) -> bool:
    start, end = candidate.span.start_byte, candidate.span.end_byte
    return any(start < r.span.end_byte and end > r.span.start_byte for r in regions)


def _in_regions_lines(finding: Finding, regions: list[Region]) -> bool:
    return any(r.span.line <= finding.line <= r.span.end_line for r in regions)


def _finding(
    file: SourceFile,
    rule: Rule,
    candidate: Candidate,
    tier: str,
    message: str | None = None,
    *,
    severity: str | None = None,
    confidence: float | None = None,
    margin: float | None = None,
    undecided: bool = False,
) -> Finding:
    span = candidate.span
    return Finding(
        path=file.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        rule=rule.id,
        severity=(severity or rule.severity),  # type: ignore[arg-type]
        message=message or candidate.message,
        tier=tier,  # type: ignore[arg-type]
        snippet=candidate.snippet,
        fix=candidate.fix,
        confidence=confidence,
        margin=margin,
        undecided=undecided,
        related=tuple(candidate.data.get("related", ())),  # (path, line, end_line) of other places, if any
    )


def _static_finding(file: SourceFile, rule: Rule, candidate: Candidate) -> Finding:
    """A detector's clear call: confidence 1.0 unless the detector states its own (``data["confidence"]``)."""
    stated = candidate.data.get("confidence")
    confidence = float(stated) if isinstance(stated, (int, float)) else STATIC_CLEAR_CONFIDENCE
    return _finding(file, rule, candidate, "static", confidence=confidence)


def _model_finding(file: SourceFile, rule: Rule, candidate: Candidate, verdict: Verdict) -> Finding:
    """A model's "yes": at the rule's severity only when its rule was calibrated and met its floors."""
    severity = rule.severity if verdict.calibrated else at_most(rule.severity, UNCALIBRATED_MODEL_CAP)
    return _finding(
        file,
        rule,
        candidate,
        "llm",
        verdict.message,
        severity=severity,
        confidence=verdict.confidence,
        margin=verdict.margin,
    )


def _undecided_findings(file: SourceFile, rule: Rule, candidates: list[Candidate], stats: RunStats) -> list[Finding]:
    """Ambiguous candidates no tier decided: reported at the rule's ``undecided`` severity, or dropped (counted)."""
    if not candidates:
        return []
    stats.unjudged += len(candidates)
    if rule.undecided == "drop":
        stats.dropped[rule.id] = stats.dropped.get(rule.id, 0) + len(candidates)
        return []
    severity = at_most(rule.undecided, rule.severity)
    return [
        _finding(file, rule, c, "static", severity=severity, confidence=UNDECIDED_CONFIDENCE, undecided=True)
        for c in candidates
    ]


def _undecided_notes(stats: RunStats) -> list[str]:
    """One note per rule whose regions no model judged, and per rule whose undecided candidates were dropped."""
    notes = []
    for rule_id, count in sorted(stats.unjudged_rules.items()):
        regions = "region" if count == 1 else "regions"
        notes.append(f"{rule_id}: {count} {regions} not judged: only a model can judge this rule and none answered")
    for rule_id, count in sorted(stats.dropped.items()):
        notes.append(f'{rule_id}: {count} undecided candidate{"s" if count != 1 else ""} dropped (undecided = "drop")')
    return notes


class Engine:
    """Runs rules over targets. Stateless between runs apart from detector project data."""

    def __init__(
        self,
        config: Config,
        rules: list[Rule],
        judge: Judge | None = None,
        repository: RepositoryView | None = None,
        known_rules: set[str] | None = None,
        fix: bool = False,
    ) -> None:
        self.config = config
        self.fix = fix  # --fix: also ask the model for the fixes only it can write (comment translations)
        self.rules = rules
        self.known_rules = known_rules if known_rules is not None else {r.id for r in rules}
        self.judge = judge
        self.repository = repository
        self.project: dict[str, object] = {}
        self.linted: dict[str, bytes] = {}  # content each finding's positions refer to (for --fix)

    def run(
        self,
        targets: list[Target],
        jobs: int = 1,
        on_file: Callable[[RunStats], None] | None = None,
    ) -> RunResult:
        """Check every target; ``jobs > 1`` spreads the static tier over processes (no model in play);
        ``on_file`` is called after each file (progress display)."""
        started = time.perf_counter()
        stats = RunStats()
        findings: list[Finding] = []
        if jobs > 1 and self.judge is None and len(targets) >= max(2 * jobs, MIN_PARALLEL_FILES) and _can_fork():
            self._prepare(jobs)  # repository-wide indexes first, so that the workers fork with them
            findings = self._run_parallel(targets, jobs, stats, on_file)
        else:
            for target in targets:
                findings.extend(self.check(target, stats))
                if on_file is not None:
                    if self.judge is not None:
                        stats.llm_calls = self.judge.calls
                    on_file(stats)
        if self.judge is not None:
            stats.llm_calls = self.judge.calls
            stats.cache_hits = self.judge.cache_hits
            stats.notes.extend(self.judge.notes)
        stats.notes.extend(n for n in _undecided_notes(stats) if n not in stats.notes)
        detector_notes = self.project.get("notes")  # detectors note degraded modes here (DetectContext.project)
        if isinstance(detector_notes, list):
            stats.notes.extend(n for n in detector_notes if isinstance(n, str) and n not in stats.notes)
        findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
        stats.elapsed_ms = int((time.perf_counter() - started) * 1000)
        return RunResult(findings, stats, self.rules, self.config.fail_on)

    def _context(self, path: str | None) -> DetectContext:
        """What detectors may know besides the file; with ``path``, whether it is a token or test file."""
        return DetectContext(
            root=self.config.root,
            is_token_file=path is not None and self.config.is_token_file(path),
            is_test_file=path is not None and self.config.is_test_file(path),
            project=self.project,
            repository=self.repository,
            token_files=self.config.token_files,
            exclude=self.config.exclude,
            cache_dir=self.config.cache_dir,
            rules={r.id: r for r in self.rules},
        )

    def _prepare(self, jobs: int) -> None:
        """Run the detectors' preparers (dry's duplicate index) once, over ``jobs`` processes."""
        ctx = self._context(None)
        for rule in self.rules:
            preparer = get_preparer(rule.detector) if rule.detector is not None else None
            if preparer is not None:
                preparer(rule, ctx, jobs)

    def _run_parallel(
        self, targets: list[Target], jobs: int, stats: RunStats, on_file: Callable[[RunStats], None] | None
    ) -> list[Finding]:
        """The static tier in forked worker processes, in chunks; results merged in target order."""
        import multiprocessing

        global _FORK_STATE
        _FORK_STATE = (self, targets)
        chunk = max(1, min(64, len(targets) // (jobs * 4)))
        batches = [list(range(i, min(i + chunk, len(targets)))) for i in range(0, len(targets), chunk)]
        findings: list[Finding] = []
        try:
            # workers ignore Ctrl-C: the terminal sends SIGINT to the whole process group, and only this
            # process should answer it (the pool is terminated on the way out; cli prints one line)
            with multiprocessing.get_context("fork").Pool(jobs, initializer=_ignore_interrupts) as pool:
                for part_findings, part_stats, linted in pool.imap(_check_batch, batches):
                    findings.extend(part_findings)
                    self.linted.update(linted)
                    for name in ("files", "regions", "processed", "unjudged"):
                        setattr(stats, name, getattr(stats, name) + getattr(part_stats, name))
                    stats.skipped.extend(part_stats.skipped)
                    for name in ("unjudged_rules", "dropped"):
                        merged = getattr(stats, name)
                        for rule_id, count in getattr(part_stats, name).items():
                            merged[rule_id] = merged.get(rule_id, 0) + count
                    stats.whole_files.extend(part_stats.whole_files)
                    stats.notes.extend(n for n in part_stats.notes if n not in stats.notes)
                    if on_file is not None:
                        on_file(stats)
        finally:
            _FORK_STATE = None
        return findings

    def check(self, target: Target, stats: RunStats) -> list[Finding]:
        """Lint one target; files we cannot or should not parse are skipped with a note."""
        stats.processed += 1
        path = target.path
        if self.config.is_excluded(path):
            return []
        language = languages.language_for_path(path)
        if language is None:
            return []
        rules = [r for r in self.rules if r.applies_to(language)]
        rules = [r for r in rules if not r.files or _matches(path, r.files)]
        if not rules:
            return []
        try:
            data = target.read()
        except OSError as exc:
            stats.skipped.append(f"{path}: skipped, cannot read ({exc.strerror or exc})")
            return []
        text = _decode(path, data, self.config, stats)
        if text is None:
            return []
        if self.config.skip_generated:
            from .generated import generated_reason

            reason = generated_reason(text, language, self.config.minified_line_length)
            if reason is not None:
                stats.skipped.append(f"{path}: skipped, {reason}; set skip_generated = false to check it")
                return []
        stats.files += 1
        self.linted[path] = data
        file = SourceFile.parse(path, language, data)
        regions = changed_regions(file, target.changed_lines)
        if not regions:
            return []
        stats.regions += len(regions)
        ctx = self._context(path)
        for rule in rules:  # imported before any runs, so that their queries compile as one (languages.py)
            if rule.detector is not None:
                get_detector(rule.detector)
        findings: list[Finding] = []
        untranslated: list[tuple[Finding, Rule, Candidate]] = []
        budget = FileBudget(self.config.file_time_budget)
        for rule in rules:
            try:
                findings.extend(
                    self._apply(
                        rule, file, regions, ctx, stats, target.changed_lines is None, untranslated, budget,
                        target.changed_lines,
                    )
                )
            except BudgetExceeded as exc:
                seconds = f"{self.config.file_time_budget:g}"
                stats.skipped.append(f"{path}: skipped, {exc.rule} took longer than file_time_budget ({seconds} s)")
                return []
            except RecursionError:
                stats.skipped.append(f"{path}: {rule.id} skipped, nested too deeply to check")
        if target.changed_lines is None:
            stats.whole_files.append(path)
        suppressions = find_suppressions(file, self.known_rules)
        findings = [f for f in findings if not suppressions.silences(f)]
        if untranslated:  # only under --fix, and only for findings that stay reported
            kept = {id(f) for f in findings}
            translated = self._translate(file, [u for u in untranslated if id(u[0]) in kept], stats)
            findings = [translated.get(id(f), f) for f in findings]
        findings.extend(p for p in suppressions.problems if _in_regions_lines(p, regions))
        return findings

    def _apply(
        self,
        rule: Rule,
        file: SourceFile,
        regions: list[Region],
        ctx: DetectContext,
        stats: RunStats,
        whole: bool,
        untranslated: list[tuple[Finding, Rule, Candidate]] | None = None,
        budget: FileBudget | None = None,
        changed_lines: frozenset[int] | None = None,
    ) -> list[Finding]:
        if rule.detector is None:  # a team rule: its match: selector, or model questions (team_rules.py)
            from .team_rules import judge_team_rule

            return [
                _finding(
                    file,
                    rule,
                    j.candidate,
                    j.verdict.decided_by,
                    j.verdict.message,
                    severity=j.severity,
                    confidence=j.verdict.confidence if j.verdict.decided_by == "llm" else STATIC_CLEAR_CONFIDENCE,
                    margin=j.verdict.margin,
                )
                for j in judge_team_rule(rule, file, regions, self.judge, stats, changed_lines)
            ]
        detector = get_detector(rule.detector)
        with budget.check(rule.id) if budget is not None else contextlib.nullcontext():
            candidates = [c for c in detector(file, rule, ctx) if _in_regions(c, regions)]
        findings = []
        for candidate in candidates:
            if candidate.clear:
                findings.append(_static_finding(file, rule, candidate))
                if self.fix and untranslated is not None and _wants_translation(rule, candidate):
                    untranslated.append((findings[-1], rule, candidate))
        # ``changed_only`` candidates (e.g. "does this translation still mean the source?") are asked
        # about only when their lines changed, never for every line of a whole-file run
        ambiguous = [c for c in candidates if not c.clear and not (whole and c.data.get("changed_only"))]
        undecided = ambiguous
        if ambiguous and self.judge is not None and rule.llm:
            verdicts = self.judge.judge_candidates(rule, file, ambiguous)
            undecided = []
            for candidate, verdict in zip(ambiguous, verdicts):
                if verdict.unanswered:
                    undecided.append(candidate)
                elif verdict.violation:
                    findings.append(_model_finding(file, rule, candidate, verdict))
        # no silent drops: what no tier decided is reported (softer) or dropped by the rule's explicit choice
        findings.extend(_undecided_findings(file, rule, undecided, stats))
        return findings

    def _translate(
        self, file: SourceFile, pending: list[tuple[Finding, Rule, Candidate]], stats: RunStats
    ) -> dict[int, Finding]:
        """Findings (by ``id``) given the model's translation as their fix; rejected answers give none."""
        if not pending:
            return {}
        if self.judge is None:
            note = f"{pending[0][1].id}: --fix translates comments only with the language model"
            note += " (see `tinyarms-lint models`)"
            if note not in stats.notes:
                stats.notes.append(note)
            return {}
        from .detectors.comment_language import translation_fix, translation_problem

        out: dict[int, Finding] = {}
        for finding, rule, candidate in pending:
            translation = self.judge.translate(rule, file, candidate)
            if translation is None:
                continue
            problem = translation_problem(candidate, translation, rule)
            if problem is not None:
                shown = translation if len(translation) <= 80 else translation[:77] + "..."
                stats.notes.append(f"{file.path}:{finding.line}: {rule.id}: not fixed, {problem}: {shown!r}")
                continue
            out[id(finding)] = replace(finding, fix=translation_fix(candidate, translation))
        return out


# Detectors whose clear findings get a fix only a model can write (under --fix), whatever the rule's
# ``llm`` flag says: ``llm`` decides whether ambiguous candidates are judged by a model, not this.
MODEL_FIX_DETECTORS = frozenset({"comment-language"})


def _wants_translation(rule: Rule, candidate: Candidate) -> bool:
    """A clear finding whose fix only the model can write: a comment to translate (comment-language)."""
    return rule.detector in MODEL_FIX_DETECTORS and candidate.fix is None and candidate.data.get("kind") == "translate"


# Fewer files are checked in this process: starting workers costs more than it saves (a hook run).
MIN_PARALLEL_FILES = 20

_FORK_STATE: tuple[Engine, list[Target]] | None = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _ignore_interrupts() -> None:
    """Worker start-up for ``Engine._run_parallel``: SIGINT is the parent's to handle."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_batch(indexes: list[int]) -> tuple[list[Finding], RunStats, dict[str, bytes]]:
    """Worker side of ``Engine._run_parallel``: the engine and targets come from the fork."""
    assert _FORK_STATE is not None
    engine, targets = _FORK_STATE
    stats = RunStats()
    findings: list[Finding] = []
    for index in indexes:
        findings.extend(engine.check(targets[index], stats))
    notes = engine.project.get("notes")
    if isinstance(notes, list):
        stats.notes.extend(n for n in notes if isinstance(n, str))
    fixable = {f.path for f in findings if f.fix is not None}
    return findings, stats, {p: d for p, d in engine.linted.items() if p in fixable}


def _matches(path: str, globs: tuple[str, ...]) -> bool:
    from .config import matches_any

    return matches_any(path, globs)


def relative_path(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` with forward slashes (kept as given when outside root)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
