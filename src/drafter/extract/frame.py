"""The frame every speech shares: title, byline, salutation, and the thanks at the end.

These are the parts templates/base/speech.j2 prints for every pack (fields title,
speaker, date, salutation, thanks), so each recogniser reads them the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..cn.dates import byline_date, find_date, is_byline_date
from ..cn.ordinals import H1, marker_at
from ..cn.punctuation import LINE_END_MARKS
from ..readers.paragraphs import LINE_BREAK
from .reading import Para, Speech
from .recognition import Recognition
from .spans import Span

_THANKS = re.compile(r"^(?:谢谢|感谢)[^，。]{0,8}[！。!]?$")
_SALUTATION = re.compile(r"^[^，。！？；]{1,20}[：:]$")
_TITLE_END = LINE_END_MARKS + "、"
MAX_TITLE = 60
# How a speech's title ends; a title line ending otherwise in one of _TITLE_CUT goes on.
_TITLE_WORD = re.compile(r"(?:讲话|发言|致辞|点评|讲评|讲话提纲|报告|总结|动员讲话)(?:稿|提纲)?$")
_TITLE_CUT = ("的", "在", "上", "暨", "和", "与", "及", "会议", "大会", "会")
_RUN_IN_TITLE = re.compile(
    r"^(?P<title>[^。！？：:，]{4,60}(?:讲话|发言|致辞|点评|讲评)(?:稿|提纲)?)[ \t\u3000]*"
    r"[^，。！？：:；]{1,20}[：:]"
)
MAX_SPEAKER = 16
DEFAULT_THANKS = "谢谢大家！"


@dataclass
class Frame:
    """A speech cut into its frame and its body paragraphs."""

    title: Span | None = None
    speaker: Span | None = None
    date: str | None = None  # ISO, as the form writes it
    salutation: Span | None = None
    body: list[Para] = field(default_factory=list)
    thanks: Span | None = None
    tail: list[Para] = field(default_factory=list)  # after the thanks: nothing of the speech


def read_frame(paras: list[Para]) -> Frame:
    """Find the title group and salutation at the top, the thanks line at the bottom."""
    frame = Frame()
    rest = _title_apart(list(paras))
    if len(rest) > 1 and _is_title(rest[0]) and _title_goes_on(rest[0].text, rest[1].text):
        rest[:2] = [Para(rest[0].span.strip() + rest[1].span.strip(), rest[0].hint)]
    if rest and _is_title(rest[0]):
        frame.title = rest.pop(0).span.without(LINE_BREAK)
    rest = _read_byline(frame, rest) if frame.title is not None else rest
    if rest and _is_salutation(rest[0].text):
        frame.salutation = rest.pop(0).span.strip("：: \t\u3000")
    thanks_at = next(
        (i for i in range(len(rest) - 1, -1, -1) if _THANKS.match(rest[i].text.strip())), None
    )
    if thanks_at is not None and thanks_at >= len(rest) - 3:
        frame.thanks = rest[thanks_at].span.strip()
        frame.tail = rest[thanks_at + 1 :]
        rest = rest[:thanks_at]
    frame.body = rest
    return frame


def frame_values(
    frame: Frame, speech: Speech, result: Recognition, default_title: str
) -> dict[str, Any]:
    """The fields base/speech.j2 prints for every pack: title, speaker, date, salutation.

    A title equal to the pack's default is left out, so it follows the meeting's name.
    """
    title = frame.title.text if frame.title is not None else None
    if title is None:
        result.note(("title",), "原文开头没有找到标题，将按会议名称自动生成")
    if frame.date is None:
        _offer_publication_date(speech, result)
    for para in frame.tail:
        result.leave(para.span, "这一段在致谢语之后，不是讲话正文")
    return {
        "title": None if title == default_title else title,
        "speaker": frame.speaker.text if frame.speaker else None,
        "date": frame.date,
        "salutation": frame.salutation.text if frame.salutation else None,
    }


def thanks_value(frame: Frame) -> str | None:
    """None for the default 谢谢大家！, 否 when the speech has no thanks line."""
    if frame.thanks is None:
        return "否"
    return None if frame.thanks.text == DEFAULT_THANKS else frame.thanks.text


def _offer_publication_date(speech: Speech, result: Recognition) -> None:
    """A scraped page's 发布时间 is likely the speech's date: offer it, do not assume it."""
    for para in speech.chrome:
        found = find_date(para.text)
        if found:
            result.note(
                ("date",), f"原文网页的发布时间是 {found.isoformat()}；如果就是讲话日期，请填在这里"
            )
            return


def _title_apart(paras: list[Para]) -> list[Para]:
    """A title run into the salutation (……上的讲话同志们：今天，……) cut into its parts."""
    if not paras:
        return paras
    first = paras[0]
    match = _RUN_IN_TITLE.match(first.text)
    if match is None or first.hint is not None:
        return paras
    parts = [first.span[: match.end("title")], first.span[match.end("title") : match.end()]]
    parts.append(first.span[match.end() :])
    return [Para(part.strip()) for part in parts if part.strip()] + paras[1:]


def _title_goes_on(first: str, second: str) -> bool:
    """Whether a title was wrapped onto a second line: 在……会议上的 / 点评讲话."""
    second = second.strip()
    if len(second) > MAX_TITLE or not _is_title(Para(Span(second, tuple(range(len(second)))))):
        return False
    if is_byline_date(second, brackets_optional=True) or _is_salutation(second):
        return False
    if _TITLE_WORD.search(first.strip()):
        return False  # the first line is a whole title; the second is the speaker
    return bool(_TITLE_WORD.search(second)) or first.strip().endswith(_TITLE_CUT)


def _is_salutation(text: str) -> bool:
    """同志们： (or 各位领导、同志们 without its colon) on a line of its own."""
    if H1.match(text):
        return False
    return bool(_SALUTATION.match(text)) or (len(text) <= 12 and text.endswith("们"))


def _is_title(para: Para) -> bool:
    text = para.text.strip()
    if para.hint == "title":
        return True
    if para.hint is not None or not text or len(text) > MAX_TITLE:
        return False
    return (
        not text.endswith(tuple(_TITLE_END))
        and "。" not in text
        and not H1.match(text)
        and marker_at(text) is None
    )


def _read_byline(frame: Frame, paras: list[Para]) -> list[Para]:
    """Speaker and date lines under the title (a line break may join them in one paragraph)."""
    taken = 0
    for para in paras[:2]:
        lines = _lines(para.span)
        if not all(_is_byline_line(line.text) for line in lines):
            break
        for line in lines:
            if is_byline_date(line.text, brackets_optional=True):
                day = byline_date(line.text)
                frame.date = day.isoformat() if day else None
            else:
                frame.speaker = line
        taken += 1
    return paras[taken:]


def _lines(span: Span) -> list[Span]:
    pieces: list[Span] = []
    start = 0
    for index, char in enumerate(span.text + LINE_BREAK):
        if char == LINE_BREAK:
            piece = span[start:index].strip()
            if piece:
                pieces.append(piece)
            start = index + 1
    return pieces


def _is_byline_line(text: str) -> bool:
    if is_byline_date(text, brackets_optional=True):
        return True
    return (
        len(text) <= MAX_SPEAKER
        and not text.endswith("们")  # 同志们 without its colon is a salutation, not a name
        and not any(mark in text for mark in "，。！？；：:、")
        and marker_at(text) is None
        and not H1.match(text)
    )
