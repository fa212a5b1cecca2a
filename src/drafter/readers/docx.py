"""The Word reader: one piece per paragraph (tables included), LINE = paragraph number.

The python-docx document and the run behind each stretch of every paragraph are kept in
`Reading.native`, so a fix can rewrite exactly the run it falls in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpeechFileError
from .located import Edit, Piece, Reading, SourceKind
from .paragraphs import LINE_BREAK, classify, header_date

_PLAIN_CONTENT = {"t", "tab"}  # runs holding only these can be rewritten without loss


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
    import zipfile  # deferred: start-up speed

    import docx  # deferred: start-up speed
    from docx.opc.exceptions import PackageNotFoundError  # deferred: start-up speed
    from lxml.etree import XMLSyntaxError  # deferred: start-up speed

    shown = str(path)
    if not path.is_file():
        raise SpeechFileError(f"找不到文件：{shown}", path=shown)
    try:
        return docx.Document(shown)
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        XMLSyntaxError,
        KeyError,
        ValueError,
        OSError,
    ):
        raise SpeechFileError(
            f"无法读取 Word 文档 {shown}：文件已损坏，或是改了后缀的 .doc/.wps；"
            "请在 Word 或 WPS 中“另存为” .docx 后再检查",
            path=shown,
        ) from None


def paragraphs(container: Any) -> Iterator[Any]:
    """Paragraphs of a document or table cell in reading order, descending into tables."""
    for item in container.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)
        else:
            yield item


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
    """Apply edits that each fall inside one plain run; return the new file and those applied."""
    import io  # deferred: start-up speed

    native, spans = reading.native
    applied: list[Edit] = []
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        line, column = reading.position(edit.start)
        offset = column - 1
        span = next(
            (
                s
                for s in spans[line - 1]
                if s.start <= offset and offset + len(edit.original) <= s.end
            ),
            None,
        )
        if span is None or span.run is None:
            continue
        text = span.run.text
        inner = offset - span.start
        span.run.text = text[:inner] + edit.replacement + text[inner + len(edit.original) :]
        applied.append(edit)
    buffer = io.BytesIO()
    native.save(buffer)
    return buffer.getvalue(), applied
