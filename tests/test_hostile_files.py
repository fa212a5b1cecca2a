"""Hostile and damaged files: special files, link loops, long names, and .docx archives that are
bombs, encrypted, truncated or full of entity tricks. Each ends in one Chinese message."""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
from pathlib import Path

import pytest

from drafter.errors import OutputError, SpeechFileError
from drafter.infra import docx_archive
from drafter.infra.docx_archive import open_docx
from drafter.infra.files import read_user_file

from .conftest import EXAMPLE, run_drafter

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX special files")
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>\xe5\x90\x8c\xe5\xbf\x97\xe4\xbb\xac</w:t></w:r></w:p></w:body>"
    b"</w:document>"
)


def _docx(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in {"[Content_Types].xml": CONTENT_TYPES, **parts}.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _open(tmp_path: Path, data: bytes) -> docx_archive.DocxArchive:
    path = tmp_path / "speech.docx"
    path.write_bytes(data)
    return open_docx(path, "讲话稿", SpeechFileError)


def _refused(tmp_path: Path, data: bytes, words: str) -> str:
    with pytest.raises(SpeechFileError) as caught:
        archive = _open(tmp_path, data)
        archive.check_all_xml()
    message = str(caught.value)
    assert words in message
    assert str(tmp_path / "speech.docx") in message
    return message


# ---------------------------------------------------------------- special files and paths


@POSIX
def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "form.yaml"
    os.mkfifo(fifo)
    result = run_drafter("render", fifo, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "不是普通文件" in result.stderr
    assert "Traceback" not in result.stderr


@POSIX
def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "form.yaml"
    link.symlink_to("/dev/zero")
    result = run_drafter("check", link)
    assert result.returncode == 2
    assert "不是普通文件" in result.stderr


def test_a_read_stops_at_the_limit_even_if_the_file_lies(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(SpeechFileError, match="过大"):
        read_user_file(path, "文件", SpeechFileError, 4096)
    assert read_user_file(path, "文件", SpeechFileError, 5000) == b"x" * 5000


def test_an_ordinary_form_still_reads(tmp_path: Path) -> None:
    assert read_user_file(EXAMPLE, "表单文件", SpeechFileError, 1 << 20).startswith(b"#")


# ---------------------------------------------------------------- .docx archives


def test_a_well_formed_docx_opens(tmp_path: Path) -> None:
    archive = _open(tmp_path, _docx({"word/document.xml": DOCUMENT}))
    assert archive.xml("word/document.xml").tag.endswith("document")
    archive.check_all_xml()


def test_a_zip_bomb_part_is_refused_early(tmp_path: Path) -> None:
    bomb = _docx({"word/document.xml": DOCUMENT, "word/media/image1.png": bytes(80 << 20)})
    assert len(bomb) < 200_000
    _refused(tmp_path, bomb, "压缩炸弹")


def test_a_very_repetitive_but_real_document_is_not_taken_for_a_bomb(tmp_path: Path) -> None:
    paragraph = "<w:p><w:r><w:t>同志们，大家好！</w:t></w:r></w:p>".encode()
    body = DOCUMENT.replace(b"<w:body>", b"<w:body>" + paragraph * 12_000)
    _open(tmp_path, _docx({"word/document.xml": body})).check_all_xml()


def test_too_much_inflated_in_total_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docx_archive, "MAX_TOTAL_BYTES", 1000)
    _refused(tmp_path, _docx({"word/document.xml": DOCUMENT * 10}), "MB")


def test_an_encrypted_archive_is_refused(tmp_path: Path) -> None:
    data = bytearray(_docx({"word/document.xml": DOCUMENT}))
    # set bit 0 (encrypted) of the general purpose flag in every local and central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            (flags,) = struct.unpack_from("<H", data, start + offset)
            struct.pack_into("<H", data, start + offset, flags | 1)
            start += 4
    _refused(tmp_path, bytes(data), "加密")


def test_an_unknown_compression_method_is_refused(tmp_path: Path) -> None:
    data = bytearray(_docx({"word/document.xml": DOCUMENT}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            struct.pack_into("<H", data, start + offset, 99)
            start += 4
    _refused(tmp_path, bytes(data), "压缩方式")


def test_bad_deflate_data_is_refused(tmp_path: Path) -> None:
    data = bytearray(_docx({"word/document.xml": DOCUMENT * 50}))
    start = data.find(b"PK\x03\x04", 10) + 30 + len("word/document.xml")
    data[start + 5 : start + 40] = b"\xff" * 35
    _refused(tmp_path, bytes(data), "已损坏")


def test_a_truncated_archive_is_refused(tmp_path: Path) -> None:
    data = _docx({"word/document.xml": DOCUMENT * 50})
    _refused(tmp_path, data[: len(data) // 2], "已损坏")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, "这是一段文字".encode(), "zip")


def test_a_docx_without_content_types_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", DOCUMENT)
    _refused(tmp_path, buffer.getvalue(), "Content_Types")


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]><w:document>&lol9;</w:document>"
    )
    _refused(tmp_path, _docx({"word/document.xml": laughs}), "DOCTYPE")


def test_an_external_entity_is_refused(tmp_path: Path) -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    _refused(tmp_path, _docx({"word/document.xml": xxe}), "DOCTYPE")


def test_a_doctype_hidden_in_utf16_is_refused(tmp_path: Path) -> None:
    hidden = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d []><d/>'.encode("utf-16")
    _refused(tmp_path, _docx({"word/document.xml": hidden}), "DOCTYPE")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = b"<a>" * 5000 + b"</a>" * 5000
    _refused(tmp_path, _docx({"word/document.xml": deep}), "嵌套")


def test_bad_xml_is_located(tmp_path: Path) -> None:
    message = _refused(tmp_path, _docx({"word/document.xml": b"<a><b></a>"}), "word/document.xml")
    assert "第 1 行" in message


def test_a_missing_part_is_named(tmp_path: Path) -> None:
    archive = _open(tmp_path, _docx({}))
    with pytest.raises(SpeechFileError, match=r"word/document\.xml"):
        archive.read("word/document.xml")


def test_the_checked_parts_reopen_as_a_docx(tmp_path: Path) -> None:
    archive = _open(tmp_path, _docx({"word/document.xml": DOCUMENT}))
    with zipfile.ZipFile(archive.as_file()) as reopened:
        assert reopened.read("word/document.xml") == DOCUMENT


@POSIX
def test_a_symlink_loop_is_explained(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    result = run_drafter("render", tmp_path / "a.yaml", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "循环" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_name_over_the_limit_is_explained(tmp_path: Path) -> None:
    long_name = tmp_path / ("述职评议" * 30 + ".yaml")  # 360 bytes of UTF-8
    result = run_drafter("render", long_name, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "File name too long" not in result.stderr


def test_without_libreoffice_other_formats_are_still_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    monkeypatch.setenv("DRAFTER_SOFFICE", "")
    result = run_drafter("render", EXAMPLE, "-f", "pdf", "-f", "docx", "-o", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "out" / f"{EXAMPLE.stem}.docx").is_file()
    assert not (tmp_path / "out" / f"{EXAMPLE.stem}.pdf").exists()
    assert "LibreOffice" in result.stderr


def test_an_unexpected_fault_in_one_form_spares_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafter.commands import render as render_module

    real = render_module.draft_checked

    def faulty(job: render_module.RenderJob) -> object:
        if job.form.name == "bad.yaml":
            raise KeyError("a bug")
        return real(job)

    monkeypatch.setattr(render_module, "draft_checked", faulty)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(EXAMPLE.read_bytes())
    results = list(
        render_module.render_jobs(
            render_module.plan_jobs(
                [bad, EXAMPLE], render_module.RenderOptions(out=tmp_path / "out", formats=("txt",))
            )
        )
    )
    assert results[0].failed and "意外错误" in results[0].problems[0].message
    assert not results[1].failed and results[1].written


@POSIX
def test_check_fix_writes_through_a_symlinked_form(tmp_path: Path) -> None:
    real = tmp_path / "forms" / "2026.yaml"
    real.parent.mkdir()
    real.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("重要举措，", "重要举措,", 1), encoding="utf-8"
    )
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    result = run_drafter("check", link, "--fix")
    assert result.returncode in (0, 1), result.stderr
    assert link.is_symlink()
    assert "重要举措，" in real.read_text(encoding="utf-8")


def test_a_read_only_folder_is_not_explained_as_open_in_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafter.infra import output

    out = tmp_path / "out"
    out.mkdir()

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(output.os, "access", lambda path, mode: Path(path) != out)
    with pytest.raises(OutputError) as caught:
        output.write_atomically(out / "讲话.docx", b"x")
    assert "只读" in str(caught.value) and "Word" not in str(caught.value)


def test_system_messages_are_chinese(tmp_path: Path) -> None:
    import errno

    from drafter.infra.files import os_reason

    for code in (errno.EEXIST, errno.ENOSPC, errno.ENAMETOOLONG, errno.EACCES):
        reason = os_reason(OSError(code, os.strerror(code)))
        assert reason and reason.isascii() is False and os.strerror(code) not in reason


def test_extract_with_an_empty_template_is_refused(tmp_path: Path) -> None:
    from .conftest import REFERENCE

    result = run_drafter("extract", REFERENCE, "--template", "", "-o", tmp_path / "f.yaml")
    assert result.returncode == 2
    assert "模板名不能为空" in result.stderr
    assert not (tmp_path / "f.yaml").exists()


def test_an_invisible_character_fixed_is_named() -> None:
    from drafter.reporting import _visible

    assert _visible("十九\u200b大") == "十九<U+200B>大"
