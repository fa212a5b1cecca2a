"""The base package for `--reference-doc`: the office's Word file, emptied, with our roles added.

This is the one place the .docx writer uses python-docx (to edit a package someone else
wrote); it is imported only when a reference document is given, and runs once per process.
`reference_doc` decides which of the office's styles and page settings are taken.
"""

from __future__ import annotations

import dataclasses
import io

import docx
from docx.document import Document as DocxPackage
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ...infra.fingerprint import custom_properties_xml
from ...presets import FontSpec, Preset
from . import reference_styles as reference_doc
from .package import APP_XML, LANGUAGE
from .writer import NS_DECL, Layout, layout_for, page_number_paragraph, section_xml, style_xml


def reference_base(preset: Preset) -> tuple[bytes, Layout]:
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
            styles.append(parse_xml(style_xml(key, layout)))
    if not had_section:  # a reference without page set-up: the preset's
        section = section_xml(adopted, layout).replace("<w:sectPr>", f"<w:sectPr {NS_DECL}>", 1)
        package.element.body.append(parse_xml(section))
    if not reference_doc.has_footers(package.element.body.sectPr):
        _install_footers(package, layout)
    _adjust_settings(package)
    _prepare_properties(package)
    out = io.BytesIO()
    package.save(out)
    return out.getvalue(), layout


def _merged_font(ours: FontSpec, theirs: FontSpec) -> FontSpec:
    """The reference style's font, with our font name where it names none."""
    return FontSpec(theirs.name or ours.name, theirs.size or ours.size, theirs.bold)


def _adjust_settings(package: DocxPackage) -> None:
    """Chinese theme-font language and unstretched lines before a manual break."""
    settings = package.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        # Templates often say ja-JP, which would make Word pick Japanese glyph variants.
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    compat = settings.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        # A line ended by "\n" (w:br) in a justified paragraph must not be stretched edge to
        # edge; Word and LibreOffice both honour this switch.
        compat.insert(0, parse_xml(f"<w:doNotExpandShiftReturn {NS_DECL}/>"))


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


def _install_footers(package: DocxPackage, layout: Layout) -> None:
    """Page numbers in the odd (default) and even footers, with even/odd footers enabled."""
    package.settings.odd_and_even_pages_header_footer = True
    section = package.sections[0]
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        root = footer._element
        for child in list(root):
            root.remove(child)
        root.append(parse_xml(page_number_paragraph(layout, odd=odd)))


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
