"""Explain YAML mistakes in a writer's words: the usual typing slip first, else PyYAML's complaint.

PyYAML notices a slip late (a missing colon on line 3 is reported on line 4) and in
parser terms, so each error is first checked against the slips writers actually make,
each found on its own line with the fix spelled out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import shortened

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True)
class Mistake:
    """Where a mistake is (1-based) and what to do about it."""

    line: int
    column: int
    message: str
    # The line as it should read, when the slip has one sure fix: parsing goes on with it,
    # so the next, independent mistake is found in the same run.
    fixed: str | None = None


_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_LEAD = r"^(?P<indent>[ ]*)(?P<dash>-[ ]+)?"
_TAB_INDENT = re.compile(r"[ \u3000]*\t")
_WIDE_INDENT = re.compile(r"[ \t]*\u3000")
_WIDE_COLON = re.compile(_LEAD + rf"(?P<key>{_KEY})[ \u3000]*：")
_TIGHT_COLON = re.compile(_LEAD + rf"(?P<key>{_KEY}):(?=[^ \t\r\n/])")
_QUOTE_START = re.compile(_LEAD + rf"(?:{_KEY}[ \t]*:[ \t]+)?(?P<quote>['\"])")
_VALUE = re.compile(_LEAD + rf"(?:(?P<key>{_KEY})[ \t]*:[ \t]+)?(?P<value>\S.*?)\s*$")
_LIST_ITEM = re.compile(r"(?P<indent>[ ]*)-(?=[ ]|$)")
BLANKS = " \u3000"  # a half-width and a full-width space
_TIGHT_DASH = re.compile(r"(?P<indent>[ ]*)-(?P<rest>[^\s\-].*)$")
_KEY_LINE = re.compile(rf"(?P<indent>[ ]*(?:-[ ]+)?){_KEY}[ \t]*:(?:[ \t]+(?P<value>\S.*))?$")
_INDICATORS = "[{*&!|>%@`"
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{0,2}|u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|.?)")
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
BACKSLASH_HINT = "双引号里的反斜杠 \\ 开始一个转义：要写反斜杠本身请写成 \\\\，或改用单引号"
QUOTE_IT = "如果这是正文，请给整段文字加上英文单引号"
TAB = "这一行用 Tab 键缩进了；YAML 只能用空格缩进：请删掉 Tab，改用空格，与同一层的其他行左边对齐"

LineCheck = Callable[[str, int], "Mistake | None"]


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> Mistake:
    """The writer's slip behind a PyYAML error, or PyYAML's complaint in Chinese."""
    said = f"{exc.context or ''} {exc.problem or ''}"
    line, column = _position(exc.problem_mark or exc.context_mark, lines)
    if "escape" in said or "hexdecimal" in said:  # libyaml and PyYAML word these differently
        return bad_escape(lines, line, column)
    context_line = _position(exc.context_mark, lines)[0] if exc.context_mark else line
    suspects = _suspects(lines, said, line, column, context_line)
    found = next((mistake for mistake in suspects if mistake), None)
    return found or _translated(exc, said, lines, line, column, context_line)


def _suspects(
    lines: list[str], said: str, line: int, column: int, context_line: int
) -> Iterator[Mistake | None]:
    """Possible causes, the most specific first; each is only looked for if those before fail."""
    if "quoted scalar" in said or "simple key" in said:
        yield _first_slip(lines, [context_line])  # where the quote or the key began
    if "simple key" in said:
        yield missing_dash(lines, context_line)  # text in a list, its "- " left out
    yield _first_slip(lines, [line])
    yield _on_problem_line(lines, line, column, said)
    if "'-' indicator" in said:
        yield missing_dash(lines, line)
        yield _not_an_item(lines, line, context_line)
    if "document start" in said:
        yield _after_the_document(lines, line)
    if "flow" in said and context_line != line:  # an unclosed [ or { reported at the end of file
        yield _indicator_on(lines, context_line)
    earlier = [n for n in range(line - 1, max(line - 4, 0), -1) if _is_content(lines[n - 1])]
    yield _first_slip(lines, earlier)
    if earlier and ("mapping values" in said or "simple key" in said):
        yield missing_colon(lines[earlier[0] - 1], earlier[0])
    yield _first_slip(lines, range(line - 1, 0, -1), checks=(unclosed_quote,))


def line_slip(text: str, number: int) -> Mistake | None:
    """A slip one line shows by itself: tab or full-width indentation, a wrong colon, a quote."""
    for check in LINE_CHECKS:
        found = check(text, number)
        if found:
            return found
    return None


def scalar_document_slip(lines: list[str]) -> Mistake | None:
    """Why a whole form parsed as one piece of text: the first slip or missing colon in it."""
    numbered = [n for n in range(1, len(lines) + 1) if _is_content(lines[n - 1])]
    return _first_slip(lines, numbered) or next(
        (m for n in numbered if (m := missing_colon(lines[n - 1], n))), None
    )


def folded_line_slip(text: str, number: int) -> Mistake | None:
    """A line YAML folded into the text above it although it was meant as a field or an item."""
    item = re.match(r"(?P<indent>[ ]*)-", text)
    if not item:
        return line_slip(text, number)
    column = len(item["indent"]) + 1
    if text[item.end() : item.end() + 1] not in ("", " "):
        return Mistake(
            number,
            column,
            "“-”后面要空一格，这一行才是列表中的一项；现在它被接在了上一行的文字后面",
        )
    return Mistake(
        number,
        column,
        "这一行的“- ”比上一项缩进得多，被当成了上一项文字的一部分；同一列表的“-”要上下对齐",
    )


def tight_dash(text: str, number: int) -> Mistake | None:
    """`-point: …` or `-大家准备认真`: a list item's dash without the space after it."""
    match = _TIGHT_DASH.match(text)
    if not match:
        return None
    return Mistake(
        number,
        len(match["indent"]) + 1,
        f"“-”后面要空一格，这一行才是列表中的一项：改成“- {_preview(match['rest'])}”",
        f"{match['indent']}- {match['rest']}",
    )


