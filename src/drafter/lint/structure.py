"""Checks that read the speech's structure: numbering, counts it claims, the year it reviews."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator

from ..cn.dates import cn_date
from ..cn.numerals import cn_count, cn_value
from ..cn.ordinals import CLAUSE_START, Marker, clause_markers, heading_marker, ordinal_label
from ..cn.series import series_run
from ..model import Byline, Document, Heading
from ..readers.paragraphs import block_text
from .hits import Hit

_CLAIM = re.compile(
    r"我?讲了?(?:以下)?(?P<a>[两二三四五六七八九十]+)点(?:意见|要求|看法|体会|建议)?"
    r"|(?:以下|如下|下面|主要有|集中在|表现在|概括为|归纳为)(?P<b>[两二三四五六七八九十]+)"
    r"(?:个|点|条|项)(?:方面|特点|问题|不足|任务|措施|建议|原则|经验|意见|要求|体会)"
)
_REVIEW_YEAR = re.compile(rf"{CLAUSE_START}(?P<year>(?:19|20)\d\d)年度?(?:[，,]|是|里|中|全年)")


def markers(document: Document) -> list[Marker]:
    """Every ordinal in reading order."""
    found: list[Marker] = []
    for index, block in enumerate(document.blocks):
        text = block_text(block)
        if isinstance(block, Heading):
            if marker := heading_marker(text, block.level, index):
                found.append(marker)
            continue
        found.extend(clause_markers(text, index))
    return sorted(found, key=lambda m: (m.block, m.start))


def numbering(document: Document, day: dt.date) -> Iterator[Hit]:
    """Ordinals that skip (一是、二是、四是), repeat, or start past one.

    A series may nest inside another of the same kind (a writer's 一是…二是… inside the
    template's 一是 point): series opened within one paragraph are kept on a stack, and an
    ordinal that continues an outer series closes the inner ones.
    """
    open_series: dict[str, list[Marker]] = {}
    for marker in markers(document):
        if marker.kind == "h1":
            open_series = {"h1": open_series.get("h1", [])}
        elif marker.kind == "h2":
            open_series = {k: v for k, v in open_series.items() if k in ("h1", "h2")}
        stack = open_series.setdefault(marker.series, [])
        if marker.number == 1:  # nested inside the paragraph's series, or a new series
            nested = bool(stack) and stack[-1].block == marker.block
            open_series[marker.series] = [*stack, marker] if nested else [marker]
            continue
        outer = next(
            (i for i in range(len(stack) - 1, -1, -1) if _number(stack[i]) + 1 == marker.number),
            None,
        )
        if outer is not None:
            del stack[outer + 1 :]
            stack[outer] = marker
            continue
        previous = stack[-1] if stack else None
        if stack:
            stack[-1] = marker
        else:
            stack.append(marker)
        yield Hit(
            marker.start,
            marker.end,
            {"found": marker.label, "detail": _gap(marker, previous)},
            block=marker.block,
        )


def _number(marker: Marker) -> int:
    """A marker's number; the linter's ordinals always have one (only 最后 has none)."""
    return marker.number or 0


def _gap(marker: Marker, previous: Marker | None) -> str:
    if previous is None:
        return f"“{marker.label}”之前没有“{ordinal_label(marker.series, 1)}”"
    if _number(marker) <= _number(previous):
        return f"“{marker.label}”与前面的“{previous.label}”重复或顺序颠倒"
    missing = "、".join(
        ordinal_label(marker.series, n) for n in range(_number(previous) + 1, _number(marker))
    )
    return f"“{previous.label}”之后直接是“{marker.label}”，缺少“{missing}”"


def count_claims(document: Document, day: dt.date) -> Iterator[Hit]:
    """我讲三点意见 / 以下三个方面 where what follows (or, at the end, what preceded) differs."""
    found = _Markers(markers(document))
    for index, block in enumerate(document.blocks):
        for match in _CLAIM.finditer(block_text(block)):
            claimed = cn_value(match["a"] or match["b"])
            counted = _counted(found, index, match.end())
            if claimed is None or counted is None or counted[0] == claimed:
                continue
            actual, what = counted
            numeral = match["a"] or match["b"]
            at = match.start("a") if match["a"] else match.start("b")
            claim = match.group(0)
            fixed = (
                claim[: at - match.start()]
                + cn_count(actual)
                + claim[at - match.start() + len(numeral) :]
            )
            yield Hit(
                match.start(),
                match.end(),
                {"claim": claim, "detail": what, "fixed": fixed},
                block=index,
            )


class _Markers:
    """A speech's ordinals with what a claim looks up, each found by bisection.

    A long text holds thousands of claims and markers; scanning every marker for every
    claim would be quadratic.
    """

    def __init__(self, found: list[Marker]) -> None:
        self.found = found  # reading order: by block, then by start
        self.keys = [(m.block, m.start) for m in found]
        self.positions = [at for at, m in enumerate(found) if m.kind == "h1"]
        self.sections = [found[at] for at in self.positions]
        self.section_keys = [self.keys[at] for at in self.positions]


def _counted(index: _Markers, block: int, end: int) -> tuple[int, str] | None:
    """How many parts follow a claim at (block, end); at the end of a speech, how many preceded."""
    first = bisect.bisect_left(index.keys, (block, end))
    after = index.found[first] if first < len(index.found) else None
    next_section = bisect.bisect_left(index.section_keys, (block, end))
    sections = index.sections[next_section:]
    if after is not None and after.kind == "h1":
        return len(sections), _parts(sections, "下文")
    if after is not None and after.number == 1 and after.block - block <= 1:
        # A series stops at the next section heading: look no further than that.
        stop = index.positions[next_section] if sections else len(index.found)
        series = series_run(index.found[first : stop + 1])
        return len(series), _parts(series, "下文")
    if sections:
        return len(sections), _parts(sections, "下文")
    before = index.sections[: bisect.bisect_left(index.section_keys, (block, 0))]
    if before and after is None:
        return len(before), _parts(before, "讲话")
    return None


def _parts(series: list[Marker], where: str) -> str:
    span = series[0].label if len(series) == 1 else f"{series[0].label}至{series[-1].label}"
    return f"{where}实际有{cn_count(len(series))}{'部分' if series[0].kind == 'h1' else '项'}（{span}）"


def review_year(document: Document, day: dt.date) -> Iterator[Hit]:
    """A year under review (2020年，…) more than a year away from the speech's date."""
    expected = day.year - 1 if day.month <= 6 else day.year
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading | Byline):
            continue
        for match in _REVIEW_YEAR.finditer(block_text(block)):
            year = int(match["year"])
            if day.year - 1 <= year <= day.year + 1:
                continue
            yield Hit(
                match.start("year"),
                match.end("year") + 1,
                {"year": str(year), "date": cn_date(day), "expected": str(expected)},
                block=index,
            )


STRUCTURE_CHECKS: dict[str, Callable[[Document, dt.date], Iterator[Hit]]] = {
    "numbering": numbering,
    "count-claims": count_claims,
    "review-year": review_year,
}
