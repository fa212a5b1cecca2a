"""`drafter check`: lint forms and speeches, optionally fixing what is safe to fix in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, DrafterError, ExitCode, Severity, UsageError
from ..infra.paths import expand_files
from ..lint.findings import Finding
from ..lint.length import DEFAULT_PACE, LengthReport, measure
from ..lint.rules import RuleSet, load_rules
from ..readers.located import SourceKind

if TYPE_CHECKING:
    from ..lint.sources import Source

MAX_FIX_PASSES = 3  # a fix can uncover another (a mark inside a fixed span); stop after a few


@dataclass(frozen=True)
class CheckOptions:
    """What the command line asked for."""

    date: dt.date | None = None
    rules: tuple[Path, ...] = ()
    fix: bool = False
    fix_all: bool = False
    pace: int = DEFAULT_PACE
    output: str = "text"  # text | json


@dataclass
class FileReport:
    """What checking one file found, fixed, and measured."""

    path: str
    date: dt.date | None = None
    findings: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)  # the file could not be checked fully
    notes: list[Diagnostic] = field(default_factory=list)  # e.g. why a fix was not written
    length: LengthReport | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "date": self.date.isoformat() if self.date else None,
            "findings": [finding.as_json() for finding in self.findings],
            "fixed": [
                {**finding.as_json(), "original": finding.edit.original if finding.edit else None}
                for finding in self.fixed
            ],
            "errors": [d.as_json() for d in self.errors],
            "notes": [d.as_json() for d in self.notes],
            "length": self.length.as_json() if self.length else None,
        }


def parse_date(text: str | None) -> dt.date | None:
    """--date as YYYY-MM-DD, or a UsageError in the writer's words."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date 的日期无效：{text}；请写成 2026-11-28") from None


def check_command(paths: Sequence[str | Path], options: CheckOptions) -> list[FileReport]:
    """Check every file; what was found, fixed and measured, one report per file."""
    rules = load_rules(options.rules)
    return list(check_files(expand_paths(paths), rules, options))


def expand_paths(arguments: Iterable[str | Path]) -> list[Path]:
    """Files as given; a folder stands for the forms and speeches directly inside it."""
    known = tuple(suffix for kind in SourceKind for suffix in kind.suffixes)
    return expand_files(arguments, known, "可检查的文件")


def check_files(
    paths: Iterable[Path], rules: RuleSet, options: CheckOptions
) -> Iterator[FileReport]:
    for path in paths:
        yield check_file(path, rules, options)


def check_file(path: Path, rules: RuleSet, options: CheckOptions) -> FileReport:
    """Lint one file; with --fix, write its safe fixes and lint what is left."""
    from ..lint import lint, speech_date  # deferred: start-up speed
    from ..lint.fixes import apply_fixes  # deferred: start-up speed

    report = FileReport(str(path))
    try:
        source = read_checked(path)
        day = speech_date(source, options.date)
        findings = lint(source, rules, day)
        passes = MAX_FIX_PASSES if options.fix or options.fix_all else 0
        for _ in range(passes):
            if source.encoding is None and source.kind is not SourceKind.DOCX:
                report.notes.append(_unsure_encoding(source.path))
                break
            outcome = apply_fixes(source, findings, options.fix_all)
            report.fixed.extend(outcome.applied)
            if outcome.problem is not None:
                report.notes.append(outcome.problem)
            if not outcome.applied:
                break
            source = read_checked(path)
            findings = lint(source, rules, day)
    except DrafterError as exc:
        report.errors.extend(exc.diagnostics)
        return report
    report.date = day
    report.findings = findings
    report.errors.extend(source.problems)
    if source.document is not None:
        report.length = measure(source.document, options.pace)
    return report


def read_checked(path: Path) -> Source:
    """A file as the linter reads it; a form is drafted here and its Document handed over."""
    from ..lint.form_source import form_source, read_form_source  # deferred: start-up speed
    from ..lint.sources import read_source  # deferred: start-up speed
    from ..pipeline import draft_speech  # deferred: start-up speed

    if SourceKind.of(path) is not SourceKind.FORM:
        return read_source(path)
    try:
        draft = draft_speech(path)
    except DrafterError as exc:  # the text rules still run; a form that cannot load raises
        return read_form_source(path, None, exc.diagnostics)
    return form_source(draft.form, draft.document, numbered=draft.pack.schema.numbered_at)


def _unsure_encoding(path: str) -> Diagnostic:
    return Diagnostic(
        "无法确定文件的编码能否原样写回，没有自动修改；请另存为 UTF-8 后再用 --fix",
        path,
        severity=Severity.WARNING,
    )


def exit_code(reports: list[FileReport]) -> ExitCode:
    """INPUT if some file could not be checked, else FAILED if anything was found, else OK."""
    if any(report.errors for report in reports):
        return ExitCode.INPUT
    return ExitCode.FAILED if any(report.findings for report in reports) else ExitCode.OK
