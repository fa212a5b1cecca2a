"""What the linter reads: a Reading of a file (see readers/), plus what drafting it reported.

Forms are drafted by the command that checks them (the linter never runs the pipeline) and
arrive here with their Document; speech files are read by the readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from ..errors import Diagnostic, SpeechFileError
from ..readers import read_speech_file
from ..readers.located import Piece, Reading, SourceKind
from ..readers.markdown import markdown_reading
from ..readers.paragraphs import block_text
from ..readers.text import text_reading

_LONG_SPAN = 40  # characters: a hit this long holds whole values, not just part of one


@dataclass
class Source(Reading):
    """A file being checked: its Reading and the problems met while drafting it (forms)."""

    problems: list[Diagnostic] = field(default_factory=list)
    # The keys of a form's values its template numbers itself (see FieldSpec.numbered).
    numbered: frozenset[tuple[str | int, ...]] = frozenset()

    @cached_property
    def _by_block(self) -> dict[int, Piece]:
        """Each piece by the Document block it is (the first, if several claim one)."""
        found: dict[int, Piece] = {}
        for piece in self.pieces:
            if piece.block is not None:
                found.setdefault(piece.block, piece)
        return found

    def block_piece(self, block: int, start: int, end: int) -> tuple[Piece, int] | None:
        """The piece holding block text [start, end) of the Document, and where in it.

        A text file's blocks are its pieces. A form's Document interleaves the template's
        words with the writer's values, so the hit is looked up by its text (with a little
        of what follows) and located only if exactly one value holds it.
        """
        piece = self._by_block.get(block)
        if piece is not None:
            return piece, start
        if self.document is None:
            return None
        text = block_text(self.document.blocks[block])
        for extra in (8, 4, 0):
            snippet = text[start : end + extra]
            holding = [(p, p.text.find(snippet)) for p in self.pieces if snippet in p.text]
            if len(holding) == 1 and holding[0][0].text.count(snippet) == 1:
                return holding[0]
        return self._first_value_inside(text[start:end])

    def _first_value_inside(self, span: str) -> tuple[Piece, int] | None:
        """For a hit over a long stretch (a whole paragraph): the first value written in it."""
        if len(span) < _LONG_SPAN:
            return None
        inside = [
            (span.find(p.text), p) for p in self.pieces if len(p.text) >= 4 and p.text in span
        ]
        if not inside:
            return None
        return min(inside, key=lambda found: found[0])[1], 0


def source_of(reading: Reading, problems: list[Diagnostic] | None = None) -> Source:
    """The linter's view of what a reader read."""
    values = {item.name: getattr(reading, item.name) for item in fields(Reading)}
    return Source(**values, problems=list(problems or []))


def read_source(path: Path) -> Source:
    """Read a speech file (.txt, .md, .docx) for checking; forms come through `form_source`."""
    kind = SourceKind.of(path)
    if kind is None or kind is SourceKind.FORM:
        known = "、".join(suffix for kind in SourceKind for suffix in kind.suffixes)
        raise SpeechFileError(f"不能检查 {path.name}：只支持 {known} 文件", path=str(path))
    return source_of(read_speech_file(path))


def text_source(
    text: str,
    path: str,
    kind: SourceKind = SourceKind.TEXT,
    encoding: str | None = "utf-8",
) -> Source:
    """Speech text given as a string: a .txt has a paragraph per line, a .md per run of lines."""
    reader = markdown_reading if kind is SourceKind.MARKDOWN else text_reading
    return source_of(reader(text, path, encoding))
