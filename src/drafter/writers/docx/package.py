"""The .docx package around a speech's paragraphs: its parts, properties and zip file.

A base package is made once per layout preset: every part but the document's body and its
properties, as bytes. Each speech then costs one string join, two small XML parts and a
zip write, with python-docx not even imported (it takes longer to load than a speech takes
to lay out). Only the parts that change per speech are compressed.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from xml.etree import ElementTree as ET

from ... import __version__
from ...infra.fingerprint import (
    FINGERPRINT_PROPERTY,
    GENERATOR_PROPERTY,
    custom_properties_xml,
    package_items,
    part_text,
    recorded_fingerprint,
)
from ...infra.xml_text import escape_attribute, escape_text
from ...model import Document, Title
from ..linebreak import clean_text
from .zip_parts import ZipParts

LANGUAGE = "zh-CN"
GENERATOR = f"drafter {__version__}"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CUSTOM_REL = _REL + "custom-properties"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# zlib's fastest level: a speech's XML repeats its run properties, so level 1 already shrinks
# it 4- to 15-fold, in under half the time of the default level 6.
_DEFLATE_LEVEL = 1
# Parts smaller than this are stored: setting up a compressor costs more than a kilobyte saves.
_STORED_BELOW = 2048


@dataclass(frozen=True)
class BasePackage:
    """Every part of a .docx but the body and properties, and where those go."""

    parts: dict[str, bytes]
    head: str  # word/document.xml up to where the paragraphs go
    tail: str  # the section properties and the closing tags after them
    document_name: str
    core_name: str
    custom_name: str
    footer_texts: tuple[str, ...]  # each header and footer part's text, for the fingerprint
    items: dict[str, int]  # pictures, fields, … of these parts, for the fingerprint

    @cached_property
    def shared_zip(self) -> ZipParts:
        """The parts every speech shares, zipped once."""
        own = {self.document_name, self.core_name, self.custom_name}
        return ZipParts({name: data for name, data in self.parts.items() if name not in own})


def assemble(base: BasePackage, body_xml: str, texts: list[str], document: Document) -> bytes:
    """The .docx bytes of a speech whose paragraphs are `body_xml`, reading as `texts`."""
    document_xml = f"{base.head}{body_xml}{base.tail}"
    core = core_properties_xml(document)
    generator = {GENERATOR_PROPERTY: GENERATOR}
    own = custom_properties_xml(generator, base.parts.get(base.custom_name))
    properties = (core, base.parts.get("docProps/app.xml"), own)
    fingerprint = recorded_fingerprint(texts, base.footer_texts, base.items, properties)
    custom = custom_properties_xml({FINGERPRINT_PROPERTY: fingerprint, **generator}, own)
    own_parts = {
        base.document_name: document_xml.encode("utf-8"),
        base.core_name: core,
        base.custom_name: custom,
    }
    return base.shared_zip.package(
        # The property parts are small: not worth a compressor each.
        (name, data, None if len(data) < _STORED_BELOW else _DEFLATE_LEVEL)
        for name, data in own_parts.items()
    )


def explode(package_bytes: bytes) -> BasePackage:
    """A base package from an empty .docx (as the reference-document path builds one)."""
    with zipfile.ZipFile(io.BytesIO(package_bytes)) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    targets = _package_targets(parts["_rels/.rels"])
    document_name = targets[_REL + "officeDocument"]
    document_xml = parts[document_name].decode("utf-8")
    cut = document_xml.rfind("<w:sectPr")
    if cut < 0:
        cut = document_xml.rfind("</w:body>")
    footers = _part_texts(
        data for name, data in parts.items() if name.startswith(("word/footer", "word/header"))
    )
    head, tail = document_xml[:cut], document_xml[cut:]
    return BasePackage(
        parts=parts,
        head=head,
        tail=tail,
        document_name=document_name,
        core_name=targets[CORE_REL],
        custom_name=targets[CUSTOM_REL],
        footer_texts=footers,
        items=package_items({**parts, document_name: f"{head}{tail}".encode()}),
    )


def _package_targets(rels: bytes) -> dict[str, str]:
    """Relationship type → part name, for the package-level relationships."""
    return {
        rel.get("Type", ""): (rel.get("Target") or "").lstrip("/")
        for rel in ET.fromstring(rels)
        if rel.tag == f"{{{PKG_REL_NS}}}Relationship"
    }


def plain_base(
    styles_xml: str, fonts: Iterable[str], section_xml: str, footers: tuple[str, str]
) -> BasePackage:
    """A base package made from drafter's own parts: styles, page set-up and page numbers."""
    odd, even = footers
    footer_parts = {"word/footer1.xml": _footer(odd), "word/footer2.xml": _footer(even)}
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": PACKAGE_RELS.encode(),
        "docProps/app.xml": APP_XML.encode(),
        "word/_rels/document.xml.rels": DOCUMENT_RELS.encode(),
        "word/styles.xml": styles_xml.encode("utf-8"),
        "word/settings.xml": SETTINGS_XML.encode(),
        "word/fontTable.xml": font_table_xml(fonts).encode("utf-8"),
        **footer_parts,
    }
    head = f'{XML_DECLARATION}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
    tail = f"{section_xml.replace('<w:sectPr>', _FOOTER_REFERENCES, 1)}</w:body></w:document>"
    return BasePackage(
        parts=parts,
        head=head,
        tail=tail,
        document_name="word/document.xml",
        core_name="docProps/core.xml",
        custom_name="docProps/custom.xml",
        footer_texts=_part_texts(footer_parts.values()),
        items=package_items({**parts, "word/document.xml": f"{head}{tail}".encode()}),
    )


