"""Read an old speech (.txt, .md, .docx) into cleaned, located paragraphs.

The file is read as `drafter check` reads it, cleaned with the check fixes, cut into
paragraphs, stripped of the web page around a scraped speech (publication lines, related
links), and lines a web page broke in mid-sentence are joined again.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..cn.dates import is_byline_date
from ..cn.ordinals import H1, H2
from ..cn.punctuation import INDENT, SENTENCE_END
from ..errors import Diagnostic, Severity, SpeechFileError
from ..lint.findings import Finding
from ..lint.sources import Source, source_of, text_source
from ..model import Heading, Title
from ..readers import SPEECH_SUFFIXES, read_speech_file
from ..readers.located import SourceKind
from .boilerplate import site_line, site_stretches
from .cleaning import clean, reread_kind
from .spans import Span

# A line ending in these was cut by a web page or a PDF copy: a paragraph never ends so.
_RUNS_ON = "，、；"
_ENDS = SENTENCE_END + "：”’）》…"
_MIN_WRAPPED = 15  # lines shorter than this are titles, bylines, headings or a paragraph's end
_WRAP_SHARE = 0.25  # a wrap width is one a quarter of the longer lines share
# Spaces a PDF copy leaves between two characters of one word: 中国特色社 会主义.
_CJK = "\u3001-\u303f\u3400-\u9fff\uff01-\uff5e"
_STRAY_SPACE = re.compile(f"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")


@dataclass(frozen=True)
class Para:
    """One paragraph of the speech; `hint` is what Markdown marked it as (title, h1, h2)."""

    span: Span
    hint: str | None = None

    @property
    def text(self) -> str:
        return self.span.text


@dataclass
class Speech:
    """A speech as recognisers read it: cleaned paragraphs, and what reading changed."""

    path: str
    source: Source
    paras: list[Para]
    chrome: list[Para] = field(default_factory=list)
    fixes: tuple[Finding, ...] = ()
    notes: list[Diagnostic] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column in the speech file (for .docx: paragraph number and offset)."""
        return self.source.position(offset)

    def diagnostic(
        self, message: str, at: Span | int, severity: Severity = Severity.WARNING
    ) -> Diagnostic:
        """A message located at the start of a span (or at a file offset) of the speech."""
        line, column = self.position(at.start if isinstance(at, Span) else at)
        return Diagnostic(message, self.path, line, column, severity)


def read_speech(path: Path) -> Speech:
    """Read, clean and cut a speech file into paragraphs; SpeechFileError if it cannot."""
    if path.suffix.lower() not in SPEECH_SUFFIXES:
        known = "、".join(SPEECH_SUFFIXES)
        raise SpeechFileError(
            f"不能从 {path.name} 提取表单：只支持讲话稿文件（{known}）", path=str(path)
        )
    source = source_of(read_speech_file(path))
    cleaned = clean(source)
    reread = text_source(cleaned.text, source.path, reread_kind(source))
    hints = _hints(reread)
    paras = [
        Para(Span(piece.text, tuple(cleaned.origins[o] for o in piece.offsets)), hint)
        for piece, hint in zip(reread.pieces, hints, strict=True)
    ]
    speech = Speech(str(path), source, [], fixes=cleaned.fixes)
    kept = [para for para in paras if site_line(para.text) is None]
    speech.chrome = [para for para in paras if site_line(para.text) is not None]
    kept = [para for para in (_without_site_text(para, speech) for para in kept) if para.text]
    speech.chrome.sort(key=lambda para: para.span.start)
    joined = _join_broken_lines(kept, speech)
    speech.paras = [_without_stray_spaces(para, speech) for para in joined]
    if not speech.paras:
        raise SpeechFileError("文件中没有讲话内容", path=str(path))
    return speech


def _hints(source: Source) -> list[str | None]:
    """Markdown's marks of title and headings, read back from the document it classified."""
    if source.kind is not SourceKind.MARKDOWN or source.document is None:
        return [None] * len(source.pieces)
    hints: list[str | None] = []
    for block in source.document.blocks:
        if isinstance(block, Title):
            hints.append("title")
        elif isinstance(block, Heading):
            hints.append(f"h{block.level}")
        else:
            hints.append(None)
    return hints


def _without_site_text(para: Para, speech: Speech) -> Para:
    """The paragraph without a site's watermark or 此处隐藏N个字 (kept with the site lines)."""
    stretches = site_stretches(para.text)
    if not stretches:
        return para
    kept = para.span
    for start, end in reversed(stretches):
        speech.chrome.append(Para(para.span[start:end]))
        kept = kept[:start] + kept[end:]
    return Para(kept.strip(), para.hint)


