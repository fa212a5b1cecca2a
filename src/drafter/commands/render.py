"""`drafter render`: draft each form and write it in every requested format.

A batch goes on past a broken form; results come one form at a time, for reporting.py to
show progress (a bar on a terminal, one line per form otherwise) and a summary. With `-j N` forms are rendered in N worker
processes; the work unit (`RenderJob`) and the worker function are top-level and picklable,
so this also works where processes are spawned afresh (Windows).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config.settings import load_settings
from ..errors import (
    Diagnostic,
    DrafterError,
    ExitCode,
    FormError,
    PresetError,
    Severity,
    TemplateError,
    UsageError,
    ValidationError,
)
from ..infra.gc_pause import collection_paused
from ..infra.output import guard_edits, write_atomically
from ..infra.paths import check_target_name, collision_key, expand_files
from ..pipeline import Draft, draft_speech
from ..presets import DEFAULT_PRESET, Preset, load_preset
from ..readers.located import SourceKind
from ..writers import FORMATS, get_writer

DEFAULT_FORMAT = "docx"
STDOUT = "-"
STREAMABLE = ("md", "txt", "html")  # formats that are text and can go to standard output
# Failures in what the writer gave us; anything else (a locked or edited output, LibreOffice)
# is a failure of the run, not of the input.
INPUT_ERRORS = (FormError, ValidationError, TemplateError, UsageError, PresetError)
FORM_SUFFIXES = (".yaml", ".yml")
# Windows cannot wait on more than 61 worker processes.
MAX_WORKERS = 61 if sys.platform == "win32" else 512


@dataclass(frozen=True)
class RenderOptions:
    """What the command line asked for."""

    out: Path | None = None  # None: as the settings file says, else ./output
    formats: tuple[str, ...] = ()
    style: str | None = None  # None: as the settings file says, else gbt9704
    template: str | None = None
    force: bool = False
    jobs: int = 1
    reference_doc: Path | None = None
    strict: bool = False


@dataclass(frozen=True)
class RenderJob:
    """One form to render and where each format goes; sent to worker processes as is."""

    form: Path
    targets: tuple[tuple[str, Path], ...]
    preset: Preset
    template: str | None = None
    force: bool = False
    strict: bool = False


@dataclass
class RenderResult:
    """What happened to one form: the files written, warnings, and the problems that stopped it."""

    form: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    input_error: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.problems)


# ---------------------------------------------------------------- planning


def plan_jobs(forms: Sequence[str | Path], options: RenderOptions) -> list[RenderJob]:
    """Expand the form arguments and check the whole run before anything is written."""
    paths = expand_forms(forms)
    formats = _formats(options, paths)
    for fmt in formats:
        get_writer(fmt)  # an unknown format is a usage error before any form is read
    settings = load_settings()  # the office's defaults; the command line overrides them
    style = options.style or settings.style or DEFAULT_PRESET
    preset = load_preset(style).with_reference_doc(options.reference_doc or settings.reference_doc)
    _check_tools(formats, preset)
    jobs = [
        RenderJob(
            form,
            _targets(form, formats, options.out or settings.output_folder(form)),
            preset,
            options.template,
            options.force,
            options.strict,
        )
        for form in paths
    ]
    for job in jobs:
        for _, target in job.targets:
            if str(target) != STDOUT:
                check_target_name(target)
    _refuse_collisions(jobs)
    return jobs


def expand_forms(arguments: Iterable[str | Path]) -> list[Path]:
    """Form paths from the arguments: folders give their .yaml files, wildcards are expanded."""
    return expand_files(arguments, FORM_SUFFIXES, "表单文件")


def _formats(options: RenderOptions, forms: list[Path]) -> tuple[str, ...]:
    """The formats to write: as asked, or the output file's extension, or docx."""
    asked = tuple(dict.fromkeys(options.formats))
    if options.out is None:
        return asked or (DEFAULT_FORMAT,)
    if str(options.out) == STDOUT:
        fmt = asked[0] if len(asked) == 1 else ""
        if fmt not in STREAMABLE or len(forms) != 1:
            raise UsageError(
                "-o - 把讲话稿输出到屏幕（标准输出），只能用于一份表单、一种格式（md、txt 或 html），"
                "如 -o - -f txt"
            )
        return asked
    named = _named_format(options.out)
    if named:
        if len(forms) != 1:
            raise UsageError(f"有多份表单时，-o 应为输出文件夹，而不是文件 {options.out}")
        if asked and asked != (named,):
            raise UsageError(
                f"-o {options.out} 指定了 {named} 文件；要输出其他或多种格式，请让 -o 指向一个文件夹"
            )
        return (named,)
    return asked or (DEFAULT_FORMAT,)


