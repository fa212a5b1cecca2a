"""Lay a speech out as a .docx following a layout preset (GB/T 9704-2012 by default).

Every OOXML detail lives here. Paragraphs are built as XML text and parsed once, styles are
referenced by id, and the styled package (styles, page, footers) is built once per preset.
With a reference document (`--reference-doc`) that package is the reference emptied of its
text; see `reference_doc` for what is taken from it.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from xml.sax.saxutils import escape

import docx
from docx.document import Document as DocxPackage
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from .. import __version__
from ..fingerprint import (
    FINGERPRINT_PROPERTY,
    GENERATOR_PROPERTY,
    custom_properties_xml,
    text_fingerprint,
)
from ..model import Block, Byline, Closing, Document, Heading, Paragraph, Run, Salutation, Title
from ..presets import PAGE_NUMBER_GAP_MM, FontSpec, Preset
from . import reference_doc
from .linebreak import balance_lines, clean_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_DECL = f'xmlns:w="{W_NS}"'
LANGUAGE = "zh-CN"
GENERATOR = f"drafter {__version__}"
HEADER_MM = 15.0  # headers stay empty; Word merely needs a distance
# Styles every document keeps from python-docx's template; the rest would only clutter the list.
KEPT_STYLES = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList"})


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


def write_docx(document: Document, preset: Preset) -> bytes:
    """Return the bytes of a .docx laying `document` out as `preset` says."""
    base, layout = _base_and_layout(preset)
    package = docx.Document(io.BytesIO(base))
    fragment = parse_xml(f"<w:body {NS_DECL}>{''.join(_body(document.blocks, layout))}</w:body>")
    section_properties = package.element.body.sectPr
    for element in list(fragment):
        section_properties.addprevious(element)
    _set_properties(package, document)
    _record_fingerprint(package)
    out = io.BytesIO()
    package.save(out)
    return out.getvalue()


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
        "closing": Role("DrafterClosing", "讲话稿结束语", preset.body, "both", indent=True),
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
        pitch=round(preset.line_spacing_pt * 20),
        title_fit=preset.title_chars,
        char_spacing=char_spacing,
        lead=preset.lead,
        lead_font=preset.lead_font,
    )


# ---------------------------------------------------------------- body


def _body(blocks: tuple[Block, ...], layout: Layout) -> Iterator[str]:
    """Paragraph XML for every block, with one blank line after the title and byline."""
    kept = [b for b in blocks if not (isinstance(b, Byline) and not b.lines)]
    for index, block in enumerate(kept):
        follower = kept[index + 1] if index + 1 < len(kept) else None
        ends_heading_group = isinstance(block, Title | Byline) and not isinstance(
            follower, Title | Byline | None
        )
        yield from _block(block, layout, layout.pitch if ends_heading_group else 0)


def _block(block: Block, layout: Layout, after: int) -> Iterator[str]:
    """Paragraph XML for one block; `after` is the space below its last paragraph."""
    match block:
        case Title(text=text):
            lines = balance_lines(clean_text(text), layout.title_fit)
            yield _paragraph(layout, "title", [Run("\n".join(lines))], after)
        case Byline(lines=lines):
            for number, line in enumerate(lines, start=1):
                space = after if number == len(lines) else 0
                yield _paragraph(layout, "byline", [Run(line)], space)
        case Salutation(text=text):
            yield _paragraph(layout, "salutation", [Run(text)], after)
        case Heading(level=level, text=text):
            yield _paragraph(layout, "heading1" if level == 1 else "heading2", [Run(text)], after)
        case Paragraph(runs=runs):
            yield _paragraph(layout, "body", runs, after)
        case Closing(runs=runs):
            yield _paragraph(layout, "closing", runs, after)


def _paragraph(layout: Layout, role_key: str, runs: Sequence[Run], after: int) -> str:
    """A w:p in a role's style, its runs formatted for that role."""
    role = layout.roles[role_key]
    if role.referenced:
        # A reference document's style governs alone; only the blank line after the title
        # group is kept, which drafter documents carry on the paragraph, not in the style.
        space = f'<w:spacing w:after="{after}"/>' if after else ""
        paragraph_props = f'<w:pPr><w:pStyle w:val="{_attr(role.style_id)}"/>{space}</w:pPr>'
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
    return run_xml(run.text, run_properties(east_asia, layout.latin, font.size, bold, spacing))


@cache
def _referenced_run_properties(east_asia: str, bold: bool) -> str:
    """w:rPr under a reference style: its East Asian font repeated, bold only for a lead."""
    # eastAsia is repeated for WPS, which may ignore a style's East Asian font.
    fonts = f'<w:rFonts w:eastAsia="{_attr(east_asia)}" w:hint="eastAsia"/>' if east_asia else ""
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
                pieces.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{props}{''.join(pieces)}</w:r>" if pieces else ""


# ---------------------------------------------------------------- formatting helpers


