"""What the .docx writer takes from a reference document (`--reference-doc office.docx`).

As pandoc does, the reference document becomes the package every speech is written into,
emptied of its text. From it the speech keeps:

- page setup: paper size, margins, line grid, header and footer distances (its last section);
- headers and footers, with their images and fields; when it has no footer at all, drafter
  adds its own “— 1 —” page numbers so the speech is still numbered;
- paragraph styles, matched to drafter's roles in this order: drafter's own style id
  (`DrafterBody`…, present when the reference was made from a drafter document), drafter's
  Chinese style name (讲话稿正文…), then Word's built-in style of the same role: 标题 (Title)
  for the title, 标题 1/标题 2 (heading 1/2) for 一、 and （一） headings, 正文文本 (Body Text)
  for body and closing paragraphs. 正文 (Normal) is never taken for the body: every style
  is based on it, and an unstyled document's Normal is not an office's body text;
- theme, fonts table, numbering and settings such as even/odd footers.

A paragraph in a matched style carries no direct formatting, so the style governs alone
(only its East Asian font is repeated on each run, for WPS, and a bold run-in lead stays
bold). Roles the reference has no style for keep the preset's style, fitted to the
reference's page.

The reference package is edited with python-docx, the one place the .docx writer uses it;
this module is imported only when a reference document is given, and each reference is
read and built once per process (again only when the file changes).
"""

from __future__ import annotations

import dataclasses
import io
import re
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

from ...errors import PresetError
from ...infra.docx_archive import MAX_FILE_BYTES, open_docx
from ...infra.file_memo import memoized_on_files
from ...infra.files import read_user_file
from ...infra.fingerprint import custom_properties_xml
from ...presets import FontSpec, Preset
from .package import APP_XML, LANGUAGE
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


def check_reference(path: str | Path) -> None:
    """Raise PresetError with a Chinese explanation unless `path` is a usable Word document."""
    read_reference(str(path))


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
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError… on packages Word would repair
        raise PresetError(
            "参考文档的结构不完整，drafter 无法安全使用它；请在 Word 中打开后“另存为”一份新的 .docx 再用",
            path=preset.reference_doc,
        ) from None


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
    had_section = empty_body(package.element.body)
    for key, role in roles.items():
        if not role.referenced:
            styles.append(parse_xml(style_xml(key, layout)))
    if not had_section:  # a reference without page set-up: the preset's
        section = section_xml(adopted, layout).replace("<w:sectPr>", f"<w:sectPr {NS_DECL}>", 1)
        package.element.body.append(parse_xml(section))
    if not has_footers(package.element.body.sectPr):
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
