"""Damaged, huge and odd .docx files in `drafter check` and `drafter extract`: every one ends
in a located Chinese message (or reads correctly), never a traceback or a hang, and tables
with merged cells are read, reported and fixed exactly once per cell."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from drafter.readers import read_speech_file

from .conftest import run_cli, run_drafter

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs resource.setrlimit")
SENTENCE = "各基层党组织书(shū)记要带头落实责任，确保工作取得实效。"
FIXED = "各基层党组织书记要带头落实责任，确保工作取得实效。"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _merged_table_docx(path: Path) -> Path:
    """A speech whose table has a cell merged across two columns and one across two rows."""
    document = docx.Document()
    document.add_paragraph("同志们：")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = SENTENCE
    table.cell(1, 0).merge(table.cell(2, 0)).text = "二是党建责任落实到位。"
    document.save(str(path))
    return path


def _cell_texts(path: Path) -> list[str]:
    body = docx.Document(str(path)).element.body
    return ["".join(t.text or "" for t in tc.iter(f"{{{W}}}t")) for tc in body.iter(f"{{{W}}}tc")]


def _with_document_xml(path: Path, edit: object) -> Path:
    """Rewrite word/document.xml of a .docx through `edit(text) -> text`."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            out.writestr(item.filename, data)
    path.write_bytes(buffer.getvalue())
    return path


# ---------------------------------------------------------------- merged cells, once each


def test_check_fix_on_a_merged_cell_fixes_it_once_and_keeps_the_text(tmp_path: Path) -> None:
    path = _merged_table_docx(tmp_path / "speech.docx")
    result = run_cli("check", "--fix", path)
    assert result.exit_code in (0, 1), result.output
    assert result.output.count("删除“(shū)”") == 1
    assert FIXED in _cell_texts(path)
    assert not any("书保" in text for text in _cell_texts(path))


