"""Readers: a .txt, .md or .docx speech into the document model, located for lint and extract.

As in pandoc, each format has one reader (text, markdown, docx) and all of them hand back the
same `Reading`: the Document, the pieces of text with the file offset of every character, and
what writing a fix back needs (the codec, or the Word runs).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SpeechFileError
from .located import Reading, SourceKind

_SPEECH_KINDS = (SourceKind.TEXT, SourceKind.MARKDOWN, SourceKind.DOCX)
SPEECH_SUFFIXES = tuple(suffix for kind in _SPEECH_KINDS for suffix in kind.suffixes)


def read_speech_file(path: Path) -> Reading:
    """Read a speech file by its suffix; SpeechFileError for a format no reader knows.

    Each reader is imported when a file of its format is read: `drafter render` imports this
    package (through lint) and reads no speech file at all.
    """
    kind = SourceKind.of(path)
    if kind is SourceKind.TEXT:
        from .text import read_text  # deferred: start-up speed

        return read_text(path)
    if kind is SourceKind.MARKDOWN:
        from .markdown import read_markdown  # deferred: start-up speed

        return read_markdown(path)
    if kind is SourceKind.DOCX:
        from .docx import read_docx  # deferred: start-up speed

        return read_docx(path)
    known = "、".join(SPEECH_SUFFIXES)
    raise SpeechFileError(f"不能读取 {path.name}：只支持 {known} 文件", path=str(path))


__all__ = ["SPEECH_SUFFIXES", "Reading", "SourceKind", "read_speech_file"]
