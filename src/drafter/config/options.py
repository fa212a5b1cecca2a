"""Typed options: each reads one located value and says in Chinese, at its place, what is wrong.

Every YAML file drafter reads (forms, template manifests, style files, rule files) is
declared with these classes, as mkdocs declares its config: one yes/no word list, one date
syntax, one table of Chinese type sizes, and unknown keys refused with a did-you-mean.
A read never stops at the first problem: each is recorded on the `Reading` and the caller
raises them all at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..errors import MAX_DIAGNOSTICS_PER_FILE, Diagnostic, shortened
from .closest import closest
from .located_yaml import LocatedYaml, Path_

T = TypeVar("T")

# One yes/no word list for every file kind; the Chinese words are what writers actually type.
YES_WORDS = frozenset({"是", "true", "yes", "on", "要", "需要", "对", "y", "1"})
NO_WORDS = frozenset({"否", "false", "no", "off", "不", "不要", "不需要", "无", "n", "0"})
DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
DATE_HINT = "请写成 2021-01-26 或 2021年1月26日"
# Chinese type sizes in points (字号).
CN_SIZES = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}  # fmt: skip
# Other ways writers spell a 字号: 小五号, 五号字, 小5, 5号, 五號 (traditional), １６磅 (full width).
_SIZE_SPELLING = re.compile(r"^(?P<small>小)?(?P<n>初|[一二三四五六七八1-8])(?:号|號)?字?$")
_SIZE_DIGITS = dict(zip("12345678", "一二三四五六七八", strict=True))
KIND_NAMES = {str: "文本", list: "列表", dict: "条目（键: 值）", type(None): "空值"}
BLANK = " \t\r\n\u3000"
MM_UNITS = ("", "mm", "毫米")
PT_UNITS = ("", "pt", "磅")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([^\d\s.]*)\s*$")

Namer = Callable[[Path_, str], str]


def yes_no(text: str) -> bool | None:
    """True or False for a yes/no word (是/否, true/false, yes/no, on/off, …), else None."""
    word = text.strip(BLANK).lower()
    if word in YES_WORDS:
        return True
    return False if word in NO_WORDS else None


def parse_date(text: str) -> dt.date | None:
    """A date written 2021-01-26, 2021/1/26, 2021.1.26 or 2021年1月26日; None if not one."""
    match = DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def is_blank(value: Any) -> bool:
    """Nothing written: no value, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip(BLANK))


def dotted(path: Path_) -> str:
    """The key path as written in YAML (list positions left out): measures.sections.heading."""
    return ".".join(str(step) for step in path if isinstance(step, str))


def _label_and_key(path: Path_, label: str) -> str:
    key = dotted(path)
    return f"{label}（{key}）" if label and key else label or key


class Reading:
    """One located file being read: where problems collect, and how messages name a setting."""

    def __init__(self, located: LocatedYaml, namer: Namer = _label_and_key) -> None:
        self.located = located
        self.namer = namer
        self.problems: list[Diagnostic] = []

    def fail(self, path: Path_, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.located.diagnostic(path, message, at_key=at_key))

    def name(self, path: Path_, label: str) -> str:
        return self.namer(path, label)

    @property
    def full(self) -> bool:
        """Enough problems to show: further ones are only counted, so skip costly hints."""
        return len(self.problems) >= MAX_DIAGNOSTICS_PER_FILE

    def all_problems(self) -> list[Diagnostic]:
        """The loader's problems and this reading's, in file order."""
        found = [*self.located.problems, *self.problems]
        return sorted(found, key=lambda d: (d.line or 0, d.column or 0))


class Option(Generic[T]):
    """One setting: its Chinese label, whether it must be given, and how its value is read."""

    expected = "一个值"

    def __init__(
        self, label: str = "", *, required: bool = False, default: Any = None, blank: bool = True
    ) -> None:
        self.label = label
        self.required = required
        self.default = default
        self.blank = blank  # False: a key written with nothing after it is a mistake

    def read(self, value: Any, path: Path_, reading: Reading) -> T | None:
        """The typed value, or None (with a problem recorded) when it is unusable or absent."""
        if is_blank(value):
            if not self.blank:
                shown = "是空的" if value is None or value == "" else "只有空格"
                reading.fail(path, f"{reading.name(path, self.label)}应填写一个值，这里{shown}")
            return self.default
        return self.convert(value, path, reading)

    def convert(self, value: Any, path: Path_, reading: Reading) -> T | None:
        raise NotImplementedError

    def wrong_kind(self, value: Any, path: Path_, reading: Reading) -> None:
        written = KIND_NAMES.get(type(value), "其他内容")
        reading.fail(
            path, f"{reading.name(path, self.label)}应为{self.expected}，这里写成了{written}"
        )

    def text_of(self, value: Any, path: Path_, reading: Reading) -> str | None:
        """The value as stripped text, or None (recorded) when it is a list or mapping."""
        if isinstance(value, str):
            return value.strip(BLANK)
        self.wrong_kind(value, path, reading)
        return None


