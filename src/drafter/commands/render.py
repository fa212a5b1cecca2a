"""`drafter render`: draft each form and write it in every requested format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..drafting import draft_speech
from ..errors import Diagnostic, DrafterError
from ..output import write_atomically
from ..presets import Preset, load_preset
from ..writers import Writer, get_writer


@dataclass
class RenderResult:
    """What happened to one form: the files written, or the error that stopped it."""

    form: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    error: DrafterError | None = None


def render_forms(
    forms: Iterable[Path],
    out_dir: Path,
    formats: Iterable[str],
    style: str,
    template: str | None = None,
) -> Iterator[RenderResult]:
    """Render forms one by one, going on past a broken one; setup problems raise at once."""
    preset = load_preset(style)
    writers = {fmt: get_writer(fmt) for fmt in dict.fromkeys(formats)}
    for form in forms:
        yield render_one(form, out_dir, writers, preset, template)


def render_one(
    form: Path, out_dir: Path, writers: dict[str, Writer], preset: Preset, template: str | None
) -> RenderResult:
    """Draft one form and write each format to `out_dir/<form-stem>.<ext>`."""
    result = RenderResult(form)
    try:
        draft = draft_speech(form, template)
        result.warnings = draft.warnings
        for fmt, writer in writers.items():
            target = out_dir / f"{form.stem}.{fmt}"
            write_atomically(target, writer(draft.document, preset))
            result.written.append(target)
    except DrafterError as exc:
        result.error = exc
    return result
