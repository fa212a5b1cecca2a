"""Readers: a .txt, .md or .docx speech into the document model, located for lint and extract.

As in pandoc, each format has one reader (text, markdown, docx) and all of them hand back the
same `Reading`: the Document, the pieces of text with the file offset of every character, and
what writing a fix back needs (the codec, or the Word runs).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SpeechFileError
from .docx import read_docx
from .located import Reading, SourceKind
from .markdown import read_markdown
from .text import read_text

_READERS = {
    SourceKind.TEXT: read_text,
    SourceKind.MARKDOWN: read_markdown,
    SourceKind.DOCX: read_docx,
}
SPEECH_SUFFIXES = tuple(suffix for kind in _READERS for suffix in kind.suffixes)


def read_speech_file(path: Path) -> Reading:
    """Read a speech file by its suffix; SpeechFileError for a format no reader knows."""
    kind = SourceKind.of(path)
    reader = _READERS.get(kind) if kind is not None else None
    if reader is None:
        known = "、".join(SPEECH_SUFFIXES)
        raise SpeechFileError(f"不能读取 {path.name}：只支持 {known} 文件", path=str(path))
    return reader(path)


__all__ = ["SPEECH_SUFFIXES", "Reading", "SourceKind", "read_speech_file"]
