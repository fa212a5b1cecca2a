"""The Word reader: one piece per paragraph (tables included), LINE = paragraph number.

The file is opened through infra/docx_archive (caps, no DOCTYPE, bounded depth) and
python-docx sees only the checked parts. The python-docx document and the run behind each stretch of every paragraph are kept in
`Reading.native`, so a fix can rewrite exactly the run it falls in.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpeechFileError
from .located import Edit, Piece, Reading, SourceKind
from .paragraphs import LINE_BREAK, classify, header_date

_PLAIN_CONTENT = {"t", "tab"}  # runs holding only these can be rewritten without loss
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P = f"{_W}p"
# Elements holding paragraphs: tables, rows, cells, and content controls and custom XML around them.
_DESCEND = {f"{_W}{name}" for name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml")}


@dataclass(frozen=True)
class RunSpan:
    """Where one run's text sits in its paragraph; `run` is None for text we must not edit."""

    start: int
    end: int
    run: Any


def read_docx(path: Path) -> Reading:
    """Read every paragraph (tables included) of a .docx in reading order."""
    native = _open(path)
    texts: list[str] = []
    spans: list[list[RunSpan]] = []
    for paragraph in paragraphs(native):
        text, runs = paragraph_text(paragraph)
        texts.append(text)
        spans.append(runs)
    pieces: list[Piece] = []
    start = 0
    for text in texts:
        if text.strip():
            pieces.append(Piece(text, tuple(range(start, start + len(text))), block=len(pieces)))
        start += len(text) + 1
    document = classify([piece.text for piece in pieces])
    flat = "\n".join(texts)
    return Reading(
        str(path),
        SourceKind.DOCX,
        flat,
        pieces,
        document,
        header_date(document),
        native=(native, spans),
    )


def _open(path: Path) -> Any:
    """The .docx through the safe reader, then python-docx over the checked parts only."""
    import io  # deferred: start-up speed
    import zipfile  # deferred: start-up speed

    import docx  # deferred: start-up speed
    from docx.opc.exceptions import PackageNotFoundError  # deferred: start-up speed
    from lxml.etree import XMLSyntaxError  # deferred: start-up speed

    from ..infra.docx_archive import MAX_FILE_BYTES, open_docx  # deferred: start-up speed
    from ..infra.files import read_user_file  # deferred: start-up speed

    shown = str(path)
    raw = read_user_file(path, "文件", SpeechFileError, MAX_FILE_BYTES)  # as the text reader
    if not zipfile.is_zipfile(io.BytesIO(raw)):  # most often a .doc or .wps renamed
        raise _unreadable(shown)
    archive = open_docx(path, "Word 文档", SpeechFileError, data=raw)
    archive.check_all_xml()  # no DOCTYPE, bounded depth, before lxml ever sees a part
    try:
        native = docx.Document(archive.as_file())
    except (PackageNotFoundError, XMLSyntaxError, KeyError, ValueError, TypeError, AttributeError):
        raise _unreadable(shown) from None  # python-docx meets parts Word would never write
    if native.element.tag != f"{_W}document" or native.element.body is None:
        raise _unreadable(shown)
    return native


def _unreadable(shown: str) -> SpeechFileError:
    return SpeechFileError(
        f"无法读取 Word 文档 {shown}：文件已损坏，或是改了后缀的 .doc/.wps；"
        "请在 Word 或 WPS 中“另存为” .docx 后再检查",
        path=shown,
    )


def paragraphs(document: Any) -> Iterator[Any]:
    """Every paragraph of the body in reading order, each table cell walked exactly once.

    The XML's own w:tc elements are walked, not python-docx's grid: the grid repeats a
    merged cell once per spanned column and row (a fix would then be applied to the same
    run several times), and it trusts gridSpan/vMerge values an odd file may spell wrong.
    """
    from docx.text.paragraph import Paragraph  # deferred: start-up speed

    for element in _blocks(document.element.body):
        yield Paragraph(element, document._body)


def _blocks(container: Any) -> Iterator[Any]:
    """The w:p elements inside a container, in order, through tables and content controls."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield child
        elif child.tag in _DESCEND:
            yield from _blocks(child)


def paragraph_text(paragraph: Any) -> tuple[str, list[RunSpan]]:
    """A paragraph's text and the run behind each stretch of it."""
    parts: list[str] = []
    spans: list[RunSpan] = []
    at = 0
    for item in paragraph.iter_inner_content():
        text = item.text.replace("\n", LINE_BREAK)
        editable = item if hasattr(item, "font") and _is_plain(item) else None
        spans.append(RunSpan(at, at + len(text), editable))
        parts.append(text)
        at += len(text)
    return "".join(parts), spans


def _is_plain(run: Any) -> bool:
    return all(
        child.tag.rsplit("}", 1)[-1] in _PLAIN_CONTENT
        for child in run.element
        if child.tag.rsplit("}", 1)[-1] != "rPr"
    )


def apply_run_edits(reading: Reading, edits: list[Edit]) -> tuple[bytes, list[Edit]]:
    """Apply edits that each fall inside one plain run; return the new file and those applied.

    Each run's text is rebuilt once from all of its edits, so many fixes stay linear.
    """
    import io  # deferred: start-up speed

    native, spans = reading.native
    by_run: dict[int, tuple[RunSpan, list[tuple[int, Edit]]]] = {}
    starts: dict[int, list[int]] = {}
    for edit in edits:
        line, column = reading.position(edit.start)
        if line not in starts:
            starts[line] = [span.start for span in spans[line - 1]]
        span = _span_holding(spans[line - 1], starts[line], column - 1, len(edit.original))
        if span is not None and span.run is not None:
            by_run.setdefault(id(span), (span, []))[1].append((column - 1 - span.start, edit))
    applied: list[Edit] = []
    for span, inside in by_run.values():
        text = span.run.text
        parts: list[str] = []
        at = 0
        for inner, edit in sorted(inside, key=lambda item: item[0]):
            if inner < at:  # overlaps the edit before it: leave it for the next pass
                continue
            parts += [text[at:inner], edit.replacement]
            at = inner + len(edit.original)
            applied.append(edit)
        parts.append(text[at:])
        span.run.text = "".join(parts)
    buffer = io.BytesIO()
    native.save(buffer)
    return buffer.getvalue(), sorted(applied, key=lambda edit: edit.start)


def _span_holding(
    spans: list[RunSpan], starts: list[int], offset: int, length: int
) -> RunSpan | None:
    """The run span holding text [offset, offset + length) of its paragraph, if one does."""
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and spans[index].start <= offset and offset + length <= spans[index].end:
        return spans[index]
    return None
