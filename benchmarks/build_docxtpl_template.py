"""Build docxtpl_speech.docx: the review-commentary layout with docxtpl tags, for the benchmark.

The template is laid out by drafter's own docx writer (same styles, page and footers), so
docxtpl and drafter produce the same document; only how the text gets in differs.
Run: python benchmarks/build_docxtpl_template.py
"""

from __future__ import annotations

from pathlib import Path

from drafter.model import Byline, Document, Heading, Meta, Paragraph, Run, Thanks, Title
from drafter.presets import load_preset
from drafter.writers.docx import write_docx

TEMPLATE = Path(__file__).with_name("docxtpl_speech.docx")


def tag(text: str) -> Paragraph:
    return Paragraph((Run(text),))


def skeleton() -> Document:
    """The speech's structure with docxtpl tags where drafter's template puts the form's text."""
    blocks = (
        Title("{{ title }}"),
        Byline(("{{ date_line }}",)),
        tag("{{ opening }}"),
        tag("{%p for a in achievements %}"),
        Paragraph((Run("{{ a.lead }}", lead=True), Run("{{ a.body }}"))),
        tag("{%p endfor %}"),
        Paragraph(
            (
                Run("{{ problems_intro }}"),
                Run("{%r for p in problems %}"),
                Run("{{ p.lead }}", lead=True),
                Run("{{ p.detail }}"),
                Run("{%r endfor %}"),
                Run("{{ problems_outro }}"),
            )
        ),
        tag("{%p for s in sections %}"),
        Heading(1, "{{ s.heading }}"),
        tag("{%p for pt in s.points %}"),
        Paragraph((Run("{{ pt.lead }}", lead=True), Run("{{ pt.detail }}"))),
        tag("{%p endfor %}"),
        tag("{%p endfor %}"),
        Thanks((Run("{{ thanks }}"),)),
    )
    return Document(blocks, Meta(title="{{ title }}"))


if __name__ == "__main__":
    TEMPLATE.write_bytes(write_docx(skeleton(), load_preset("gbt9704")))
    print(TEMPLATE)