def _named_format(out: Path) -> str:
    """The format `-o` names when it is a file such as 讲话.docx rather than a folder."""
    fmt = out.suffix.lower().lstrip(".")
    return fmt if fmt in FORMATS and not out.is_dir() else ""


def _targets(form: Path, formats: tuple[str, ...], out: Path) -> tuple[tuple[str, Path], ...]:
    if str(out) == STDOUT or _named_format(out):
        return ((formats[0], out),)
    return tuple((fmt, out / f"{form.stem}.{fmt}") for fmt in formats)


def _refuse_collisions(jobs: list[RenderJob]) -> None:
    """Two forms with the same name would write the same file; the second would replace the first."""
    owners: dict[str, Path] = {}
    for job in jobs:
        for _, target in job.targets:
            first = owners.setdefault(collision_key(target), job.form)
            if first != job.form:
                raise UsageError(
                    f"表单 {first} 和 {job.form} 同名，都会写到 {target}，后一份会覆盖前一份；"
                    "请给其中一份改名，或分两次运行并用 -o 指定不同的输出文件夹"
                )


def _check_tools(formats: tuple[str, ...], preset: Preset) -> None:
    """Fail early when a format needs LibreOffice or a reference document that is unusable."""
    if preset.reference_doc and ({"docx", "pdf"} & set(formats)):
        from ..writers.docx.reference import check_reference  # deferred: start-up speed

        check_reference(preset.reference_doc, preset)
    if formats == ("pdf",):  # with other formats too, those are written and each PDF fails
        from ..writers.pdf import find_soffice  # deferred: start-up speed

        find_soffice()


# ---------------------------------------------------------------- rendering


def render_job(job: RenderJob) -> RenderResult:
    """Draft one form and write each format; problems are collected, never raised.

    Whatever goes wrong with one form, even a fault in drafter itself, is that form's
    failure: the other forms of a batch are still rendered.
    """
    try:
        with collection_paused():
            return _render_job(job)
    except MemoryError:
        return _unexpected(job, "内容过长或过大，内存不足，已停止生成这份表单")
    except RecursionError:
        return _unexpected(job, "内容嵌套过深，已停止生成这份表单")
    except Exception as exc:  # a fault in drafter: report it, keep the batch going
        return _unexpected(
            job,
            f"生成时出现意外错误（{type(exc).__name__}），其他表单不受影响；请把这份表单发给维护人员",
        )


def _unexpected(job: RenderJob, message: str) -> RenderResult:
    return RenderResult(job.form, problems=[Diagnostic(message, str(job.form))])


def _render_job(job: RenderJob) -> RenderResult:
    result = RenderResult(job.form)
    try:
        draft = draft_checked(job)
    except DrafterError as exc:
        result.problems = exc.diagnostics
        result.input_error = isinstance(exc, INPUT_ERRORS)
        return result
    result.warnings = draft.warnings
    for fmt, target in job.targets:
        try:
            if not job.force:
                guard_edits(target)  # before the writer runs: a refusal costs no LibreOffice call
            write_atomically(target, get_writer(fmt)(draft.document, job.preset))
        except DrafterError as exc:
            result.problems.extend(exc.diagnostics)
            continue
        result.written.append(target)
    return result


def refuse_speech_file(path: Path) -> None:
    """A speech (.docx, .txt, .md) given to render: say which command takes it."""
    kind = SourceKind.of(path)
    if kind is None or kind is SourceKind.FORM:
        return
    what = {SourceKind.DOCX: "Word 文档", SourceKind.MARKDOWN: "Markdown 文件"}.get(
        kind, "文本文件"
    )
    raise FormError(
        f"{path.name} 是{what}，不是表单：drafter render 只读 .yaml 表单。"
        f"要从这份旧讲话稿提取一份表单，请运行 drafter extract {path}；"
        f"要检查它，请运行 drafter check {path}",
        path=str(path),
    )