def _attr(value: str) -> str:
    """Escape a value for a double-quoted XML attribute (font names come from user style files)."""
    return escape(value, {'"': "&quot;"})


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
    latin_name, cjk_name = _attr(latin), _attr(east_asia)
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
    if not role.on_grid:
        parts.append(_OFF_GRID)
    parts += [_spacing(pitch, after), _first_line_indent(role), f'<w:jc w:val="{role.align}"/>']
    if role.outline_level is not None:
        # Outline level puts the heading in Word's navigation pane and table of contents.
        parts.append(f'<w:outlineLvl w:val="{role.outline_level}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _style(key: str, layout: Layout) -> str:
    """A custom paragraph style carrying the role's paragraph and run settings."""
    role = layout.roles[key]
    font, spacing = role.font, layout.char_spacing.get(key, 0)
    props = (
        paragraph_properties(role, layout.pitch, with_style=False)
        if role.style_id != "DrafterPageNumber"
        else _page_number_properties(role, odd=True, with_style=False)
    )
    return (
        f'<w:style {NS_DECL} w:type="paragraph" w:customStyle="1" w:styleId="{role.style_id}">'
        f'<w:name w:val="{role.name}"/><w:basedOn w:val="Normal"/>'
        f'<w:next w:val="{_attr(layout.roles["body"].style_id)}"/><w:qFormat/>{props}'
        f"{run_properties(font.name, layout.latin, font.size, font.bold, spacing)}</w:style>"
    )


def _doc_defaults(layout: Layout) -> str:
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


def _page_number_paragraph(layout: Layout, *, odd: bool) -> str:
    """“— N —” around a real PAGE field, so Word and LibreOffice number every page."""
    role = layout.roles["page_number"]
    props = run_properties(role.font.name, layout.latin, role.font.size, role.font.bold)

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


# ---------------------------------------------------------------- the styled base package


@cache
def _base_and_layout(preset: Preset) -> tuple[bytes, Layout]:
    """The styled, empty package every document starts from, and the layout it was made for."""
    if preset.reference_doc:
        return _reference_base(preset)
    layout = layout_for(preset)
    package = docx.Document()
    _drop_unused_parts(package)
    _install_styles(package, layout)
    _set_up_page(package, preset, layout)
    _install_footers(package, layout)
    _adjust_settings(package)
    _set_application(package)
    return _saved(package), layout


def _reference_base(preset: Preset) -> tuple[bytes, Layout]:
    """The reference document emptied of text, its styles kept, ours added where it has none."""
    package = docx.Document(io.BytesIO(reference_doc.read_reference(preset.reference_doc)))
    styles = package.styles.element
    ours = layout_for(preset).roles
    found = reference_doc.find_role_styles(
        styles, {key: (role.style_id, role.name) for key, role in ours.items()}
    )
    fonts = {
        key: _merged_font(ours[key].font, reference_doc.style_font(styles, style_id))
        for key, style_id in found.items()
    }
    adopted = reference_doc.adopt_page(preset, package.element.body.sectPr)
    if "title" in fonts:  # the title's size decides how many characters fit on its lines
        adopted = dataclasses.replace(adopted, title=fonts["title"])
    layout = layout_for(adopted)
    roles = {
        key: dataclasses.replace(role, style_id=found[key], font=fonts[key], referenced=True)
        if key in found
        else role
        for key, role in layout.roles.items()
    }
    layout = dataclasses.replace(layout, roles=roles)
    _drop_unused_parts(package)
    had_section = reference_doc.empty_body(package.element.body)
    for key, role in roles.items():
        if not role.referenced:
            styles.append(parse_xml(_style(key, layout)))
    if not had_section:
        # A reference without page setup: give it python-docx's section, laid out by the preset.
        package.element.body.append(copy.deepcopy(docx.Document().element.body.sectPr))
        _set_up_page(package, adopted, layout)
    if not reference_doc.has_footers(package.element.body.sectPr):
        _install_footers(package, layout)
    _adjust_settings(package)
    _set_application(package)
    return _saved(package), layout


def _merged_font(ours: FontSpec, theirs: FontSpec) -> FontSpec:
    """The reference style's font, with our font name where it names none."""
    return FontSpec(theirs.name or ours.name, theirs.size or ours.size, theirs.bold)


def _saved(package: DocxPackage) -> bytes:
    out = io.BytesIO()
    package.save(out)
    return out.getvalue()


def _adjust_settings(package: DocxPackage) -> None:
    """Chinese theme-font language and unstretched lines before a manual break."""
    settings = package.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        # The template says ja-JP, which would make Word pick Japanese glyph variants.
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    compat = settings.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        # A line ended by "\n" (w:br) in a justified paragraph must not be stretched edge to
        # edge; Word and LibreOffice both honour this switch.
        compat.insert(0, parse_xml(f"<w:doNotExpandShiftReturn {NS_DECL}/>"))


def _drop_unused_parts(package: DocxPackage) -> None:
    """Drop the template's blank-page thumbnail and its Word 2010 style copy."""
    part = package.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            # Word 2010 would read these stale Calibri styles instead of ours.
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel_id)


def _install_styles(package: DocxPackage, layout: Layout) -> None:
    """Replace the template's styles and defaults with ours."""
    styles = package.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(0, parse_xml(_doc_defaults(layout)))
    for key in layout.roles:
        styles.append(parse_xml(_style(key, layout)))


