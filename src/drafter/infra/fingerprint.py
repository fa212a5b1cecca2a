"""A fingerprint of the text drafter wrote into a .docx, to tell an untouched output from an edited one.

The fingerprint hashes the text a reader sees (paragraph by paragraph, body and then headers
and footers), not the XML: Word, WPS and LibreOffice rewrite the XML on every save (run
splits, revision ids, attribute order) while the text stays the same until the writer
changes it. It is kept as a custom document property (in Word: 文件 › 信息 › 属性 ›
高级属性 › 自定义), which Word and LibreOffice carry over when they save the file. A program
that dropped it would leave a file without a fingerprint, which is protected too.

Only the standard library's ElementTree API is used here (iteration, tags, attributes), so
the same functions read lxml elements in the writer and stdlib elements when checking a file
on disk, and `drafter render -f txt` never loads lxml.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from .xml_text import escape_attribute, escape_text

FINGERPRINT_PROPERTY = "DrafterFingerprint"
GENERATOR_PROPERTY = "Generator"
_VERSION = "v1"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The format id Office gives every user-defined property.
USER_PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_PARAGRAPH, _TEXT, _FIELD_CHAR, _SIMPLE_FIELD = W + "p", W + "t", W + "fldChar", W + "fldSimple"
_CHARACTERS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
# Text that is not the reader's: field codes, deleted revisions, cached field results.
_SKIPPED = {W + "instrText", W + "delText", W + "delInstrText", _SIMPLE_FIELD}


class DocxState(Enum):
    """What an existing .docx is, as far as overwriting it goes."""

    UNEDITED = "unedited"  # written by drafter, text unchanged since
    EDITED = "edited"  # written by drafter, text changed since
    FOREIGN = "foreign"  # not written by drafter, or not a readable .docx


# ---------------------------------------------------------------- the fingerprint


def text_fingerprint(document: Any, headers_and_footers: Iterable[Any] = ()) -> str:
    """Fingerprint of a document part's text plus its header and footer parts' text."""
    return fingerprint_of_texts(
        paragraph_texts(document), ("\n".join(paragraph_texts(p)) for p in headers_and_footers)
    )


def fingerprint_of_texts(paragraphs: Iterable[str], part_texts: Iterable[str] = ()) -> str:
    """Fingerprint of the body's paragraph texts and each header or footer part's text.

    The writer knows the texts it wrote and calls this directly; reading a file, the same
    texts come from its XML through `text_fingerprint`.
    """
    body = "\n".join(paragraphs)
    # Word may renumber header/footer parts on save; sorting their texts ignores that.
    others = sorted(filter(None, part_texts))
    digest = hashlib.sha256("\n\f\n".join([body, *others]).encode("utf-8")).hexdigest()
    return f"{_VERSION}:{digest}"


def paragraph_texts(root: Any) -> list[str]:
    """The text of every paragraph under `root` that has any, in reading order."""
    texts: list[str] = []
    for paragraph in _paragraphs(root):
        text = "".join(_paragraph_pieces(paragraph, depth=[0]))
        if text.strip():
            texts.append(text)
    return texts


def _paragraphs(element: Any) -> Iterator[Any]:
    """Paragraphs in document order, a paragraph inside a text box after its container."""
    for child in element:
        if child.tag == _PARAGRAPH:
            yield child
        yield from _paragraphs(child)


def _paragraph_pieces(element: Any, depth: list[int]) -> Iterator[str]:
    """The visible characters of one paragraph, leaving out nested paragraphs and fields."""
    for child in element:
        tag = child.tag
        if tag == _PARAGRAPH or tag in _SKIPPED:
            continue
        if tag == _FIELD_CHAR:
            kind = child.get(W + "fldCharType")
            depth[0] += 1 if kind == "begin" else -1 if kind == "end" else 0
        elif tag == _TEXT or tag in _CHARACTERS:
            # Inside a field only its result shows, and the reader recomputes it (page numbers).
            if depth[0] <= 0:
                yield (child.text or "") if tag == _TEXT else _CHARACTERS[tag]
        else:
            yield from _paragraph_pieces(child, depth)


# ---------------------------------------------------------------- custom properties


def custom_properties_xml(values: dict[str, str], existing: bytes | None = None) -> bytes:
    """docProps/custom.xml with `values` set, keeping any other property already there."""
    ET.register_namespace("vt", VT_NS)  # so kept values serialise as vt:…, not ns0:…
    kept: list[tuple[str, str]] = []
    if existing:
        for prop in ET.fromstring(existing):
            name = prop.get("name") or ""
            if name not in values and len(prop):
                kept.append((name, ET.tostring(prop[0], encoding="unicode")))
    entries = [*kept, *((name, _lpwstr(value)) for name, value in values.items())]
    # Property ids start at 2: 0 and 1 are reserved by the property-set format.
    body = "".join(
        f'<property fmtid="{USER_PROPERTY_FMTID}" pid="{pid}" name="{escape_attribute(name)}">'
        f"{value}</property>"
        for pid, (name, value) in enumerate(entries, start=2)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{body}</Properties>'
    ).encode()


def _lpwstr(value: str) -> str:
    return f'<vt:lpwstr xmlns:vt="{VT_NS}">{escape_text(value)}</vt:lpwstr>'


def read_custom_properties(blob: bytes) -> dict[str, str]:
    """Name → text of each custom property."""
    found: dict[str, str] = {}
    for prop in ET.fromstring(blob):
        if len(prop):
            found[prop.get("name") or ""] = prop[0].text or ""
    return found


# ---------------------------------------------------------------- checking a file on disk


def docx_state(path: Path) -> DocxState:
    """Whether `path` is a drafter .docx whose text is unchanged, edited, or something else.

    Raises OSError (PermissionError when another program holds the file) if it cannot be read.
    """
    try:
        with zipfile.ZipFile(path) as package:
            return _package_state(package)
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError):
        return DocxState.FOREIGN


def _package_state(package: zipfile.ZipFile) -> DocxState:
    targets = _relationships(package, "_rels/.rels", "")
    custom = targets.get(f"{OFFICE_REL}/custom-properties")
    document = targets.get(f"{OFFICE_REL}/officeDocument")
    if not custom or not document:
        return DocxState.FOREIGN
    recorded = read_custom_properties(package.read(custom[0])).get(FINGERPRINT_PROPERTY)
    if not recorded:
        return DocxState.FOREIGN
    folder, _, name = document[0].rpartition("/")
    parts = _relationships(package, f"{folder}/_rels/{name}.rels", folder)
    others = [
        ET.fromstring(package.read(target))
        for kind in ("header", "footer")
        for target in parts.get(f"{OFFICE_REL}/{kind}", [])
    ]
    actual = text_fingerprint(ET.fromstring(package.read(document[0])), others)
    return DocxState.UNEDITED if actual == recorded else DocxState.EDITED


def _relationships(package: zipfile.ZipFile, rels_name: str, folder: str) -> dict[str, list[str]]:
    """Relationship type → zip member names of the internal targets, from one .rels part."""
    if rels_name not in package.namelist():
        return {}
    found: dict[str, list[str]] = {}
    for rel in ET.fromstring(package.read(rels_name)).iter(f"{REL_NS}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        member = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
        found.setdefault(rel.get("Type") or "", []).append(member)
    return found