def draft_checked(job: RenderJob) -> Draft:
    """Draft a form and run `drafter check` on it: findings warn, or with --strict they fail it.

    A placeholder left in the speech (【请填写…】, ……, X镇, 【待补】) fails it either way:
    its rules say `stops_render`, and a speech with a gap must not reach the meeting.
    """
    from ..lint import as_diagnostics, draft_findings  # deferred: start-up speed

    refuse_speech_file(job.form)
    draft = draft_speech(job.form, job.template)
    findings = draft_findings(draft.form, draft.document)
    stopping = findings if job.strict else [f for f in findings if f.rule.stops_render]
    if stopping:
        why = "已按 --strict 停止生成" if job.strict else "讲话稿中还有待填写的占位符，已停止生成"
        refusal = Diagnostic(f"检查发现以上问题，{why}", str(job.form))
        located = [replace(f, severity=Severity.ERROR) for f in as_diagnostics(stopping)]
        # --strict keeps its input-error exit code; a placeholder alone makes the form fail (1).
        raise (ValidationError if job.strict else DrafterError)(diagnostics=[*located, refusal])
    draft.warnings.extend(
        replace(f, severity=Severity.WARNING)
        for f in as_diagnostics(findings, condensed=not job.strict)
    )
    return draft


def render_jobs(jobs: list[RenderJob], workers: int = 1) -> Iterator[RenderResult]:
    """Results in the order of the jobs, rendered here or in `workers` processes."""
    workers = min(workers if workers > 0 else os.cpu_count() or 1, len(jobs), MAX_WORKERS)
    if workers <= 1:
        yield from map(render_job, jobs)
        return
    import multiprocessing  # deferred: start-up speed
    from concurrent.futures import ProcessPoolExecutor  # deferred: start-up speed

    # Spawned workers behave the same on every system (Windows can only spawn).
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)
    try:
        # One form per task: the bar moves steadily, and Ctrl+C waits for only a few forms.
        yield from executor.map(render_job, jobs)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl+C to the main process, which stops the batch once."""
    import signal  # deferred: start-up speed

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# ---------------------------------------------------------------- the command


@dataclass(frozen=True)
class StreamedText:
    """`-o -`: the one text to print on stdout (None when it failed), the messages, the code."""

    payload: bytes | None
    diagnostics: list[Diagnostic]
    code: ExitCode


@dataclass(frozen=True)
class RenderRun:
    """A planned run: its results come as the caller iterates (forms render meanwhile)."""

    total: int
    results: Iterator[RenderResult]
    streamed: StreamedText | None = None


def render_command(forms: Sequence[str | Path], options: RenderOptions) -> RenderRun:
    """Plan `drafter render` (setup problems raise DrafterError) and start rendering."""
    jobs = plan_jobs(forms, options)
    if str(options.out) == STDOUT:
        return RenderRun(1, iter(()), render_to_memory(jobs[0]))
    return RenderRun(len(jobs), _with_face_warning(jobs, render_jobs(jobs, options.jobs)))


def _with_face_warning(
    jobs: list[RenderJob], results: Iterator[RenderResult]
) -> Iterator[RenderResult]:
    """The first result that wrote a PDF carries the run's one warning about missing faces."""
    pending = any(fmt == "pdf" for job in jobs for fmt, _ in job.targets)
    for result in results:
        if pending and any(path.suffix.lower() == ".pdf" for path in result.written):
            from ..writers.pdf_faces import face_message  # deferred: start-up speed

            pending, message = False, face_message(jobs[0].preset)
            if message:
                result.warnings.insert(0, Diagnostic(message, severity=Severity.WARNING))
        yield result


def exit_code(results: list[RenderResult]) -> ExitCode:
    """OK when all went well; INPUT when every form failed on its input; FAILED otherwise."""
    failed = [r for r in results if r.failed]
    if not failed:
        return ExitCode.OK
    every_input = len(failed) == len(results) and all(r.input_error for r in failed)
    return ExitCode.INPUT if every_input else ExitCode.FAILED


def render_to_memory(job: RenderJob) -> StreamedText:
    """One text format of one form, for standard output."""
    fmt, _ = job.targets[0]
    try:
        draft = draft_checked(job)
        payload = get_writer(fmt)(draft.document, job.preset)
    except DrafterError as exc:
        code = ExitCode.INPUT if isinstance(exc, INPUT_ERRORS) else ExitCode.FAILED
        return StreamedText(None, exc.diagnostics, code)
    return StreamedText(payload, draft.warnings, ExitCode.OK)
