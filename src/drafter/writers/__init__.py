"""Writers turn the document model into an output format; each lives in its own module."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..errors import UsageError
from ..model import Document
from ..presets import Preset

Writer = Callable[[Document, Preset], bytes]

# format → (module, function); imported on first use so `drafter render -f txt` never loads lxml.
FORMATS: dict[str, tuple[str, str]] = {
    "docx": ("drafter.writers.docx", "write_docx"),
    "md": ("drafter.writers.markdown", "write_markdown"),
    "txt": ("drafter.writers.text", "write_text"),
    "html": ("drafter.writers.html", "write_html"),
    "pdf": ("drafter.writers.pdf", "write_pdf"),
}


def get_writer(fmt: str) -> Writer:
    """The writer for a format name, or a UsageError listing the formats."""
    try:
        module, function = FORMATS[fmt]
    except KeyError:
        raise UsageError(f"不支持的输出格式 {fmt}；可用：{'、'.join(FORMATS)}") from None
    writer: Writer = getattr(import_module(module), function)
    return writer
