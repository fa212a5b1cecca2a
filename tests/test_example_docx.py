"""The example form, rendered as a writer would, checked in its .docx XML and in a real client."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from .conftest import EXAMPLE, run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TITLE = "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话"


def attr(element: etree._Element, name: str) -> str | None:
    return element.get(f"{{{W}}}{name}")


@cache
def rendered(style: str, out_dir: Path) -> Path:
    result = run_cli("render", EXAMPLE, "--style", style, "-f", "docx", "-f", "txt", "-o", out_dir)
    assert result.exit_code == 0, result.stderr
    return out_dir / "review-commentary.example.docx"


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("example")


def part(docx_path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx_path) as package:
        return etree.fromstring(package.read(name))


def paragraphs(body: etree._Element, style_id: str) -> list[etree._Element]:
    return body.xpath(f"//w:p[w:pPr/w:pStyle/@w:val='{style_id}']", namespaces=NS)


def text_of(paragraph: etree._Element) -> str:
    pieces = []
    for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}br"):
        pieces.append("\n" if node.tag.endswith("br") else node.text or "")
    return "".join(pieces)


def run_props(paragraph: etree._Element) -> list[etree._Element]:
    return paragraph.xpath("w:r/w:rPr", namespaces=NS)


@pytest.fixture(scope="module")
def body(out_dir: Path) -> etree._Element:
    return part(rendered("gbt9704", out_dir), "word/document.xml")


def test_page_is_a4_with_gbt9704_margins(body: etree._Element) -> None:
    [size] = body.xpath("//w:sectPr/w:pgSz", namespaces=NS)
    [margins] = body.xpath("//w:sectPr/w:pgMar", namespaces=NS)
    assert (attr(size, "w"), attr(size, "h")) == ("11906", "16838")
    mm = {
        side: int(attr(margins, side) or 0) * 25.4 / 1440
        for side in ("top", "bottom", "left", "right")
    }
    assert {side: round(value, 1) for side, value in mm.items()} == {
        "top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0,
    }  # fmt: skip


def test_title_is_22pt_centred_not_bold_in_xiaobiaosong(body: etree._Element) -> None:
    [title] = paragraphs(body, "DrafterTitle")
    assert text_of(title).replace("\n", "") == TITLE
    assert "\n" in text_of(title)  # balanced over two lines
    [jc] = title.xpath("w:pPr/w:jc", namespaces=NS)
    assert attr(jc, "val") == "center"
    for props in run_props(title):
        assert attr(props.find(f"{{{W}}}sz"), "val") == "44"
        assert attr(props.find(f"{{{W}}}b"), "val") == "0"
        assert attr(props.find(f"{{{W}}}rFonts"), "eastAsia") == "方正小标宋简体"


def test_body_is_16pt_fangsong_indented_two_characters_with_exact_spacing(
    body: etree._Element,
) -> None:
    body_paragraphs = paragraphs(body, "DrafterBody")
    assert len(body_paragraphs) == 1 + 3 + 1 + 9
    for paragraph in body_paragraphs:
        [indent] = paragraph.xpath("w:pPr/w:ind", namespaces=NS)
        assert (attr(indent, "firstLineChars"), attr(indent, "firstLine")) == ("200", "640")
        [spacing] = paragraph.xpath("w:pPr/w:spacing", namespaces=NS)
        assert (attr(spacing, "line"), attr(spacing, "lineRule")) == ("579", "exact")
        assert attr(paragraph.find("w:pPr/w:jc", NS), "val") == "both"
        for props in run_props(paragraph):
            assert attr(props.find(f"{{{W}}}sz"), "val") == "32"
            assert attr(props.find(f"{{{W}}}rFonts"), "eastAsia") == "仿宋_GB2312"
            assert attr(props.find(f"{{{W}}}rFonts"), "ascii") == "Times New Roman"


def test_body_text_is_condensed_to_28_characters_a_line(body: etree._Element) -> None:
    [first] = paragraphs(body, "DrafterBody")[:1]
    spacing = int(attr(first.find("w:r/w:rPr/w:spacing", NS), "val") or 0)
    type_width_pt = (210 - 28 - 26) * 72 / 25.4
    assert 28 * (16 + spacing / 20) <= type_width_pt < 29 * (16 + spacing / 20)


def test_every_run_names_an_east_asian_font(out_dir: Path) -> None:
    docx_path = rendered("gbt9704", out_dir)
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        runs = part(docx_path, name).xpath("//w:r", namespaces=NS)
        assert runs
        for run in runs:
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert fonts is not None and attr(fonts, "eastAsia"), name


def test_headings_are_heiti_and_leads_are_bold(body: etree._Element) -> None:
    headings = paragraphs(body, "DrafterHeading1")
    assert [text_of(h)[:2] for h in headings] == ["一、", "二、", "三、"]
    for heading in headings:
        for props in run_props(heading):
            assert attr(props.find(f"{{{W}}}rFonts"), "eastAsia") == "黑体"
    leads = paragraphs(body, "DrafterBody")[1:4]
    for number, paragraph in zip("一二三", leads, strict=True):
        first_run = paragraph.find("w:r", NS)
        assert text_of(first_run).startswith(f"{number}是")
        bold = first_run.find("w:rPr/w:b", NS)
        assert bold is not None and attr(bold, "val") is None
        second_bold = paragraph.findall("w:r", NS)[1].find("w:rPr/w:b", NS)
        assert attr(second_bold, "val") == "0"


def test_page_numbers_are_page_fields_in_odd_and_even_footers(out_dir: Path) -> None:
    docx_path = rendered("gbt9704", out_dir)
    document = part(docx_path, "word/document.xml")
    refs = {
        attr(ref, "type"): ref.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        for ref in document.xpath("//w:sectPr/w:footerReference", namespaces=NS)
    }
    assert set(refs) == {"default", "even"}
    rels = part(docx_path, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    alignments = {}
    for kind, rel_id in refs.items():
        footer = part(docx_path, f"word/{targets[rel_id]}")
        assert "PAGE" in "".join(footer.xpath("//w:instrText/text()", namespaces=NS))
        assert text_of(footer.find("w:p", NS)).startswith("— ")
        alignments[kind] = attr(footer.find("w:p/w:pPr/w:jc", NS), "val")
    assert alignments == {"default": "right", "even": "left"}
    settings = part(docx_path, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None


def test_document_language_is_zh_cn(out_dir: Path) -> None:
    styles = part(rendered("gbt9704", out_dir), "word/styles.xml")
    [lang] = styles.xpath("//w:docDefaults//w:lang", namespaces=NS)
    assert attr(lang, "eastAsia") == "zh-CN"


def test_windows_preset_uses_fonts_every_windows_pc_has(tmp_path: Path) -> None:
    body = part(rendered("windows", tmp_path), "word/document.xml")
    fonts = {attr(f, "eastAsia") for f in body.xpath("//w:rFonts", namespaces=NS)}
    assert fonts == {"宋体", "仿宋", "楷体", "黑体"}
    [title] = paragraphs(body, "DrafterTitle")
    assert all(
        props.find(f"{{{W}}}b") is not None and attr(props.find(f"{{{W}}}b"), "val") is None
        for props in run_props(title)
    )


def test_docx_carries_the_same_text_as_the_txt(out_dir: Path, body: etree._Element) -> None:
    txt = (out_dir / "review-commentary.example.txt").read_text(encoding="utf-8")
    docx_text = "".join(text_of(p) for p in body.xpath("//w:body/w:p", namespaces=NS))
    assert re.sub(r"\s", "", docx_text) == re.sub(r"\s", "", txt)


needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) and poppler-utils are not installed",
)


@needs_office
def test_libreoffice_prints_the_example_on_5_to_8_a4_pages(out_dir: Path, tmp_path: Path) -> None:
    docx_path = rendered("gbt9704", out_dir)
    subprocess.run(
        [
            "soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "review-commentary.example.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 5 <= pages <= 8
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s", "", text)
    assert TITLE in flat
    assert "谢谢大家！" in flat
    assert "—1—" in flat and f"—{pages}—" in flat
