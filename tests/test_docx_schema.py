"""Every .docx drafter writes validates against the ECMA-376 transitional schemas (tests/xsd):
the default path, every preset, a custom style file and several reference documents."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafter.presets import builtin_presets

from .conftest import CONFIGS, EXAMPLE, run_cli
from .ooxml import assert_valid_docx, validate_docx, without_extensions

FORMS = sorted(CONFIGS.glob("*.yaml"))
# A 1×1 PNG, for a picture in a reference's header.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def _render(folder: Path, form: Path, *options: str | Path) -> Path:
    result = run_cli("render", form, "-o", folder, *options)
    assert result.exit_code == 0, result.stderr
    return folder / f"{form.stem}.docx"


def test_the_shipped_forms_validate_with_every_preset(tmp_path: Path) -> None:
    assert len(FORMS) >= 8
    for preset in builtin_presets():
        for form in FORMS:
            report = assert_valid_docx(_render(tmp_path / preset, form, "--style", preset))
            assert not report.no_schema  # drafter's own package: every part has a schema
            assert {"word/document.xml", "word/styles.xml", "word/settings.xml",
                    "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml",
                    "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml",
                    "[Content_Types].xml", "_rels/.rels"} <= set(report.validated)  # fmt: skip


def test_a_custom_style_file_validates(tmp_path: Path) -> None:
    style = tmp_path / "我的版式.yaml"
    style.write_text(
        "base: windows\nbody: {size: 小三}\nheading1: {font: 黑体, size: 三号}\nlead: 楷体\n",
        encoding="utf-8",
    )
    assert_valid_docx(_render(tmp_path, EXAMPLE, "--style", style))


def _python_docx_reference(folder: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("参考")
    path = folder / "python-docx.docx"
    document.save(path)
    return path


def _drafter_reference(folder: Path) -> Path:
    return _render(folder / "made", EXAMPLE)


def _header_picture_reference(folder: Path) -> Path:
    """A logo in the header and no footer: even pages get a copy of the header."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(PIXEL))
    path = folder / "header-picture.docx"
    document.save(path)
    return path


def _page_field_reference(folder: Path) -> Path:
    """A4 landscape and a footer with a simple PAGE field of its own."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = docx.shared.Mm(297), docx.shared.Mm(210)
    section.footer.paragraphs[0]._p.append(
        docx.oxml.parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )
    path = folder / "page-field.docx"
    document.save(path)
    return path


def _template_reference(folder: Path) -> Path:
    """A Word template (.dotx): the main part labelled as a template."""
    source = _python_docx_reference(folder).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, data.replace(_MAIN, _TEMPLATE) if name.endswith("].xml") else data)
    path = folder / "office.dotx"
    path.write_bytes(out.getvalue())
    return path


REFERENCES = {
    "python-docx": _python_docx_reference,
    "drafter": _drafter_reference,
    "header-picture": _header_picture_reference,
    "page-field": _page_field_reference,
    "template": _template_reference,
}


@pytest.mark.parametrize("kind", REFERENCES)
def test_speeches_made_with_reference_documents_validate(tmp_path: Path, kind: str) -> None:
    reference = REFERENCES[kind](tmp_path)
    for preset in builtin_presets():
        speech = _render(
            tmp_path / preset, EXAMPLE, "--style", preset, "--reference-doc", reference
        )
        report = assert_valid_docx(speech)
        # python-docx's template carries a custom XML item: data of no fixed schema.
        assert set(report.no_schema) <= {"customXml/item1.xml"}


def test_the_validator_finds_what_word_would_refuse(tmp_path: Path) -> None:
    speech = _render(tmp_path, EXAMPLE).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(speech)) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "word/settings.xml":  # the compat switch Word wants after useFELayout…
                data = data.replace(b"<w:compat>", b"<w:compat><w:useFELayout/>", 1)
            if name == "word/footer1.xml":  # …and a page number cut short
                data = data[: len(data) // 2]
            new.writestr(name, data)
    errors = validate_docx(out.getvalue()).errors
    assert any(e.startswith("word/settings.xml:") and "doNotExpandShiftReturn" in e for e in errors)
    assert any(e.startswith("word/footer1.xml: not well-formed") for e in errors)


def test_markup_compatibility_extensions_are_ignored_as_word_ignores_them() -> None:
    root = etree.fromstring(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
        ' mc:Ignorable="w14" w14:paraId="1A2B3C4D"><w14:x/>'
        '<mc:AlternateContent><mc:Choice Requires="w14"><w14:y/></mc:Choice>'
        "<mc:Fallback><w:r/></mc:Fallback></mc:AlternateContent></w:p>"
    )
    cleaned = etree.tostring(without_extensions(root)).decode()
    assert "w14:" not in cleaned.replace("xmlns:w14", "") and "<w:r/>" in cleaned
    assert "AlternateContent" not in cleaned


def test_a_header_picture_copied_to_even_pages_keeps_its_image(tmp_path: Path) -> None:
    reference = _header_picture_reference(tmp_path)
    speech = _render(tmp_path / "out", EXAMPLE, "--reference-doc", reference)
    section = docx.Document(str(speech)).sections[0]
    for header in (section.header, section.even_page_header):
        embeds = header._element.xpath(".//a:blip/@r:embed")
        assert embeds and all(header.part.related_parts[rel_id].blob == PIXEL for rel_id in embeds)