def _set_up_page(package: DocxPackage, preset: Preset, layout: Layout) -> None:
    """Paper size, margins, footer distance and line grid of the one section."""
    section = package.sections[0]._sectPr
    width, height = preset.page_mm
    top, bottom, left, right = preset.margins_mm
    page_size = section.find(qn("w:pgSz"))
    page_size.attrib.clear()
    page_size.set(qn("w:w"), str(mm_to_twips(width)))
    page_size.set(qn("w:h"), str(mm_to_twips(height)))
    # Footer distance runs from the paper's edge to the bottom of the page-number line;
    # put the line's middle (where the dash is) PAGE_NUMBER_GAP_MM below the type area.
    number_line = _twips(preset.page_number.size)
    footer = mm_to_twips(bottom - PAGE_NUMBER_GAP_MM) - number_line // 2
    margins = {
        "top": top, "right": right, "bottom": bottom, "left": left, "header": HEADER_MM,
    }  # fmt: skip
    page_margins = section.find(qn("w:pgMar"))
    page_margins.attrib.clear()
    for side, mm in margins.items():
        page_margins.set(qn(f"w:{side}"), str(mm_to_twips(mm)))
    page_margins.set(qn("w:footer"), str(max(0, footer)))
    page_margins.set(qn("w:gutter"), "0")
    grid = section.find(qn("w:docGrid"))
    grid.attrib.clear()
    # A line grid with the exact pitch: 22 lines × 28.95 pt fill the 225 mm type area.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(layout.pitch))


def _install_footers(package: DocxPackage, layout: Layout) -> None:
    """Page numbers in the odd (default) and even footers, with even/odd footers enabled."""
    package.settings.odd_and_even_pages_header_footer = True
    section = package.sections[0]
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        root = footer._element
        for child in list(root):
            root.remove(child)
        root.append(parse_xml(_page_number_paragraph(layout, odd=odd)))


# ---------------------------------------------------------------- document properties


def _set_properties(package: DocxPackage, document: Document) -> None:
    """Title, the speaker as author, the speech's date, language and generator in core.xml."""
    meta = document.meta
    title = meta.title or next((b.text for b in document.blocks if isinstance(b, Title)), "")
    props = package.core_properties
    props.title = clean_text(title)
    props.author = clean_text(meta.author)
    props.last_modified_by = GENERATOR
    props.comments = f"由 {GENERATOR} 生成"
    for cleared in ("subject", "keywords", "category", "content_status", "identifier", "version"):
        setattr(props, cleared, "")  # a reference document's own values do not describe this one
    props.language = LANGUAGE
    props.revision = 1
    props.modified = _timestamp()
    # "Created" is the date the speech bears (Explorer shows it as 内容创建时间); without one,
    # the time it was generated.
    props.created = _speech_date(meta.date) or props.modified


def _speech_date(text: str) -> datetime | None:
    """The speech's ISO date as a datetime, or None when it has none."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        return None


def _set_application(package: DocxPackage) -> None:
    """docProps/app.xml naming drafter as the application, without the template's stale counts."""
    app = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{GENERATOR}</Application><DocSecurity>0</DocSecurity>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )
    _replace_package_part(
        package,
        RT.EXTENDED_PROPERTIES,
        "/docProps/app.xml",
        CT.OFC_EXTENDED_PROPERTIES,
        app.encode("utf-8"),
    )


def _record_fingerprint(package: DocxPackage) -> None:
    """Store the text's fingerprint and the generator as custom document properties."""
    document_part = package.part
    others = [
        rel.target_part.element
        for rel in document_part.rels.values()
        if rel.reltype in (RT.HEADER, RT.FOOTER)
    ]
    values = {
        FINGERPRINT_PROPERTY: text_fingerprint(package.element, others),
        GENERATOR_PROPERTY: GENERATOR,
    }
    existing = _package_part(package, RT.CUSTOM_PROPERTIES)
    blob = custom_properties_xml(values, existing.blob if existing is not None else None)
    _replace_package_part(
        package, RT.CUSTOM_PROPERTIES, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES, blob
    )


def _package_part(package: DocxPackage, reltype: str) -> Part | None:
    """The part the package relates to by `reltype`, if any."""
    rels = package.part.package.rels
    return next((rel.target_part for rel in rels.values() if rel.reltype == reltype), None)


def _replace_package_part(
    package: DocxPackage, reltype: str, partname: str, content_type: str, blob: bytes
) -> None:
    """Relate the package to a new part in place of any it had of that type."""
    opc = package.part.package
    for rel_id, rel in list(opc.rels.items()):
        if rel.reltype == reltype:
            opc.rels.pop(rel_id)
    opc.relate_to(Part(PackURI(partname), content_type, blob, opc), reltype)


def _timestamp() -> datetime:
    """Now in UTC, or SOURCE_DATE_EPOCH when set, so builds can be reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        datetime.fromtimestamp(int(epoch), timezone.utc)
        if epoch.isdigit()
        else datetime.now(timezone.utc)
    )
    return moment.replace(tzinfo=None, microsecond=0)
