"""Numbered series in a speech: 一是/二是, 一要/二要, 第一/第二, 首先/其次/最后, 一、/（一）.

Templates number their parts themselves, so the recogniser only needs to find where each
part starts and strip its number; the numbers must run on (一, 二, 三 …) to count, so a
stray 一是 inside a sentence never splits a part.
"""

from __future__ import annotations

from ..cn.ordinals import H1, H2, Marker, follows, marker_at
from .spans import Span, sentence_starts


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


def heading_text(span: Span) -> Span:
    """A heading without its number and final punctuation: 一、突出政治统领 → 突出政治统领."""
    match = H1.match(span.text) or H2.match(span.text)
    body = span[match.end() :] if match else span
    return body.strip("。；： \t\u3000")
