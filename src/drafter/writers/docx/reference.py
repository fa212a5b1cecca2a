"""What the .docx writer takes from a reference document (`--reference-doc office.docx`).

As pandoc does, the reference document becomes the package every speech is written into,
emptied of its text. From it the speech keeps:

- page setup: paper size, margins, line grid, header and footer distances (its last section);
- headers and footers, with their images and fields. Every page is numbered: when the
  reference has no footer at all, drafter adds its own “— 1 —” odd and even footers (and
  gives even pages a copy of a header that only odd pages had); a footer the first page or
  even pages would show that lacks a PAGE field gets drafter's page number added;
- paragraph styles, matched to drafter's roles in this order: drafter's own style id
  (`DrafterBody`…, present when the reference was made from a drafter document), drafter's
  Chinese style name (讲话稿正文…), then Word's built-in style of the same role: 标题 (Title)
  for the title, 标题 1/标题 2 (heading 1/2) for 一、 and （一） headings, 正文文本 (Body Text)
  for body and closing paragraphs. 正文 (Normal) is never taken for the body: every style
  is based on it, and an unstyled document's Normal is not an office's body text;
- theme, fonts table, numbering and settings such as even/odd footers.

What would make the speech wrong is repaired: tracked changes of the page set-up are
accepted, the document language is zh-CN, drafter's fonts and their substitutes join the
font table, and values the schema or Word refuse (`w:zoom` without a percentage, a
character pitch out of range) are corrected. The package is then tried with a paragraph;
a reference that still cannot hold the speech is refused, never written as a broken file.

A paragraph in a matched style carries no direct formatting, so the style governs alone
(only its East Asian font is repeated on each run, for WPS, and a bold run-in lead stays
bold). Roles the reference has no style for keep the preset's style, fitted to the
reference's page.

The reference package is edited with python-docx, the one place the .docx writer uses it;
this module is imported only when a reference document is given, and each reference is
read and built once per process (again only when the file changes).
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxPackage
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ...errors import PresetError
from ...infra.docx_archive import MAX_FILE_BYTES, open_docx
from ...infra.file_memo import memoized_on_files
from ...infra.files import read_user_file
from ...infra.fingerprint import custom_properties_xml
from ...presets import FontSpec, Preset
from .package import APP_XML, LANGUAGE, explode, font_table_xml
from .writer import NS_DECL, Layout, layout_for, page_number_paragraph, section_xml, style_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Word's built-in styles by role, by their (English, lower-case) w:name.
BUILTIN_STYLES = {
    "title": "title",
    "heading1": "heading 1",
    "heading2": "heading 2",
    "body": "body text",
    "thanks": "body text",
}
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MACROS = re.compile(r"macroEnabled", re.IGNORECASE)
_MC_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
_PAGE_FIELD = re.compile(r"\bPAGE\b")  # not NUMPAGES nor PAGEREF
# Schema order (ECMA-376 CT_Compat, CT_Settings, CT_RPr): Word refuses a file that breaks it.
_COMPAT_BEFORE_SHIFT_RETURN = frozenset(
    ["useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading",
     "spaceForUL", "noColumnBalance", "balanceSingleByteDoubleByteWidth",
     "noExtraLineSpacing", "doNotLeaveBackslashAlone", "ulTrailSpace"]
)  # fmt: skip
_SETTINGS_AFTER_COMPAT = frozenset(
    ["docVars", "rsids", "attachedSchema", "themeFontLang", "clrSchemeMapping",
     "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
     "readModeInkLockDown", "smartTagType", "shapeDefaults", "doNotEmbedSmartTags",
     "decimalSymbol", "listSeparator"]
)  # fmt: skip
_RPR_AFTER_LANG = frozenset(["eastAsianLayout", "specVanish", "oMath", "rPrChange"])
# Word keeps the character pitch within ±4096 × 72: a larger charSpace (in 4096ths of a
# point) would squeeze or spread each character by more than an inch.
_CHAR_SPACE_LIMIT = 4096 * 72


def check_reference(path: str | Path, preset: Preset | None = None) -> None:
    """Raise PresetError with a Chinese explanation unless `path` is a usable Word document.

    Given the preset it serves, the speech's package is built from it too (and kept), so a
    reference that cannot hold a speech is refused before any form is rendered.
    """
    read_reference(str(path))
    if preset is not None:
        reference_base(preset)


@memoized_on_files(key=lambda path: str(path), files=lambda path: [Path(path)])
def read_reference(path: str) -> bytes:
    """The reference document's checked parts as a .docx, a Word template (.dotx) relabelled.

    Read through the safe archive reader (size and ratio caps, no DOCTYPE, bounded depth),
    every relationship checked to point inside the package, so python-docx meets no surprise.
    """
    shown = str(path)
    not_docx = PresetError(
        "参考文档不是 Word 2007 及以后的 .docx 格式；.doc、.wps 等文件请先在 Word 或 WPS 中"
        "“另存为” .docx（Word 文档）后再用",
        path=shown,
    )
    data = read_user_file(Path(path), "参考文档", PresetError, MAX_FILE_BYTES)
    if not data.startswith(b"PK"):  # a zip's signature; .doc and .wps are OLE files
        raise not_docx
    archive = open_docx(Path(path), "参考文档", PresetError, data=data)
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if _MACROS.search(types):
        raise PresetError(
            "参考文档含有宏（.docm/.dotm）；请在 Word 中“另存为” .docx（不含宏的 Word 文档）后再用",
            path=shown,
        )
    if _TEMPLATE in types:
        archive.parts["[Content_Types].xml"] = types.replace(_TEMPLATE, _MAIN).encode("utf-8")
    elif _MAIN not in types:
        raise not_docx
    archive.check_all_xml()
    archive.check_relationships()
    return archive.as_file().getvalue()


def _open_reference(preset: Preset) -> DocxPackage:
    """python-docx's view of the checked reference; any failure left is a Chinese PresetError."""
    data = read_reference(preset.reference_doc)
    try:
        package = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError… on packages Word would repair
        package = None
    if package is None or package.element.body is None:
        raise PresetError(
            "参考文档的结构不完整，drafter 无法安全使用它；请在 Word 中打开后“另存为”一份新的 .docx 再用",
            path=preset.reference_doc,
        )
    return package


