"""The PDF prints exactly what the draft says: for every shipped form and both built-in presets,
the text pdftotext reads from the PDF is the .txt output, whitespace aside."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drafter.model import Document, Paragraph, Run, Title
from drafter.pipeline import draft_speech
from drafter.presets import load_preset
from drafter.writers.docx import write_docx
from drafter.writers.pdf import convert_to_pdf
from drafter.writers.text import write_text

from .conftest import CONFIGS

PRESETS = ("gbt9704", "windows")
FORMS = sorted(CONFIGS.glob("*.yaml"))
# A4 in points, cut above the footer: the page numbers (— 1 —) are not the draft's text.
TYPE_AREA_CROP = ("-x", "0", "-y", "0", "-W", "595", "-H", "745")

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and pdftotext (poppler-utils) are needed",
)


def without_whitespace(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[str, str]]:
    """(preset, form stem) → (the PDF's text, the .txt output), one LibreOffice run a preset."""
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    for name in PRESETS:
        preset = load_preset(name)
        folder = tmp_path_factory.mktemp(f"pdf-text-{name}")
        sources = []
        for form in FORMS:
            document = draft_speech(form).document
            source = folder / f"{form.stem}.docx"
            source.write_bytes(write_docx(document, preset))
            sources.append(source)
            texts[name, form.stem] = ("", write_text(document, preset).decode("utf-8"))
        convert_to_pdf(sources, preset)
        for source in sources:
            pdf = source.with_suffix(".pdf")
            read = subprocess.run(
                ["pdftotext", *TYPE_AREA_CROP, str(pdf), "-"],
                capture_output=True,
                check=True,
            ).stdout.decode("utf-8")
            texts[name, source.stem] = (read, texts[name, source.stem][1])
    return texts


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("form", [form.stem for form in FORMS])
def test_pdf_text_is_the_draft_text(
    printed: dict[tuple[str, str], tuple[str, str]], preset: str, form: str
) -> None:
    pdf_text, draft_text = printed[preset, form]
    assert without_whitespace(pdf_text) == without_whitespace(draft_text)


def test_every_shipped_form_is_checked() -> None:
    assert len(FORMS) >= 8


def test_a_full_line_followed_by_a_mark_keeps_the_mark(tmp_path: Path) -> None:
    # Each line is full (26 characters after the indent, then 28) and a mark comes next:
    # the case where LibreOffice dropped 。，、 from the PDF.
    full = "各基层党组织书记认真履行第一责任人职责把抓基层党建工作作为最大的政绩"[:28]
    text = f"{full[:26]}。{full}，{full}、结束。"
    document = Document(blocks=(Title("标题"), Paragraph((Run(text),))))
    preset = load_preset("gbt9704")
    source = tmp_path / "full-line.docx"
    source.write_bytes(write_docx(document, preset))
    convert_to_pdf([source], preset)
    read = subprocess.run(
        ["pdftotext", str(source.with_suffix(".pdf")), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert without_whitespace(read).removesuffix("—1—") == "标题" + text
