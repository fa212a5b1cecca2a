"""Plain paragraphs read as a speech: a title first, 一、 and （一） headings, a dated byline.

Every reader ends here, so a .txt, a .md and a .docx of the same speech give the same
Document. Markdown may say what a paragraph is (`#` title, `##` heading); the others are
recognised by their shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..cn.dates import find_date, is_byline_date
from ..cn.ordinals import H1, H2, MAX_HEADING, is_heading
from ..cn.punctuation import LINE_END_MARKS
from ..model import Block, Byline, Document, Heading, Meta, Paragraph, Run, Title

LINE_BREAK = "\u2028"  # a break inside a paragraph must not end the paragraph's "line"
HEADER_BLOCKS = 5  # a speech's date is written in its first few lines, if anywhere


def classify(texts: Sequence[str], hints: Sequence[str | None] | None = None) -> Document:
    """Read paragraphs as a speech; `hints` (title, h1, h2) are what Markdown marked them as."""
    blocks: list[Block] = []
    for index, (text, hint) in enumerate(zip(texts, hints or [None] * len(texts), strict=True)):
        flat = text.replace(LINE_BREAK, "\n")
        if hint == "title" or (index == 0 and hint is None and _looks_like_title(text)):
            blocks.append(Title(flat))
        elif hint == "h1" or (hint is None and is_heading(text, H1)):
            blocks.append(Heading(1, flat))
        elif hint == "h2" or (hint is None and is_heading(text, H2)):
            blocks.append(Heading(2, flat))
        elif is_byline_date(text.strip()):
            blocks.append(Byline((text.strip(),)))
        else:
            blocks.append(Paragraph((Run(flat),)))
    return Document(tuple(blocks), Meta(title=texts[0] if texts else ""))


def _looks_like_title(text: str) -> bool:
    return (
        len(text) <= MAX_HEADING and not text.endswith(tuple(LINE_END_MARKS)) and not H1.match(text)
    )


def block_text(block: Block) -> str:
    """A block's text as the checks read it; byline lines are joined by U+2028."""
    if isinstance(block, Byline):
        return LINE_BREAK.join(block.lines)
    return block.text


def header_date(document: Document) -> dt.date | None:
    """The date printed near the top of a speech (byline or a 发布时间 line), if any."""
    for block in document.blocks[:HEADER_BLOCKS]:
        if isinstance(block, Heading):
            break
        day = find_date(block_text(block))
        if day is not None:
            return day
    return None