# ---------------------------------------------------------------- styles


def find_role_styles(styles: Any, roles: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Role key → id of the reference's paragraph style for it, for the roles it has one for."""
    by_id: dict[str, Any] = {}
    by_name: dict[str, str] = {}
    for style in styles.iter(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        style_id = style.get(W + "styleId") or ""
        by_id[style_id] = style
        name = style.find(W + "name")
        if name is not None:
            by_name.setdefault((name.get(W + "val") or "").lower(), style_id)
    found: dict[str, str] = {}
    for key, (our_id, our_name) in roles.items():
        for candidate in (
            our_id if our_id in by_id else None,
            by_name.get(our_name.lower()),
            by_name.get("讲话稿结束语" if key == "thanks" else "\0"),  # older drafter's name
            by_name.get(BUILTIN_STYLES.get(key, "\0")),
        ):
            if candidate:
                found[key] = candidate
                break
    return found


def style_font(styles: Any, style_id: str) -> FontSpec:
    """East Asian font, size and weight a style gives, following basedOn to the defaults.

    Unknown parts are "" and 0 for the caller to fill in.
    """
    by_id = {s.get(W + "styleId"): s for s in styles.iter(W + "style")}
    chain: list[Any] = []
    seen: set[str] = set()
    current = by_id.get(style_id)
    while current is not None and current.get(W + "styleId") not in seen:
        seen.add(current.get(W + "styleId") or "")
        chain.append(current.find(W + "rPr"))
        based_on = current.find(W + "basedOn")
        current = by_id.get(based_on.get(W + "val")) if based_on is not None else None
    chain.append(styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
    props = [p for p in chain if p is not None]
    name = _first(props, "rFonts", "eastAsia") or ""
    size = _first(props, "sz", "val")
    bold = next((p.find(W + "b") for p in props if p.find(W + "b") is not None), None)
    is_bold = bold is not None and bold.get(W + "val", "true") not in ("0", "false", "off")
    return FontSpec(name, int(size) / 2 if size and size.isdigit() else 0.0, is_bold)


def _first(props: list[Any], tag: str, attribute: str) -> str | None:
    for element in props:
        found = element.find(W + tag)
        if found is not None and found.get(W + attribute):
            return str(found.get(W + attribute))
    return None


# ---------------------------------------------------------------- page and body


def adopt_page(preset: Preset, section: Any) -> Preset:
    """The preset with the reference section's paper size and margins."""
    if section is None:
        return preset
    size, margins = section.find(W + "pgSz"), section.find(W + "pgMar")

    def mm(element: Any, name: str, fallback: float) -> float:
        value = element.get(W + name) if element is not None else None
        return (
            round(abs(int(value)) / TWIPS_PER_MM, 2)
            if value and value.lstrip("-").isdigit()
            else fallback
        )

    width, height = preset.page_mm
    top, bottom, left, right = preset.margins_mm
    return dataclasses.replace(
        preset,
        page_mm=(mm(size, "w", width), mm(size, "h", height)),
        margins_mm=(
            mm(margins, "top", top),
            mm(margins, "bottom", bottom),
            mm(margins, "left", left),
            mm(margins, "right", right),
        ),
    )


def empty_body(body: Any) -> bool:
    """Remove the reference's text, keeping its last section; False if it has no section."""
    section = body.find(W + "sectPr")
    for child in list(body):
        if child is not section:
            body.remove(child)
    return section is not None


def has_footers(section: Any) -> bool:
    """Whether the reference's section has any footer."""
    return section is not None and section.find(W + "footerReference") is not None


# ---------------------------------------------------------------- the base package


@memoized_on_files(key=lambda preset: preset, files=lambda preset: [Path(preset.reference_doc)])
def reference_base(preset: Preset) -> tuple[bytes, Layout]:
    """The reference document emptied of text, its styles kept, ours added where it has none."""
    package = _open_reference(preset)
    styles = package.styles.element
    ours = layout_for(preset).roles
    found = find_role_styles(
        styles, {key: (role.style_id, role.name) for key, role in ours.items()}
    )
    fonts = {
        key: _merged_font(ours[key].font, style_font(styles, style_id))
        for key, style_id in found.items()
    }
    adopted = adopt_page(preset, package.element.body.sectPr)
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
    _drop_external_links(package)
    body = package.element.body
    had_section = empty_body(body)
    for key, role in roles.items():
        if not role.referenced:
            styles.append(parse_xml(style_xml(key, layout)))
    if not had_section:  # a reference without page set-up: the preset's
        section = section_xml(adopted, layout).replace("<w:sectPr>", f"<w:sectPr {NS_DECL}>", 1)
        body.append(parse_xml(section))
    accept_section_changes(body)
    repair_grid(body.sectPr)
    _number_pages(package, layout)
    _adjust_settings(package)
    set_east_asian_language(styles)
    _add_fonts(package, layout_fonts(layout))
    _prepare_properties(package)
    _canonical_prefixes(package)
    out = io.BytesIO()
    package.save(out)
    _check_holds_a_speech(out.getvalue(), preset.reference_doc)
    return out.getvalue(), layout


def _merged_font(ours: FontSpec, theirs: FontSpec) -> FontSpec:
    """The reference style's font, with our font name where it names none."""
    return FontSpec(theirs.name or ours.name, theirs.size or ours.size, theirs.bold)


def _adjust_settings(package: DocxPackage) -> None:
    """Chinese theme-font language, unstretched lines before a manual break, a valid zoom."""
    settings = package.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        # Templates often say ja-JP, which would make Word pick Japanese glyph variants.
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and not _is_integer(zoom.get(qn("w:percent"))):
        zoom.set(qn("w:percent"), "100")  # the schema requires it; Word's own templates omit it
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = parse_xml(f"<w:compat {NS_DECL}/>")
        insert_before_first(settings, compat, _SETTINGS_AFTER_COMPAT, foreign_after=True)
    shift_return = compat.find(qn("w:doNotExpandShiftReturn"))
    if shift_return is None:
        # A line ended by "\n" (w:br) in a justified paragraph must not be stretched edge to
        # edge; Word and LibreOffice both honour this switch.
        shift_return = parse_xml(f"<w:doNotExpandShiftReturn {NS_DECL}/>")
        insert_after_last(compat, shift_return, _COMPAT_BEFORE_SHIFT_RETURN)
    shift_return.attrib.pop(qn("w:val"), None)  # w:val="0" would turn it off


def insert_after_last(parent: Any, child: Any, earlier: Iterable[str]) -> None:
    """Insert `child` after the last W child named in `earlier` (else first), as the schema orders."""
    names = {W + name for name in earlier}
    positions = [i for i, node in enumerate(parent) if node.tag in names]
    parent.insert(positions[-1] + 1 if positions else 0, child)


def insert_before_first(
    parent: Any, child: Any, later: Iterable[str], *, foreign_after: bool = False
) -> None:
    """Insert `child` before the first W child named in `later` (else last).

    With `foreign_after`, any element of another namespace also comes after `child`.
    """
    names = {W + name for name in later}
    for index, node in enumerate(parent):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in names or (foreign_after and tag and not tag.startswith(W)):
            parent.insert(index, child)
            return
    parent.append(child)


def _is_integer(value: str | None) -> bool:
    return value is not None and re.fullmatch(r"-?\d{1,9}", value.strip()) is not None


def accept_section_changes(body: Any) -> None:
    """Accept tracked changes of the page set-up: keep the section as it now is.

    A `w:sectPrChange` holds the previous `w:sectPr`; left in, the speech's paragraphs
    would be placed inside that revision record.
    """
    for change in list(body.iter(W + "sectPrChange")):
        change.getparent().remove(change)


def repair_grid(section: Any) -> None:
    """Drop a line pitch or character pitch no page can have (drafter's own grid stays)."""
    grid = section.find(W + "docGrid") if section is not None else None
    if grid is None:
        return
    pitch = grid.get(W + "linePitch")
    if pitch is not None and not (_is_integer(pitch) and int(pitch) > 0):
        del grid.attrib[W + "linePitch"]
    space = grid.get(W + "charSpace")
    if space is not None and not (_is_integer(space) and abs(int(space)) <= _CHAR_SPACE_LIMIT):
        del grid.attrib[W + "charSpace"]


def set_east_asian_language(styles: Any) -> None:
    """Make zh-CN the East Asian language of the document defaults and of every style.

    Word chooses punctuation widths and line-breaking rules by it; python-docx's own
    template says en-US, Japanese templates ja-JP.
    """
    defaults = _child(styles, "docDefaults", 0)
    run_props = _child(_child(defaults, "rPrDefault", 0), "rPr", 0)
    if run_props.find(W + "lang") is None:
        lang = parse_xml(f'<w:lang {NS_DECL} w:val="{LANGUAGE}"/>')
        insert_before_first(run_props, lang, _RPR_AFTER_LANG)
    for lang in styles.iter(W + "lang"):
        if lang.getparent() is run_props or lang.get(W + "eastAsia") is not None:
            lang.set(W + "eastAsia", LANGUAGE)


def _child(parent: Any, name: str, index: int) -> Any:
    """`parent`'s W child `name`, created at `index` when missing."""
    found = parent.find(W + name)
    if found is None:
        found = parse_xml(f"<w:{name} {NS_DECL}/>")
        parent.insert(index, found)
    return found


def layout_fonts(layout: Layout) -> list[str]:
    """Every font name the speech's runs and styles use."""
    names = [layout.latin, *(role.font.name for role in layout.roles.values()), layout.lead_font]
    return [name for name in dict.fromkeys(names) if name]


def _add_fonts(package: DocxPackage, fonts: list[str]) -> None:
    """Add drafter's fonts, with their substitutes (仿宋 for 仿宋_GB2312…), to the font table.

    Without an entry Word and WPS fall back to a Western font on a PC lacking the font.
    """
    part = next(
        (rel.target_part for rel in package.part.rels.values() if rel.reltype == RT.FONT_TABLE),
        None,
    )
    if part is None:
        blob = font_table_xml(fonts).encode("utf-8")
        table = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob, package.part.package)
        package.part.relate_to(table, RT.FONT_TABLE)
        return
    root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob)
    known = {font.get(W + "name") for font in root.iter(W + "font")}
    missing = [name for name in fonts if name not in known]
    if not missing:
        return
    for font in etree.fromstring(font_table_xml(missing).encode("utf-8")):
        root.append(font)
    if not isinstance(part, XmlPart):
        part._blob = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)


