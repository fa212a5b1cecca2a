"""Line handling shared by the page-laying writers: balanced title lines that obey Chinese
line-breaking rules (禁则), and text cleaned of what XML cannot carry."""

from __future__ import annotations

import math
import re
import unicodedata

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
# Words of meeting titles a line should not split (党建工|作 reads badly); longest first.
TITLE_WORDS = tuple(
    sorted(
        [
            "全面从严治党",
            "民主生活会",
            "组织生活会",
            "党风廉政",
            "意识形态",
            "述职述廉",
            "领导班子",
            "主题教育",
            "座谈会",
            "推进会",
            "党组织",
            "党支部",
            "总书记",
            "新时代",
            "工作",
            "会议",
            "大会",
            "述职",
            "评议",
            "讲话",
            "点评",
            "党建",
            "基层",
            "书记",
            "建设",
            "动员",
            "部署",
            "表彰",
            "总结",
            "专题",
            "学习",
            "教育",
            "同志",
            "年度",
            "责任",
            "落实",
            "发展",
        ],
        key=len,
        reverse=True,
    )
)


def clean_text(text: str) -> str:
    """Normalise line ends to \\n and drop characters XML 1.0 (and so .docx and HTML) cannot carry."""
    return _XML_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# Balancing compares every way to cut a title, which grows with the square of its length; a
# title longer than this (some ten lines) is filled line by line instead, with a warning.
MAX_BALANCED_CHARS = 240


def balance_lines(text: str, max_chars: int) -> list[str]:
    """Break `text` into the fewest lines of at most `max_chars` cells, as even as possible."""
    limit = max(1, max_chars)
    fill = _balance_segment if len(text) <= MAX_BALANCED_CHARS else _fill_segment
    lines: list[str] = []
    for segment in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(fill(segment.strip(), limit))
    return lines


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


def _inside_words(text: str) -> set[int]:
    """Indexes that fall inside a known title word, scanning left to right, longest first."""
    inside: set[int] = set()
    index = 0
    while index < len(text):
        word = next((w for w in TITLE_WORDS if text.startswith(w, index)), "")
        inside.update(range(index + 1, index + len(word)))
        index += len(word) or 1
    return inside


def _chunks(text: str) -> list[str]:
    """Cut text at every allowed break, giving the units that must share a line."""
    pieces: list[str] = []
    start = 0
    inside = _inside_words(text)
    for index in range(1, len(text)):
        if index not in inside and can_break(text, index):
            pieces.append(text[start:index])
            start = index
    pieces.append(text[start:])
    return pieces


def _balance_segment(text: str, limit: int) -> list[str]:
    if text_width(text) <= limit:
        return [text]
    chunks = _chunks(text)
    widths = [text_width(chunk) for chunk in chunks]
    if max(widths) > limit:
        # An unbreakable word wider than a line: keep it whole, let it overflow alone.
        count = max(1, math.ceil(text_width(text) / limit))
        return _best_split(chunks, widths, count, limit, strict=False)
    return _best_split(chunks, widths, _greedy_count(widths, limit), limit, strict=True)


def _fill_segment(text: str, limit: int) -> list[str]:
    """Lines filled one after another, still breaking only where a line may break (linear)."""
    if text_width(text) <= limit:
        return [text]
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for chunk in _chunks(text):
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
    chunks: list[str], widths: list[float], count: int, limit: int, *, strict: bool
) -> list[str]:
    """Group chunks into `count` lines minimising the squared deviation from the mean width."""
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
                total = cost[lines - 1][start] + (width - target) ** 2 + 1000.0 * overflow
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
