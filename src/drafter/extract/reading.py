"""Read an old speech (.txt, .md, .docx) into cleaned, located paragraphs.

The file is read as `drafter check` reads it, cleaned with the check fixes, cut into
paragraphs, stripped of the web page around a scraped speech (publication lines, related
links), and lines a web page broke in mid-sentence are joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Severity, SpeechFileError
from ..lint.findings import Finding
from ..lint.sources import Source, source_of, text_source
from ..model import Heading, Title
from ..readers import SPEECH_SUFFIXES, read_speech_file
from ..readers.located import SourceKind
from .cleaning import clean, reread_kind
from .spans import Span

# A line ending in these was cut by a web page or a PDF copy: a paragraph never ends so.
_RUNS_ON = "，、；"
# Lines a web page puts around an article: when and where it was published, hit counters,
# related searches and links, print buttons. They are not part of the speech.
_CHROME = re.compile(
    r"^【?(?:发布时间|发布日期|发表时间|更新时间|时间|来源|信息来源|作者|编辑|责任编辑|"
    r"点击(?:数|量|次数)?|浏览(?:次数|量)?|阅读(?:次数|量)?|字号|打印(?:本页)?|关闭(?:窗口)?|"
    r"收藏|分享到?|相关热词搜索|相关(?:文章|阅读|推荐|链接)|热点文章阅读|热门(?:文章|推荐)|"
    r"推荐阅读|延伸阅读|上一篇|下一篇|本文链接|原文链接|免责声明|版权(?:所有|声明)|"
    r"当前位置|返回顶部|返回首页)】?(?:[：:]|\s|$)"
)
_CHROME_MAX = 120  # a paragraph of the speech may begin with 时间; a page's line is short


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
    kept = [para for para in paras if not _is_chrome(para)]
    speech.chrome = [para for para in paras if _is_chrome(para)]
    speech.paras = _join_broken_lines(kept, speech)
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


def _is_chrome(para: Para) -> bool:
    return len(para.text) <= _CHROME_MAX and bool(_CHROME.match(para.text.strip()))


def _join_broken_lines(paras: list[Para], speech: Speech) -> list[Para]:
    """Join a line that ends in ，、； to the line after it, noting each join."""
    joined: list[Para] = []
    for para in paras:
        previous = joined[-1] if joined else None
        if previous is not None and previous.text.rstrip().endswith(tuple(_RUNS_ON)):
            last = previous.text.rstrip()[-1]
            speech.notes.append(
                speech.diagnostic(
                    f"这一行以“{last}”结尾，是网页或复制造成的断行，已与下一行合为一段",
                    previous.span[len(previous.text.rstrip()) - 1 :],
                    Severity.INFO,
                )
            )
            joined[-1] = Para(previous.span + para.span, previous.hint)
        else:
            joined.append(para)
    return joined
