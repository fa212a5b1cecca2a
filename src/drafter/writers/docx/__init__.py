"""The Word writer: document.xml from the model, packaged with a preset's cached parts.

`writer` lays paragraphs, styles and the page out as OOXML; `package` zips the parts;
`reference` turns an office's Word file (`--reference-doc`) into the package instead.
This module sits above all three, so none of them imports another in a circle.
"""

from __future__ import annotations

from pathlib import Path

from ...infra.file_memo import memoized_on_files
from ...model import Document
from ...presets import Preset
from ..linebreak import clean_text
from .package import BasePackage, assemble, explode, plain_base
from .writer import (
    Layout,
    _paragraph,
    _paragraphs,
    layout_for,
    page_number_paragraph,
    section_xml,
    styles_xml,
)


def write_docx(document: Document, preset: Preset) -> bytes:
    """Return the bytes of a .docx laying `document` out as `preset` says."""
    base, layout = _base_and_layout(preset)
    paragraphs = list(_paragraphs(document.blocks, layout))
    body = "".join(_paragraph(layout, role, runs, after) for role, runs, after in paragraphs)
    # The text a reader of the file will see, paragraph by paragraph (for the fingerprint).
    texts = ["".join(clean_text(run.text) for run in runs) for _, runs, _ in paragraphs]
    return assemble(base, body, [text for text in texts if text.strip()], document)


@memoized_on_files(
    key=lambda preset: preset,
    files=lambda preset: [Path(preset.reference_doc)] if preset.reference_doc else [],
)
def _base_and_layout(preset: Preset) -> tuple[BasePackage, Layout]:
    """Everything of the .docx but its paragraphs and properties, made once per preset.

    Made again when the reference document changed (a long-running process sees the edit).
    """
    if preset.reference_doc:
        from .reference import reference_base  # deferred: optional dependency (python-docx)

        package, layout = reference_base(preset)
        return explode(package), layout
    layout = layout_for(preset)
    fonts = [layout.latin, *(role.font.name for role in layout.roles.values()), layout.lead_font]
    footers = (page_number_paragraph(layout, odd=True), page_number_paragraph(layout, odd=False))
    return plain_base(styles_xml(layout), fonts, section_xml(preset, layout), footers), layout
