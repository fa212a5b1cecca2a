"""Markdown writer: headings as #, run-in leads in bold, a writer's own text always escaped."""

from __future__ import annotations

import re

from ..model import Byline, Document, Heading, Paragraph, Run, Salutation, Thanks, Title
from ..presets import Preset

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START = re.compile(r"^(?:([#+\-=])|(\d+)([.)]))")


def _escape_marker(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def escape(text: str) -> str:
    """Escape what Markdown would read as syntax, so every character prints as typed."""
    lines = []
    for line in _INLINE_SPECIAL.sub(r"\\\1", text).split("\n"):
        line = line.lstrip(" \t")  # leading spaces would turn the line into a code block
        lines.append(_LINE_START.sub(_escape_marker, line, count=1))
    return "\\\n".join(lines)


def _bold(text: str) -> str:
    """Bold a lead, leaving its final punctuation outside the ** marks.

    CommonMark only closes `**` after punctuation when whitespace or punctuation follows,
    and Chinese puts neither between 一是……。 and the next sentence.
    """
    body = text.rstrip("。，；：！？、")
    trail = text[len(body) :]
    return f"**{escape(body)}**{escape(trail)}" if body else escape(text)


def _runs(runs: tuple[Run, ...]) -> str:
    return "".join(_bold(run.text) if run.lead else escape(run.text) for run in runs)


def write_markdown(document: Document, preset: Preset) -> bytes:
    """Render as CommonMark: # title, ## 一、 headings, ### （一） headings, bold leads."""
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Title):
            parts.append(f"# {escape(block.text)}")
        elif isinstance(block, Byline):
            parts.append("\\\n".join(escape(line) for line in block.lines))
        elif isinstance(block, Salutation):
            parts.append(escape(block.text))
        elif isinstance(block, Heading):
            parts.append(f"{'#' * (block.level + 1)} {escape(block.text)}")
        elif isinstance(block, Paragraph | Thanks):
            parts.append(_runs(block.runs))
    return ("\n\n".join(parts) + "\n").encode("utf-8")
