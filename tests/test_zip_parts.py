"""The .docx zip written from prepared parts reads back exactly as zipfile would write it."""

from __future__ import annotations

import io
import zipfile

import pytest

from drafter.writers.docx import zip_parts
from drafter.writers.docx.zip_parts import ZipParts

SHARED = {"[Content_Types].xml": b"<Types/>" * 50, "word/styles.xml": b"<w:styles/>" * 400}
OWN = [
    ("word/document.xml", "<w:p>讲话</w:p>".encode() * 2000, 1),
    ("docProps/core.xml", b"<c/>", None),
]


def read(package: bytes) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return {i.filename: (archive.read(i), i.compress_type) for i in archive.infolist()}


def test_shared_then_own_parts_read_back_with_their_methods_and_times() -> None:
    package = ZipParts(SHARED).package(OWN)
    parts = read(package)
    assert list(parts) == [*SHARED, "word/document.xml", "docProps/core.xml"]
    assert parts["word/styles.xml"] == (SHARED["word/styles.xml"], zipfile.ZIP_STORED)
    assert parts["word/document.xml"] == (OWN[0][1], zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert ZipParts(SHARED).package(OWN) == package  # equal speeches, equal bytes


def test_a_non_ascii_part_name_is_marked_utf8() -> None:
    package = ZipParts({"word/媒体.xml": b"x"}).package([])
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        [info] = archive.infolist()
        assert info.filename == "word/媒体.xml" and info.flag_bits & 0x800


def test_a_package_beyond_the_plain_format_goes_through_zipfile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(zip_parts, "_LIMIT", 10)
    parts = read(ZipParts(SHARED).package(OWN))
    assert parts["word/document.xml"][0] == OWN[0][1]
