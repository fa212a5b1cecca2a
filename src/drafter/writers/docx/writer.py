"""Lay a speech out as a .docx following a layout preset (GB/T 9704-2012 by default).

Every OOXML detail lives here. Paragraphs are built as XML text and parsed once, styles are
referenced by id, and the styled package (styles, page, footers) is built once per preset.
With a reference document (`--reference-doc`) that package is the reference emptied of its
text; see `reference` for what is taken from it, and the package's `write_docx` for the whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from ...infra.xml_text import escape_attribute, escape_text
from ...model import (
    Block,
    Byline,
    Heading,
    Paragraph,
    Run,
    Salutation,
    Thanks,
    Title,
)
from ...presets import PAGE_NUMBER_GAP_MM, FontSpec, Preset
from ..linebreak import balance_lines, clean_text
from .package import LANGUAGE, XML_DECLARATION

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_DECL = f'xmlns:w="{W_NS}"'
HEADER_MM = 15.0  # headers stay empty; Word merely needs a distance
# The default styles Word expects every document to have (as in python-docx's template).
DEFAULT_STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
    '<w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>"
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
    '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    "</w:style>"
)


@dataclass(frozen=True, slots=True)
class Role:
    """How one kind of paragraph looks: its style id and name, font, alignment and indents."""

    style_id: str
    name: str
    font: FontSpec
    align: str
    indent: bool = False
    keep_next: bool = False
    outline_level: int | None = None
    on_grid: bool = True
    referenced: bool = False  # the style comes from a reference document and governs alone


# A paragraph to write: its role, its runs and the space after it (twips).
ParagraphSpec = tuple[str, Sequence[Run], int]


@dataclass(frozen=True, slots=True)
class Layout:
    """A preset turned into twips and roles, computed once per preset."""

    roles: dict[str, Role]
    latin: str
    pitch: int
    title_fit: int
    char_spacing: dict[str, int]
    lead: str
    lead_font: str


@cache
def layout_for(preset: Preset) -> Layout:
    """Roles and measures of a preset."""
    roles = {
        "title": Role("DrafterTitle", "讲话稿标题", preset.title, "center", on_grid=False),
        "byline": Role("DrafterByline", "讲话稿署名", preset.byline, "center"),
        "salutation": Role("DrafterSalutation", "讲话稿称谓", preset.salutation, "left"),
        "body": Role("DrafterBody", "讲话稿正文", preset.body, "both", indent=True),
        "heading1": Role(
            "DrafterHeading1", "讲话稿一级标题", preset.heading1, "both", True, True, 0
        ),
        "heading2": Role(
            "DrafterHeading2", "讲话稿二级标题", preset.heading2, "both", True, True, 1
        ),
        "thanks": Role("DrafterThanks", "讲话稿致谢", preset.body, "both", indent=True),
        "page_number": Role(
            "DrafterPageNumber", "讲话稿页码", preset.page_number, "right", on_grid=False
        ),
    }
    # The grid's 28 characters a line: 16 pt characters need 448 pt, the type area is 442 pt.
    # Word reaches 28 by a character grid that LibreOffice renders as 20 spaced-out characters;
    # condensing body-size text by the difference gives 28 in both.
    pitch_pt = preset.grid_pitch_pt
    char_spacing = {
        key: math.floor((pitch_pt - role.font.size) * 20)
        for key, role in roles.items()
        if role.on_grid and role.font.size == preset.body.size
    }
    return Layout(
        roles=roles,
        latin=preset.latin_font,
        pitch=line_pitch(preset),
        title_fit=preset.title_chars,
        char_spacing=char_spacing,
        lead=preset.lead,
        lead_font=preset.lead_font,
    )


def line_pitch(preset: Preset) -> int:
    """Twips from line to line: the preset's line spacing, unless that gives a page another
    count of lines than `grid.lines` asks; then the type area's height shared by that count."""
    height_pt = (preset.page_mm[1] - preset.margins_mm[0] - preset.margins_mm[1]) * 72 / 25.4
    spacing = preset.line_spacing_pt
    if int(height_pt / spacing + 1e-6) != preset.lines_per_page:
        spacing = height_pt / max(1, preset.lines_per_page)
    # Rounded down: the asked lines must fit the type area, never spill one onto the next page.
    return math.floor(spacing * 20 + 1e-6)


# ---------------------------------------------------------------- body


