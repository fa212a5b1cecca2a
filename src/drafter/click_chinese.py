"""Simplified Chinese for the messages click itself prints (usage, help headings, errors).

click marks its messages for gettext; rather than ship a compiled catalogue for one small
dictionary, we give click's modules a translating `_` that looks messages up here. A few
things click writes without gettext (a range as `60<=x<=600`, `; ` between help extras, the
full stop after a missing parameter) are put into Chinese by small wrappers.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

import click
import click.core
import click.exceptions
import click.types

CATALOG = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Did you mean {possibility}?": "是否想写 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "是否想写以下之一：{possibilities}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
    "{value!r} is not {choice}.": "{value!r} 不是可选值 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 超出了允许的范围（{range}）。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "deprecated": "已停用",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写入。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读取。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "Aborted!": "已中断。",
}
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def translate(message: str) -> str:
    """The Chinese for one of click's messages, or the message itself."""
    return CATALOG.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """The Chinese for one of click's counted messages (Chinese has no plural forms)."""
    return translate(singular if count == 1 else plural)


def describe_range(bounds: Any) -> str:
    """A number range in words: 60～600, 不小于 0 (click writes 60<=x<=600, x>=0)."""
    low, high = bounds.min, bounds.max
    if low is not None and high is not None and not (bounds.min_open or bounds.max_open):
        return f"{low}～{high}"
    said = []
    if low is not None:
        said.append(f"{'大于' if bounds.min_open else '不小于'} {low}")
    if high is not None:
        said.append(f"{'小于' if bounds.max_open else '不大于'} {high}")
    return "且".join(said)


_EXTRAS = re.compile(r"\[[^\[\]]*\]$")


def _chinese_extras(original: Callable[..., Any]) -> Callable[..., Any]:
    """Option help with its extras ([默认：1；不小于 0]) separated the Chinese way."""

    def help_record(self: click.Option, ctx: click.Context) -> tuple[str, str] | None:
        record = original(self, ctx)
        if record is None:
            return None
        names, text = record
        return names, _EXTRAS.sub(lambda m: m.group().replace("; ", "；"), text)

    return help_record


def _chinese_stop(original: Callable[..., str]) -> Callable[..., str]:
    """`缺少参数 '文件...'。`: click puts an English full stop after the parameter's name."""

    def format_message(self: click.exceptions.MissingParameter) -> str:
        text = original(self)
        head, stop, rest = text.partition(". ") if ". " in text else text.rpartition(".")
        return f"{head}。{rest.strip()}" if stop else text

    return format_message


def suggest(possibilities: list[str]) -> str:
    """是否想写 --fix 或 --fix-all？ (click lists them as '--fix', '--fix-all')."""
    names = sorted(possibilities)
    listed = names[0] if len(names) == 1 else f"{'、'.join(names[:-1])} 或 {names[-1]}"
    return f"是否想写 {listed}？"


class _LaterSuggestions:
    """NoSuchOption's close matches, worked out when its message is shown.

    click's parser tries every `-o` as a long option first and catches the NoSuchOption that
    raises, whose constructor looks for close matches with difflib: every command line with
    a short option paid for importing difflib (some 5 ms of a cold start) and threw it away.
    """

    def __get__(self, error: Any, owner: type | None = None) -> list[str] | None:
        if error is None:
            return self  # type: ignore[return-value]
        chosen = error.__dict__.get("_chosen_possibilities")
        if chosen is None and error.__dict__.get("_candidates"):
            import difflib  # deferred: start-up speed (only a message needs it)

            chosen = difflib.get_close_matches(error.option_name, error.__dict__["_candidates"])
            error.__dict__["_chosen_possibilities"] = chosen
        return chosen or None

    def __set__(self, error: Any, value: list[str] | None) -> None:
        error.__dict__["_chosen_possibilities"] = value


def _without_eager_suggestions(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(
        self: click.exceptions.NoSuchOption,
        option_name: str,
        message: str | None = None,
        possibilities: Any = None,
        ctx: click.Context | None = None,
    ) -> None:
        original(self, option_name, message, None, ctx)
        self.__dict__["_candidates"] = list(possibilities or ())

    return __init__


def install() -> None:
    """Point click's gettext hooks at the catalogue above, and wrap what it writes without them."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
    if getattr(click.core.Option.get_help_record, "__wrapped_chinese__", False):
        return  # installed once per process
    click.types._NumberRangeBase._describe_range = describe_range  # type: ignore[method-assign,assignment]
    record = _chinese_extras(click.core.Option.get_help_record)
    record.__wrapped_chinese__ = True  # type: ignore[attr-defined]
    click.core.Option.get_help_record = record  # type: ignore[method-assign]
    if hasattr(click.exceptions, "_format_possibilities"):  # private: used only where it exists
        click.exceptions._format_possibilities = suggest
    missing = click.exceptions.MissingParameter
    missing.format_message = _chinese_stop(missing.format_message)  # type: ignore[method-assign]
    no_such = click.exceptions.NoSuchOption
    no_such.__init__ = _without_eager_suggestions(no_such.__init__)  # type: ignore[method-assign]
    no_such.possibilities = _LaterSuggestions()  # type: ignore[assignment]
