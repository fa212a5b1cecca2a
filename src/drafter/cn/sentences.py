"""Where sentences and clauses of Chinese text begin and end, quotes and brackets kept whole."""

from __future__ import annotations

from collections.abc import Iterator

from .punctuation import CLAUSE_BREAK, CLOSERS, OPENERS, SENTENCE_END


def depth_profile(text: str) -> list[int]:
    """How many quotation marks or brackets are open before each character."""
    depths: list[int] = []
    depth = 0
    for char in text:
        if char in CLOSERS:
            depth = max(depth - 1, 0)
        depths.append(depth)
        if char in OPENERS:
            depth += 1
    return depths


def cut_points(text: str, marks: str) -> list[int]:
    """Offsets just after each of `marks` that stands outside quotes and brackets."""
    depths = depth_profile(text)
    points = []
    for index, char in enumerate(text):
        if char not in marks:
            continue
        end = index + 1
        depth = depths[index]
        while depth and end < len(text) and text[end] in CLOSERS:
            end += 1  # 。” ends the sentence it closes: the quote belongs to it
            depth -= 1
        if depth == 0:
            points.append(end)
    return points


def sentence_starts(text: str) -> Iterator[int]:
    """Offsets where a sentence or clause list may begin: the start, and after 。！？：；."""
    yield 0
    yield from cut_points(text, SENTENCE_END + CLAUSE_BREAK)
