"""Everything drafter prints: diagnostics, fixes, check reports, render progress and summaries.

Commands return what they found; this module (with cli.py, which calls it) is the only one
that writes to the console. Paths and check findings go to stdout, everything else to stderr.
"""

from __future__ import annotations

import contextlib
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import Diagnostic, ExitCode

if TYPE_CHECKING:
    from .commands.check import FileReport
    from .commands.render import RenderResult, RenderRun
    from .lint.findings import Finding


def keep_output_printable() -> None:
    """Escape, never fail on, a character the console's code page lacks (𠮷 under GBK).

    On Windows, output sent to a file or another program is encoded in the ANSI code page
    (GBK in China), which has no room for rarer characters found in names and file names.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def report(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics to stderr, one `FILE:LINE:COL: 错误: …` line each."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def print_line(text: str) -> None:
    """One line on stdout (a written file's path, a listing)."""
    click.echo(text)


def emit(text: str) -> None:
    """Print text as is; redirected to a file it is UTF-8 whatever the Windows code page."""
    from .infra.output import write_to_stdout  # deferred: start-up speed

    if sys.stdout.isatty():
        click.echo(text, nl=False)
        return
    write_to_stdout(text.encode("utf-8"))


def tell_next_step(path: Path, what_to_do: str) -> None:
    """Print a new form's path, and on stderr how the writer goes on from it."""
    click.echo(str(path))
    drafter = click.get_current_context().find_root().command_path  # as it was typed
    click.echo(f"已生成表单：{what_to_do}，然后运行 {drafter} render {path}", err=True)


def fix_line(finding: Finding) -> str:
    """`FILE:LINE:COL: 已修改: [rule] “,” → “，”` (or 删除“(shū)”)."""
    assert finding.edit is not None
    where = ":".join(str(p) for p in (finding.path, finding.line, finding.column) if p is not None)
    old, new = _visible(finding.edit.original), _visible(finding.edit.replacement)
    change = f"“{old}” → “{new}”" if new else f"删除“{old}”"
    return f"{where}: 已修改: [{finding.rule.id}] {change}"


def _visible(text: str) -> str:
    """Text with invisible characters (zero-width, bidi controls) named, e.g. <U+200B>."""
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cf", "Cc", "Zl", "Zp") else c
        for c in text
    )


def report_fixes(findings: Iterable[Finding], *, err: bool) -> None:
    """One `已修改` line per applied fix."""
    for finding in findings:
        click.echo(fix_line(finding), err=err)


# ---------------------------------------------------------------- drafter check


def show_check(reports: Sequence[FileReport], output: str) -> None:
    """Print what `drafter check` found: text lines, or one JSON document."""
    if output == "json":
        import json  # deferred: start-up speed

        payload = {"files": [file_report.as_json() for file_report in reports]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for file_report in reports:
        show_file_report(file_report)


def show_file_report(file_report: FileReport) -> None:
    """Fixes and findings on stdout (one `FILE:LINE:COL: …` line each), problems on stderr."""
    report(file_report.errors)
    report(file_report.notes)
    report_fixes(file_report.fixed, err=False)
    for finding in file_report.findings:
        click.echo(finding.diagnostic().format())
    if file_report.length is not None:
        first, *rest = file_report.length.lines()
        click.echo(f"{file_report.path}: {first}")
        for line in rest:
            click.echo(line)


# ---------------------------------------------------------------- drafter render


def show_render(run: RenderRun) -> ExitCode:
    """Print a render run as its forms finish; return the run's exit code."""
    from .commands.render import exit_code  # deferred: start-up speed
    from .infra.output import write_to_stdout  # deferred: start-up speed

    if run.streamed is not None:
        report(run.streamed.diagnostics)
        if run.streamed.payload is not None:
            write_to_stdout(run.streamed.payload)
        return run.streamed.code
    started = time.monotonic()
    results: list[RenderResult] = []
    with progress(run.total) as shown:
        for result in run.results:
            results.append(result)
            shown.show(result)
        if run.total > 1:
            shown.summary(results, time.monotonic() - started)
    return exit_code(results)


class PlainProgress:
    """Paths on stdout; diagnostics and, in a batch, one progress line per form on stderr."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def err(self, text: str) -> None:
        click.echo(text, err=True)

    def out(self, text: str) -> None:
        click.echo(text)

    def show(self, result: RenderResult) -> None:
        self.done += 1
        for diagnostic in result.warnings:
            self.err(diagnostic.format())
        for path in result.written:
            self.out(str(path))
        for diagnostic in result.problems:
            self.err(diagnostic.format())
        self.step(result)

    def step(self, result: RenderResult) -> None:
        if self.total > 1:
            state = "失败" if result.failed else "完成"
            self.err(f"[{self.done}/{self.total}] {result.form}：{state}")

    def summary(self, results: list[RenderResult], seconds: float) -> None:
        failed = [r for r in results if r.failed]
        self.err(
            f"共 {len(results)} 份表单：成功 {len(results) - len(failed)} 份，失败 {len(failed)} 份"
            f"（用时 {seconds:.1f} 秒）"
        )
        if failed:
            self.err("失败的表单：" + "、".join(str(r.form) for r in failed))


class BarProgress(PlainProgress):
    """A progress bar on the terminal (rich), with messages printed above it."""

    def __enter__(self) -> BarProgress:
        from rich.console import Console  # deferred: optional dependency
        from rich.progress import (  # deferred: optional dependency
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True, highlight=False, emoji=False, markup=False)
        self.progress = Progress(
            TextColumn("生成讲话稿"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("已用"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=self.console,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.task = self.progress.add_task("", total=self.total)
        self.stdout_is_terminal = sys.stdout.isatty()
        self.progress.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.__exit__(None, None, None)

    def err(self, text: str) -> None:
        # Printed through the bar's console so the bar is redrawn below, not torn.
        self.console.print(text, soft_wrap=True, markup=False, highlight=False)

    def out(self, text: str) -> None:
        if self.stdout_is_terminal:
            self.err(text)  # the same screen: keep the bar intact
        else:
            click.echo(text)

    def step(self, result: RenderResult) -> None:
        self.progress.advance(self.task)


def progress(total: int) -> PlainProgress:
    """A progress bar when there is a batch and stderr is a terminal; plain lines otherwise."""
    if total > 1 and _stderr_is_terminal():
        return BarProgress(total)
    return PlainProgress(total)


def _stderr_is_terminal() -> bool:
    isatty: Callable[[], bool] | None = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())
