"""What the linter reads: a file's text cut into located pieces, and its speech structure.

Text rules run over pieces (a form's values, a text file's lines, a Word document's
paragraphs); structure checks walk the Document model. Every piece knows the offset in the
file's text of each of its characters, so a finding is located at FILE:LINE:COL and a fix
edits the file in place without touching anything around it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SpeechFileError
from ..infra.files import read_user_file
from ..model import Block, Byline, Document, Heading, Meta, Paragraph, Run, Title
from .findings import Edit

FORM_SUFFIXES = (".yaml", ".yml")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DOCX_SUFFIXES = (".docx",)
_INDENT = " \t\u3000"
_BLOCK_END = "。！？；：，"
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")
_BYLINE_DATE = re.compile(r"^[（(]\d{4}年\d{1,2}月\d{1,2}日[）)]$")
_DATE = re.compile(r"(\d{4})(?:年|-|/|\.)(\d{1,2})(?:月|-|/|\.)(\d{1,2})")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
MAX_BYTES = 10 * 1024 * 1024
HEADER_BLOCKS = 5  # a speech's date is written in its first few lines, if anywhere


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


@dataclass
class Source:
    """A file being checked: its text, its pieces, its speech structure and date if known."""

    path: str
    kind: str  # form | text | markdown | docx
    text: str
    pieces: list[Piece]
    document: Document | None = None
    date: dt.date | None = None
    problems: list[Diagnostic] = field(default_factory=list)
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

    def block_piece(self, block: int, start: int, end: int) -> tuple[Piece, int] | None:
        """The piece holding block text [start, end) of the Document, and where in it.

        A text file's blocks are its pieces. A form's Document interleaves the template's
        words with the writer's values, so the hit is looked up by its text (with a little
        of what follows) and located only if exactly one value holds it.
        """
        for piece in self.pieces:
            if piece.block == block:
                return piece, start
        if self.document is None:
            return None
        from .structure import block_text

        text = block_text(self.document.blocks[block])
        for extra in (8, 4, 0):
            snippet = text[start : end + extra]
            holding = [(p, p.text.find(snippet)) for p in self.pieces if snippet in p.text]
            if len(holding) == 1 and holding[0][0].text.count(snippet) == 1:
                return holding[0]
        return None


def read_source(path: Path) -> Source:
    """Read any file `drafter check` accepts, by its suffix."""
    suffix = path.suffix.lower()
    if suffix in FORM_SUFFIXES:
        from .form_source import read_form_source

        return read_form_source(path)
    if suffix in DOCX_SUFFIXES:
        from .docx_source import read_docx_source

        return read_docx_source(path)
    if suffix in TEXT_SUFFIXES + MARKDOWN_SUFFIXES:
        text, encoding = read_speech_text(path)
        kind = "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
        return text_source(text, str(path), kind, encoding)
    known = "、".join(
        s for s in (*FORM_SUFFIXES, *TEXT_SUFFIXES, *MARKDOWN_SUFFIXES, *DOCX_SUFFIXES)
    )
    raise SpeechFileError(f"不能检查 {path.name}：只支持 {known} 文件", path=str(path))


def read_speech_text(path: Path) -> tuple[str, str | None]:
    """A text file's content, and the codec that writes it back byte for byte (None if unsure)."""
    from ..config.encoding import decode_form

    raw = read_user_file(path, "文件", SpeechFileError, MAX_BYTES)
    text, _ = decode_form(raw, str(path))  # the loader's reading: UTF-8, BOMs, guessed GBK
    return text, codec_of(raw, text)


