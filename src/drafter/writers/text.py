"""Plain-text writer: the speech as a Chinese office would paste it, paragraphs indented with 　　."""

from __future__ import annotations

from ..model import Byline, Document, Heading, Paragraph, Salutation, Thanks, Title
from ..presets import Preset

INDENT = "\u3000\u3000"  # two full-width spaces: the plain-text form of a two-character indent


def write_text(document: Document, preset: Preset) -> bytes:
    """Render as UTF-8 text, one paragraph per line, a blank line after the title group."""
    lines: list[str] = []
    for index, block in enumerate(document.blocks):
        if isinstance(block, Title):
            lines.append(block.text)
        elif isinstance(block, Byline):
            lines.extend(block.lines)
        elif isinstance(block, Salutation):
            lines.append(block.text)
        elif isinstance(block, Heading | Paragraph | Thanks):
            lines.append(INDENT + block.text)
        if isinstance(block, Title | Byline) and not _next_is_heading_group(document, index):
            lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _next_is_heading_group(document: Document, index: int) -> bool:
    following = document.blocks[index + 1 : index + 2]
    return bool(following) and isinstance(following[0], Title | Byline)