def _drop_unused_parts(package: DocxPackage) -> None:
    """Drop a stale page thumbnail and the Word 2010 style copy."""
    part = package.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            # Word 2010 would read these stale styles instead of ours.
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel_id)


def _drop_external_links(package: DocxPackage) -> None:
    """Drop every relationship to outside the file, and the attached template.

    A reference's `w:attachedTemplate` or a linked picture names a server Word contacts when
    the speech is opened (remote template injection); no speech needs one. Elements that
    used a dropped relationship lose only the link (a hyperlink keeps its text).
    """
    settings = package.settings.element
    for attached in settings.findall(qn("w:attachedTemplate")):
        settings.remove(attached)
    for part in package.part.package.iter_parts():
        dropped = {rel_id for rel_id, rel in part.rels.items() if rel.is_external}
        for rel_id in dropped:
            part.rels.pop(rel_id)
        if dropped and isinstance(part, XmlPart):
            for node in part.element.iter():
                for name in [a for a in node.attrib if node.attrib[a] in dropped]:
                    if name.startswith(_R):
                        del node.attrib[name]
    package_rels = package.part.package.rels
    for rel_id in [i for i, rel in package_rels.items() if rel.is_external]:
        package_rels.pop(rel_id)


def _number_pages(package: DocxPackage, layout: Layout) -> None:
    """A page number on every page: in each footer the first, odd and even pages show.

    A reference without footers gets drafter's odd and even footers (GB/T 9704 puts the
    numbers on alternate sides), and its even pages a copy of a header only odd pages had.
    A footer without a PAGE field keeps its text and gains drafter's page number.
    """
    section = package.sections[-1]
    if not has_footers(package.element.body.sectPr):
        package.settings.odd_and_even_pages_header_footer = True
        if (
            not section.header.is_linked_to_previous
            and section.even_page_header.is_linked_to_previous
        ):
            _copy_story(section.header, section.even_page_header)
    shown = [(section.footer, True)]
    if package.settings.odd_and_even_pages_header_footer:
        shown.append((section.even_page_footer, False))
    if section.different_first_page_header_footer:
        shown.append((section.first_page_footer, True))
    for footer, odd in shown:
        if footer.is_linked_to_previous:
            footer.is_linked_to_previous = False
            for child in list(footer._element):  # python-docx's new footer: an empty paragraph
                footer._element.remove(child)
        if not has_page_field(footer._element):
            footer._element.append(parse_xml(page_number_paragraph(layout, odd=odd)))


