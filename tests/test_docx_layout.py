"""The .docx writer lays a speech out per GB/T 9704-2012: page, grid, fonts, indents, page numbers."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafter.model import (
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
from drafter.presets import Preset, load_preset
from drafter.writers.docx import write_docx
from drafter.writers.linebreak import balance_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LONG_TITLE = "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话"
MARKUP = '<b>&"'
TWIPS_PER_MM = 1440 / 25.4


def w(name: str) -> str:
    """Clark name of a w: attribute or element."""
    return f"{{{W}}}{name}"


def speech(*extra: Paragraph) -> Document:
    """A speech with every kind of block, a lead run, a line break and markup-like user text."""
    return Document(
        blocks=(
            Title(LONG_TITLE),
            Byline(("XXX", "（2021年1月26日）")),
            Salutation("同志们："),
            Paragraph((Run(f"今天我们召开会议，用户文字 {MARKUP} 原样保留。"),)),
            Heading(1, "一、成绩值得肯定"),
            Heading(2, "（一）突出政治统领"),
            Paragraph((Run("一是党建责任落实到位。", lead=True), Run("第一行\n第二行。"))),
            *extra,
            Thanks((Run("谢谢大家！"),)),
        ),
        meta=Meta(title=LONG_TITLE, author="XXX", date="2021-01-26"),
    )


def long_speech() -> Document:
    """A speech running over several pages."""
    text = "各基层党组织书记认真履行第一责任人职责，把抓基层党建工作作为最大的政绩。" * 3
    return speech(*(Paragraph((Run(f"{n}是要点。", lead=True), Run(text))) for n in range(30)))


class Docx:
    """The parts of a written .docx, parsed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))

    def part(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @property
    def body(self) -> etree._Element:
        return self.part("word/document.xml")

    def footer(self, kind: str) -> etree._Element:
        """The footer part referenced as `default` (odd pages) or `even`."""
        ref = self.body.find(f".//w:sectPr/w:footerReference[@w:type='{kind}']", NS)
        rels = self.part("word/_rels/document.xml.rels")
        rel_id = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
        return self.part(f"word/{target}")

    def paragraphs(self, style_id: str) -> list[etree._Element]:
        return self.body.xpath(f"//w:p[w:pPr/w:pStyle/@w:val='{style_id}']", namespaces=NS)

    def paragraph(self, style_id: str) -> etree._Element:
        return self.paragraphs(style_id)[0]


def text_of(element: etree._Element) -> str:
    """Visible text, with w:br as a newline."""
    pieces = []
    for node in element.iter(w("t"), w("br")):
        pieces.append("\n" if node.tag == w("br") else node.text or "")
    return "".join(pieces)


def first(element: etree._Element, path: str) -> etree._Element:
    found = element.find(path, NS)
    assert found is not None, path
    return found


def attr(element: etree._Element, path: str, name: str) -> str | None:
    return first(element, path).get(w(name))


@pytest.fixture(scope="module")
def gbt9704() -> Preset:
    return load_preset("gbt9704")


@pytest.fixture(scope="module")
def windows() -> Preset:
    return load_preset("windows")


@pytest.fixture(scope="module")
def written(gbt9704: Preset) -> Docx:
    return Docx(write_docx(speech(), gbt9704))


@pytest.fixture(scope="module", params=["gbt9704", "windows"])
def each_preset(request: pytest.FixtureRequest) -> tuple[Preset, Docx]:
    preset = load_preset(request.param)
    return preset, Docx(write_docx(speech(), preset))


# ---------------------------------------------------------------- page and grid


def test_page_is_a4_with_preset_margins(each_preset: tuple[Preset, Docx]) -> None:
    preset, written = each_preset
    section = first(written.body, ".//w:sectPr")
    size, margins = first(section, "w:pgSz"), first(section, "w:pgMar")
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    top, bottom, left, right = (round(mm * TWIPS_PER_MM) for mm in preset.margins_mm)
    assert (top, bottom, left, right) == (2098, 1984, 1587, 1474)
    assert margins.get(w("top")) == str(top)
    assert margins.get(w("bottom")) == str(bottom)
    assert margins.get(w("left")) == str(left)
    assert margins.get(w("right")) == str(right)


def test_python_docx_reads_the_page_setup(written: Docx) -> None:
    section = docx.Document(io.BytesIO(written.data)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26


def test_footer_distance_puts_the_page_number_7mm_below_the_type_area(written: Docx) -> None:
    footer = int(attr(written.body, ".//w:sectPr/w:pgMar", "footer"))
    number_line_mid_mm = (footer + 14 * 20 / 2) / TWIPS_PER_MM
    assert abs((35 - number_line_mid_mm) - 7) < 0.1


def test_grid_has_the_exact_line_pitch_so_22_lines_fill_the_type_area(written: Docx) -> None:
    grid = first(written.body, ".//w:sectPr/w:docGrid")
    assert grid.get(w("type")) in ("lines", "linesAndChars")
    assert grid.get(w("linePitch")) == "579"
    type_area_twips = (297 - 37 - 35) * TWIPS_PER_MM
    assert 22 * 579 <= type_area_twips < 23 * 579


def test_every_body_paragraph_has_exact_line_spacing(written: Docx) -> None:
    paragraphs = written.body.findall(".//w:body/w:p", NS)
    assert paragraphs
    for paragraph in paragraphs:
        spacing = first(paragraph, "w:pPr/w:spacing")
        assert spacing.get(w("lineRule")) == "exact"
        assert spacing.get(w("line")) == "579"
        assert spacing.get(w("before")) == "0"


# ---------------------------------------------------------------- title and byline


def test_title_is_22pt_centred_not_bold_in_xiaobiaosong(written: Docx) -> None:
    title = written.paragraph("DrafterTitle")
    assert attr(title, "w:pPr/w:jc", "val") == "center"
    for run in title.findall("w:r", NS):
        assert attr(run, "w:rPr/w:rFonts", "eastAsia") == "方正小标宋简体"
        assert attr(run, "w:rPr/w:sz", "val") == "44"
        assert attr(run, "w:rPr/w:b", "val") == "0"


def test_windows_title_is_bold_song(windows: Preset) -> None:
    title = Docx(write_docx(speech(), windows)).paragraph("DrafterTitle")
    run = first(title, "w:r")
    assert attr(run, "w:rPr/w:rFonts", "eastAsia") == "宋体"
    assert attr(run, "w:rPr/w:b", "val") in (None, "1", "true")


def test_long_title_is_split_into_balanced_lines(written: Docx) -> None:
    titles = written.paragraphs("DrafterTitle")
    assert len(titles) == 1
    lines = text_of(titles[0]).split("\n")
    assert lines == balance_lines(LONG_TITLE, 20)
    assert [len(line) for line in lines] == [13, 14]


def test_short_title_has_no_line_break(gbt9704: Preset) -> None:
    written = Docx(write_docx(Document((Title("在会议上的讲话"),)), gbt9704))
    assert written.paragraph("DrafterTitle").find(".//w:br", NS) is None


def test_heading_group_is_followed_by_one_blank_line(written: Docx) -> None:
    title = written.paragraph("DrafterTitle")
    bylines = written.paragraphs("DrafterByline")
    assert attr(title, "w:pPr/w:spacing", "after") == "0"
    assert attr(bylines[0], "w:pPr/w:spacing", "after") == "0"
    assert attr(bylines[-1], "w:pPr/w:spacing", "after") == "579"


def test_title_without_byline_carries_the_blank_line(gbt9704: Preset) -> None:
    document = Document((Title("讲话"), Paragraph((Run("正文"),))))
    title = Docx(write_docx(document, gbt9704)).paragraph("DrafterTitle")
    assert attr(title, "w:pPr/w:spacing", "after") == "579"


def test_byline_lines_are_centred_kaiti_paragraphs(written: Docx) -> None:
    bylines = written.paragraphs("DrafterByline")
    assert [text_of(p) for p in bylines] == ["XXX", "（2021年1月26日）"]
    for paragraph in bylines:
        assert attr(paragraph, "w:pPr/w:jc", "val") == "center"
        assert attr(paragraph, "w:r/w:rPr/w:rFonts", "eastAsia") == "楷体_GB2312"
        assert attr(paragraph, "w:r/w:rPr/w:sz", "val") == "32"


# ---------------------------------------------------------------- body blocks


def test_salutation_is_left_aligned_without_indent(written: Docx) -> None:
    salutation = written.paragraph("DrafterSalutation")
    assert text_of(salutation) == "同志们："
    assert attr(salutation, "w:pPr/w:jc", "val") == "left"
    assert attr(salutation, "w:pPr/w:ind", "firstLine") == "0"
    assert attr(salutation, "w:r/w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"


def test_body_paragraph_indents_two_characters(written: Docx) -> None:
    for paragraph in written.paragraphs("DrafterBody"):
        assert attr(paragraph, "w:pPr/w:ind", "firstLineChars") == "200"
        assert attr(paragraph, "w:pPr/w:ind", "firstLine") == "640"


def test_body_paragraph_is_justified_16pt_fangsong(written: Docx) -> None:
    for paragraph in written.paragraphs("DrafterBody"):
        assert attr(paragraph, "w:pPr/w:jc", "val") == "both"
        for run in paragraph.findall("w:r", NS):
            assert attr(run, "w:rPr/w:sz", "val") == "32"
            assert attr(run, "w:rPr/w:szCs", "val") == "32"
            assert attr(run, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"


def test_thanks_line_is_laid_out_like_body_text(written: Docx) -> None:
    thanks = written.paragraph("DrafterThanks")
    assert text_of(thanks) == "谢谢大家！"
    assert attr(thanks, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(thanks, "w:pPr/w:ind", "firstLine") == "640"
    assert attr(thanks, "w:pPr/w:jc", "val") == "both"


def test_heading1_is_heiti_indented_and_kept_with_next(written: Docx) -> None:
    heading = written.paragraph("DrafterHeading1")
    assert text_of(heading) == "一、成绩值得肯定"
    assert attr(heading, "w:r/w:rPr/w:rFonts", "eastAsia") == "黑体"
    assert attr(heading, "w:r/w:rPr/w:sz", "val") == "32"
    assert attr(heading, "w:r/w:rPr/w:b", "val") == "0"
    assert attr(heading, "w:pPr/w:ind", "firstLineChars") == "200"
    assert heading.find("w:pPr/w:keepNext", NS) is not None


def test_heading2_is_kaiti_indented_and_kept_with_next(written: Docx) -> None:
    heading = written.paragraph("DrafterHeading2")
    assert attr(heading, "w:r/w:rPr/w:rFonts", "eastAsia") == "楷体_GB2312"
    assert attr(heading, "w:pPr/w:ind", "firstLineChars") == "200"
    assert heading.find("w:pPr/w:keepNext", NS) is not None


def test_heading_styles_carry_outline_levels(written: Docx) -> None:
    styles = written.part("word/styles.xml")
    for style_id, level in (("DrafterHeading1", "0"), ("DrafterHeading2", "1")):
        style = first(styles, f"w:style[@w:styleId='{style_id}']")
        assert attr(style, "w:pPr/w:outlineLvl", "val") == level


# ---------------------------------------------------------------- run-in leads


def lead_and_rest(written: Docx) -> tuple[etree._Element, etree._Element]:
    paragraph = next(p for p in written.paragraphs("DrafterBody") if text_of(p).startswith("一是"))
    lead, rest = paragraph.findall("w:r", NS)
    return lead, rest


def test_lead_run_is_bold(written: Docx) -> None:
    lead, rest = lead_and_rest(written)
    assert text_of(lead) == "一是党建责任落实到位。"
    assert attr(lead, "w:rPr/w:b", "val") is None  # <w:b/> means on
    assert attr(rest, "w:rPr/w:b", "val") == "0"


def test_lead_kaiti_variant_uses_lead_font(gbt9704: Preset) -> None:
    preset = dataclasses.replace(gbt9704, lead="kaiti")
    lead, rest = lead_and_rest(Docx(write_docx(speech(), preset)))
    assert attr(lead, "w:rPr/w:rFonts", "eastAsia") == preset.lead_font
    assert attr(lead, "w:rPr/w:b", "val") == "0"
    assert attr(rest, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"


def test_lead_none_is_plain(gbt9704: Preset) -> None:
    preset = dataclasses.replace(gbt9704, lead="none")
    lead, rest = lead_and_rest(Docx(write_docx(speech(), preset)))
    assert etree.tostring(first(lead, "w:rPr")) == etree.tostring(first(rest, "w:rPr"))


# ---------------------------------------------------------------- fonts, styles, language


def test_every_run_names_east_asian_and_latin_fonts(written: Docx) -> None:
    runs = list(written.body.iter(w("r")))
    assert len(runs) > 8
    for run in runs:
        fonts = first(run, "w:rPr/w:rFonts")
        assert fonts.get(w("eastAsia"))
        assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
        assert first(run, "w:rPr/w:sz").get(w("val")) == first(run, "w:rPr/w:szCs").get(w("val"))


def test_page_number_digits_are_in_song_ti(written: Docx) -> None:
    # GB/T 9704 7.5: the page number, digits included, in 宋体 (not the Latin font).
    runs = [r for kind in ("default", "even") for r in written.footer(kind).iter(w("r"))]
    assert runs
    for run in runs:
        fonts = first(run, "w:rPr/w:rFonts")
        assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == fonts.get(w("eastAsia")) == "宋体"
        assert first(run, "w:rPr/w:sz").get(w("val")) == first(run, "w:rPr/w:szCs").get(w("val"))


def test_paragraphs_reference_drafter_styles_by_id(written: Docx) -> None:
    styles = written.part("word/styles.xml")
    defined = {s.get(w("styleId")) for s in styles.findall("w:style", NS)}
    used = {p.get(w("val")) for p in written.body.iter(w("pStyle"))}
    expected = {"DrafterTitle", "DrafterByline", "DrafterSalutation", "DrafterBody"}
    expected |= {"DrafterHeading1", "DrafterHeading2", "DrafterThanks"}
    assert used == expected
    assert expected | {"DrafterPageNumber"} <= defined


def test_styles_carry_font_size_and_indent(written: Docx) -> None:
    body = first(written.part("word/styles.xml"), "w:style[@w:styleId='DrafterBody']")
    assert attr(body, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(body, "w:rPr/w:sz", "val") == "32"
    assert attr(body, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(body, "w:pPr/w:spacing", "lineRule") == "exact"


def test_doc_defaults_are_zh_cn_in_the_body_font(written: Docx) -> None:
    defaults = first(written.part("word/styles.xml"), "w:docDefaults/w:rPrDefault/w:rPr")
    assert attr(defaults, "w:lang", "val") == "zh-CN"
    assert attr(defaults, "w:lang", "eastAsia") == "zh-CN"
    assert attr(defaults, "w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(defaults, "w:rFonts", "ascii") == "Times New Roman"
    assert first(defaults, "w:rFonts").get(w("asciiTheme")) is None


def test_core_properties_hold_title_author_and_language(written: Docx) -> None:
    props = docx.Document(io.BytesIO(written.data)).core_properties
    assert props.title == LONG_TITLE
    assert props.author == "XXX"
    assert props.language == "zh-CN"
    assert "drafter" in props.last_modified_by


# ---------------------------------------------------------------- page numbers


def page_number_paragraph(written: Docx, kind: str) -> etree._Element:
    return first(written.footer(kind), "w:p")


@pytest.mark.parametrize("kind", ["default", "even"])
def test_footer_has_a_page_field_between_em_dashes(written: Docx, kind: str) -> None:
    paragraph = page_number_paragraph(written, kind)
    kinds = [c.get(w("fldCharType")) for c in paragraph.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [i.text.strip() for i in paragraph.iter(w("instrText"))] == ["PAGE"]
    assert text_of(paragraph) == "— 1 —"
    run = first(paragraph, "w:r")
    assert attr(run, "w:rPr/w:rFonts", "eastAsia") == "宋体"
    assert attr(run, "w:rPr/w:sz", "val") == "28"


def test_odd_page_number_is_right_one_character_in(written: Docx) -> None:
    paragraph = page_number_paragraph(written, "default")
    assert attr(paragraph, "w:pPr/w:jc", "val") == "right"
    assert attr(paragraph, "w:pPr/w:ind", "right") == "280"


def test_even_page_number_is_left_one_character_in(written: Docx) -> None:
    paragraph = page_number_paragraph(written, "even")
    assert attr(paragraph, "w:pPr/w:jc", "val") == "left"
    assert attr(paragraph, "w:pPr/w:ind", "left") == "280"


def test_settings_enable_even_and_odd_footers(written: Docx) -> None:
    assert written.part("word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    assert docx.Document(io.BytesIO(written.data)).settings.odd_and_even_pages_header_footer


# ---------------------------------------------------------------- user text


def test_newline_in_a_run_becomes_a_line_break(written: Docx) -> None:
    _, rest = lead_and_rest(written)
    assert rest.find("w:br", NS) is not None
    assert text_of(rest) == "第一行\n第二行。"


def test_user_markup_appears_literally(written: Docx) -> None:
    body_text = "".join(t.text or "" for t in written.body.iter(w("t")))
    assert MARKUP in body_text
    paragraphs = docx.Document(io.BytesIO(written.data)).paragraphs
    assert any(MARKUP in p.text for p in paragraphs)


def test_control_characters_are_dropped_not_fatal(gbt9704: Preset) -> None:
    document = Document(
        (Title("标题\x00\x0b"), Paragraph((Run("甲\x01乙\x1b丙\ufffe\r\n丁\t戊"),)))
    )
    written = Docx(write_docx(document, gbt9704))
    assert text_of(written.paragraph("DrafterTitle")) == "标题"
    body = written.paragraph("DrafterBody")
    assert text_of(body) == "甲乙丙\n丁戊"
    assert body.find(".//w:tab", NS) is not None


def test_empty_document_still_opens(gbt9704: Preset) -> None:
    data = write_docx(Document(()), gbt9704)
    assert docx.Document(io.BytesIO(data)).paragraphs == []


# ---------------------------------------------------------------- LibreOffice rendering

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are needed to render a PDF",
)


def to_pdf(data: bytes, folder: Path) -> Path:
    """Convert .docx bytes to PDF with LibreOffice, in a private profile."""
    source = folder / "speech.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "speech.pdf"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, gbt9704: Preset) -> Path:
    return to_pdf(write_docx(long_speech(), gbt9704), tmp_path_factory.mktemp("pdf"))


def pdf_pages(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float, float]]]]:
    """Each page's width, height and words as (text, x_min, x_max, y_min)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [
            (text, float(x0), float(x1), float(y0))
            for x0, y0, x1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
                page.group(3),
            )
        ]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def page_number_words(words: list[tuple[str, float, float, float]], height: float) -> list:
    """Words in the bottom margin (below the type area), i.e. the footer."""
    return [word for word in words if word[3] > height * (297 - 35) / 297]


@needs_libreoffice
def test_libreoffice_prints_title_closing_and_page_number(rendered: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered), "-"], check=True, capture_output=True, text=True
    ).stdout
    for line in balance_lines(LONG_TITLE, 20):
        assert line in text
    assert "谢谢大家" in text
    assert MARKUP in text
    assert re.search(r"—\s*1\s*—", text)
    assert re.search(r"—\s*2\s*—", text)


@needs_libreoffice
def test_libreoffice_page_is_a4(rendered: Path) -> None:
    width, height, _ = pdf_pages(rendered)[0]
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1


@needs_libreoffice
def test_libreoffice_puts_odd_numbers_right_and_even_left(rendered: Path) -> None:
    pages = pdf_pages(rendered)
    assert len(pages) >= 3
    for number, (width, height, words) in enumerate(pages[:3], start=1):
        footer = page_number_words(words, height)
        assert [text for text, *_ in footer] == ["—", str(number), "—"], footer
        left, right = footer[0][1], footer[-1][2]
        if number % 2:
            assert left > width / 2, f"page {number} number should be right"
        else:
            assert right < width / 2, f"page {number} number should be left"


@needs_libreoffice
def test_libreoffice_indents_the_page_number_one_character(rendered: Path) -> None:
    pages = pdf_pages(rendered)
    margin_pt = {"left": 28 / 25.4 * 72, "right": 26 / 25.4 * 72}
    width, height, words = pages[0]
    assert abs((width - margin_pt["right"] - 14) - page_number_words(words, height)[-1][2]) < 1.5
    width, height, words = pages[1]
    assert abs((margin_pt["left"] + 14) - page_number_words(words, height)[0][1]) < 1.5


def test_recorded_fingerprint_matches_the_text_read_back_from_the_file(tmp_path: Path) -> None:
    from drafter.infra.fingerprint import DocxState, docx_state

    tricky = speech(
        Paragraph((Run("制表\t符与\x0b控制字符"), Run("", lead=True), Run("   "))),
        Paragraph((Run("“引号”与 & < > 符号"),)),
    )
    for preset in ("gbt9704", "windows"):
        target = tmp_path / f"{preset}.docx"
        target.write_bytes(write_docx(tricky, load_preset(preset)))
        assert docx_state(target) is DocxState.UNEDITED