def _part_texts(parts: Iterable[bytes]) -> tuple[str, ...]:
    """The text of each header or footer part, as the fingerprint reads it."""
    return tuple(part_text(ET.fromstring(data)) for data in parts)


def _footer(paragraph_xml: str) -> bytes:
    return (
        f'{XML_DECLARATION}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{paragraph_xml}</w:ftr>'
    ).encode()


# Odd pages (and the first) use the default footer; with evenAndOddHeaders on, even pages
# use the even one: GB/T 9704 puts their page numbers on opposite sides.
_FOOTER_REFERENCES = (
    '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
    '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
)


def core_properties_xml(document: Document) -> bytes:
    """docProps/core.xml: title, the speaker as author, the speech's date, language, generator."""
    meta = document.meta
    title = meta.title or next((b.text for b in document.blocks if isinstance(b, Title)), "")
    modified = _timestamp()
    # "Created" is the date the speech bears (Explorer shows it as 内容创建时间).
    created = _speech_date(meta.date) or modified
    fields = (
        f"<dc:title>{escape_text(clean_text(title))}</dc:title>"
        f"<dc:creator>{escape_text(clean_text(meta.author))}</dc:creator>"
        f"<dc:description>由 {GENERATOR} 生成</dc:description>"
        f"<cp:lastModifiedBy>{GENERATOR}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>'
        f"<dc:language>{LANGUAGE}</dc:language>"
    )
    return (
        f"{XML_DECLARATION}<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{fields}</cp:coreProperties>"
    ).encode()


def _speech_date(text: str) -> datetime | None:
    try:  # fromisoformat, not strptime: that loads the _strptime module on every render
        return datetime.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def _timestamp() -> datetime:
    """Now in UTC, or SOURCE_DATE_EPOCH when set, so builds can be reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).replace(tzinfo=None)
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


# Licensed office fonts many PCs lack, with the Windows font Word should take in their place.
SUBSTITUTES = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "方正小标宋简体": "宋体",
    "方正小标宋_GBK": "宋体",
    "方正仿宋_GBK": "仿宋",
    "方正楷体_GBK": "楷体",
    "方正黑体_GBK": "黑体",
}


def font_table_xml(fonts: Iterable[str]) -> str:
    """word/fontTable.xml naming each font, CJK ones with the GB2312 charset and a substitute."""
    entries = []
    for name in dict.fromkeys(fonts):
        if name.isascii():
            entries.append(
                f'<w:font w:name="{escape_attribute(name)}"><w:family w:val="roman"/></w:font>'
            )
            continue
        substitute = SUBSTITUTES.get(name)
        alt = f'<w:altName w:val="{escape_attribute(substitute)}"/>' if substitute else ""
        # charset 86 is GB2312: Word then substitutes a Chinese font, not a Western one.
        entries.append(
            f'<w:font w:name="{escape_attribute(name)}">{alt}<w:charset w:val="86"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        )
    return f'{XML_DECLARATION}<w:fonts xmlns:w="{W_NS}">{"".join(entries)}</w:fonts>'


_CT = "application/vnd.openxmlformats-officedocument."
CONTENT_TYPES = (
    f"{XML_DECLARATION}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}wordprocessingml.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}wordprocessingml.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}wordprocessingml.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}wordprocessingml.fontTable+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_CT}wordprocessingml.footer+xml"/>'
    f'<Override PartName="/word/footer2.xml" ContentType="{_CT}wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml"'
    ' ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_CT}extended-properties+xml"/>'
    f'<Override PartName="/docProps/custom.xml" ContentType="{_CT}custom-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{CORE_REL}" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}extended-properties" Target="docProps/app.xml"/>'
    f'<Relationship Id="rId4" Type="{CUSTOM_REL}" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rIdStyles" Type="{_REL}styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{_REL}fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooterOdd" Type="{_REL}footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterEven" Type="{_REL}footer" Target="footer2.xml"/>'
    "</Relationships>"
)
APP_XML = (
    f"{XML_DECLARATION}"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{GENERATOR}</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
# Elements in the order the schema requires (Word refuses files that break it).
SETTINGS_XML = (
    f'{XML_DECLARATION}<w:settings xmlns:w="{W_NS}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    "<w:evenAndOddHeaders/>"  # the page number alternates sides
    '<w:characterSpacingControl w:val="doNotCompress"/>'  # keep 28 characters a line
    # doNotExpandShiftReturn: a line ended by a line break is not stretched edge to edge.
    "<w:compat><w:doNotExpandShiftReturn/><w:useFELayout/>"
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
    ' w:val="14"/></w:compat>'
    f'<w:themeFontLang w:val="en-US" w:eastAsia="{LANGUAGE}"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
)