def test_a_finding_in_a_merged_cell_is_reported_once(tmp_path: Path) -> None:
    path = _merged_table_docx(tmp_path / "speech.docx")
    result = run_cli("check", path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "(shū)" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:2:8: ")  # paragraph 2 (the cell), column of (


def test_a_merged_cell_is_read_once(tmp_path: Path) -> None:
    reading = read_speech_file(_merged_table_docx(tmp_path / "speech.docx"))
    assert reading.text.count(SENTENCE) == 1
    assert reading.text.count("二是党建责任落实到位。") == 1


@pytest.mark.parametrize(
    "odd",
    [
        '<w:gridSpan w:val="abc"/>',
        '<w:gridSpan w:val="100000000"/>',
        '<w:vMerge w:val="continue"/>',  # a continuation with nothing above it
        '<w:gridSpan w:val="-3"/>',
    ],
)
def test_irregular_tables_read_without_error_or_hang(tmp_path: Path, odd: str) -> None:
    path = _merged_table_docx(tmp_path / "speech.docx")
    # Put the odd property on the first cell and drop a grid column so the grid is misaligned.
    _with_document_xml(
        path,
        lambda xml: re.sub(r"<w:gridCol [^>]*/>", "", xml, count=1).replace(
            "<w:tcPr>", f"<w:tcPr>{odd}", 1
        ),
    )
    result = run_drafter("check", path, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("(shū)") == 1


# ---------------------------------------------------------------- damaged archives


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _good_parts(tmp_path: Path) -> dict[str, bytes]:
    path = tmp_path / "model.docx"
    document = docx.Document()
    document.add_paragraph("同志们：")
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _encrypted(data: bytes) -> bytes:
    raw = bytearray(data)
    at = raw.find(b"PK\x03\x04")
    raw[at + 6] |= 0x1  # general purpose flag: encrypted
    central = raw.find(b"PK\x01\x02")
    raw[central + 8] |= 0x1
    return bytes(raw)


def _unknown_method(data: bytes) -> bytes:
    raw = bytearray(data)
    at = raw.find(b"PK\x03\x04")
    struct.pack_into("<H", raw, at + 8, 99)
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<H", raw, central + 10, 99)
    return bytes(raw)


def _bad_deflate(data: bytes) -> bytes:
    raw = bytearray(data)
    at = raw.find(b"PK\x03\x04")
    name_length, extra_length = struct.unpack_from("<HH", raw, at + 26)
    start = at + 30 + name_length + extra_length
    raw[start : start + 8] = b"\xff" * 8
    return bytes(raw)


DAMAGE = {
    "encrypted": (_encrypted, "已加密"),
    "unknown-compression": (_unknown_method, "压缩方式"),
    "bad-deflate": (_bad_deflate, "已损坏"),
    "truncated": (lambda data: data[: len(data) // 2], "无法读取 Word 文档"),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_zip_damage_is_a_located_error_in_check_and_extract(tmp_path: Path, kind: str) -> None:
    damage, words = DAMAGE[kind]
    path = tmp_path / "speech.docx"
    path.write_bytes(damage(_zip(_good_parts(tmp_path))))
    for command in (("check", path), ("extract", path, "-o", tmp_path / "form.yaml")):
        result = run_cli(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"{path}: 错误: " in result.stderr and words in result.stderr


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "同志们同志们">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
            "</w:body></w:document>",
            "DOCTYPE",
        ),
        (
            f'<w:document xmlns:w="{W}"><w:body>'
            + "<w:tbl><w:tr><w:tc>" * 100
            + "<w:p/>"
            + "</w:tc></w:tr></w:tbl>" * 100
            + "</w:body></w:document>",
            "嵌套超过 256 层",
        ),
    ],
    ids=["entities", "nesting"],
)
def test_xml_tricks_are_refused_in_check_and_extract(tmp_path: Path, xml: str, words: str) -> None:
    parts = _good_parts(tmp_path)
    parts["word/document.xml"] = xml.encode("utf-8")
    path = tmp_path / "speech.docx"
    path.write_bytes(_zip(parts))
    for command in (("check", path), ("extract", path, "-o", tmp_path / "form.yaml")):
        result = run_cli(*command)
        assert result.exit_code == 2, result.output
        assert f"{path}: 错误: " in result.stderr and words in result.stderr


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("word/document.xml", b"<foo/>"),
        ("word/document.xml", f'<w:document xmlns:w="{W}"/>'.encode()),
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", None),
        ("_rels/.rels", None),
    ],
    ids=["not-a-document", "no-body", "bad-content-types", "no-document", "no-relationships"],
)
def test_parts_word_would_never_write_are_a_located_error(
    tmp_path: Path, part: str, content: bytes | None
) -> None:
    parts = _good_parts(tmp_path)
    if content is None:
        del parts[part]
    else:
        parts[part] = content
    path = tmp_path / "speech.docx"
    path.write_bytes(_zip(parts))
    result = run_cli("check", path)
    assert result.exit_code == 2, result.output
    assert f"{path}: 错误: 无法读取 Word 文档" in result.stderr


def test_tables_nested_within_the_limit_are_read(tmp_path: Path) -> None:
    parts = _good_parts(tmp_path)
    nested = (
        "<w:tbl><w:tr><w:tc>" * 60
        + SENTENCE.join(["<w:p><w:r><w:t>", "</w:t></w:r></w:p>"])
        + "</w:tc></w:tr></w:tbl>" * 60
    )
    parts["word/document.xml"] = (
        f'<w:document xmlns:w="{W}"><w:body>{nested}</w:body></w:document>'
    ).encode()
    path = tmp_path / "speech.docx"
    path.write_bytes(_zip(parts))
    assert read_speech_file(path).text == SENTENCE


def test_a_damaged_file_in_a_folder_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "a.txt").write_text("谢谢大家!\n", encoding="utf-8")
    (folder / "b.docx").write_bytes(_bad_deflate(_zip(_good_parts(tmp_path))))
    _merged_table_docx(folder / "c.docx")
    result = run_cli("check", folder)
    assert result.exit_code == 2  # some file could not be checked
    assert f"{folder / 'b.docx'}: 错误: " in result.stderr
    assert f"{folder / 'a.txt'}:1:5: " in result.output
    assert f"{folder / 'c.docx'}:2:8: " in result.output


# ---------------------------------------------------------------- bombs, under a memory limit

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from drafter.cli import main
sys.argv = ["drafter", *sys.argv[1:]]
main()
"""


def _run_limited(
    *args: str | Path, limit: int = 1536 * 1024 * 1024
) -> subprocess.CompletedProcess[str]:
    """drafter in a subprocess that may use at most `limit` bytes of address space."""
    return subprocess.run(
        [sys.executable, "-c", _LIMITED.format(limit=limit), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def _bomb(path: Path, tmp_path: Path, megabytes: int) -> Path:
    """A .docx whose document.xml inflates to `megabytes` MB of spaces (a few hundred KB)."""
    parts = _good_parts(tmp_path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(block)
            stream.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


@POSIX
@pytest.mark.parametrize("command", ["check", "extract"])
def test_a_zip_bomb_ends_in_a_clean_error_under_a_memory_limit(
    tmp_path: Path, command: str
) -> None:
    path = _bomb(tmp_path / "bomb.docx", tmp_path, 400)
    assert path.stat().st_size < 2 * 1024 * 1024
    result = _run_limited(command, path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}: 错误: Word 文档已损坏或不安全：部件 word/document.xml 解压后超过" in (
        result.stderr
    )
