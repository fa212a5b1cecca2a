"""Ordinals that number a speech's parts, written and recognised: 一、 （一） 一是 一要 第一 其一 首先.

One `Marker` type serves everything that reads numbering: the linter, which scans a whole
paragraph for ordinals that open a clause, and `drafter extract`, which asks whether an
item of a series starts at a given place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .numerals import cn_number, cn_value
from .punctuation import CLAUSE_START_MARKS, SENTENCE_END

_NUMERAL = "[一二三四五六七八九十]"
# A run-in ordinal opens a clause: at the start of a paragraph or after a stop or colon.
CLAUSE_START = rf"(?:^|(?<=[{CLAUSE_START_MARKS}\n\u2028]))"
_RUN_IN = re.compile(rf"{CLAUSE_START}(?P<n>{_NUMERAL}+)(?P<suffix>是|要)(?!素|件|点|求)")
_PREFIXED = re.compile(rf"{CLAUSE_START}(?P<kind>第|其)(?P<n>{_NUMERAL}+)(?=[，、：,:])")
_ITEM = re.compile(
    rf"(?P<cn>{_NUMERAL}{{1,3}})(?P<suffix>是|要)"
    rf"|第(?P<nth>{_NUMERAL}{{1,3}})(?:[，、：]|(?=[是要]))"
    r"|(?P<word>首先|其次|再次|再者|最后)(?:[，、：]|(?=[是要]))"
)
_WORD_ORDER = {"首先": 1, "其次": 2, "再次": 3, "再者": 3}
H1 = re.compile(rf"^(?P<n>{_NUMERAL}{{1,3}})、")
H2 = re.compile(rf"^（(?P<n>{_NUMERAL}{{1,3}})）")
_HEADING_NUMBER = {1: H1, 2: H2}
MAX_HEADING = 60  # a heading is one short line; a paragraph that merely opens with 一、 runs on


@dataclass(frozen=True)
class Marker:
    """An ordinal at text[start:end] of block `block`; the numbered text begins at `end`.

    `kind` is h1 (一、), h2 (（一）), cn (一是/一要, with `suffix` 是 or 要), nth (第一),
    qi (其一) or word (首先/其次/最后); `number` is None for 最后, which ends any series.
    """

    start: int
    end: int
    kind: str
    number: int | None
    suffix: str = ""
    block: int = 0

    @property
    def series(self) -> str:
        """What ordinals continue each other: 一是 goes on with 二是, never with 二要."""
        return self.kind + self.suffix

    @property
    def label(self) -> str:
        return ordinal_label(self.series, self.number or 0)


def ordinal_label(series: str, number: int) -> str:
    """How an ordinal of a series is written: 三是, 三要, 第三, 其三, 三、, （三）."""
    numeral = cn_number(number)
    return {
        "h1": f"{numeral}、",
        "h2": f"（{numeral}）",
        "nth": f"第{numeral}",
        "qi": f"其{numeral}",
        "cn是": f"{numeral}是",
        "cn要": f"{numeral}要",
    }.get(series, numeral)


def heading_marker(text: str, level: int, block: int = 0) -> Marker | None:
    """The number opening a heading of `level` (一、 for 1, （一） for 2)."""
    pattern = _HEADING_NUMBER.get(level)
    match = pattern.match(text) if pattern else None
    if match is None or not (number := cn_value(match["n"])):
        return None
    return Marker(0, match.end(), f"h{level}", number, block=block)


def clause_markers(text: str, block: int = 0) -> Iterator[Marker]:
    """Run-in ordinals (一是, 一要, 第一，, 其一，) that open a clause of `text`."""
    for match in _RUN_IN.finditer(text):
        if number := cn_value(match["n"]):
            yield Marker(match.start(), match.end(), "cn", number, match["suffix"], block)
    for match in _PREFIXED.finditer(text):
        if number := cn_value(match["n"]):
            kind = "nth" if match["kind"] == "第" else "qi"
            yield Marker(match.start(), match.end(), kind, number, block=block)


def marker_at(text: str, at: int = 0) -> Marker | None:
    """The series item marker (一是, 第一，, 首先，…) that starts exactly at `at`, if any."""
    match = _ITEM.match(text, at)
    if match is None:
        return None
    if match["cn"]:
        number = cn_value(match["cn"])
        return Marker(at, match.end(), "cn", number, match["suffix"]) if number else None
    if match["nth"]:
        number = cn_value(match["nth"])
        return Marker(at, match.end(), "nth", number) if number else None
    return Marker(at, match.end(), "word", _WORD_ORDER.get(match["word"]))


def is_heading(text: str, pattern: re.Pattern[str] = H1) -> bool:
    """A short line opening with 一、 (or （一） for `H2`), without a sentence inside it."""
    return bool(pattern.match(text)) and len(text) <= MAX_HEADING and not has_inner_sentence(text)


def has_inner_sentence(text: str) -> bool:
    """Whether a full stop ends a sentence before the end of the line."""
    return SENTENCE_END[0] in text.rstrip(SENTENCE_END[0])


# Any ordinal a writer may type at the start of an item the template numbers itself:
# 一是 一要 一、 一. （一） (1) 1. 1、 ① 第一， 第一是 其一， 首先，. A bare numeral is
# never one (十九大精神, 1000人), nor 一要素 or 第一书记: each kind needs its mark.
_LEADING = re.compile(
    rf"^[ \t\u3000]*(?:"
    rf"{_NUMERAL}{{1,3}}(?:是|要)(?!素|件|点|求|事|致|道|定)"
    rf"|{_NUMERAL}{{1,3}}[、.．](?!{_NUMERAL}[、等])"
    rf"|[（(](?:{_NUMERAL}{{1,3}}|\d{{1,2}})[）)]"
    r"|\d{1,2}(?:[、．]|\.(?!\d)|[)）])"
    r"|[\u2460-\u2473\u2776-\u277f]"
    rf"|(?:第|其){_NUMERAL}{{1,3}}(?:[，、：,:]|是|要)"
    r"|(?:首先|其次|再次|最后)[，、：,:]"
    r")[ \t\u3000]*"
)


def leading_ordinal(text: str) -> str | None:
    """The ordinal a writer typed at the start of `text` (一是, （一）, 1., 第一，…), if any."""
    match = _LEADING.match(text)
    return match.group() if match and match.end() < len(text) else None
