"""Validate every XML part of a .docx against the ECMA-376 transitional schemas in tests/xsd.

One schema set, compiled once per test session, covers WordprocessingML (document, styles,
settings, headers, footers, numbering, font table, footnotes…), DrawingML (themes), the
package's content types and relationships, and the core, extended and custom properties.
Markup-compatibility extensions (w14:, mc:AlternateContent…) are removed first, as Word
does for a reader that does not know them; parts in namespaces no vendored schema covers
are reported by name, never silently passed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

XSD = Path(__file__).resolve().parent / "xsd"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# The schemas of the vendored set, by the namespace of the root elements they declare.
ROOT_SCHEMAS = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "opc-coreProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": (
        "shared-documentPropertiesCustom.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": (
        "shared-customXmlDataProperties.xsd"
    ),
}
# The core-properties schema names Dublin Core's schemas by URL; tests never go online, so
# those URLs resolve to the small stand-ins in xsd/local (see xsd/README.md).
_LOCAL = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "local/dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "local/dcterms.xsd",
}


class _LocalCopies(etree.Resolver):
    """Serve the Dublin Core schema URLs from xsd/local."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        local = _LOCAL.get(system_url)
        return self.resolve_filename(str(XSD / local), context) if local else None


@cache
def schema() -> etree.XMLSchema:
    """Every vendored schema behind one driver schema, compiled once per process."""
    imports = [
        '<xsd:import namespace="http://www.w3.org/XML/1998/namespace"'
        ' schemaLocation="local/xml.xsd"/>',
        *(
            f'<xsd:import namespace="{namespace}" schemaLocation="{location}"/>'
            for namespace, location in ROOT_SCHEMAS.items()
        ),
    ]
    driver = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
        ' targetNamespace="urn:drafter:tests:ooxml">' + "".join(imports) + "</xsd:schema>"
    )
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalCopies())
    tree = etree.parse(io.BytesIO(driver.encode()), parser, base_url=str(XSD / "driver.xsd"))
    return etree.XMLSchema(tree)


@dataclass
class Report:
    """What validating one package found."""

    errors: list[str] = field(default_factory=list)
    validated: list[str] = field(default_factory=list)
    no_schema: list[str] = field(default_factory=list)  # XML parts no vendored schema covers


def validate_docx(package: bytes | Path) -> Report:
    """Validate every XML part of a .docx; well-formedness is checked for every part."""
    data = package.read_bytes() if isinstance(package, Path) else package
    report = Report()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                root = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError as error:
                report.errors.append(f"{name}: not well-formed: {error}")
                continue
            if etree.QName(root).namespace not in ROOT_SCHEMAS:
                report.no_schema.append(name)
                continue
            report.validated.append(name)
            report.errors.extend(_errors(name, root))
    return report


def assert_valid_docx(package: bytes | Path) -> Report:
    """Fail with every schema error of the package; return the report."""
    report = validate_docx(package)
    assert not report.errors, "\n".join(report.errors[:20])
    return report


def _errors(name: str, root: etree._Element) -> list[str]:
    checked = schema()
    tree = without_extensions(root)
    if checked.validate(tree):
        return []
    return [f"{name}:{e.line}: {e.message}" for e in checked.error_log]  # type: ignore[attr-defined]


def without_extensions(root: etree._Element) -> etree._Element:
    """A copy of `root` as a reader knowing only ECMA-376 sees it (markup compatibility).

    Elements and attributes of namespaces a part declares ignorable are removed, and each
    mc:AlternateContent is replaced by its mc:Fallback.
    """
    root = etree.fromstring(etree.tostring(root))
    ignorable: set[str] = set()
    for element in root.iter():
        prefixes = element.get(f"{{{MC}}}Ignorable")
        if prefixes:
            ignorable.update(element.nsmap[p] for p in prefixes.split() if p in element.nsmap)
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent = alternate.getparent()
        if parent is None:
            continue
        fallback = alternate.find(f"{{{MC}}}Fallback")
        index = parent.index(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
        parent.remove(alternate)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable and element.getparent() is not None:
            element.getparent().remove(element)  # type: ignore[union-attr]
            continue
        for attribute in list(element.attrib):
            namespace = etree.QName(attribute).namespace
            if namespace in ignorable or namespace == MC:
                del element.attrib[attribute]
    return root


# ---------------------------------------------------------------- pages and footers

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
OFFICE_TOOLS = ("soffice", "pdftotext")


def footers_shown(package: bytes | Path) -> dict[str, etree._Element | None]:
    """The footer page 1, odd pages after it and even pages show ("first", "odd", "even")."""
    data = package.read_bytes() if isinstance(package, Path) else package
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        settings = etree.fromstring(archive.read("word/settings.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        section = document.find(f"{W}body/{W}sectPr")
        assert section is not None, "the body has no section properties"

        def footer(kind: str) -> etree._Element | None:
            for ref in section.iter(W + "footerReference"):
                if ref.get(W + "type") == kind:
                    return etree.fromstring(archive.read("word/" + targets[ref.get(_R_ID)]))
            return None

        even_odd = settings.find(W + "evenAndOddHeaders") is not None
        title_page = section.find(W + "titlePg") is not None
        return {
            "first": footer("first") if title_page else footer("default"),
            "odd": footer("default"),
            "even": footer("even") if even_odd else footer("default"),
        }


def has_page_field(story: etree._Element | None) -> bool:
    """Whether a footer holds a PAGE field."""
    if story is None:
        return False
    texts = [t.text or "" for t in story.iter(W + "instrText")]
    texts += [f.get(W + "instr", "") for f in story.iter(W + "fldSimple")]
    return any(text.split()[:1] == ["PAGE"] for text in texts)


def convert_to_pdf(files: list[Path], folder: Path) -> dict[Path, Path]:
    """Convert .docx files to PDF in one LibreOffice run (a profile of its own)."""
    import shutil  # deferred: start-up speed
    import subprocess  # deferred: start-up speed

    soffice = shutil.which("soffice")
    assert soffice is not None
    profile = (folder / "lo-profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *map(str, files)],
        capture_output=True, timeout=600, check=False,
    )  # fmt: skip
    return {file: folder / f"{file.stem}.pdf" for file in files}


def pdf_page_text(pdf: Path, page: int) -> str:
    """The text pdftotext finds on one page."""
    import subprocess  # deferred: start-up speed

    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True, text=True, encoding="utf-8", check=True,
    ).stdout  # fmt: skip
