"""Numbered series in a speech: 一是/二是, 一要/二要, 第一/第二, 首先/其次/最后, 一、/（一）.

Templates number their parts themselves, so the recogniser only needs to find where each
part starts and strip its number; the numbers must run on (一, 二, 三 …) to count, so a
stray 一是 inside a sentence never splits a part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cn.numerals import cn_number
from .spans import Span, sentence_starts

_CN = "一二三四五六七八九十"
_MARKER = re.compile(
    rf"(?P<cn>[{_CN}]{{1,3}})(?P<suffix>是|要)"
    rf"|第(?P<nth>[{_CN}]{{1,3}})(?:[，、：]|(?=[是要]))"
    r"|(?P<word>首先|其次|再次|再者|最后)(?:[，、：]|(?=[是要]))"
)
_WORD_ORDER = {"首先": 1, "其次": 2, "再次": 3, "再者": 3}
H1 = re.compile(rf"^[{_CN}]{{1,3}}、")
H2 = re.compile(rf"^（[{_CN}]{{1,3}}）")
MAX_HEADING = 60  # a heading is one short line; a paragraph that merely opens with 一、 runs on


@dataclass(frozen=True)
class Marker:
    """A series number at `start`; the item's own text begins at `end`."""

    start: int
    end: int
    kind: str  # cn (一是/一要), nth (第一), word (首先)
    number: int | None  # None for 最后, which ends a series of any length
    suffix: str = ""


def cn_value(text: str) -> int | None:
    """一 … 九十九 as a number, or None if `text` is not one."""
    for value in range(1, 100):
        if cn_number(value) == text:
            return value
    return None


def marker_at(text: str, at: int = 0) -> Marker | None:
    """The series marker that starts exactly at `at`, if any."""
    match = _MARKER.match(text, at)
    if match is None:
        return None
    if match["cn"]:
        number = cn_value(match["cn"])
        return Marker(at, match.end(), "cn", number, match["suffix"]) if number else None
    if match["nth"]:
        number = cn_value(match["nth"])
        return Marker(at, match.end(), "nth", number) if number else None
    word = match["word"]
    return Marker(at, match.end(), "word", _WORD_ORDER.get(word))


def follows(marker: Marker, first: Marker, count: int) -> bool:
    """Whether `marker` is item `count + 1` of the series `first` opened."""
    if marker.kind != first.kind:
        return False
    if marker.kind == "cn" and marker.suffix != first.suffix:
        return False
    return marker.number == count + 1 or (marker.kind == "word" and marker.number is None)


def split_series(span: Span, first: Marker, count: int) -> list[tuple[Marker, Span]]:
    """Cut `span`, which opens with item `count + 1`, at each following item of its series.

    Returns each item's marker and its text without the marker.
    """
    cuts = [first]
    for start in sentence_starts(span.text):
        if start <= first.start or start >= len(span):
            continue
        marker = marker_at(span.text, start)
        if marker is not None and follows(marker, first, count + len(cuts)):
            cuts.append(marker)
            if marker.number is None:  # 最后 closes the series
                break
    items = []
    for index, marker in enumerate(cuts):
        end = cuts[index + 1].start if index + 1 < len(cuts) else len(span)
        items.append((marker, span[marker.end : end].strip()))
    return items


def is_heading(text: str, pattern: re.Pattern[str] = H1) -> bool:
    """A short line opening with 一、 (or （一） for `H2`), without a sentence inside it."""
    return bool(pattern.match(text)) and len(text) <= MAX_HEADING and "。" not in text.rstrip("。")


def heading_text(span: Span) -> Span:
    """A heading without its number and final punctuation: 一、突出政治统领 → 突出政治统领."""
    match = H1.match(span.text) or H2.match(span.text)
    body = span[match.end() :] if match else span
    return body.strip("。；： \t\u3000")