def _paragraphs(blocks: tuple[Block, ...], layout: Layout) -> Iterator[ParagraphSpec]:
    """Every paragraph to write, with one blank line after the title and byline."""
    kept = [b for b in blocks if not (isinstance(b, Byline) and not b.lines)]
    for index, block in enumerate(kept):
        follower = kept[index + 1] if index + 1 < len(kept) else None
        ends_heading_group = isinstance(block, Title | Byline) and not isinstance(
            follower, Title | Byline | None
        )
        yield from _block(block, layout, layout.pitch if ends_heading_group else 0)


def _block(block: Block, layout: Layout, after: int) -> Iterator[ParagraphSpec]:
    """The paragraphs of one block; `after` is the space below its last paragraph."""
    match block:
        case Title(text=text):
            lines = balance_lines(clean_text(text), layout.title_fit)
            yield "title", [Run("\n".join(lines))], after
        case Byline(lines=lines):
            for number, line in enumerate(lines, start=1):
                yield "byline", [Run(line)], after if number == len(lines) else 0
        case Salutation(text=text):
            yield "salutation", [Run(text)], after
        case Heading(level=level, text=text):
            yield "heading1" if level == 1 else "heading2", [Run(text)], after
        case Paragraph(runs=runs):
            yield "body", runs, after
        case Thanks(runs=runs):
            yield "thanks", runs, after


def _paragraph(layout: Layout, role_key: str, runs: Sequence[Run], after: int) -> str:
    """A w:p in a role's style, its runs formatted for that role."""
    role = layout.roles[role_key]
    if role.referenced:
        # A reference document's style governs alone; only the blank line after the title
        # group is kept, which drafter documents carry on the paragraph, not in the style.
        space = f'<w:spacing w:after="{after}"/>' if after else ""
        paragraph_props = (
            f'<w:pPr><w:pStyle w:val="{escape_attribute(role.style_id)}"/>'
            f"{_PUNCTUATION_AT_LINE_END}{space}</w:pPr>"
        )
    else:
        paragraph_props = paragraph_properties(role, layout.pitch, after, with_style=True)
    return f"<w:p>{paragraph_props}{''.join(_run(run, role_key, layout) for run in runs)}</w:p>"


def _run(run: Run, role_key: str, layout: Layout) -> str:
    """A run in its paragraph's font, a lead emphasised as the preset says."""
    role = layout.roles[role_key]
    font = role.font
    east_asia, bold = font.name, font.bold
    if run.lead and layout.lead == "bold":
        bold = True
    elif run.lead and layout.lead == "kaiti":
        east_asia = layout.lead_font
    if role.referenced:
        emphasis = run.lead and layout.lead == "bold"
        return run_xml(run.text, _referenced_run_properties(east_asia, emphasis))
    spacing = layout.char_spacing.get(role_key, 0)
    props = run_properties(east_asia, layout.latin, font.size, bold, spacing)
    quote_props = run_properties(east_asia, east_asia, font.size, bold, spacing)
    pieces = _QUOTE_AFTER_LATIN.split(run.text)
    # split() alternates text and captured quotes: odd pieces are the quotes.
    return "".join(
        run_xml(piece, quote_props if index % 2 else props) for index, piece in enumerate(pieces)
    )


# Quotes “ ” ‘ ’ are shared by Latin and CJK fonts. Word draws them in the East Asian font
# by w:hint="eastAsia"; LibreOffice ignores the hint and gives a quote after a Latin letter
# (“5G”) the Latin font, a narrow Times quote. A run of its own naming the East Asian font in
# every slot draws it full width everywhere.
_QUOTE_AFTER_LATIN = re.compile("(?<=[\x21-\x7e])([“”‘’])")


@cache
def _referenced_run_properties(east_asia: str, bold: bool) -> str:
    """w:rPr under a reference style: its East Asian font repeated, bold only for a lead."""
    # eastAsia is repeated for WPS, which may ignore a style's East Asian font.
    fonts = (
        f'<w:rFonts w:eastAsia="{escape_attribute(east_asia)}" w:hint="eastAsia"/>'
        if east_asia
        else ""
    )
    weight = "<w:b/><w:bCs/>" if bold else ""
    return f"<w:rPr>{fonts}{weight}</w:rPr>" if fonts or weight else ""


def run_xml(text: str, props: str) -> str:
    """A w:r whose "\\n" become w:br and tabs w:tab, text escaped so it prints as typed."""
    pieces: list[str] = []
    for line_number, line in enumerate(clean_text(text).split("\n")):
        if line_number:
            pieces.append("<w:br/>")
        for tab_number, piece in enumerate(line.split("\t")):
            if tab_number:
                pieces.append("<w:tab/>")
            if piece:
                pieces.append(f'<w:t xml:space="preserve">{escape_text(piece)}</w:t>')
    return f"<w:r>{props}{''.join(pieces)}</w:r>" if pieces else ""