def codec_of(raw: bytes, text: str) -> str | None:
    """The codec that turns `text` back into exactly `raw`, BOM included."""
    for codec in ("utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "cp950"):
        try:
            if text.encode(codec) == raw:
                return codec
        except UnicodeEncodeError:
            continue
    return None


def text_source(text: str, path: str, kind: str = "text", encoding: str | None = "utf-8") -> Source:
    """A .txt speech has a paragraph per line; a .md one a paragraph per run of lines."""
    pieces, hints = (_markdown_pieces if kind == "markdown" else _line_pieces)(text)
    document = classify([p.text for p in pieces], hints)
    return Source(path, kind, text, pieces, document, header_date(document), encoding=encoding)


def _line_pieces(text: str) -> tuple[list[Piece], list[str | None]]:
    pieces: list[Piece] = []
    start = 0
    for line in text.split("\n"):
        body = line.rstrip("\r").rstrip(_INDENT)
        lead = len(body) - len(body.lstrip(_INDENT))
        if body.strip(_INDENT):
            offsets = tuple(range(start + lead, start + len(body)))
            pieces.append(Piece(body[lead:], offsets, block=len(pieces)))
        start += len(line) + 1
    return pieces, [None] * len(pieces)


def _markdown_pieces(text: str) -> tuple[list[Piece], list[str | None]]:
    """Paragraphs of CommonMark as the markdown writer produces: # headings, ** leads, escapes."""
    pieces: list[Piece] = []
    hints: list[str | None] = []
    chars: list[str] = []
    offsets: list[int] = []
    hint: str | None = None

    def flush() -> None:
        nonlocal hint
        if "".join(chars).strip(_INDENT + "\u2028"):
            pieces.append(Piece("".join(chars), tuple(offsets), block=len(pieces)))
            hints.append(hint)
        chars.clear()
        offsets.clear()
        hint = None

    start = 0
    for line in text.split("\n"):
        body = line.rstrip("\r")
        if not body.strip(_INDENT):
            flush()
        else:
            heading = _MD_HEADING.match(body)
            if heading and not chars:
                hint = {1: "title", 2: "h1", 3: "h2"}.get(len(heading[1]))
            skip = heading.end() if heading and not chars else len(body) - len(body.lstrip(_INDENT))
            _markdown_line(body, skip, start, chars, offsets)
        start += len(line) + 1
    flush()
    return pieces, hints


def _markdown_line(body: str, skip: int, start: int, chars: list[str], offsets: list[int]) -> None:
    """Append a line's text without ** markers and escapes; a trailing \\ is a line break."""
    hard_break = body.endswith("\\") and not body.endswith("\\\\")
    content = body[: len(body) - 1] if hard_break else body
    index = skip
    while index < len(content):
        pair = content[index : index + 2]
        if pair in ("**", "__"):
            index += 2
            continue
        if _MD_ESCAPE.match(content, index):
            index += 1
        chars.append(content[index])
        offsets.append(start + index)
        index += 1
    if hard_break:
        chars.append("\u2028")
        offsets.append(start + len(content))


def classify(texts: list[str], hints: list[str | None]) -> Document:
    """Read plain paragraphs as a speech: a title first, 一、 and （一） headings, a date byline."""
    blocks: list[Block] = []
    for index, (text, hint) in enumerate(zip(texts, hints, strict=True)):
        flat = text.replace("\u2028", "\n")
        if hint == "title" or (index == 0 and hint is None and _looks_like_title(text)):
            blocks.append(Title(flat))
        elif hint == "h1" or (hint is None and _H1.match(text) and _looks_like_heading(text)):
            blocks.append(Heading(1, flat))
        elif hint == "h2" or (hint is None and _H2.match(text) and _looks_like_heading(text)):
            blocks.append(Heading(2, flat))
        elif _BYLINE_DATE.match(text.strip()):
            blocks.append(Byline((text.strip(),)))
        else:
            blocks.append(Paragraph((Run(flat),)))
    return Document(tuple(blocks), Meta(title=texts[0] if texts else ""))


def _looks_like_title(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(tuple(_BLOCK_END)) and not _H1.match(text)


def _looks_like_heading(text: str) -> bool:
    """A heading is one short line; a paragraph that merely opens with 一、 runs on."""
    return len(text) <= 60 and "。" not in text.rstrip("。")


def header_date(document: Document) -> dt.date | None:
    """The date printed near the top of a speech (byline or a 发布时间 line), if any."""
    from .structure import block_text

    for block in document.blocks[:HEADER_BLOCKS]:
        if isinstance(block, Heading):
            break
        match = _DATE.search(block_text(block))
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
    return None
