"""Writers turn the document model into an output format; each lives in its own module.

Each writer is imported on first use, so `drafter render -f txt` never loads lxml. The
imports are written out in small loader functions rather than built from name strings:
a bundler such as PyInstaller then sees every writer module and packs it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UsageError
from ..model import Document
from ..presets import Preset

Writer = Callable[[Document, Preset], bytes]


def _docx() -> Writer:
    from .docx import write_docx  # deferred: start-up speed

    return write_docx


def _markdown() -> Writer:
    from .markdown import write_markdown  # deferred: start-up speed

    return write_markdown


def _text() -> Writer:
    from .text import write_text  # deferred: start-up speed

    return write_text


def _html() -> Writer:
    from .html import write_html  # deferred: start-up speed

    return write_html


def _pdf() -> Writer:
    from .pdf import write_pdf  # deferred: start-up speed

    return write_pdf


# format → the function that imports its writer.
FORMATS: dict[str, Callable[[], Writer]] = {
    "docx": _docx,
    "md": _markdown,
    "txt": _text,
    "html": _html,
    "pdf": _pdf,
}


def get_writer(fmt: str) -> Writer:
    """The writer for a format name, or a UsageError listing the formats."""
    try:
        load = FORMATS[fmt]
    except KeyError:
        raise UsageError(f"不支持的输出格式 {fmt}；可用：{'、'.join(FORMATS)}") from None
    return load()