def missing_dash(lines: list[str], number: int) -> Mistake | None:
    """A line standing where the next list item would, without the "- " that would make it one.

    The item above has its dash in the column this line starts at (text: `- 甲` then `乙`;
    an item of fields: `- point: 甲` then `point: 乙`), and nothing in between is less
    indented.
    """
    if not 1 <= number <= len(lines) or not _is_content(lines[number - 1]):
        return None
    text = lines[number - 1]
    indent = len(text) - len(text.lstrip(" "))
    if _LIST_ITEM.match(text) or text[indent : indent + 1] in ("#", "\t"):
        return None
    for above in range(number - 1, 0, -1):
        other = lines[above - 1]
        if not _is_content(other):
            continue
        other_indent = len(other) - len(other.lstrip(" "))
        if other_indent < indent:
            return None
        item = _LIST_ITEM.match(other)
        if item and len(item["indent"]) == indent:
            found = _missing_dash_at(number, indent, text.strip(), above)
            return replace(found, fixed=f"{text[:indent]}- {text[indent:]}")
    return None


def missing_first_dash(first: str, number: int, item: str) -> Mistake | None:
    """A list's first line written without "- ", the next line an item at the same column."""
    indent = len(first) - len(first.lstrip(" "))
    dash = _LIST_ITEM.match(item)
    if dash is None or len(dash["indent"]) != indent:
        return None
    return Mistake(
        number,
        indent + 1,
        f"列表的每一项都以“- ”开头，这一行却少了：改成“- {_preview(first)}”，"
        "与下面各项的“-”上下对齐；不加“- ”，下面各项会被接在这一行的文字后面",
    )


def missing_dash_item(lines: list[str], number: int, item_line: int) -> Mistake:
    """A key repeated inside one list item: the start of the next item, its "- " left out."""
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    indent = len(text) - len(text.lstrip(" "))
    return _missing_dash_at(number, indent, text.strip(), item_line, dash_before=True)