def _join_broken_lines(paras: list[Para], speech: Speech) -> list[Para]:
    """Join a line cut in mid-sentence to the line after it, noting the joins.

    A line ending in ，、； always runs on. A text hard-wrapped at a width (a PDF or a .doc
    copied as text) runs on from every full line; a full line ending a sentence runs on
    only when the file indents its paragraphs and the next line is not indented.
    """
    indents = _indents(paras, speech)
    width = _wrap_width(paras, indents)
    starts = _paragraph_starts(paras, speech, indents)
    joined: list[Para] = []
    wrapped = 0
    for para in paras:
        previous = joined[-1] if joined else None
        how = _runs_on(previous, para, width, indents, starts) if previous is not None else None
        if previous is None or how is None:
            joined.append(para)
            continue
        if how == "mark":
            last = previous.text.rstrip()[-1]
            speech.notes.append(
                speech.diagnostic(
                    f"这一行以“{last}”结尾，是网页或复制造成的断行，已与下一行合为一段",
                    previous.span[len(previous.text.rstrip()) - 1 :],
                    Severity.INFO,
                )
            )
        else:
            wrapped += 1
            if wrapped == 1:
                speech.notes.append(
                    speech.diagnostic(
                        f"原文按每行约 {width} 字折行（PDF 或 Word 复制的文字），"
                        "在句子中间断开的行已与下一行合为一段",
                        previous.span[len(previous.text.rstrip()) - 1 :],
                        Severity.INFO,
                    )
                )
        joined[-1] = Para(previous.span + para.span, previous.hint)
    return joined


def _runs_on(
    previous: Para,
    para: Para,
    width: int | None,
    indents: dict[int, bool] | None,
    starts: dict[int, bool] | None,
) -> str | None:
    """How `previous` runs on into `para`: "mark" (ends in ，、；), "wrap", or None."""
    text, following = previous.text.rstrip(), para.text.strip()
    if previous.hint is not None or para.hint is not None or not text:
        return None
    if H1.match(following) or H2.match(following) or is_byline_date(following, True):
        return None
    full = width is not None and _length(previous, indents) >= width - 1
    if text.endswith(tuple(_RUNS_ON)):
        return "wrap" if full else "mark"  # a full line's break is the wrap's, noted once
    if not full:
        return None
    if not text.endswith(tuple(_ENDS)):
        return "wrap"
    if starts is not None and not starts.get(para.span.start, True):
        return "wrap"  # the file marks where its paragraphs begin, and this line is no start
    return None


def _paragraph_starts(
    paras: list[Para], speech: Speech, indents: dict[int, bool] | None
) -> dict[int, bool] | None:
    """Whether each line begins a paragraph, by the file's own marks (an indent, a blank line
    before it); None when the file marks neither."""
    text = speech.source.text
    blanks: dict[int, bool] = {}
    for previous, para in itertools.pairwise(paras):
        between = text[previous.span.origins[-1] + 1 : para.span.start]
        blanks[para.span.start] = between.count("\n") >= 2
    marked = sum(blanks.values()) >= 3
    if indents is None and not marked:
        return None
    return {
        start: (indents or {}).get(start, False) or (marked and blanks.get(start, False))
        for start in {p.span.start for p in paras}
    }


def _length(para: Para, indents: dict[int, bool] | None) -> int:
    """A line's width in characters, counting the two a paragraph's first line is indented."""
    indented = indents is not None and indents.get(para.span.start, False)
    return len(para.text.rstrip()) + (2 if indented else 0)


def _wrap_width(paras: list[Para], indents: dict[int, bool] | None) -> int | None:
    """The width a text was hard-wrapped at: the length most of its longer lines share."""
    lengths = Counter(_length(p, indents) for p in paras if len(p.text) >= _MIN_WRAPPED)
    if not lengths:
        return None
    width, count = lengths.most_common(1)[0]
    full = [p.text.rstrip() for p in paras if abs(_length(p, indents) - width) <= 1]
    cut = sum(1 for text in full if not text.endswith(tuple(_ENDS)))
    if count < 3 or len(full) < _WRAP_SHARE * sum(lengths.values()) or 2 * cut < len(full):
        return None  # lines of one length that end their sentences are not a wrap
    return width


def _indents(paras: list[Para], speech: Speech) -> dict[int, bool] | None:
    """Whether each line was indented in the file (by its first character's offset), or
    None when the file does not indent paragraphs (fewer than a few indented lines)."""
    text = speech.source.text
    found: dict[int, bool] = {}
    for para in paras:
        at = para.span.start
        found[at] = 0 < at <= len(text) and text[at - 1] in INDENT
    return found if sum(found.values()) >= 3 else None


def _without_stray_spaces(para: Para, speech: Speech) -> Para:
    """The paragraph without spaces between two Chinese characters, with a note."""
    found = list(_STRAY_SPACE.finditer(para.text))
    if not found:
        return para
    speech.notes.append(
        speech.diagnostic(
            f"这一段的字与字之间有 {len(found)} 处多余的空格（多为 PDF 复制留下的），已去掉",
            para.span[found[0].start() :],
            Severity.INFO,
        )
    )
    keep = Span(para.text, para.span.origins)
    for match in reversed(found):
        keep = keep[: match.start()] + keep[match.end() :]
    return Para(keep, para.hint)
