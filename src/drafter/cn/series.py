"""Numbered series: ordinals that run on (一是, 二是, 三是 …) mark the items of one list.

A stray 一是 inside a sentence never splits a list: an item counts only if its number
follows the one before it in the same kind of series.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ordinals import Marker, marker_at
from .sentences import sentence_starts


def follows(marker: Marker, first: Marker, count: int) -> bool:
    """Whether `marker` is item `count + 1` of the series `first` opened."""
    if marker.series != first.series:
        return False
    return marker.number == count + 1 or (marker.kind == "word" and marker.number is None)


def series_items(text: str, first: Marker, count: int) -> list[Marker]:
    """`first` (item `count + 1` of a series) and each following item of it in `text`."""
    items = [first]
    for start in sentence_starts(text):
        if start <= first.start or start >= len(text):
            continue
        marker = marker_at(text, start)
        if marker is not None and follows(marker, first, count + len(items)):
            items.append(marker)
            if marker.number is None:  # 最后 closes the series
                break
    return items


def series_run(markers: Sequence[Marker]) -> list[Marker]:
    """The run of ordinals 1, 2, 3… that starts with markers[0], stopping at a heading."""
    run = [markers[0]]
    for marker in markers[1:]:
        if marker.kind in ("h1", "h2"):
            break
        if marker.series == run[0].series:
            if marker.number is None or marker.number != (run[-1].number or 0) + 1:
                break
            run.append(marker)
    return run
