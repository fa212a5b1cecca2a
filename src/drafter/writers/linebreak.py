"""Line handling shared by the page-laying writers: balanced title lines that obey Chinese
line-breaking rules (禁则), and text cleaned of what XML cannot carry."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from ..infra.cache import cached

if TYPE_CHECKING:
    from ..cn.words import WordSegmenter

# What XML 1.0 forbids (NUL, ESC and other controls, lone surrogates, U+FFFE/FFFF); \r is
# turned into \n first. Listed outright: the negated class of what it allows compiles 10×
# slower, and this module loads on every render.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")

# A line never starts with these (closing marks, enumeration and sentence punctuation).
NO_LINE_START = frozenset(
    "，。、；：！？”’）》〉】』」〕〗｝］〙〛｠"
    ",.;:!?)]}%‰℃°·•～—…-/"
    "々〻ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
# A line never ends with these (opening marks and currency signs that lead a number).
NO_LINE_END = frozenset("“‘（《〈【『「〔〖｛［〘〚｟([{￥$＄£€")
# Halves of these must stay together: 破折号 —— and 省略号 …… are one mark written twice.
PAIRED_MARKS = frozenset("—…")
# Meeting-title words jieba's general dictionary cuts apart (民主/生活/会): taught to it.
TITLE_WORDS = (
    "全面从严治党",
    "民主生活会",
    "组织生活会",
    "述职述廉",
    "述职评议",
    "主题教育",
    "党风廉政建设",
    "基层党建",
    "责任制",
    "中心组",
    "先进集体",
    "先进个人",
)
# 暨 joins two meetings' names as 和 does; the dictionary tags it a name, and add_word keeps
# a known word's tag.
_TAG_OVERRIDES = {"暨": "c"}
# Word classes after which a line may end at no cost (在/关于, 的, 上/中, marks), and before
# which it may start (在/关于, 和/暨): the joints between a title's phrases.
_PHRASE_END_TAGS = frozenset({"p", "u", "uj", "ul", "uz", "ug", "ud", "f", "x"})
_PHRASE_START_TAGS = frozenset({"p", "c"})
# What a break between two content words (基层党建|工作) costs, in squared cells of imbalance:
# a line may be some 1.5 characters off the even split to end at a phrase's joint.
INSIDE_PHRASE_COST = 4.0
# Between two nouns (数字|乡村) the words most likely make one name the dictionary lacks.
INSIDE_COMPOUND_COST = 12.0
# Groups never broken when they fit a line: brackets （党委）, book titles, a number with its
# unit (2026年度, 二〇二四年, 30周年, 10%).
_KEPT_GROUPS = re.compile(
    r"（[^（）]*）|\([^()]*\)|〔[^〔〕]*〕|【[^【】]*】|《[^《》]*》"
    r"|(?:[0-9０-９.．]+|[〇零一二三四五六七八九十]{2,}(?=年))"
    r"(?:周年|年度|年|月|日|届|次|个|名|位|项|期|批|%|％|季度)?"
)


def clean_text(text: str) -> str:
    """Normalise line ends to \\n and drop characters XML 1.0 (and so .docx and HTML) cannot carry."""
    return _XML_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# Balancing compares every way to cut a title, which grows with the square of its length; a
# title longer than this (some ten lines) is filled line by line instead, with a warning.
MAX_BALANCED_CHARS = 240


def balance_lines(text: str, max_chars: int) -> list[str]:
    """Break `text` into the fewest lines of at most `max_chars` cells, as even as possible."""
    return list(_balanced(text, max_chars))


@lru_cache(maxsize=256)  # a title is laid out again on every render (and for every format)
def _balanced(text: str, max_chars: int) -> tuple[str, ...]:
    limit = max(1, max_chars)
    fill = _balance_segment if len(text) <= MAX_BALANCED_CHARS else _fill_segment
    lines: list[str] = []
    for segment in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(fill(segment.strip(), limit))
    return tuple(lines)


def long_title_message(title: str) -> str | None:
    """The warning for a title too long to balance, or None."""
    if len(title) <= MAX_BALANCED_CHARS:
        return None
    return (
        f"标题有 {len(title)} 个字，超过 {MAX_BALANCED_CHARS} 字，排版时不再逐行均衡折行，"
        "而是按行宽依次排满；请确认标题是否写得过长（正文是否误写进了标题）"
    )


def char_width(char: str) -> float:
    """Cells a character takes: CJK and ambiguous marks (“ — …) one, Latin letters half."""
    return 1.0 if unicodedata.east_asian_width(char) in ("F", "W", "A") else 0.5


def text_width(text: str) -> float:
    """Cells a line of text takes, counting full-width characters as one."""
    return sum(char_width(char) for char in text)


def can_break(text: str, index: int) -> bool:
    """Whether a line may end between text[index - 1] and text[index]."""
    before, after = text[index - 1], text[index]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before == after and before in PAIRED_MARKS:
        return False
    # A run of ASCII letters, digits and signs (COVID-19, 5G, 2.0) is one word.
    return not (_is_ascii_word_char(before) and _is_ascii_word_char(after))


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and not char.isspace()


@cache
def _segmenter() -> WordSegmenter:
    """The word segmenter, loaded on the first title that needs breaking."""
    from ..cn.words import builtin_segmenter  # deferred: start-up speed (loads a word list)

    segmenter = builtin_segmenter()
    for word in TITLE_WORDS:
        segmenter.add_word(word, "n")
    return segmenter


def title_words(text: str) -> list[tuple[str, str]]:
    """The words of `text` and their word classes, as the segmenter sees them.

    Loading the segmenter's word list takes a tenth of a second, longer than the rest of a
    render: a title's words are kept in the user cache, so rendering a form again (the
    usual case) never loads it.
    """
    name = "title-" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
    return cached(name, text, lambda: _segment(text))


def _segment(text: str) -> list[tuple[str, str]]:
    return [(word, _TAG_OVERRIDES.get(word, tag)) for word, tag in _segmenter().tag(text)]


def _joint_cost(before: str, after: str) -> float:
    """What a line break between words of these classes costs."""
    if before in _PHRASE_END_TAGS or after in _PHRASE_START_TAGS:
        return 0.0
    if before[:1] == after[:1] == "n":
        return INSIDE_COMPOUND_COST  # 数字|乡村, 基层|党建: nouns that make one name
    return INSIDE_PHRASE_COST


def _break_costs(text: str, limit: float) -> dict[int, float]:
    """Where a title may break (index → cost): between words, never inside a kept group."""
    costs: dict[int, float] = {}
    index, previous_tag = 0, ""
    for word, tag in title_words(text):
        if index:
            costs[index] = _joint_cost(previous_tag, tag)
        index += len(word)
        previous_tag = tag
    for group in _KEPT_GROUPS.finditer(text):
        if text_width(group.group()) <= limit:
            for inside in range(group.start() + 1, group.end()):
                costs.pop(inside, None)
    return {i: cost for i, cost in costs.items() if can_break(text, i)}


def _chunks(text: str, limit: float) -> tuple[list[str], list[float]]:
    """The units that must share a line, and what breaking before each one costs."""
    costs = _break_costs(text, limit)
    starts = [0, *sorted(costs)]
    ends = [*starts[1:], len(text)]
    pieces = [text[start:end] for start, end in zip(starts, ends, strict=True)]
    return pieces, [0.0, *(costs[start] for start in starts[1:])]


def _balance_segment(text: str, limit: int) -> list[str]:
    if text_width(text) <= limit:
        return [text]
    chunks, costs = _chunks(text, limit)
    widths = [text_width(chunk) for chunk in chunks]
    if max(widths) > limit:
        # An unbreakable word wider than a line: keep it whole, let it overflow alone.
        count = max(1, math.ceil(text_width(text) / limit))
        return _best_split(chunks, widths, costs, count, limit, strict=False)
    count = _greedy_count(widths, limit)
    return _best_split(chunks, widths, costs, count, limit, strict=True)


def _fill_segment(text: str, limit: int) -> list[str]:
    """Lines filled one after another, still breaking only where a line may break (linear)."""
    if text_width(text) <= limit:
        return [text]
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for chunk in _chunks(text, limit)[0]:
        width = text_width(chunk)
        if used + width > limit and current:
            lines.append("".join(current).strip())
            current, used = [], 0.0
        current.append(chunk)
        used += width
    lines.append("".join(current).strip())
    return [line for line in lines if line]


def _greedy_count(widths: list[float], limit: int) -> int:
    """Fewest lines the chunks fit in (greedy filling is optimal for that count)."""
    count, used = 1, 0.0
    for width in widths:
        if used + width > limit and used > 0:
            count, used = count + 1, 0.0
        used += width
    return count


def _best_split(
    chunks: list[str],
    widths: list[float],
    costs: list[float],
    count: int,
    limit: int,
    *,
    strict: bool,
) -> list[str]:
    """Group chunks into `count` lines minimising the squared deviation from the mean width
    plus what each break costs (a break inside a phrase costs more than one at a joint)."""
    n = len(chunks)
    count = min(count, n)
    prefix = [0.0]
    for width in widths:
        prefix.append(prefix[-1] + width)
    blank = [chunk.isspace() for chunk in chunks]

    def line_width(start: int, end: int) -> float:
        # Spaces at either end of a line vanish, so they do not count.
        width = prefix[end] - prefix[start]
        if blank[start]:
            width -= widths[start]
        if end - 1 > start and blank[end - 1]:
            width -= widths[end - 1]
        return width

    target = line_width(0, n) / count
    inf = math.inf
    cost = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for lines in range(1, count + 1):
        for end in range(lines, n + 1):
            for start in range(end - 1, lines - 2, -1):
                if cost[lines - 1][start] == inf:
                    continue
                width = line_width(start, end)
                overflow = max(0.0, width - limit)
                if overflow and strict:
                    if prefix[end] - prefix[start] > limit + 1:
                        break
                    continue
                total = (
                    cost[lines - 1][start]
                    + (width - target) ** 2
                    + 1000.0 * overflow
                    + costs[start]
                )
                # Strict "<" keeps the later start on ties: earlier lines longer (上长下短).
                if total < cost[lines][end] - 1e-9:
                    cost[lines][end], back[lines][end] = total, start
    result: list[str] = []
    end = n
    for lines in range(count, 0, -1):
        start = back[lines][end]
        result.append("".join(chunks[start:end]).strip())
        end = start
    return result[::-1]
