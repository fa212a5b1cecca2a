"""How long a speech is: characters read aloud and speaking time, per section and in total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Byline, Document, Heading, Title
from .structure import block_text

DEFAULT_PACE = 180  # characters a minute: a steady reading pace for a prepared speech
OPENING = "开头"


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
    """Split at level-1 headings and count what is read aloud (the title and byline are not)."""
    sections: list[SectionLength] = []
    title, count = OPENING, 0
    for block in document.blocks:
        if isinstance(block, Title | Byline):
            continue
        if isinstance(block, Heading) and block.level == 1:
            if count or title != OPENING:
                sections.append(SectionLength(title, count))
            title, count = _short(block.text), 0
        count += spoken_characters(block_text(block))
    sections.append(SectionLength(title, count))
    return LengthReport(tuple(sections), pace)


def _short(heading: str, limit: int = 16) -> str:
    return heading if len(heading) <= limit else heading[:limit] + "…"


def _duration(minutes: float) -> str:
    """12.4 → 12 分 24 秒; under a minute → 40 秒."""
    seconds = round(minutes * 60)
    whole, rest = divmod(seconds, 60)
    return f"{whole} 分 {rest} 秒" if whole else f"{rest} 秒"