# ---------------------------------------------------------------- formatting helpers


def _half_points(size_pt: float) -> int:
    """Points to half-points, the unit of w:sz."""
    return round(size_pt * 2)


def _twips(points: float) -> int:
    """Points to twentieths of a point, the unit of spacing and indents."""
    return round(points * 20)


def mm_to_twips(mm: float) -> int:
    """Millimetres to twentieths of a point, the unit of page measures in OOXML."""
    return round(mm * 1440 / 25.4)


@cache
def run_properties(east_asia: str, latin: str, size_pt: float, bold: bool, spacing: int = 0) -> str:
    """w:rPr with every font slot named, weight explicit, spacing in twips, size in half-points."""
    # eastAsia on every run: WPS and some Word builds ignore the style's East Asian font.
    # hint="eastAsia" sets “ ” — … (shared by Latin and CJK) in the CJK font, full width.
    latin_name, cjk_name = escape_attribute(latin), escape_attribute(east_asia)
    fonts = (
        f'<w:rFonts w:ascii="{latin_name}" w:hAnsi="{latin_name}" w:eastAsia="{cjk_name}"'
        f' w:cs="{latin_name}" w:hint="eastAsia"/>'
    )
    # An explicit w:val="0" keeps text upright-weight even if a base style is bold.
    weight = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    half = _half_points(size_pt)
    condense = f'<w:spacing w:val="{spacing}"/>' if spacing else ""
    return f'<w:rPr>{fonts}{weight}{condense}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'


def _spacing(line_twips: int, after: int = 0) -> str:
    """w:spacing with an exact line height and no space before."""
    # Exact line height pins every line to the 22-line grid whatever the font's own metrics.
    return f'<w:spacing w:before="0" w:after="{after}" w:line="{line_twips}" w:lineRule="exact"/>'


# A mark (。，、) after a full line. Word and WPS hang it past the right margin (标点悬挂:
# w:overflowPunct, on by default in OOXML), so the line keeps its 28 characters and the mark
# prints in the margin. LibreOffice reads the setting as off when it is left out, and then drops
# the mark from a justified line's end altogether (pdftotext and the page both lack it). Said
# explicitly it changes nothing for Word and WPS, and LibreOffice keeps the mark, carrying the
# line's last character over with it (its line-start rule), as Word does with the setting off.
_PUNCTUATION_AT_LINE_END = '<w:overflowPunct w:val="1"/>'

# LibreOffice gives text taller than the grid's base height (the 22 pt title) two grid lines;
# off the grid its exact line spacing applies, as Word already does.
_OFF_GRID = '<w:snapToGrid w:val="0"/>'


def _first_line_indent(role: Role) -> str:
    """w:ind indenting the first line two characters, or explicitly not at all."""
    # firstLineChars is what Word and WPS honour (it follows the font size);
    # firstLine in twips is the fallback for LibreOffice and other readers.
    if role.indent:
        return f'<w:ind w:firstLineChars="200" w:firstLine="{_twips(role.font.size * 2)}"/>'
    return '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


