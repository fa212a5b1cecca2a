"""`--reference-doc` R1–R8 (issue 14): each reference is built here, and the speech made
with it validates against ECMA-376, opens in python-docx, converts in LibreOffice with its
body text, and numbers page 1 and the even pages."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from docx.document import Document as DocxDocument
from lxml import etree

from drafter.writers.docx import reference as reference_module

from .conftest import EXAMPLE, run_cli
from .ooxml import (
    OFFICE_TOOLS,
    W,
    assert_valid_docx,
    convert_to_pdf,
    footers_shown,
    has_page_field,
    pdf_page_text,
)

Build = Callable[[DocxDocument], None]
Parts = dict[str, bytes]
BODY_WORDS = ("今天我们召开党组织书记抓基层党建工作述职评议会议", "谢谢大家")


def _rewrite(data: bytes, edit: Callable[[Parts], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return out.getvalue()


def _edit_xml(parts: Parts, name: str, edit: Callable[[etree._Element], None]) -> None:
    root = etree.fromstring(parts[name])
    edit(root)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _element(xml: str) -> etree._Element:
    """One WordprocessingML element written with the `w:` prefix."""
    return etree.fromstring(f'<w:x xmlns:w="{W[1:-1]}">{xml}</w:x>')[0]


# ---------------------------------------------------------------- the references


def r1_prefix(parts: Parts) -> None:
    """document.xml as ElementTree writes it: `ns0:` for WordprocessingML."""
    parts["word/document.xml"] = ET.tostring(ET.fromstring(parts["word/document.xml"]))


def r2_tracked_section(parts: Parts) -> None:
    """The body's section carries a tracked change of the page set-up."""

    def edit(root: etree._Element) -> None:
        section = root.find(f"{W}body/{W}sectPr")
        section.append(
            _element(
                '<w:sectPrChange w:id="7" w:author="张三" w:date="2025-01-01T00:00:00Z">'
                '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:sectPrChange>'
            )
        )

    _edit_xml(parts, "word/document.xml", edit)


# The ten switches CT_Compat orders before doNotExpandShiftReturn.
EARLIER_COMPAT = [
    "useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading",
    "spaceForUL", "noColumnBalance", "balanceSingleByteDoubleByteWidth", "noExtraLineSpacing",
    "doNotLeaveBackslashAlone", "ulTrailSpace",
]  # fmt: skip


def r3_compat(parts: Parts) -> None:
    """A compat block holding the ten switches that come before doNotExpandShiftReturn."""

    def edit(root: etree._Element) -> None:
        compat = root.find(W + "compat")
        for index, name in enumerate(EARLIER_COMPAT):
            compat.insert(index, _element(f"<w:{name}/>"))

    _edit_xml(parts, "word/settings.xml", edit)


def r8_defects(parts: Parts) -> None:
    """`w:zoom` without a percentage (python-docx's template) and an absurd charSpace."""

    def edit(root: etree._Element) -> None:
        grid = root.find(f"{W}body/{W}sectPr/{W}docGrid")
        grid.set(W + "type", "linesAndChars")
        grid.set(W + "charSpace", "99999999")

    _edit_xml(parts, "word/document.xml", edit)


def r4_title_page(document: DocxDocument) -> None:
    document.sections[0].different_first_page_header_footer = True


def r4_header(document: DocxDocument) -> None:
    document.sections[0].header.paragraphs[0].text = "内部资料 注意保存"


def r7_footer_without_page(document: DocxDocument) -> None:
    document.sections[0].footer.paragraphs[0].text = "某某市委办公室印发"


CASES: dict[str, tuple[Build | None, Callable[[Parts], None] | None]] = {
    "r1": (None, r1_prefix),
    "r2": (None, r2_tracked_section),
    "r3": (None, r3_compat),
    "r4-title-page": (r4_title_page, None),
    "r4-header": (r4_header, None),
    "r5-r6": (None, None),  # python-docx's template as it is: en-US, no Chinese fonts
    "r7": (r7_footer_without_page, None),
    "r8": (None, r8_defects),
}


def build_reference(folder: Path, name: str) -> Path:
    """The reference of one case: python-docx's template, changed as the case says."""
    build, edit = CASES[name]
    document = docx.Document()
    document.add_paragraph("参考文档的文字，不会出现在讲话稿中")
    if build is not None:
        build(document)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue() if edit is None else _rewrite(out.getvalue(), edit)
    path = folder / f"{name}.docx"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def speeches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example speech rendered with each case's reference."""
    folder = tmp_path_factory.mktemp("r1-r8")
    made = {}
    for name in CASES:
        reference = build_reference(folder, name)
        out = folder / f"out-{name}"
        result = run_cli("render", EXAMPLE, "-o", out, "--reference-doc", reference)
        assert result.exit_code == 0, result.stderr
        made[name] = (out / f"{EXAMPLE.stem}.docx").rename(folder / f"speech-{name}.docx")
    return made


@pytest.fixture(scope="module")
def pdfs(
    speeches: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path] | None:
    """Every case's speech converted to PDF in one LibreOffice run (None without LibreOffice)."""
    if not all(shutil.which(tool) for tool in OFFICE_TOOLS):
        return None
    converted = convert_to_pdf(list(speeches.values()), tmp_path_factory.mktemp("r-pdf"))
    return {name: converted[path] for name, path in speeches.items()}