def has_page_field(story: Any) -> bool:
    """Whether a header or footer holds a PAGE field (simple or complex)."""
    instructions = [node.text or "" for node in story.iter(W + "instrText")]
    instructions += [node.get(W + "instr") or "" for node in story.iter(W + "fldSimple")]
    return any(_PAGE_FIELD.search(text) for text in instructions)


def _copy_story(source: Any, target: Any) -> None:
    """Make `target` (a new header) show what `source` shows, its pictures included."""
    target.is_linked_to_previous = False
    root = target._element
    for child in list(root):
        root.remove(child)
    for child in source._element:
        root.append(copy.deepcopy(child))
    for rel_id, rel in source.part.rels.items():  # the copy names the same relationship ids
        target.part.rels.add_relationship(rel.reltype, rel.target_part, rel_id)


def _canonical_prefixes(package: DocxPackage) -> None:
    """Write document.xml with WordprocessingML as `w:` and relationships as `r:`.

    The speech's paragraphs are spliced into document.xml as text using those prefixes;
    a reference saved by a tool that wrote `ns0:` would otherwise give a broken file.
    """
    part = package.part
    old = part.element
    nsmap: dict[str, str] = {}
    for node in old.iter():
        if isinstance(node.tag, str):
            for prefix, uri in node.nsmap.items():
                if prefix and prefix not in ("w", "r") and uri not in (W[1:-1], _R[1:-1]):
                    nsmap.setdefault(prefix, uri)
    nsmap.update(w=W[1:-1], r=_R[1:-1])
    root = etree.Element(old.tag, nsmap=nsmap)
    _copy_into(old, root)
    # Only prefixes still declared may be ignorable, or Word refuses the file.
    ignorable = [p for p in (old.get(_MC_IGNORABLE) or "").split() if p in nsmap]
    if ignorable:
        root.set(_MC_IGNORABLE, " ".join(ignorable))
    part._element = parse_xml(etree.tostring(root))