class Anything(Option[Any]):
    """A value taken as written, even empty (a manifest's example or default)."""

    def read(self, value: Any, path: Path_, reading: Reading) -> Any:
        return value


class Text(Option[str]):
    """A piece of text, spaces around it removed unless `strip=False` (a regex replacement)."""

    expected = "一段文字"

    def __init__(
        self, label: str = "", *, strip: bool = True, max_length: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(label, **kwargs)
        self.strip = strip
        self.max_length = max_length  # 0: any length (the file's size limit still applies)

    def read(self, value: Any, path: Path_, reading: Reading) -> str | None:
        if not self.strip and isinstance(value, str):
            return value  # written exactly: an empty replacement deletes what a rule matched
        return super().read(value, path, reading)

    def convert(self, value: Any, path: Path_, reading: Reading) -> str | None:
        if not isinstance(value, str):
            self.wrong_kind(value, path, reading)
            return None
        text = value.strip(BLANK) if self.strip else value
        if self.max_length and len(text) > self.max_length:
            reading.fail(
                path,
                f"{reading.name(path, self.label)}最多 {self.max_length} 个字符，"
                f"这里是 {shortened(text)}",
            )
            return None
        return text


class YesNo(Option[bool]):
    """是 or 否 in any of the words of YES_WORDS / NO_WORDS, plus this setting's own `aliases`."""

    expected = "是 或 否"

    def __init__(self, label: str = "", *, aliases: dict[str, bool] | None = None, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.aliases = aliases or {}

    def convert(self, value: Any, path: Path_, reading: Reading) -> bool | None:
        text = self.text_of(value, path, reading)
        if text is None:
            return None
        answer = self.aliases.get(text, yes_no(text))
        if answer is None:
            reading.fail(
                path,
                f"{reading.name(path, self.label)}应填 是 或 否（也可写 true / false），这里写成了 {shortened(text)}",
            )
        return answer


class Date(Option[dt.date]):
    """A calendar date in the forms DATE accepts."""

    expected = "日期"

    def convert(self, value: Any, path: Path_, reading: Reading) -> dt.date | None:
        text = self.text_of(value, path, reading)
        if text is None:
            return None
        day = parse_date(text)
        if day is None:
            reading.fail(
                path,
                f"{reading.name(path, self.label)}不是有效日期：{shortened(text)}；{DATE_HINT}",
            )
        return day


class Number(Option[float]):
    """A number within [low, high], optionally followed by one of `units`; `integer` for counts."""

    expected = "数字"

    def __init__(
        self,
        label: str = "",
        *,
        low: float,
        high: float,
        units: tuple[str, ...] = ("",),
        integer: bool = False,
        hint: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.low, self.high, self.units, self.integer = low, high, units, integer
        self.hint = hint or ("应为整数，如 2" if integer else "应为数字，如 16")

    def convert(self, value: Any, path: Path_, reading: Reading) -> Any:
        text = self.text_of(value, path, reading)
        if text is None:
            return None
        number = self.number(text)
        if number is None:
            reading.fail(
                path,
                f"{reading.name(path, self.label)}的值 {shortened(text)} 无法识别；{self.hint}",
            )
            return None
        if not self.low <= number <= self.high:
            reading.fail(
                path,
                f"{reading.name(path, self.label)}为 {shortened(text)}，"
                f"超出了合理范围（{self.low:g}～{self.high:g}）",
            )
            return None
        return int(number) if self.integer else number

    def number(self, text: str) -> float | None:
        match = _NUMBER.match(text)
        if not match or match.group(2).lower() not in self.units:
            return None
        if self.integer and "." in match.group(1):
            return None
        return float(match.group(1))


class Size(Number):
    """A type size: a Chinese 字号 (三号, 小三) or points (16, 15.5磅)."""

    def __init__(self, label: str = "", *, low: float = 4, high: float = 200, **kwargs: Any):
        hint = f"可写中文字号（如 三号、小三、小五号，可用：{'、'.join(CN_SIZES)}）或磅值（如 16、10.5磅、10.5pt）"
        super().__init__(label, low=low, high=high, units=PT_UNITS, hint=hint, **kwargs)

    def number(self, text: str) -> float | None:
        text = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
        return CN_SIZES.get(size_name(text) or "") or super().number(text)


def size_name(text: str) -> str | None:
    """The 字号 a spelling means, as CN_SIZES names it (小五号 → 小五, 5号 → 五号), or None."""
    match = _SIZE_SPELLING.match(text)
    if match is None or (not match["small"] and match["n"].isdigit() and "号" not in text):
        return None  # a bare 5 is five points, not 五号
    numeral = _SIZE_DIGITS.get(match["n"], match["n"])
    name = f"小{numeral}" if match["small"] else f"{numeral}号"
    return name if name in CN_SIZES else None


class Choice(Option[str]):
    """One of `choices` (value → Chinese meaning), also written as one of `aliases`."""

    def __init__(
        self,
        label: str = "",
        *,
        choices: dict[str, str],
        aliases: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.choices = choices
        self.aliases = aliases or {}

    def convert(self, value: Any, path: Path_, reading: Reading) -> str | None:
        text = self.text_of(value, path, reading)
        if text is None:
            return None
        chosen = self.aliases.get(text, text.lower())
        if chosen in self.choices:
            return chosen
        listed = [
            f"{key}（{meaning}）" if meaning else key for key, meaning in self.choices.items()
        ]
        options = f"{'、'.join(listed[:-1])}或 {listed[-1]}" if len(listed) > 1 else listed[0]
        close = closest(text, self.choices)
        hint = f"，是否想写 {close}？" if close else ""
        reading.fail(
            path,
            f"{reading.name(path, self.label)}应为 {options} 之一，这里写成了 {shortened(text)}{hint}",
        )
        return None


class ListOf(Option[list[Any]]):
    """A list whose items are read by `item`; one text may stand for a list of one."""

    expected = "列表（每一项另起一行，以“- ”开头）"

    def __init__(
        self,
        item: Option[Any],
        label: str = "",
        *,
        min_items: int = 0,
        single: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.item, self.min_items, self.single = item, min_items, single

    def convert(self, value: Any, path: Path_, reading: Reading) -> list[Any] | None:
        if isinstance(value, str) and self.single:
            value = [value]
        if not isinstance(value, list):
            self.wrong_kind(value, path, reading)
            return None
        if len(value) < self.min_items:
            reading.fail(path, f"{reading.name(path, self.label)}至少要填写 {self.min_items} 项")
        items = [self.item.read(item, (*path, i), reading) for i, item in enumerate(value)]
        return [item for item in items if item is not None]


class Mapping(Option[dict[str, Any]]):
    """Declared keys, each read by its option; an unknown key is refused with a did-you-mean.

    `where` says in a message where the keys sit ("样式文件中", "模板清单中字段 name ");
    it may depend on the path. With `values` instead of `options` any key is allowed
    and every value is read by that one option (a manifest's fields, keyed by name).
    """

    expected = "“键: 值”条目"

    def __init__(
        self,
        label: str = "",
        options: dict[str, Option[Any]] | None = None,
        *,
        where: str | Callable[[Path_], str] = "",
        noun: str = "设置项",
        values: Option[Any] | None = None,
        example: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.options = options if options is not None else {}
        self.where, self.noun, self.values, self.example = where, noun, values, example

    def place(self, path: Path_) -> str:
        return self.where(path) if callable(self.where) else self.where

    def convert(self, value: Any, path: Path_, reading: Reading) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            example = f"，如 {self.example}" if self.example else ""
            reading.fail(path, f"{reading.name(path, self.label)}应写成“键: 值”条目{example}")
            return None
        if self.values is not None:
            read = {
                key: self.values.read(item, (*path, key), reading) for key, item in value.items()
            }
            return {key: item for key, item in read.items() if item is not None}
        for key in value:
            if key not in self.options:
                why = "没有这个设置" if reading.full else self.unknown(key, path)
                reading.fail((*path, key), why, at_key=True)
        out: dict[str, Any] = {}
        for key, option in self.options.items():
            item = option.read(value.get(key), (*path, key), reading) if key in value else None
            if option.required and is_blank(value.get(key)):
                reading.fail(path, f"{self.place(path)}缺少 {key}（{option.label}）", at_key=True)
            if item is None and key not in value:
                item = option.default
            if item is not None:
                out[key] = item
        return out

    def unknown(self, key: str, path: Path_) -> str:
        """An unknown key, with the closest known key or the keys allowed here."""
        labels = {k: o.label for k, o in self.options.items()}
        close = closest(key, labels)
        if close:
            return f"{self.place(path)}没有{self.noun} {shortened(key)}，是否想写 {close}（{labels[close]}）？"
        listed = "、".join(f"{k}（{label}）" for k, label in labels.items())
        return f"{self.place(path)}没有{self.noun} {shortened(key)}；这里可以写：{listed}"
