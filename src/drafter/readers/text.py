"""The plain-text reader: a .txt speech has a paragraph per line."""

from __future__ import annotations

from pathlib import Path

from ..cn.punctuation import INDENT
from ..config.encoding import decode_form
from ..errors import SpeechFileError
from ..infra.files import read_user_file
from .located import Piece, Reading, SourceKind
from .paragraphs import classify, header_date

MAX_BYTES = 10 * 1024 * 1024
_CODECS = ("utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "cp950")


def read_text(path: Path) -> Reading:
    """Read a .txt speech, keeping the codec that writes it back byte for byte."""
    text, encoding = read_speech_text(path)
    return text_reading(text, str(path), encoding)


def text_reading(text: str, path: str, encoding: str | None = "utf-8") -> Reading:
    """Speech text with a paragraph per non-blank line, as a Reading."""
    pieces = line_pieces(text)
    document = classify([piece.text for piece in pieces])
    return Reading(path, SourceKind.TEXT, text, pieces, document, header_date(document), encoding)


def read_speech_text(path: Path) -> tuple[str, str | None]:
    """A text file's content, and the codec that writes it back byte for byte (None if unsure)."""
    raw = read_user_file(path, "文件", SpeechFileError, MAX_BYTES)
    text, _ = decode_form(raw, str(path))  # the loader's reading: UTF-8, BOMs, guessed GBK
    return text, codec_of(raw, text)


def codec_of(raw: bytes, text: str) -> str | None:
    """The codec that turns `text` back into exactly `raw`, BOM included."""
    for codec in _CODECS:
        try:
            if text.encode(codec) == raw:
                return codec
        except UnicodeEncodeError:
            continue
    return None


def line_pieces(text: str) -> list[Piece]:
    """Each non-blank line without its indentation and trailing blanks, located."""
    pieces: list[Piece] = []
    start = 0
    for line in text.split("\n"):
        body = line.rstrip("\r").rstrip(INDENT)
        lead = len(body) - len(body.lstrip(INDENT))
        if body.strip(INDENT):
            offsets = tuple(range(start + lead, start + len(body)))
            pieces.append(Piece(body[lead:], offsets, block=len(pieces)))
        start += len(line) + 1
    return pieces
