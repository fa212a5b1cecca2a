"""The Markdown reader: CommonMark paragraphs as the markdown writer produces them.

`#` is the title, `##` and `###` the headings; `**` around a run-in lead and backslash
escapes are dropped, and a trailing backslash is a line break inside the paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..cn.punctuation import INDENT
from .located import Piece, Reading, SourceKind
from .paragraphs import LINE_BREAK, classify, header_date
from .text import read_speech_text

_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HINTS = {1: "title", 2: "h1", 3: "h2"}


def read_markdown(path: Path) -> Reading:
    """Read a .md speech, keeping the codec that writes it back byte for byte."""
    text, encoding = read_speech_text(path)
    return markdown_reading(text, str(path), encoding)


def markdown_reading(text: str, path: str, encoding: str | None = "utf-8") -> Reading:
    """Markdown speech text as a Reading: a piece per paragraph, headings as marked."""
    pieces, hints = markdown_pieces(text)
    document = classify([piece.text for piece in pieces], hints)
    return Reading(
        path, SourceKind.MARKDOWN, text, pieces, document, header_date(document), encoding
    )


def markdown_pieces(text: str) -> tuple[list[Piece], list[str | None]]:
    """Paragraphs with the offset of each character, and what # marked each one as."""
    pieces: list[Piece] = []
    hints: list[str | None] = []
    chars: list[str] = []
    offsets: list[int] = []
    hint: str | None = None

    def flush() -> None:
        nonlocal hint
        if "".join(chars).strip(INDENT + LINE_BREAK):
            pieces.append(Piece("".join(chars), tuple(offsets), block=len(pieces)))
            hints.append(hint)
        chars.clear()
        offsets.clear()
        hint = None

    start = 0
    for line in text.split("\n"):
        body = line.rstrip("\r")
        if not body.strip(INDENT):
            flush()
        else:
            heading = _HEADING.match(body)
            if heading and not chars:
                hint = _HINTS.get(len(heading[1]))
            skip = heading.end() if heading and not chars else len(body) - len(body.lstrip(INDENT))
            _add_line(body, skip, start, chars, offsets)
        start += len(line) + 1
    flush()
    return pieces, hints


def _add_line(body: str, skip: int, start: int, chars: list[str], offsets: list[int]) -> None:
    """Append a line's text without ** markers and escapes; a trailing \\ is a line break."""
    hard_break = body.endswith("\\") and not body.endswith("\\\\")
    content = body[: len(body) - 1] if hard_break else body
    index = skip
    while index < len(content):
        pair = content[index : index + 2]
        if pair in ("**", "__"):
            index += 2
            continue
        if _ESCAPE.match(content, index):
            index += 1
        chars.append(content[index])
        offsets.append(start + index)
        index += 1
    if hard_break:
        chars.append(LINE_BREAK)
        offsets.append(start + len(content))
