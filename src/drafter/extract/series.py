"""Numbered series cut out of located speech text (the series themselves: cn/series.py).

Templates number their parts themselves, so the recogniser only needs to find where each
part starts and strip its number.
"""

from __future__ import annotations

from ..cn.ordinals import H1, H2, Marker
from ..cn.series import series_items
from .spans import Span


def split_series(span: Span, first: Marker, count: int) -> list[tuple[Marker, Span]]:
    """Cut `span`, which opens with item `count + 1`, at each following item of its series.

    Returns each item's marker and its text without the marker.
    """
    cuts = series_items(span.text, first, count)
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
