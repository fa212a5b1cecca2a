"""Text of a speech that remembers where each character came from in the file.

Recognisers cut, join and trim speech text freely; a `Span` carries the file offset of
every character along, so whatever is left over is reported at FILE:LINE:COL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..cn.punctuation import BLANK, SENTENCE_END
from ..cn.sentences import cut_points


@dataclass(frozen=True)
class Span:
    """A stretch of speech text and the file offset of each of its characters."""

    text: str
    origins: tuple[int, ...]

    def __post_init__(self) -> None:
        assert len(self.text) == len(self.origins), "every character needs its origin"

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __getitem__(self, key: slice) -> Span:
        return Span(self.text[key], self.origins[key])

    def __add__(self, other: Span) -> Span:
        return Span(self.text + other.text, self.origins + other.origins)

    @property
    def start(self) -> int:
        """The file offset of the first character (0 for an empty span)."""
        return self.origins[0] if self.origins else 0

    def strip(self, chars: str = BLANK) -> Span:
        """The span without leading and trailing `chars`."""
        begin, end = 0, len(self.text)
        while begin < end and self.text[begin] in chars:
            begin += 1
        while end > begin and self.text[end - 1] in chars:
            end -= 1
        return self[begin:end]

    def without(self, chars: str) -> Span:
        """The span with every character in `chars` removed (line separators, say)."""
        keep = [i for i, char in enumerate(self.text) if char not in chars]
        return Span("".join(self.text[i] for i in keep), tuple(self.origins[i] for i in keep))


def join(spans: Iterable[Span]) -> Span:
    """Spans one after another, as one span."""
    text: list[str] = []
    origins: list[int] = []
    for span in spans:
        text.append(span.text)
        origins.extend(span.origins)
    return Span("".join(text), tuple(origins))


def split_after(span: Span, marks: str) -> list[Span]:
    """Cut a span after each of `marks` outside quotes (the mark stays with its piece)."""
    pieces: list[Span] = []
    at = 0
    for point in cut_points(span.text, marks):
        if point > at:
            pieces.append(span[at:point])
            at = point
    if at < len(span):
        pieces.append(span[at:])
    return pieces


def sentences(span: Span) -> list[Span]:
    """A span's sentences, each with its final 。！？ (quotes and brackets kept whole)."""
    return split_after(span, SENTENCE_END)


def split_phrases(span: Span, separator: str = "，") -> list[Span]:
    """Phrases joined by `separator` outside quotes, without the separators."""
    return [piece.strip(separator + BLANK) for piece in split_after(span, separator) if piece]


def first_sentence(span: Span) -> tuple[Span, Span]:
    """The first sentence (without its final mark) and the rest of the span."""
    points = cut_points(span.text, SENTENCE_END)
    if not points:
        return span, span[len(span) :]
    return span[: points[0]].strip(SENTENCE_END + BLANK), span[points[0] :].strip()
