"""Dates as speeches and forms write them: 2021-01-26, 2021年1月26日, a byline （2021年1月26日）."""

from __future__ import annotations

import datetime as dt
import re

# Year, month and day joined by 年/月 or by - / . (a form value may have spaces around them).
_FIELD = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
# A date line of a byline, in brackets under the title; `optional` brackets for extract.
_BYLINE = re.compile(r"^[（(](\d{4})年(\d{1,2})月(\d{1,2})日[）)]$")
_BYLINE_LOOSE = re.compile(r"^[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日[）)]?$")
# A date anywhere in a line: a byline, a web page's 发布时间 2021-01-26 10:00.
_IN_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def parse_date(text: str) -> dt.date | None:
    """A form's date value: 2021-01-26, 2021/1/26, 2021年1月26日; None if not a real date."""
    return _as_date(_FIELD.match(text))


def is_byline_date(text: str, brackets_optional: bool = False) -> bool:
    """Whether a line is a byline's date: （2021年1月26日）, brackets optional if asked."""
    return (_BYLINE_LOOSE if brackets_optional else _BYLINE).match(text) is not None


def byline_date(text: str) -> dt.date | None:
    """The date of a byline line, brackets optional: （2021年1月26日） or 2021年1月26日."""
    return _as_date(_BYLINE_LOOSE.match(text))


def find_date(text: str) -> dt.date | None:
    """The first real date written anywhere in `text` (2021年1月26日, 2021-01-26, 2021/1/26)."""
    for match in _IN_TEXT.finditer(text):
        if (day := _as_date(match)) is not None:
            return day
    return None


def cn_date(value: dt.date | str) -> str:
    """Write a date the way speeches print it: 2021-01-26 → 2021年1月26日."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日"


def _as_date(match: re.Match[str] | None) -> dt.date | None:
    if match is None:
        return None
    try:
        return dt.date(*(int(group) for group in match.groups()))
    except ValueError:
        return None