def _missing_dash_at(
    number: int, indent: int, written: str, item_line: int, *, dash_before: bool = False
) -> Mistake:
    where = "，并与上一项的“-”上下对齐" if dash_before else ""
    return Mistake(
        number,
        indent + 1,
        f"这一行像是列表的下一项，但前面少了“- ”（第 {item_line} 行开始的是上一项）："
        f"改成“- {_preview(written)}”{where}；不加“- ”，它会被当成上一项的一部分",
    )


def tab_indent(text: str, number: int) -> Mistake | None:
    """Indentation typed with the Tab key."""
    match = _TAB_INDENT.match(text)
    return Mistake(number, match.end(), TAB) if match else None


def wide_indent(text: str, number: int) -> Mistake | None:
    """Indentation typed as full-width spaces (U+3000) with a Chinese input method on."""
    match = _WIDE_INDENT.match(text)
    if not match:
        return None
    return Mistake(
        number,
        match.end(),
        "这一行开头是全角空格（中文输入法打出的空格）；缩进只能用半角空格：请切换到英文输入法，删掉这些空格后重新输入",
    )


def wide_colon(text: str, number: int) -> Mistake | None:
    """`key： value`: the full-width colon a Chinese input method types."""
    match = _WIDE_COLON.match(text)
    if not match:
        return None
    key = shortened(match["key"])
    return Mistake(
        number,
        match.end(),
        f"键 {key} 后面用了中文冒号“：”；键和值之间要用英文冒号，后面空一格：改成“{key}: ”",
        f"{text[: match.start('key')]}{match['key']}: {text[match.end() :].lstrip(BLANKS)}",
    )


def tight_colon(text: str, number: int) -> Mistake | None:
    """`key:value`, or `key:` followed by a full-width space: YAML then sees no key at all."""
    match = _TIGHT_COLON.match(text)
    if not match:
        return None
    key, rest = shortened(match["key"]), text[match.end() :]
    if rest.startswith("\u3000"):
        message = f"冒号后面是全角空格；要用半角空格：改成“{key}: {_preview(rest.lstrip())}”"
    else:
        message = f"冒号后面少了一个空格：改成“{key}: {_preview(rest)}”"
    return Mistake(number, match.end(), message, f"{text[: match.end()]} {rest.lstrip()}")


def unclosed_quote(text: str, number: int) -> Mistake | None:
    """A value opening with ' or " that the line never closes."""
    match = _QUOTE_START.match(text)
    if not match or _closing_quote(text, match.end(), match["quote"]) is not None:
        return None
    quote = match["quote"]
    return Mistake(
        number,
        match.start("quote") + 1,
        f"引号没有闭合：这里的 {quote} 在这一行找不到配对的 {quote}；"
        f"请在文字末尾补上 {quote}，或者把英文引号换成中文引号“”",
    )


def text_after_quote(text: str, number: int) -> Mistake | None:
    """`"两个维护"要落实`: a value opening with a quote goes on after the closing one."""
    match = _QUOTE_START.match(text)
    if not match:
        return None
    closing = _closing_quote(text, match.end(), match["quote"])
    if closing is None:
        return None
    after = text[closing + 1 :]
    trailing = after.lstrip(" \t")
    if not trailing or trailing[0] in "#:,]}":  # a comment, a quoted key, or a flow item
        return None
    return Mistake(
        number,
        len(text) - len(trailing) + 1,
        f"以引号开头的文字，引号闭合后不能再接文字（这里的“{_preview(trailing)}”）；"
        f"请把整段文字都放进引号里，或者把英文引号 {match['quote']} 换成中文引号“”",
    )


def missing_colon(text: str, number: int) -> Mistake | None:
    """A line that should be `key: value` but has no colon at all."""
    stripped = text.strip()
    if not _is_content(text) or ":" in stripped or "：" in stripped or _LIST_ITEM.match(text):
        return None
    first, _, rest = stripped.partition(" ")
    fix = f"（应写成“{first}: {_preview(rest.strip())}”）" if re.fullmatch(_KEY, first) else ""
    return Mistake(
        number,
        len(text) - len(text.lstrip(" ")) + 1,
        f"这一行缺少英文冒号“:”{fix}；每个字段写成“键: 值”，冒号为英文半角，后面空一格",
    )


