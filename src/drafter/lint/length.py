"""How long a speech is: characters read aloud and speaking time, per part and in total.

The parts are the speech's own: the opening, each 一、 section, and before the first section
the parts a 点评讲话 runs through without headings (a 一是 series of achievements, the
problems that open with 在肯定成绩的同时…), and the closing (同志们，… / 谢谢大家！).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..cn.ordinals import marker_at
from ..model import Block, Byline, Document, Heading, Paragraph, Thanks, Title
from .hits import Hit
from .structure import block_text

DEFAULT_PACE = 180  # characters a minute: a steady reading pace for a prepared speech
OPENING = "开头"
CLOSING = "结尾"
LONG_PARAGRAPH_MINUTES = 3  # longer than this at DEFAULT_PACE, listeners lose the thread
# A paragraph turning from achievements to problems opens a part of its own.
_TURN = re.compile(
    r"^(?:在(?:充分)?(?:肯定|看到)[^，。]{0,8}的同时|与此同时|同时|但是|当然|"
    r"(?:我们)?(?:也|还)要(?:清醒地)?看到)"
)
# The closing turns to the audience again: 同志们，… / 老师们、同志们，…
_CLOSING_ADDRESS = re.compile(r"^(?:[^，。！：]{1,8}、)*[^，。！：]{1,6}们[，！]")


@dataclass(frozen=True)
class SectionLength:
    """One part of the speech: the opening, or a 一、 section up to the next one."""

    title: str
    characters: int


@dataclass(frozen=True)
class LengthReport:
    """Spoken characters per section and in total, and the time they take at `pace`."""

    sections: tuple[SectionLength, ...]
    pace: int

    @property
    def characters(self) -> int:
        return sum(section.characters for section in self.sections)

    def minutes(self, characters: int | None = None) -> float:
        return (self.characters if characters is None else characters) / self.pace

    def lines(self) -> list[str]:
        """The report as a writer reads it: the total, then one indented line per section."""
        total = (
            f"篇幅: 共 {self.characters} 字（不计标点），"
            f"按每分钟 {self.pace} 字计约 {_duration(self.minutes())}"
        )
        parts = [
            f"    {section.title}  {section.characters} 字  约 {_duration(self.minutes(section.characters))}"
            for section in self.sections
        ]
        return [total, *parts]

    def as_json(self) -> dict[str, Any]:
        return {
            "pace": self.pace,
            "characters": self.characters,
            "minutes": round(self.minutes(), 1),
            "sections": [
                {
                    "title": s.title,
                    "characters": s.characters,
                    "minutes": round(self.minutes(s.characters), 1),
                }
                for s in self.sections
            ],
        }


def spoken_characters(text: str) -> int:
    """Characters a speaker reads: Han characters, letters and digits; not punctuation or spaces."""
    return sum(1 for char in text if char.isalnum())


def measure(document: Document, pace: int = DEFAULT_PACE) -> LengthReport:
    """Split into the speech's parts and count what is read aloud (not the title and byline)."""
    sections: list[SectionLength] = []
    title, count = OPENING, 0
    headed = False
    for block in document.blocks:
        if isinstance(block, Title | Byline):
            continue
        text = block_text(block)
        starts = _part_starting(block, text, title, headed)
        if starts is not None:
            if count or title != OPENING:
                sections.append(SectionLength(title, count))
            title, count = starts, 0
            headed = headed or isinstance(block, Heading)
        count += spoken_characters(text)
    sections.append(SectionLength(title, count))
    return LengthReport(tuple(sections), pace)


def _part_starting(block: Block, text: str, current: str, headed: bool) -> str | None:
    """The title of the part `block` opens, or None if it goes on the current one."""
    if isinstance(block, Heading):
        return _short(text) if block.level == 1 else None
    if current == CLOSING:
        return None
    if isinstance(block, Thanks) or (
        isinstance(block, Paragraph) and current != OPENING and _CLOSING_ADDRESS.match(text)
    ):
        return CLOSING
    if headed or not isinstance(block, Paragraph):
        return None
    marker = marker_at(text)
    if (marker is not None and marker.number == 1) or _TURN.match(text):
        return _lead(text)
    return None


def _lead(text: str, limit: int = 16) -> str:
    """A part's first words: its first clause when that is short, as a heading would be."""
    clause = re.match(r"[^，。：；！？]+", text)
    return clause.group() if clause and len(clause.group()) <= limit else _short(text, limit)


def long_paragraphs(document: Document, day: dt.date) -> Iterator[Hit]:
    """Paragraphs that take more than LONG_PARAGRAPH_MINUTES to read at the usual pace."""
    limit = LONG_PARAGRAPH_MINUTES * DEFAULT_PACE
    for index, block in enumerate(document.blocks):
        if not isinstance(block, Paragraph):
            continue
        text = block_text(block)
        characters = spoken_characters(text)
        if characters > limit:
            yield Hit(
                0,
                len(text),  # the whole paragraph: in a form, located at its first value
                {
                    "characters": str(characters),
                    "minutes": _duration(characters / DEFAULT_PACE),
                    "pace": str(DEFAULT_PACE),
                    "limit": str(LONG_PARAGRAPH_MINUTES),
                },
                block=index,
            )


def _short(heading: str, limit: int = 16) -> str:
    return heading if len(heading) <= limit else heading[:limit] + "…"


def _duration(minutes: float) -> str:
    """12.4 → 12 分 24 秒; under a minute → 40 秒."""
    seconds = round(minutes * 60)
    whole, rest = divmod(seconds, 60)
    return f"{whole} 分 {rest} 秒" if whole else f"{rest} 秒"
