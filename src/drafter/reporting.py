"""Everything drafter prints: diagnostics, fixes, check reports, render progress and summaries.

Commands return what they found; this module (with cli.py, which calls it) is the only one
that writes to the console. Paths and check findings go to stdout, everything else to stderr.
"""

from __future__ import annotations

import contextlib
import os
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
    """One line on stdout (a written file's path, a listing), never escaped as `\\U…`.

    A console shows every character. Redirected on Windows, stdout is in the ANSI code page
    (GBK), which lacks 𠮷; a path escaped there names no file, so such a line alone is
    written as UTF-8, which a program reading it can still decode (and lines GBK can hold
    stay in GBK, as the batch files that read them expect).
    """
    if _is_terminal(sys.stdout) or _encodable(text, getattr(sys.stdout, "encoding", None)):
        click.echo(text)
        return
    from .infra.output import write_to_stdout  # deferred: start-up speed

    write_to_stdout((text + os.linesep).encode("utf-8"))


def _encodable(text: str, encoding: str | None) -> bool:
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def emit(text: str) -> None:
    """Print text as is; redirected to a file it is UTF-8 whatever the Windows code page."""
    from .infra.output import write_to_stdout  # deferred: start-up speed

    if _is_terminal(sys.stdout):
        click.echo(text, nl=False)
        return
    write_to_stdout(text.encode("utf-8"))


def wait_for_key(prompt: str) -> None:
    """Show `prompt` and wait for a key, so the writer can read the window before it closes."""
    click.echo(prompt, err=True)
    with contextlib.suppress(EOFError, KeyboardInterrupt, OSError):
        click.getchar()


def tell_next_step(path: Path, what_to_do: str) -> None:
    """Print a new form's path, and on stderr how the writer goes on from it."""
    print_line(str(path))
    drafter = click.get_current_context().find_root().command_path  # as it was typed
    click.echo(f"已生成表单：{what_to_do}，然后运行 {drafter} render {path}", err=True)


def serving(url: str, folder: Path, token: str | None, users: int) -> None:
    """Where `drafter serve` listens; off the loopback, the URL carries the access token once."""
    print_line(f"正在提供 {folder} 中的表单，请用浏览器打开：")
    print_line(f"    {url}")
    if token:
        print_line("网址中的 token 是访问令牌：只发给需要填写表单的同事；没有它的请求会被拒绝。")
    if users:
        print_line(
            f"用户文件中有 {users} 位用户：每人在网址后加上 ?token=自己的口令 打开，浏览器会记住它；"
            "没有口令的请求会被拒绝。"
        )
    print_line("按 Ctrl+C 停止。")


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
        if err:
            click.echo(fix_line(finding), err=True)
        else:
            print_line(fix_line(finding))


# ---------------------------------------------------------------- drafter check


def show_check(reports: Sequence[FileReport], output: str) -> None:
    """Print what `drafter check` found: text lines, or one JSON document."""
    if output == "json":
        import json  # deferred: start-up speed

        payload = {"files": [file_report.as_json() for file_report in reports]}
        emit(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")  # UTF-8 when redirected
        return
    for file_report in reports:
        show_file_report(file_report)


def show_file_report(file_report: FileReport) -> None:
    """Fixes and findings on stdout (one `FILE:LINE:COL: …` line each), problems on stderr."""
    report(file_report.errors)
    report(file_report.notes)
    report_fixes(file_report.fixed, err=False)
    for finding in file_report.findings:
        print_line(finding.diagnostic().format())
    if file_report.length is not None:
        first, *rest = file_report.length.lines()
        print_line(f"{file_report.path}: {first}")
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
        print_line(text)

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
    """A one-line progress bar on the terminal, with messages printed above it.

    Our own rather than rich's (13.5 MB installed for this one bar): a carriage return
    redraws the line, and a message first clears it so the bar is redrawn below, not torn.
    """

    WIDTH = 24  # cells of the bar itself; the whole line stays inside an 80-column console

    def __enter__(self) -> BarProgress:
        self.started = time.monotonic()
        self.stdout_is_terminal = sys.stdout.isatty()
        self.drawn = ""
        self.draw()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.draw()
        click.echo("", err=True)

    def err(self, text: str) -> None:
        self.clear()
        click.echo(text, err=True)
        self.draw()

    def out(self, text: str) -> None:
        if self.stdout_is_terminal:
            self.err(text)  # the same screen: keep the bar intact
        else:
            print_line(text)

    def step(self, result: RenderResult) -> None:
        self.draw()

    def clear(self) -> None:
        if self.drawn:
            # Exactly the cells drawn: more would wrap onto a new line in a narrow window.
            click.echo("\r" + " " * cells(self.drawn) + "\r", nl=False, err=True)
            self.drawn = ""

    def draw(self) -> None:
        self.clear()
        self.drawn = bar_line(self.done, self.total, time.monotonic() - self.started, self.WIDTH)
        click.echo(self.drawn, nl=False, err=True)


def bar_line(done: int, total: int, seconds: float, width: int) -> str:
    """`生成讲话稿 #########--------------- 3/8 已用 0:05 剩余 0:08`."""
    filled = width * done // total if total else width
    left = seconds / done * (total - done) if done else None
    remaining = _clock(left) if left is not None else "-:--"
    return (
        f"生成讲话稿 {'#' * filled}{'-' * (width - filled)} {done}/{total} "
        f"已用 {_clock(seconds)} 剩余 {remaining}"
    )


def cells(text: str) -> int:
    """Console columns `text` takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def progress(total: int) -> PlainProgress:
    """A progress bar when there is a batch and stderr is a terminal; plain lines otherwise."""
    if total > 1 and _stderr_is_terminal():
        return BarProgress(total)
    return PlainProgress(total)


def _stderr_is_terminal() -> bool:
    return _is_terminal(sys.stderr)


def _is_terminal(stream: object) -> bool:
    isatty: Callable[[], bool] | None = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
