"""The thanks line (谢谢大家！) is called thanks from markup to model to Word style.

The form's `closing` is the closing paragraphs before it, written as body text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from drafter.markup import parse_markup
from drafter.model import Paragraph, Thanks

from .conftest import EXAMPLE, run_cli, write_variant

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _render(folder: Path, form: Path = EXAMPLE, *options: str | Path) -> Path:
    result = run_cli("render", form, "-o", folder, *options)
    assert result.exit_code == 0, result.stderr
    return folder / f"{form.stem}.docx"


def _xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def _style_of_last_paragraph(made: Path) -> tuple[str, str]:
    last = _xml(made, "word/document.xml").xpath("//w:body/w:p", namespaces=NS)[-1]
    text = "".join(last.xpath(".//w:t/text()", namespaces=NS))
    return last.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val"), text


def test_thanks_style_is_named_for_the_thanks_line(tmp_path: Path) -> None:
    made = _render(tmp_path)
    [style] = _xml(made, "word/styles.xml").xpath(
        "//w:style[@w:styleId='DrafterThanks']", namespaces=NS
    )
    assert style.find("w:name", NS).get(f"{{{W}}}val") == "讲话稿致谢"
    assert _style_of_last_paragraph(made) == ("DrafterThanks", "谢谢大家！")
    styles_xml = zipfile.ZipFile(made).read("word/styles.xml").decode("utf-8")
    assert "DrafterClosing" not in styles_xml and "讲话稿结束语" not in styles_xml


def test_closing_paragraphs_are_body_text_before_the_thanks_line(tmp_path: Path) -> None:
    form = write_variant(
        EXAMPLE, tmp_path / "form.yaml", lambda d: d.update(closing=["让我们共同努力。"])
    )
    made = _render(tmp_path / "out", form)
    paragraphs = _xml(made, "word/document.xml").xpath("//w:body/w:p", namespaces=NS)
    styles = [p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") for p in paragraphs[-2:]]
    assert styles == ["DrafterBody", "DrafterThanks"]


def test_reference_made_by_older_drafter_maps_its_closing_style_to_thanks(tmp_path: Path) -> None:
    """A reference whose thanks style still has the old name 讲话稿结束语 (id DrafterClosing)."""
    document = docx.Document(str(_render(tmp_path / "made")))
    old = document.styles["讲话稿致谢"]
    old.element.set(qn("w:styleId"), "DrafterClosing")
    old.name = "讲话稿结束语"
    old.font.size = Pt(15)
    old.element.rPr.rFonts.set(qn("w:eastAsia"), "楷体")
    for paragraph in document.paragraphs:
        style = paragraph._p.pPr.find(qn("w:pStyle")) if paragraph._p.pPr is not None else None
        if style is not None and style.get(qn("w:val")) == "DrafterThanks":
            style.set(qn("w:val"), "DrafterClosing")
    reference = tmp_path / "旧单位模板.docx"
    document.save(str(reference))

    made = _render(tmp_path / "out", EXAMPLE, "--reference-doc", reference)
    assert _style_of_last_paragraph(made) == ("DrafterClosing", "谢谢大家！")
    styles = _xml(made, "word/styles.xml")
    assert not styles.xpath("//w:style[@w:styleId='DrafterThanks']", namespaces=NS)
    last = _xml(made, "word/document.xml").xpath("//w:body/w:p", namespaces=NS)[-1]
    fonts = last.xpath("w:r/w:rPr/w:rFonts/@w:eastAsia", namespaces=NS)
    assert fonts and set(fonts) == {"楷体"}  # the office's restyled thanks line governs


def test_markup_thanks_tag_is_the_thanks_block() -> None:
    blocks = parse_markup("<p>让我们共同努力。</p><thanks>谢谢大家！</thanks>").blocks
    assert [(type(b), b.text) for b in blocks] == [  # type: ignore[union-attr]
        (Paragraph, "让我们共同努力。"),
        (Thanks, "谢谢大家！"),
    ]


def test_older_packs_closing_tag_still_reads_as_the_thanks_line() -> None:
    [block] = parse_markup("<closing>谢谢！</closing>").blocks
    assert isinstance(block, Thanks) and block.text == "谢谢！"
