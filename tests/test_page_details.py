"""Small points of the page: grid.lines sets the lines a page, a quote after a Latin letter is
drawn in the East Asian face."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from drafter.model import Document, Paragraph, Run, Title
from drafter.pipeline import draft_speech
from drafter.presets import load_preset
from drafter.writers.docx import write_docx
from drafter.writers.pdf import convert_to_pdf

from .conftest import EXAMPLE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TWIPS_PER_MM = 1440 / 25.4


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def speech(text: str) -> Document:
    return Document(blocks=(Title("标题"), Paragraph((Run(text),))))


def style_with_lines(folder: Path, lines: int) -> Path:
    path = folder / f"lines-{lines}.yaml"
    path.write_text(
        f"name: lines-{lines}\nlabel: 每页 {lines} 行\nbase: gbt9704\ngrid:\n  lines: {lines}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("lines", [18, 20, 22, 24])
def test_grid_lines_sets_the_lines_a_page(tmp_path: Path, lines: int) -> None:
    preset = load_preset(str(style_with_lines(tmp_path, lines)))
    body = document_xml(write_docx(speech("正文。"), preset))
    grid = body.find(".//w:sectPr/w:docGrid", NS)
    assert grid is not None
    pitch = int(grid.get(w("linePitch")) or 0)
    top, bottom = preset.margins_mm[0], preset.margins_mm[1]
    area = (preset.page_mm[1] - top - bottom) * TWIPS_PER_MM
    # Exactly `lines` lines fill the type area: that many fit, one more does not.
    assert lines * pitch <= area < (lines + 1) * pitch
    spacings = {
        int(s.get(w("line")) or 0)
        for s in body.iter(w("spacing"))
        if s.get(w("lineRule")) == "exact"
        and s.getparent()
        .getparent()
        .find(  # type: ignore[union-attr]
            "w:pPr/w:snapToGrid", NS
        )
        is None
    }
    assert spacings == {pitch}  # line spacing follows the grid


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and pdftotext (poppler-utils) are needed",
)
def test_libreoffice_prints_the_asked_lines_a_page(tmp_path: Path) -> None:
    document = draft_speech(EXAMPLE).document
    sources = []
    for lines in (20, 24):
        preset = load_preset(str(style_with_lines(tmp_path, lines)))
        sources.append(tmp_path / f"lines-{lines}.docx")
        sources[-1].write_bytes(write_docx(document, preset))
    convert_to_pdf(sources, preset)
    for lines, source in zip((20, 24), sources, strict=True):
        page_two = subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", "-layout", str(source.with_suffix(".pdf")), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        printed = [line for line in page_two.splitlines() if line.strip()]
        assert len(printed) == lines + 1, printed  # the text lines and the page number


def test_the_standard_22_lines_keep_28_95_points() -> None:
    body = document_xml(write_docx(speech("正文。"), load_preset("gbt9704")))
    assert body.find(".//w:docGrid", NS).get(w("linePitch")) == "579"  # type: ignore[union-attr]


def run_for(body: etree._Element, text: str) -> etree._Element:
    run = next(r for r in body.iter(w("r")) if "".join(r.itertext()) == text)
    return run


def test_closing_quote_after_a_latin_letter_is_in_the_east_asian_face() -> None:
    body = document_xml(write_docx(speech("推进“5G”建设和“A”级景区创建。"), load_preset("gbt9704")))
    texts = ["".join(r.itertext()) for r in body.iter(w("r"))]
    assert "”" in texts  # the quotes after G and A have runs of their own
    for run in body.iter(w("r")):
        if "".join(run.itertext()) == "”":
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert fonts is not None
            assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "仿宋_GB2312"
            assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
    # The text around them stays in one piece and in its Latin face for 5G.
    assert "".join(texts[1:]) == "推进“5G”建设和“A”级景区创建。"
    latin = run_for(body, "推进“5G")
    assert latin.find("w:rPr/w:rFonts", NS).get(w("ascii")) == "Times New Roman"  # type: ignore[union-attr]


def test_quotes_after_chinese_text_stay_in_the_run() -> None:
    body = document_xml(write_docx(speech("坚持“两个确立”。"), load_preset("gbt9704")))
    assert [t for r in body.iter(w("r")) if (t := "".join(r.itertext()))] == [
        "标题",
        "坚持“两个确立”。",
    ]