def _sound(speeches: dict[str, Path], name: str) -> bytes:
    """Assert the case's speech validates, opens in python-docx and numbers pages 1 and 2."""
    data = speeches[name].read_bytes()
    assert_valid_docx(data)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    for words in BODY_WORDS:
        assert words in text
    assert "参考文档的文字" not in text
    shown = footers_shown(data)
    for page in ("first", "odd", "even"):
        assert has_page_field(shown[page]), f"{page} pages show no page number"
    return data


def _printed(pdfs: dict[str, Path] | None, name: str) -> None:
    """LibreOffice's PDF holds the body text and the numbers of pages 1 and 2.

    Called after a test's checks of the package: without LibreOffice the rest is skipped.
    """
    if pdfs is None:
        pytest.skip("LibreOffice (soffice) and pdftotext are needed for the PDF half")
    first, second = pdf_page_text(pdfs[name], 1), pdf_page_text(pdfs[name], 2)
    flat = re.sub(r"\s", "", first)
    assert BODY_WORDS[0] in flat
    assert re.search(r"—\s*1\s*—", first), first[-300:]
    assert re.search(r"—\s*2\s*—", second), second[-300:]


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def test_r1_a_reference_written_with_ns0_prefixes_gives_a_well_formed_speech(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    data = _sound(speeches, "r1")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("word/document.xml").count(b"<w:p>") > 10
    _printed(pdfs, "r1")


def test_r2_a_tracked_section_change_is_accepted_not_filled_with_the_speech(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    data = _sound(speeches, "r2")
    body = _part(data, "word/document.xml").find(W + "body")
    assert not list(body.iter(W + "sectPrChange"))
    assert [child.tag for child in body][-1] == W + "sectPr"
    assert sum(child.tag == W + "p" for child in body) > 10
    _printed(pdfs, "r2")


def test_r3_do_not_expand_shift_return_goes_where_the_schema_puts_it(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    compat = _part(_sound(speeches, "r3"), "word/settings.xml").find(W + "compat")
    names = [etree.QName(child).localname for child in compat]
    assert names[: len(EARLIER_COMPAT) + 1] == [*EARLIER_COMPAT, "doNotExpandShiftReturn"]
    _printed(pdfs, "r3")


def test_r4_a_title_page_reference_numbers_page_one(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    shown = footers_shown(_sound(speeches, "r4-title-page"))
    assert shown["first"] is not shown["odd"]
    _printed(pdfs, "r4-title-page")


def test_r4_a_reference_header_stays_on_even_pages_beside_the_page_numbers(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    data = _sound(speeches, "r4-header")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    assert section.header.paragraphs[0].text == "内部资料 注意保存"
    assert section.even_page_header.paragraphs[0].text == "内部资料 注意保存"
    _printed(pdfs, "r4-header")
    assert pdfs is not None and "内部资料" in pdf_page_text(pdfs["r4-header"], 2)


def test_r5_the_document_language_is_chinese_whatever_the_reference_says(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    styles = _part(_sound(speeches, "r5-r6"), "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None and lang.get(W + "eastAsia") == "zh-CN"
    assert all(node.get(W + "eastAsia") in (None, "zh-CN") for node in styles.iter(W + "lang"))
    _printed(pdfs, "r5-r6")


def test_r6_the_font_table_names_drafters_fonts_and_their_substitutes(
    speeches: dict[str, Path],
) -> None:
    table = _part(_sound(speeches, "r5-r6"), "word/fontTable.xml")
    fonts = {font.get(W + "name"): font for font in table.iter(W + "font")}
    for name, substitute in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体")):
        alt = fonts[name].find(W + "altName")
        assert alt is not None and alt.get(W + "val") == substitute
    assert "Calibri" in fonts or "Times New Roman" in fonts  # the reference's own entries stay


def test_r7_a_footer_without_a_page_field_keeps_its_text_and_gains_the_page_number(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    shown = footers_shown(_sound(speeches, "r7"))
    assert "某某市委办公室印发" in "".join(shown["odd"].itertext())
    _printed(pdfs, "r7")
    assert pdfs is not None and "某某市委办公室印发" in pdf_page_text(pdfs["r7"], 1)


def test_r8_defects_of_the_reference_are_corrected(
    speeches: dict[str, Path], pdfs: dict[str, Path] | None
) -> None:
    data = _sound(speeches, "r8")
    zoom = _part(data, "word/settings.xml").find(W + "zoom")
    assert zoom is not None and zoom.get(W + "percent") == "100"
    grid = _part(data, "word/document.xml").find(f"{W}body/{W}sectPr/{W}docGrid")
    assert grid is not None and grid.get(W + "charSpace") is None
    _printed(pdfs, "r8")


def test_a_reference_that_cannot_hold_the_speech_is_refused_not_written_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the R1 repair the `ns0:` reference cannot hold paragraphs: the last check
    # before writing must catch it.
    monkeypatch.setattr(reference_module, "_canonical_prefixes", lambda package: None)
    reference = build_reference(tmp_path, "r1")
    result = run_cli("render", EXAMPLE, "-o", tmp_path / "out", "--reference-doc", reference)
    assert result.exit_code == 2
    assert f"{reference}: 错误: 参考文档的正文结构特殊" in result.stderr
    assert not (tmp_path / "out" / f"{EXAMPLE.stem}.docx").exists()
