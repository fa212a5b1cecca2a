"""Apply fixes in place: only the characters a finding names change, everything else is kept.

Forms are edited as text at the offsets of the values (not re-dumped), so comments,
indentation, quoting and blank lines stay exactly as the writer left them; the edited
form is parsed again and must hold exactly the intended values before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Diagnostic, Severity
from ..infra.output import write_atomically
from ..readers.located import Edit, SourceKind, splice
from .findings import Finding
from .form_source import form_pieces
from .sources import Source

__all__ = ["FixOutcome", "apply_fixes", "choose", "splice"]


@dataclass
class FixOutcome:
    """The findings whose fixes were written, and why a file was left alone, if it was."""

    applied: list[Finding] = field(default_factory=list)
    problem: Diagnostic | None = None


def choose(findings: list[Finding], fix_all: bool) -> list[Finding]:
    """Fixable findings in file order, skipping any whose edit overlaps an earlier one."""
    chosen: list[Finding] = []
    end = -1
    for finding in sorted(
        (f for f in findings if f.fixable(fix_all)),
        key=lambda f: (f.edit.start, f.edit.end) if f.edit else (0, 0),
    ):
        assert finding.edit is not None
        if finding.edit.start >= end:
            chosen.append(finding)
            end = finding.edit.end
    return chosen


def apply_fixes(source: Source, findings: list[Finding], fix_all: bool = False) -> FixOutcome:
    """Write the safe fixes (all fixes with `fix_all`) into the file `source` was read from."""
    chosen = choose(findings, fix_all)
    if not chosen:
        return FixOutcome()
    edits = [f.edit for f in chosen if f.edit is not None]
    if source.kind is SourceKind.DOCX:
        from ..readers.docx import apply_run_edits  # deferred: start-up speed

        payload, done = apply_run_edits(source, edits)
        applied = {id(edit) for edit in done}  # identity: a set of ids keeps this linear
        chosen = [f for f in chosen if id(f.edit) in applied]
    else:
        text = splice(source.text, edits)
        if source.kind is SourceKind.FORM and not _form_holds(source, text, edits):
            return FixOutcome(
                problem=Diagnostic(
                    "无法在保持表单原样的前提下自动修改，文件未改动；请按提示手工修改",
                    source.path,
                    severity=Severity.WARNING,
                )
            )
        # check_file never fixes a text it cannot write back byte for byte (encoding None).
        assert source.encoding is not None
        payload = text.encode(source.encoding)
    if chosen:
        write_atomically(Path(source.path), payload)
    return FixOutcome(chosen)


def _form_holds(source: Source, text: str, edits: list[Edit]) -> bool:
    """The edited form parses to the same keys with exactly the edited values."""
    try:
        after = [(piece.key, piece.text) for piece in form_pieces(text)]
    except yaml.YAMLError:
        return False
    # Where each file offset sits in a piece, so every edit is placed in one look-up.
    place: dict[int, tuple[int, int]] = {}
    for number, piece in enumerate(source.pieces):
        for index, offset in enumerate(piece.offsets):
            place.setdefault(offset, (number, index))
    inside: dict[int, list[tuple[int, Edit]]] = {}
    for edit in edits:
        if edit.start in place:
            number, index = place[edit.start]
            inside.setdefault(number, []).append((index, edit))
    expected = [
        (piece.key, _edited(piece.text, inside.get(number, [])))
        for number, piece in enumerate(source.pieces)
    ]
    return after == expected


def _edited(value: str, edits: list[tuple[int, Edit]]) -> str:
    """A value with its edits (each at its index in the value) applied in one pass."""
    parts: list[str] = []
    at = 0
    for index, edit in sorted(edits, key=lambda item: item[0]):
        parts += [value[at:index], edit.replacement]
        at = index + len(edit.original)
    parts.append(value[at:])
    return "".join(parts)