LINE_CHECKS: tuple[LineCheck, ...] = (
    tight_dash,
    tab_indent,
    wide_indent,
    wide_colon,
    tight_colon,
    unclosed_quote,
    text_after_quote,
)


def _first_slip(
    lines: list[str], numbers: Iterable[int], checks: tuple[LineCheck, ...] = LINE_CHECKS
) -> Mistake | None:
    """The first slip on the given lines (1-based, in the order given)."""
    for number in numbers:
        if 1 <= number <= len(lines):
            for check in checks:
                found = check(lines[number - 1], number)
                if found:
                    return found
    return None


def _on_problem_line(lines: list[str], line: int, column: int, said: str) -> Mistake | None:
    """Slips only visible with the parser's column: a colon in text, an item out of line."""
    text = lines[line - 1] if line <= len(lines) else ""
    first_colon = text.find(": ")
    if "mapping values" in said and 0 <= first_colon < column - 1:
        return Mistake(
            line,
            column,
            "这行文字里有“英文冒号+空格”，会被当成又一个“键: 值”；"
            "请把文字里的冒号改成中文冒号“：”，或给整段文字加上引号",
        )
    if _LIST_ITEM.match(text) and ("block" in said or "expected key" in said):
        return _item_out_of_line(lines, line)
    return _indicator_on(lines, line) or _key_out_of_line(lines, line, said)


def _indicator_on(lines: list[str], line: int) -> Mistake | None:
    """A value starting with a character YAML reserves ([ { * & ! | > % @ `)."""
    value = _VALUE.match(lines[line - 1]) if line <= len(lines) else None
    if not value or value["value"][0] not in _INDICATORS:
        return None
    return _indicator(value, line)


def _item_out_of_line(lines: list[str], line: int) -> Mistake:
    """A `- ` item not under the item before it; name that item's line and column."""
    match = _LIST_ITEM.match(lines[line - 1])
    assert match is not None
    indent = len(match["indent"])
    for number in range(line - 1, 0, -1):
        other = _LIST_ITEM.match(lines[number - 1])
        if other and len(other["indent"]) != indent:
            return Mistake(
                line,
                indent + 1,
                f"列表项“- ”的缩进与第 {number} 行的上一项不一致：同一列表的“-”要上下对齐"
                f"（第 {number} 行的“-”在第 {len(other['indent']) + 1} 列，这一行在第 {indent + 1} 列）",
            )
    return Mistake(
        line,
        indent + 1,
        "这一行的“- ”位置不对：列表项要写在它所属的键的下一行，比这个键多缩进两格",
    )


def _not_an_item(lines: list[str], line: int, list_line: int) -> Mistake:
    """A line inside a list that is not a `- ` item: a parent key left out, or bad indentation."""
    text = lines[line - 1] if line <= len(lines) else ""
    indent = len(text) - len(text.lstrip(" "))
    return Mistake(
        line,
        indent + 1,
        f"这一行夹在第 {list_line} 行开始的列表中间，却不是以“- ”开头的列表项："
        "可能是上面漏写了它所属的键，或者这一行的缩进不对（同一层的键要左边对齐）",
    )


def _after_the_document(lines: list[str], line: int) -> Mistake:
    """Content after what YAML took for the whole form: a `...` line, or a first line of text."""
    for number in range(1, min(line, len(lines) + 1)):
        if lines[number - 1].strip() == "...":
            return Mistake(
                number, 1, "单独一行的“...”表示文件到此结束，后面的内容都读不到了：请删掉这一行"
            )
    first = next((n for n in range(1, line) if _is_content(lines[n - 1])), line)
    text = lines[first - 1] if first <= len(lines) else ""
    return Mistake(
        first,
        len(text) - len(text.lstrip(" ")) + 1,
        "文件开头这一行不是“键: 值”，后面的字段就接不上了：请写成“键: 值”（如 template: review-commentary），或删掉这一行",
    )


