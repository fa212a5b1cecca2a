"""Simplified Chinese for the messages Jinja gives when a template is wrong.

Jinja's messages are English sentences with the offending name quoted; a writer who
reworded a pack needs to know, in Chinese, which tag is unclosed or which filter does not
exist. Each pattern below matches one of Jinja's messages; anything else is shown as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..config.closest import closest

_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "模板结尾",
    "name": "名称",
    "string": "字符串",
    "integer": "数字",
    "end of comment": "#}",
}


def _token(name: str) -> str:
    return _TOKENS.get(name, name)


def _tags(names: str) -> str:
    return "、".join(f"{{% {tag} %}}" for tag in re.findall(r"'(\w+)'", names))


def _unexpected_end(m: re.Match[str]) -> str:
    return f"模板在 {{% {m['block']} %}} 还没有结束时就到了结尾：缺少 {_tags(m['tags'])} 中的一个"


def _unknown_tag(m: re.Match[str]) -> str:
    if m["block"]:
        return (
            f"这里不能写 {{% {m['tag']} %}}：最近一个没有结束的是 {{% {m['block']} %}}，"
            f"应先写 {_tags(m['tags'])} 中的一个"
        )
    return (
        f"不认识的标签 {{% {m['tag']} %}}；常用标签有 if、for、set、block、macro、import、extends"
    )


def _unexpected_char(m: re.Match[str]) -> str:
    char = m["char"]
    hint = "；{{ }} 和 {% %} 里面只能用半角符号和英文名称" if ord(char) > 0x7F else ""
    return f"{{{{ }}}} 或 {{% %}} 里出现了不能识别的字符 {char}{hint}"


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(
            r"Unexpected end of template\. Jinja was looking for the following tags: (?P<tags>.*?)\."
            r" The innermost block that needs to be closed is '(?P<block>\w+)'"
        ),
        _unexpected_end,
    ),
    (
        re.compile(
            r"Encountered unknown tag '(?P<tag>\w+)'\.(?: Jinja was looking for the following tags:"
            r" (?P<tags>.*?)\. The innermost block that needs to be closed is '(?P<block>\w+)')?"
        ),
        _unknown_tag,
    ),
    (re.compile(r"unexpected char ['\"](?P<char>.)['\"] at \d+"), _unexpected_char),
    (
        re.compile(r"expected token '(?P<want>[^']+)', got '(?P<got>[^']+)'"),
        lambda m: f"这里应为 {_token(m['want'])}，却写了 {_token(m['got'])}",
    ),
    (
        re.compile(r"Expected an expression, got '(?P<got>[^']+)'"),
        lambda m: f"这里缺少内容：在 {_token(m['got'])} 之前应写字段名或表达式",
    ),
    (
        re.compile(r"unexpected '(?P<got>[^']+)'"),
        lambda m: f"多余或位置不对的 {_token(m['got'])}；请检查 {{{{ }}}} 与 {{% %}} 是否成对",
    ),
    (
        re.compile(r"[Bb]lock '(?P<block>\w+)' defined twice"),
        lambda m: f"块 {m['block']} 定义了两次；同一模板中每个 block 只能写一次",
    ),
    (re.compile(r"Missing end of comment tag"), lambda m: "注释 {# 没有用 #} 结束"),
    (
        re.compile(r"unexpected end of template, expected '(?P<want>[^']+)'"),
        lambda m: f"模板意外结束，缺少 {_token(m['want'])}",
    ),
    (re.compile(r"expected name or number"), lambda m: "点号 . 之后应写字段名"),
    (re.compile(r"tag name expected"), lambda m: "{% 之后应写标签名，如 if、for"),
)


def translate_syntax(message: str) -> str:
    """The Chinese for one of Jinja's syntax messages, or the message itself."""
    for pattern, build in _PATTERNS:
        match = pattern.search(message)
        if match:
            return build(match)
    return message


def unknown_name_message(kind: str, name: str, known: Iterable[str], listed: Iterable[str]) -> str:
    """`No filter named 'x'` in Chinese: the closest known name, else the `listed` ones."""
    close = closest(name, sorted(set(known)))
    hint = f"，是否想写 {close}？" if close else f"；常用的有：{'、'.join(listed)}"
    return f"没有名为 {name} 的{kind}{hint}"


UNKNOWN_NAME = re.compile(r"No (?P<kind>filter|test) named '(?P<name>[^']+)'")