@cache
def paragraph_properties(role: Role, pitch: int, after: int = 0, *, with_style: bool) -> str:
    """w:pPr for a role; paragraphs repeat the style's settings so plain readers see them too."""
    parts = [f'<w:pStyle w:val="{role.style_id}"/>'] if with_style else []
    if role.keep_next:
        parts.append("<w:keepNext/>")  # a heading never ends a page alone
    parts.append(_PUNCTUATION_AT_LINE_END)
    if not role.on_grid:
        parts.append(_OFF_GRID)
    parts += [_spacing(pitch, after), _first_line_indent(role), f'<w:jc w:val="{role.align}"/>']
    if role.outline_level is not None:
        # Outline level puts the heading in Word's navigation pane and table of contents.
        parts.append(f'<w:outlineLvl w:val="{role.outline_level}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def style_xml(key: str, layout: Layout) -> str:
    """A custom paragraph style carrying the role's paragraph and run settings."""
    role = layout.roles[key]
    font, spacing = role.font, layout.char_spacing.get(key, 0)
    latin = font.name if key == "page_number" else layout.latin  # digits in 宋体 (GB/T 9704 7.5)
    props = (
        paragraph_properties(role, layout.pitch, with_style=False)
        if role.style_id != "DrafterPageNumber"
        else _page_number_properties(role, odd=True, with_style=False)
    )
    return (
        f'<w:style {NS_DECL} w:type="paragraph" w:customStyle="1" w:styleId="{role.style_id}">'
        f'<w:name w:val="{role.name}"/><w:basedOn w:val="Normal"/>'
        f'<w:next w:val="{escape_attribute(layout.roles["body"].style_id)}"/><w:qFormat/>{props}'
        f"{run_properties(font.name, latin, font.size, font.bold, spacing)}</w:style>"
    )


def doc_defaults_xml(layout: Layout) -> str:
    """docDefaults in the body font, zh-CN, exact spacing and no widow control."""
    body = layout.roles["body"].font
    run_props = run_properties(body.name, layout.latin, body.size, False).replace(
        "</w:rPr>", f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/></w:rPr>'
    )
    # Widow control off: it would pull lines to the next page and break the 22-line page.
    para_props = f'<w:pPr><w:widowControl w:val="0"/>{_spacing(layout.pitch)}</w:pPr>'
    return (
        f"<w:docDefaults {NS_DECL}><w:rPrDefault>{run_props}</w:rPrDefault>"
        f"<w:pPrDefault>{para_props}</w:pPrDefault></w:docDefaults>"
    )


# ---------------------------------------------------------------- page numbers


def _page_number_properties(role: Role, *, odd: bool, with_style: bool) -> str:
    """w:pPr of the page-number line on odd or even pages."""
    # GB/T 9704: odd pages right, even pages left, one character (the number's size) in.
    one_char = _twips(role.font.size)
    side, align = ("right", "right") if odd else ("left", "left")
    style = f'<w:pStyle w:val="{role.style_id}"/>' if with_style else ""
    # Line height = the font size, so the footer distance below places the dash exactly.
    return (
        f"<w:pPr>{style}{_OFF_GRID}{_spacing(_twips(role.font.size))}"
        f'<w:ind w:{side}="{one_char}" w:firstLineChars="0" w:firstLine="0"/>'
        f'<w:jc w:val="{align}"/></w:pPr>'
    )


def page_number_paragraph(layout: Layout, *, odd: bool) -> str:
    """“— N —” around a real PAGE field, so Word and LibreOffice number every page."""
    role = layout.roles["page_number"]
    # GB/T 9704 7.5: page numbers in 宋体, digits included, so every font slot names the face.
    props = run_properties(role.font.name, role.font.name, role.font.size, role.font.bold)

    def field_char(kind: str) -> str:
        return f'<w:r>{props}<w:fldChar w:fldCharType="{kind}"/></w:r>'

    # A complex field (begin/instr/separate/result/end) with "1" as the cached result.
    return (
        f"<w:p {NS_DECL}>{_page_number_properties(role, odd=odd, with_style=True)}"
        f"{run_xml('— ', props)}{field_char('begin')}"
        f'<w:r>{props}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f"{field_char('separate')}{run_xml('1', props)}{field_char('end')}"
        f"{run_xml(' —', props)}</w:p>"
    )


# ---------------------------------------------------------------- the base package


def styles_xml(layout: Layout) -> str:
    """word/styles.xml: document defaults, Word's default styles and one style per role."""
    roles = "".join(style_xml(key, layout) for key in layout.roles)
    return (
        f"{XML_DECLARATION}<w:styles {NS_DECL}>{doc_defaults_xml(layout)}"
        f"{DEFAULT_STYLES}{roles}</w:styles>"
    )


def section_xml(preset: Preset, layout: Layout) -> str:
    """w:sectPr: paper size, margins, footer distance and the line grid."""
    width, height = preset.page_mm
    top, bottom, left, right = (mm_to_twips(mm) for mm in preset.margins_mm)
    # Footer distance runs from the paper's edge to the bottom of the page-number line;
    # put the line's middle (where the dash is) PAGE_NUMBER_GAP_MM below the type area.
    number_line = _twips(preset.page_number.size)
    footer = max(0, mm_to_twips(preset.margins_mm[1] - PAGE_NUMBER_GAP_MM) - number_line // 2)
    return (
        f'<w:sectPr><w:pgSz w:w="{mm_to_twips(width)}" w:h="{mm_to_twips(height)}"/>'
        f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}"'
        f' w:header="{mm_to_twips(HEADER_MM)}" w:footer="{footer}" w:gutter="0"/>'
        '<w:cols w:space="425"/>'
        # A line grid with the exact pitch: 22 lines × 28.95 pt fill the 225 mm type area.
        f'<w:docGrid w:type="lines" w:linePitch="{layout.pitch}"/></w:sectPr>'
    )
