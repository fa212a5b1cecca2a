"""Parse the speech markup templates produce into the document model.

The markup is a small XML vocabulary, so Jinja's autoescaping keeps a writer's `<b>` or
`&` as text and never as structure:

    <meta title="…" author="…" date="2021-01-26"/>
    <title>…</title>  <byline><line>…</line></byline>  <salutation>…</salutation>
    <h1>一、…</h1>  <h2>（一）…</h2>  <p><lead>一是…。</lead>…</p>  <thanks>…</thanks>

Line breaks and indentation in the template source are layout of the source only and are
removed (Chinese text has no spaces between lines). A line break a writer typed in a value
arrives as U+2028 LINE SEPARATOR and becomes a line break inside its paragraph.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from operator import itemgetter

from .errors import TemplateError
from .model import (
    Block,
    Byline,
    Document,
    Heading,
    Meta,
    Paragraph,
    Run,
    Salutation,
    Thanks,
    Title,
)

USER_LINE_BREAK = "\u2028"
_SOURCE_BLANKS = " \t\r"  # around a line break in the template's source, dropped with it


def parse_markup(markup: str, source: str = "模板") -> Document:
    """Turn rendered markup into a Document; malformed markup is a TemplateError."""
    try:
        root = ET.fromstring(f"<speech>{markup}</speech>")
    except ET.ParseError as exc:
        line, column = exc.position
        raise TemplateError(
            f"模板生成的讲话标记有误（第 {line} 行第 {column} 列附近）：{exc}；请检查模板中的标签是否成对",
            path=source,
        ) from None
    meta = Meta()
    blocks: list[Block] = []
    for element in root:
        if element.tag == "meta":
            meta = Meta(**{k: element.get(k, "") for k in ("title", "author", "date")})
            continue
        block = _block(element, source)
        if block is not None:
            blocks.append(block)
    if not meta.title:
        title = next((b.text for b in blocks if isinstance(b, Title)), "")
        meta = Meta(title, meta.author, meta.date)
    return Document(tuple(blocks), meta)


def _block(element: ET.Element, source: str) -> Block | None:
    tag = element.tag
    if tag in ("p", "thanks", "closing"):  # older packs wrote the thanks line as <closing>
        runs = _runs(element, source)
        if not runs:
            return None
        return Paragraph(runs) if tag == "p" else Thanks(runs)
    if tag == "byline":
        lines = tuple(text for line in element.iter("line") if (text := _plain(line)))
        return Byline(lines) if lines else None
    text = _plain(element)
    if not text:
        return None
    if tag == "title":
        return Title(text)
    if tag == "salutation":
        return Salutation(text)
    if tag in ("h1", "h2"):
        return Heading(int(tag[1]), text)
    raise TemplateError(
        f"模板使用了未知的讲话标记 <{tag}>；可用：title、byline、salutation、h1、h2、p、lead、thanks",
        path=source,
    )


def _clean(text: str | None) -> str:
    if not text:
        return ""
    return _drop_source_breaks(text).replace(USER_LINE_BREAK, "\n")


def _drop_source_breaks(text: str) -> str:
    """Remove each line break of the template's source with the blanks around it.

    Split and strip, not a regular expression: a regex rescans a long run of spaces from
    every position in it, which made a form with many spaces take minutes.
    """
    if "\n" not in text:
        return text
    lines = text.split("\n")
    last = len(lines) - 1
    return "".join(
        line.rstrip(_SOURCE_BLANKS)
        if number == 0
        else line.lstrip(_SOURCE_BLANKS)
        if number == last
        else line.strip(_SOURCE_BLANKS)
        for number, line in enumerate(lines)
    )


def _plain(element: ET.Element) -> str:
    """All text inside an element, inline tags flattened."""
    return "".join(run.text for run in _runs(element, "")).strip()


def _runs(element: ET.Element, source: str) -> tuple[Run, ...]:
    """The element's text as runs: consecutive pieces of the same kind (lead or not) joined."""
    pieces: list[tuple[str, bool]] = []
    _collect(element, False, pieces, source)
    merged = [
        ("".join(text for text, _ in group), lead)
        for lead, group in groupby(pieces, key=itemgetter(1))
    ]
    if merged:  # a paragraph never starts or ends with source whitespace
        merged[0] = (merged[0][0].lstrip(" "), merged[0][1])
        merged[-1] = (merged[-1][0].rstrip(" "), merged[-1][1])
    return tuple(Run(text, lead) for text, lead in merged if text)


def _collect(node: ET.Element, lead: bool, pieces: list[tuple[str, bool]], source: str) -> None:
    """Append the (text, is lead) pieces inside `node`, in reading order."""
    text = _clean(node.text)
    if text:
        pieces.append((text, lead))
    for child in node:
        tag = child.tag
        if tag == "br":
            pieces.append(("\n", lead))
        elif tag == "lead":
            _collect(child, True, pieces, source)
        else:
            raise TemplateError(
                f"段落中不能嵌套 <{tag}>；段内只能用 <lead> 和 <br/>", path=source or None
            )
        tail = _clean(child.tail)
        if tail:
            pieces.append((tail, lead))