def _copy_into(source: Any, target: Any) -> None:
    """Copy `source`'s attributes and descendants into `target`, prefixes as `target` declares."""
    for name, value in source.attrib.items():
        if name != _MC_IGNORABLE:
            target.set(name, value)
    target.text = source.text
    for child in source:
        if isinstance(child.tag, str):
            copied = etree.SubElement(target, child.tag)
            _copy_into(child, copied)
        else:  # comments and processing instructions
            copied = copy.copy(child)
            target.append(copied)
        copied.tail = child.tail


def _check_holds_a_speech(package: bytes, path: str) -> None:
    """Refuse a reference whose document.xml would not hold a paragraph in its body."""
    base = explode(package)
    sample = "<w:p><w:r><w:t>样</w:t></w:r></w:p>"
    try:
        root = etree.fromstring(f"{base.head}{sample}{base.tail}".encode())
        body = root.find(W + "body")
        usable = body is not None and [node.tag for node in body][-2:] == [W + "p", W + "sectPr"]
    except etree.XMLSyntaxError:
        usable = False
    if not usable:
        raise PresetError(
            "参考文档的正文结构特殊，drafter 无法把讲话稿安全地放进去；请在 Word 中打开后"
            "“另存为”一份新的 .docx 再用",
            path=path,
        )


def _prepare_properties(package: DocxPackage) -> None:
    """Core, app and custom property parts at the names each speech's properties replace."""
    package.core_properties  # noqa: B018 - python-docx creates the core part when first asked
    _replace_package_part(
        package, RT.EXTENDED_PROPERTIES, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES,
        APP_XML.encode("utf-8"),
    )  # fmt: skip
    rels = package.part.package.rels
    existing = next(
        (rel.target_part.blob for rel in rels.values() if rel.reltype == RT.CUSTOM_PROPERTIES),
        None,
    )
    _replace_package_part(
        package, RT.CUSTOM_PROPERTIES, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES,
        custom_properties_xml({}, existing),
    )  # fmt: skip


def _replace_package_part(
    package: DocxPackage, reltype: str, partname: str, content_type: str, blob: bytes
) -> None:
    """Relate the package to a new part in place of any it had of that type."""
    opc = package.part.package
    for rel_id, rel in list(opc.rels.items()):
        if rel.reltype == reltype:
            opc.rels.pop(rel_id)
    opc.relate_to(Part(PackURI(partname), content_type, blob, opc), reltype)