def _indicator(value: re.Match[str], line: int) -> Mistake:
    """Say to quote a value YAML reads as syntax, showing the quoted form."""
    text = value["value"]
    prefix = value.string[: value.start("value")].strip()
    shown = text if len(text) <= 20 else text[:12] + "…"
    quoted = shown.replace("'", "''")
    return Mistake(
        line,
        value.start("value") + 1,
        f"以“{text[0]}”开头的文字会被 YAML 当作特殊符号；{QUOTE_IT}，如 {prefix}{' ' if prefix else ''}'{quoted}'",
    )


def _key_out_of_line(lines: list[str], line: int, said: str) -> Mistake | None:
    """A `key:` line indented differently from the line above it, which holds a value."""
    if not ("mapping values" in said or "expected key" in said or "block end" in said):
        return None
    here = _KEY_LINE.match(lines[line - 1]) if line <= len(lines) else None
    above = next((lines[n - 1] for n in range(line - 1, 0, -1) if _is_content(lines[n - 1])), None)
    previous = _KEY_LINE.match(above) if above is not None else None
    if not here or not previous:
        return None
    extra = len(here["indent"]) - len(previous["indent"])
    if extra > 0 and previous["value"]:
        how = f"比上一行多缩进了 {extra} 格"
    elif extra < 0:
        how = "的缩进与上面各层都对不齐"
    else:
        return None
    return Mistake(
        line,
        len(here["indent"]) + 1,
        f"这一行{how}：同一层的键要左边对齐，属于某个键的下一层内容要比它多缩进两格",
    )


# Slips a line shows by itself whatever surrounds it: safe to look for on every line after
# the one the parser stopped at, so one run names them all. (A quote may open a text that
# goes on over several lines, so quotes are not among them.)
INDEPENDENT_CHECKS: tuple[LineCheck, ...] = (
    tight_dash,
    tab_indent,
    wide_indent,
    wide_colon,
    tight_colon,
)


def later_slips(lines: list[str], after: int) -> list[Mistake]:
    """The independent slips on the lines after line `after`, one per line."""
    return [
        found
        for number in range(after + 1, len(lines) + 1)
        if _is_content(lines[number - 1])
        and (found := _first_slip(lines, [number], INDEPENDENT_CHECKS))
    ]


# PyYAML's words (context and problem) → what the writer should do, for whatever no slip explains.
_TRANSLATIONS = (
    (
        "quoted scalar",
        "引号没有闭合：从这里开始的引号直到文件末尾都没有配对；请补上结尾的引号，或改用中文引号“”",
    ),
    (
        "could not find expected ':'",
        "这一行缺少英文冒号“:”；每个字段写成“键: 值”，冒号为英文半角，后面空一格",
    ),
    (
        "mapping values are not allowed",
        "这里不能出现“键: 值”：可能是上一行缩进不对，或文字里的英文冒号后跟了空格（可改用中文冒号“：”，或给整段文字加引号）",
    ),
    (
        "expected a single document",
        "文件里有单独一行的“---”，把文件分成了几份；一个 YAML 文件只能有一份：请删掉“---”这一行",
    ),
    ("found a tab character", TAB),
    (
        "block sequence entries are not allowed",
        "列表项“- ”不能写在这里：每一项要另起一行，以“- ”开头",
    ),
    ("undefined alias", f"以“*”开头的文字会被当作 YAML 的别名；{QUOTE_IT}"),
    ("while scanning an alias", f"以“*”开头的文字会被当作 YAML 的别名；{QUOTE_IT}"),
    ("while scanning an anchor", f"以“&”开头的文字会被当作 YAML 的锚点；{QUOTE_IT}"),
    ("while scanning a tag", f"以“!”开头的文字会被当作 YAML 的标签；{QUOTE_IT}"),
    ("directive", f"以“%”开头的行会被当作 YAML 的指令；{QUOTE_IT}"),
    ("block scalar", f"“|”或“>”后面只能换行；{QUOTE_IT}"),
    (
        "flow",
        "方括号 [ ] 或花括号 { } 没有配对；如果这是正文，请改用中文括号【】，或给整段文字加上引号",
    ),
    ("escape", "双引号里的反斜杠“\\”会被当作转义符；请把“\\”写成“\\\\”，或改用单引号"),
    (
        "found unexpected end of stream",
        "文件在引号或括号闭合之前就结束了；请检查是否少了一个引号或括号",
    ),
    ("'<block sequence start>'", "列表项“- ”的缩进与上一项不一致：同一列表的“-”要上下对齐"),
    ("but found '-'", "列表项“- ”的缩进与上一项不一致：同一列表的“-”要上下对齐"),
    ("special characters are not allowed", "文件里有无法识别的特殊字符；请删掉这个位置的字符"),
    (
        "expected key",
        "这一行的缩进与同一层的其他行不一致，或上一行的值没有写完整；同一层的键要左边对齐",
    ),
    ("block end", "这一行的缩进与同一层的其他行不一致；同一层的键要左边对齐"),
)


