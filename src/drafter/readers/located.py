"""What every reader hands back: a file's text cut into pieces that know where each character sits.

Text rules run over pieces (a form's values, a text file's lines, a Word document's
paragraphs); structure checks walk the Document. Every piece knows the offset in the file's
text of each of its characters, so a finding is located at FILE:LINE:COL and a fix edits
the file in place without touching anything around it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..model import Document


class SourceKind(enum.Enum):
    """The kinds of file drafter reads speech text from, by suffix."""

    FORM = "form"
    TEXT = "text"
    MARKDOWN = "markdown"
    DOCX = "docx"

    @property
    def suffixes(self) -> tuple[str, ...]:
        return _SUFFIXES[self]

    @classmethod
    def of(cls, path: Path) -> SourceKind | None:
        """The kind a file's suffix says it is, or None."""
        suffix = path.suffix.lower()
        return next((kind for kind in cls if suffix in kind.suffixes), None)


_SUFFIXES = {
    SourceKind.FORM: (".yaml", ".yml"),
    SourceKind.TEXT: (".txt", ".text"),
    SourceKind.MARKDOWN: (".md", ".markdown"),
    SourceKind.DOCX: (".docx",),
}


@dataclass(frozen=True)
class Piece:
    """A stretch of text the rules read and the file offset of each of its characters.

    `exact` is False where the file spells the text differently (a YAML escape such as
    \\u4e2d): offsets are then only approximate, good for locating but never for editing.
    """

    text: str
    offsets: tuple[int, ...]
    key: tuple[str | int, ...] = ()
    block: int | None = None
    exact: bool = True


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` (which reads `original`) with `replacement`."""

    start: int
    end: int
    original: str
    replacement: str


def splice(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits to a text."""
    return splice_located(text, range(len(text)), edits)[0]


def splice_located(
    text: str, origins: Sequence[int], edits: list[Edit]
) -> tuple[str, tuple[int, ...]]:
    """Apply non-overlapping edits; a replacement takes the origin of what it replaced.

    A replacement as long as what it replaced (個 → 个) keeps each character's own origin;
    any other takes the origin of the first character it replaced.
    """
    parts: list[str] = []
    places: list[int] = []
    at = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts.append(text[at : edit.start])
        places.extend(origins[at : edit.start])
        parts.append(edit.replacement)
        if len(edit.replacement) == edit.end - edit.start:
            places.extend(origins[edit.start : edit.end])
        else:
            places.extend([origins[edit.start]] * len(edit.replacement))
        at = edit.end
    parts.append(text[at:])
    places.extend(origins[at:])
    return "".join(parts), tuple(places)


@dataclass
class Reading:
    """A file read as a speech: its text, pieces, Document and date, and how to write it back."""

    path: str
    kind: SourceKind
    text: str
    pieces: list[Piece]
    document: Document | None = None
    date: dt.date | None = None
    encoding: str | None = "utf-8"  # None: the file's bytes could not be reproduced, no fixes
    native: Any = None  # .docx: (python-docx Document, run spans per paragraph) fixes edit

    @cached_property
    def line_starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a text offset (for .docx: paragraph number and offset)."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def locate(self, piece: Piece, index: int) -> tuple[int, int]:
        """Line and column of the `index`-th character of a piece."""
        if not piece.offsets:
            return self.position(0)
        return self.position(piece.offsets[min(index, len(piece.offsets) - 1)])

    def edit(self, piece: Piece, start: int, end: int, replacement: str) -> Edit | None:
        """The file edit that replaces piece.text[start:end], if the file spells it verbatim."""
        if not piece.exact or end <= start:
            return None
        first, last = piece.offsets[start], piece.offsets[end - 1]
        original = piece.text[start:end]
        if last - first != end - start - 1 or self.text[first : last + 1] != original:
            return None
        return Edit(first, last + 1, original, replacement)
