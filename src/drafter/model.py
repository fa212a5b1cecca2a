"""The document model every writer and the linter share; nothing here knows forms or Jinja."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text; `lead` marks a run-in lead such as 一是…。; "\\n" is a line break."""

    text: str
    lead: bool = False


@dataclass(frozen=True, slots=True)
class Title:
    """The speech title (balanced into lines by the writers that lay out pages)."""

    text: str


@dataclass(frozen=True, slots=True)
class Byline:
    """Speaker and date lines under the title."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Salutation:
    """The greeting on its own line, e.g. 同志们：."""

    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered section heading; level 1 is 一、, level 2 is （一）."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph made of runs."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class Thanks:
    """The thanks line that ends a speech (谢谢大家！); laid out like body text.

    The form's `closing` paragraphs before it are ordinary Paragraphs.
    """

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


Block = Title | Byline | Salutation | Heading | Paragraph | Thanks


@dataclass(frozen=True, slots=True)
class Meta:
    """Document properties: title, author (the speaker) and date as ISO text."""

    title: str = ""
    author: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A speech: blocks in reading order plus document properties."""

    blocks: tuple[Block, ...]
    meta: Meta = field(default_factory=Meta)