def _translated(
    exc: yaml.MarkedYAMLError,
    said: str,
    lines: list[str],
    line: int,
    column: int,
    context_line: int,
) -> Mistake:
    text = lines[line - 1] if line <= len(lines) else ""
    if text[column - 1 : column] == "\t":
        return Mistake(line, column, TAB)
    if "quoted scalar" in said or "simple key" in said:
        assert exc.context_mark is not None
        line, column = context_line, exc.context_mark.column + 1
    message = next((cn for en, cn in _TRANSLATIONS if en in said), None)
    if message is None:
        found = text[column - 1 : column]
        message = (
            f"这里的“{found}”不符合 YAML 的写法；{QUOTE_IT}"
            if found.strip()
            else f"这一行不符合 YAML 的写法（解析器提示：{exc.problem or said.strip()}）；请对照示例表单检查这一行和上一行"
        )
    return Mistake(line, column, message)


def _position(mark: yaml.Mark | None, lines: list[str]) -> tuple[int, int]:
    """1-based line and column, kept inside the text (PyYAML may point past the last line)."""
    if mark is None:
        return 1, 1
    line, column = mark.line + 1, mark.column + 1
    if line > len(lines):
        line = max(len(lines), 1)
        column = len(lines[line - 1]) + 1 if lines else 1
    return line, column


def _closing_quote(text: str, start: int, quote: str) -> int | None:
    """Index of the quote closing one opened just before `start`, or None."""
    index = start
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":  # '' is a quote inside
                index += 2
                continue
            return index
        index += 1
    return None


def _is_content(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not stripped.startswith("#")


def _preview(text: str, limit: int = 12) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def bad_escape(lines: list[str], line: int, column: int) -> Mistake:
    """A backslash escape in double quotes that YAML cannot turn into a character."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    start = text.rfind("\\", 0, column)
    if start < 0:
        return Mistake(line, column, f"双引号中有无效的转义；{BACKSLASH_HINT}")
    escape = _ESCAPE.match(text, start)
    written = escape.group() if escape else "\\"
    return Mistake(
        line, start + 1, f"双引号中的转义 {written} 无效：{_why_bad(written)}；{BACKSLASH_HINT}"
    )


def _why_bad(escape: str) -> str:
    letter, digits = escape[1:2], escape[2:]
    wanted = _HEX_DIGITS.get(letter)
    if wanted is None:
        return "YAML 没有这个转义"
    if len(digits) < wanted:
        return f"\\{letter} 后面应有 {wanted} 位十六进制数字"
    code = int(digits, 16)
    if 0xD800 <= code <= 0xDFFF:
        return "这是单独的代理码位（surrogate），不是一个完整的字符"
    return "超出了 Unicode 字符的范围" if code > 0x10FFFF else "不是有效的字符"
