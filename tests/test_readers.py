"""Readers: a .txt, .md and .docx speech each read into the same Document, located."""

import datetime as dt
from pathlib import Path

import docx
import pytest

from drafter.errors import SpeechFileError
from drafter.model import Byline, Document, Heading, Meta, Paragraph, Run, Title
from drafter.readers import SourceKind, read_speech_file
from drafter.readers.located import Edit, splice, splice_located

TITLE = "在述职评议会议上的点评讲话"
BYLINE = "（2021年1月26日）"
HEADING1 = "一、突出政治统领"
HEADING2 = "（一）压实责任"
BODY = "一是抓责任。二是抓落实。"
EXPECTED = Document(
    (
        Title(TITLE),
        Byline((BYLINE,)),
        Heading(1, HEADING1),
        Heading(2, HEADING2),
        Paragraph((Run(BODY),)),
    ),
    Meta(title=TITLE),
)


def test_a_text_speech_is_read_a_paragraph_per_line(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text(
        f"{TITLE}\n{BYLINE}\n\n{HEADING1}\n{HEADING2}\n　　{BODY}  \n", encoding="utf-8"
    )
    reading = read_speech_file(path)
    assert reading.kind is SourceKind.TEXT
    assert reading.document == EXPECTED
    assert reading.date == dt.date(2021, 1, 26)
    assert reading.encoding == "utf-8"
    body = reading.pieces[-1]
    assert body.text == BODY
    assert reading.locate(body, 2) == (6, 5)  # after the two ideographic spaces of the indent


def test_a_gbk_text_speech_keeps_the_codec_that_writes_it_back(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_bytes(f"{TITLE}\r\n{BODY}\r\n".encode("gb18030"))
    reading = read_speech_file(path)
    assert reading.encoding == "gb18030"
    assert [piece.text for piece in reading.pieces] == [TITLE, BODY]


def test_a_markdown_speech_is_read_with_its_marked_title_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "speech.md"
    path.write_text(
        f"# {TITLE}\n\n{BYLINE}\n\n## {HEADING1}\n\n### {HEADING2}\n\n**一是抓责任。**二是\n抓落实。\n",
        encoding="utf-8",
    )
    reading = read_speech_file(path)
    assert reading.kind is SourceKind.MARKDOWN
    assert reading.document == EXPECTED
    body = reading.pieces[-1]
    start = reading.text.index("二是")
    assert body.offsets[body.text.index("二是")] == start  # the ** markers are skipped


def test_a_markdown_hard_break_stays_inside_its_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "speech.md"
    path.write_text(f"# {TITLE}\n\n同志们：\\\n{BODY}\n", encoding="utf-8")
    blocks = read_speech_file(path).document.blocks  # type: ignore[union-attr]
    assert blocks[1] == Paragraph((Run(f"同志们：\n{BODY}"),))


def test_a_word_speech_is_read_a_paragraph_each_with_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "speech.docx"
    word = docx.Document()
    for text in (TITLE, BYLINE, "", HEADING1, HEADING2):
        word.add_paragraph(text)
    body = word.add_paragraph()
    body.add_run("一是抓责任。").bold = True
    body.add_run("二是抓落实。")
    word.save(str(path))
    reading = read_speech_file(path)
    assert reading.kind is SourceKind.DOCX
    assert reading.document == EXPECTED
    assert reading.position(reading.pieces[-1].offsets[6]) == (6, 7)  # paragraph 6, column 7
    _, spans = reading.native
    assert [(span.start, span.end) for span in spans[5]] == [(0, 6), (6, 12)]


def test_a_damaged_word_file_is_a_speech_file_error(tmp_path: Path) -> None:
    path = tmp_path / "speech.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SpeechFileError, match="无法读取 Word 文档"):
        read_speech_file(path)


def test_a_format_without_a_reader_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "speech.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(SpeechFileError, match=r"只支持 \.txt"):
        read_speech_file(path)


def test_splice_applies_edits_and_keeps_where_each_character_came_from() -> None:
    edits = [Edit(2, 3, ",", "，"), Edit(4, 9, "(shū)", "")]
    assert splice("书记,抓(shū)好", edits) == "书记，抓好"
    text, origins = splice_located("书记,抓(shū)好", range(10), edits)
    assert (text, origins) == ("书记，抓好", (0, 1, 2, 3, 9))
