"""A fingerprint of what drafter wrote into a .docx, to tell an untouched output from an edited one.

The fingerprint records three things, each in a form that survives a save by Word, WPS or
LibreOffice (they rewrite the XML on every save: run splits, revision ids, attribute order):

- the text a reader sees, paragraph by paragraph (body, then headers and footers);
- how many of each kind of content a person can add there is: comments, footnotes, pictures,
  drawings, embedded objects, equations, fields, tables, section breaks, tracked changes,
  hyperlinks, content controls, symbols, embedded documents, and parts of unknown kinds;
- the document properties a person edits (title, author, subject, keywords, company, …).

Anything that differs on the next render means a person changed the file, and it is protected;
only formatting (bold, a font) can change unnoticed, and formatting holds no content. The
fingerprint is kept as a custom document property (in Word: 文件 › 信息 › 属性 › 高级属性 ›
自定义), which Word and LibreOffice carry over when they save the file. A program that dropped
it would leave a file without a fingerprint, which is protected too.

Parts are read as a stream of start and end events, never recursively, so a deeply nested
file cannot exhaust the stack; only the standard library's ElementTree API is used, so
`drafter render -f txt` never loads lxml.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ET

from ..errors import OutputError
from .xml_text import escape_attribute, escape_text

FINGERPRINT_PROPERTY = "DrafterFingerprint"
GENERATOR_PROPERTY = "Generator"
_VERSION = "v2"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
# The format id Office gives every user-defined property.
USER_PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
# What the zip of every drafter output holds uncompressed (docProps/app.xml), so a damaged
# output is still recognised as drafter's.
GENERATOR_MARK = b"<Application>drafter "

_PARAGRAPH, _TEXT, _FIELD_CHAR = W + "p", W + "t", W + "fldChar"
_CHARACTERS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
# Text that is not the reader's: field codes, deleted revisions, cached field results.
_SKIPPED = {W + "instrText", W + "delText", W + "delInstrText", W + "fldSimple"}

_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_PICTURES = {
    "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic",
    "{urn:schemas-microsoft-com:vml}imagedata",
}
_DRAWINGS = {W + "drawing", W + "pict"}
# Element → the kind of content it is; drawings are told apart into pictures and other shapes.
_ITEMS = {
    W + "comment": "comment",
    W + "footnoteReference": "footnote",
    W + "endnoteReference": "endnote",
    W + "object": "object",
    _M + "oMath": "math",
    W + "fldSimple": "field",
    W + "tbl": "table",
    W + "sectPr": "section",
    W + "ins": "revision",
    W + "del": "revision",
    W + "moveFrom": "revision",
    W + "moveTo": "revision",
    W + "rPrChange": "revision",
    W + "pPrChange": "revision",
    W + "hyperlink": "hyperlink",
    W + "sdt": "control",
    W + "sym": "symbol",
    W + "altChunk": "embedded",
    W + "subDoc": "embedded",
}
# Kind → how a message counts it.
ITEM_NAMES = {
    "comment": ("批注", "条"),
    "footnote": ("脚注", "条"),
    "endnote": ("尾注", "条"),
    "picture": ("图片", "张"),
    "drawing": ("图形或文本框", "个"),
    "object": ("嵌入对象", "个"),
    "math": ("公式", "个"),
    "field": ("域", "个"),
    "table": ("表格", "个"),
    "section": ("分节", "处"),
    "revision": ("修订", "处"),
    "hyperlink": ("超链接", "个"),
    "control": ("内容控件", "个"),
    "symbol": ("插入的符号", "个"),
    "embedded": ("嵌入的文档", "个"),
    "part": ("其他部件", "个"),
}
# Parts whose content is read (their text, or the items in them).
_READ_PARTS = {"officeDocument", "header", "footer", "footnotes", "endnotes", "comments"}
# Parts that hold formatting or bookkeeping only, or whose content shows up as an item above.
_KNOWN_PARTS = _READ_PARTS | {
    "core-properties", "extended-properties", "custom-properties", "styles",
    "stylesWithEffects", "settings", "webSettings", "fontTable", "theme", "numbering",
    "thumbnail", "font", "printerSettings", "people", "commentsExtended", "commentsIds",
    "commentsExtensible", "image", "hyperlink", "chart", "diagramData", "diagramLayout",
    "diagramQuickStyle", "diagramColors", "diagramDrawing", "oleObject", "package", "control",
    "aFChunk", "subDocument",
}  # fmt: skip
# Document properties a person edits in Word's 属性 dialog (core and app parts).
_EDITED_PROPERTIES = {
    "title", "subject", "creator", "keywords", "description", "category", "contentStatus",
    "identifier", "Company", "Manager", "HyperlinkBase",
}  # fmt: skip


class DocxState(Enum):
    """What an existing .docx is, as far as overwriting it goes."""

    UNEDITED = "unedited"  # written by drafter, nothing a person can add changed since
    EDITED = "edited"  # written by drafter, changed since
    DAMAGED = "damaged"  # written by drafter, but no longer readable
    FOREIGN = "foreign"  # not written by drafter (or by a drafter before this fingerprint)


@dataclass(frozen=True)
class Inspection:
    """An existing .docx's state and, when edited, what was found (in Chinese)."""

    state: DocxState
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contents:
    """What the fingerprint records: text digest, property digest and item counts."""

    text: str
    properties: str
    items: Mapping[str, int]

    def encode(self) -> str:
        """The custom property's value."""
        items = ",".join(f"{kind}={count}" for kind, count in sorted(self.items.items()) if count)
        return f"{_VERSION}:{self.text}:{self.properties}:{items}"

    @classmethod
    def decode(cls, value: str) -> Contents | None:
        """The recorded contents, or None for a fingerprint of another version."""
        version, _, rest = value.partition(":")
        text, _, rest = rest.partition(":")
        properties, _, items = rest.partition(":")
        if version != _VERSION or not text or not properties:
            return None
        counts: dict[str, int] = {}
        for entry in filter(None, items.split(",")):
            kind, _, count = entry.partition("=")
            if not count.isdigit():
                return None
            counts[kind] = int(count)
        return cls(text, properties, counts)

    def changes_to(self, actual: Contents) -> tuple[str, ...]:
        """What differs in `actual`, in Chinese; empty when nothing a person adds changed."""
        found = []
        for kind in sorted(set(self.items) | set(actual.items), key=_item_order):
            name, unit = ITEM_NAMES.get(kind, ITEM_NAMES["part"])
            difference = actual.items.get(kind, 0) - self.items.get(kind, 0)
            if difference > 0:
                found.append(f"{name} {difference} {unit}")
            elif difference < 0:
                found.append(f"删去了{name} {-difference} {unit}")
        if actual.text != self.text:
            found.append("文字有改动")
        if actual.properties != self.properties:
            found.append("文档属性（标题、作者等）有改动")
        return tuple(found)


def _item_order(kind: str) -> int:
    names = list(ITEM_NAMES)
    return names.index(kind) if kind in names else len(names)


# ---------------------------------------------------------------- reading parts as events


class _PartReader:
    """Collects paragraph texts and item counts from one part's start/end events."""

    def __init__(self, items: Counter[str]) -> None:
        self.texts: list[str | None] = []
        self.items = items
        self._open: list[tuple[int, list[str], list[int]]] = []  # slot, pieces, field depth
        self._skipping = 0
        self._drawings: list[bool] = []  # per open drawing: whether it holds a picture

    def start(self, element: Any) -> None:
        tag = element.tag
        if tag == _PARAGRAPH:
            # A slot now, filled at the end: a text box's paragraph comes after its container.
            self.texts.append(None)
            self._open.append((len(self.texts) - 1, [], [0]))
        elif tag in _SKIPPED:
            self._skipping += 1
        elif tag in _DRAWINGS:
            self._drawings.append(False)
        elif tag in _PICTURES and self._drawings:
            self._drawings[-1] = True
        elif tag == _FIELD_CHAR and self._open:
            kind = element.get(W + "fldCharType")
            self._open[-1][2][0] += 1 if kind == "begin" else -1 if kind == "end" else 0
            if kind == "begin":
                self.items["field"] += 1
        kind = _ITEMS.get(tag)
        if kind:
            self.items[kind] += 1

    def end(self, element: Any) -> None:
        tag = element.tag
        if tag == _PARAGRAPH and self._open:
            slot, pieces, _ = self._open.pop()
            text = "".join(pieces)
            self.texts[slot] = text if text.strip() else None
        elif tag in _SKIPPED:
            self._skipping -= 1
        elif tag in _DRAWINGS and self._drawings:
            self.items["picture" if self._drawings.pop() else "drawing"] += 1
        elif (tag == _TEXT or tag in _CHARACTERS) and self._open and not self._skipping:
            _, pieces, depth = self._open[-1]
            # Inside a field only its result shows, and the reader recomputes it (page numbers).
            if depth[0] <= 0:
                pieces.append((element.text or "") if tag == _TEXT else _CHARACTERS[tag])

    def paragraph_texts(self) -> list[str]:
        return [text for text in self.texts if text is not None]


def _events_of(root: Any) -> Iterator[tuple[str, Any]]:
    """Start and end events of an element tree, without recursion."""
    stack = [(root, iter(root))]
    yield "start", root
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield "end", element
        else:
            yield "start", child
            stack.append((child, iter(child)))


def _read(events: Iterable[tuple[str, Any]], items: Counter[str]) -> list[str]:
    reader = _PartReader(items)
    for event, element in events:
        if event == "start":
            reader.start(element)
        else:
            reader.end(element)
            if element.tag == _PARAGRAPH:
                element.clear()  # a paragraph is read: keep memory flat on large parts
    return reader.paragraph_texts()


def paragraph_texts(root: Any) -> list[str]:
    """The text of every paragraph under `root` that has any, in reading order."""
    return _read(_events_of(root), Counter())


def part_text(root: Any) -> str:
    """A header or footer part's text, as the fingerprint reads it."""
    return "\n".join(paragraph_texts(root))


def _stream_texts(stream: IO[bytes], items: Counter[str]) -> list[str]:
    return _read(ET.iterparse(stream, events=("start", "end")), items)


# ---------------------------------------------------------------- the fingerprint


def text_digest(paragraphs: Iterable[str], part_texts: Iterable[str] = ()) -> str:
    """Digest of the body's paragraph texts and each header or footer part's text."""
    body = "\n".join(paragraphs)
    # Word may renumber header/footer parts on save; sorting their texts ignores that.
    others = sorted(filter(None, part_texts))
    return hashlib.sha256("\n\f\n".join([body, *others]).encode("utf-8")).hexdigest()


def text_fingerprint(document: Any, headers_and_footers: Iterable[Any] = ()) -> str:
    """Digest of a document part's text plus its header and footer parts' text."""
    return text_digest(paragraph_texts(document), (part_text(p) for p in headers_and_footers))


def properties_digest(parts: Iterable[bytes | None]) -> str:
    """Digest of the properties a person edits, from the core, app and custom parts."""
    found = [entry for blob in filter(None, parts) for entry in _edited_properties(blob)]
    return hashlib.sha256("\n".join(sorted(found)).encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=32)  # the writer's app and custom parts are the same for every speech
def _edited_properties(blob: bytes) -> tuple[str, ...]:
    found: list[str] = []
    for element in ET.fromstring(blob):
        local = element.tag.rpartition("}")[2]
        # Exact values: even a space a person added is theirs; empty ones are left out
        # (LibreOffice writes an empty subject drafter never wrote).
        if local == "property":  # a custom property: its name, then its value
            name = element.get("name") or ""
            value = element[0].text if len(element) else ""
            if name != FINGERPRINT_PROPERTY:
                found.append(f"custom:{name}={value or ''}")
        elif local in _EDITED_PROPERTIES and element.text:
            found.append(f"{local}={element.text}")
    return tuple(found)


def package_items(parts: Mapping[str, bytes]) -> Counter[str]:
    """Item counts of a package held as part name → bytes (drafter's base package)."""
    return Counter(_Package(parts.get, set(parts)).contents().items)


def recorded_fingerprint(
    texts: Iterable[str],
    part_texts: Iterable[str],
    items: Mapping[str, int],
    property_parts: Iterable[bytes | None],
) -> str:
    """The custom property's value for a .docx drafter writes.

    The writer knows the texts it wrote and the items of its base package (its body adds
    none), so it need not read its own output back.
    """
    return Contents(
        text_digest(texts, part_texts), properties_digest(property_parts), dict(items)
    ).encode()


# ---------------------------------------------------------------- custom properties


def custom_properties_xml(values: dict[str, str], existing: bytes | None = None) -> bytes:
    """docProps/custom.xml with `values` set, keeping any other property already there."""
    kept = [(name, xml) for name, xml in _custom_properties(existing) if name not in values]
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


@lru_cache(maxsize=16)  # the writer passes the same existing part for every speech
def _custom_properties(existing: bytes | None) -> tuple[tuple[str, str], ...]:
    """(name, value XML) of each custom property in `existing` that has a value."""
    if not existing:
        return ()
    ET.register_namespace("vt", VT_NS)  # so kept values serialise as vt:…, not ns0:…
    return tuple(
        (prop.get("name") or "", ET.tostring(prop[0], encoding="unicode"))
        for prop in ET.fromstring(existing)
        if len(prop)
    )


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


# What reading parts that passed the archive's checks can still raise (a missing part).
_UNREADABLE = (ET.ParseError, KeyError, ValueError, UnicodeDecodeError)


def inspect_docx(path: Path) -> Inspection:
    """Whether `path` is a drafter .docx unchanged since, edited (and how), damaged or foreign.

    The file is read through the one safe .docx reader (size and ratio caps, no DOCTYPE,
    bounded depth). Raises OSError (PermissionError when another program holds the file)
    if it cannot be read at all.
    """
    from .docx_archive import MAX_FILE_BYTES, open_docx  # deferred: start-up speed

    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return Inspection(DocxState.EDITED, ("内容过多，无法核对",))
    try:
        archive = open_docx(path, "Word 文档", OutputError, data=raw)
        archive.check_all_xml()
    except OutputError:
        return Inspection(DocxState.DAMAGED if _made_by_drafter(path) else DocxState.FOREIGN)
    try:
        return _inspect(archive.parts)
    except _UNREADABLE:
        return Inspection(DocxState.DAMAGED if _made_by_drafter(path) else DocxState.FOREIGN)


def docx_state(path: Path) -> DocxState:
    """The state of an existing .docx (see `inspect_docx`)."""
    return inspect_docx(path).state


def _made_by_drafter(path: Path) -> bool:
    """Whether the raw bytes carry drafter's uncompressed app part (read in bounded chunks)."""
    with path.open("rb") as handle:
        tail = b""
        while chunk := handle.read(1 << 20):
            if GENERATOR_MARK in tail + chunk:
                return True
            tail = chunk[-len(GENERATOR_MARK) :]
    return False


def _inspect(parts: Mapping[str, bytes]) -> Inspection:
    def read(name: str) -> bytes | None:
        return parts.get(name)

    opened = _Package(read, set(parts))
    custom = opened.targets("", "_rels/.rels").get("custom-properties", [])
    blob = read(custom[0]) if custom else None
    recorded_value = read_custom_properties(blob).get(FINGERPRINT_PROPERTY) if blob else None
    if not recorded_value:
        if GENERATOR_MARK in (read("docProps/app.xml") or b""):
            return Inspection(DocxState.DAMAGED)  # drafter's package without its fingerprint
        return Inspection(DocxState.FOREIGN)
    recorded = Contents.decode(recorded_value)
    if recorded is None:
        return Inspection(DocxState.FOREIGN)  # an older drafter's fingerprint
    try:
        actual = opened.contents()
    except _UNREADABLE:
        return Inspection(DocxState.DAMAGED)
    changes = recorded.changes_to(actual)
    return Inspection(DocxState.EDITED if changes else DocxState.UNEDITED, changes)


class _Package:
    """A .docx's parts reached through its relationships, read as the fingerprint needs."""

    def __init__(
        self,
        read: Callable[[str], bytes | None],
        names: set[str],
        open_part: Callable[[str], IO[bytes]] | None = None,
    ) -> None:
        self.read = read
        self.names = names
        self.open_part = open_part

    def targets(self, folder: str, rels_name: str) -> dict[str, list[str]]:
        """Short relationship type → internal target part names, from one .rels part."""
        blob = self.read(rels_name)
        found: dict[str, list[str]] = {}
        if not blob:
            return found
        for rel in ET.fromstring(blob).iter(f"{REL_NS}Relationship"):
            kind = (rel.get("Type") or "").rpartition("/")[2]
            if rel.get("TargetMode") == "External":
                found.setdefault(kind, [])
                continue
            target = rel.get("Target") or ""
            member = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            found.setdefault(kind, []).append(_normalise(member))
        return found

    def contents(self) -> Contents:
        """Text digest, property digest and item counts of the whole package."""
        items: Counter[str] = Counter()
        package = self.targets("", "_rels/.rels")
        self._count_unknown(package, items)
        properties = [
            self.read(name)
            for kind in ("core-properties", "extended-properties", "custom-properties")
            for name in package.get(kind, [])
        ]
        body: list[str] = []
        others: list[str] = []
        for document in package.get("officeDocument", []):
            body = self._texts(document, items)
            folder, _, name = document.rpartition("/")
            parts = self.targets(folder, f"{folder}/_rels/{name}.rels")
            self._count_unknown(parts, items)
            for kind in sorted(_READ_PARTS - {"officeDocument"}):
                for part in parts.get(kind, []):
                    texts = self._texts(part, items)
                    if kind in ("header", "footer"):
                        others.append("\n".join(texts))
                    sub_folder, _, sub_name = part.rpartition("/")
                    self._count_unknown(
                        self.targets(sub_folder, f"{sub_folder}/_rels/{sub_name}.rels"), items
                    )
        return Contents(text_digest(body, others), properties_digest(properties), items)

    def _texts(self, name: str, items: Counter[str]) -> list[str]:
        if name not in self.names:
            return []
        if self.open_part is not None:
            with self.open_part(name) as stream:
                return _stream_texts(stream, items)
        blob = self.read(name) or b""
        return _stream_texts(io.BytesIO(blob), items)

    @staticmethod
    def _count_unknown(targets: dict[str, list[str]], items: Counter[str]) -> None:
        """Parts of kinds drafter never writes and that show no item (custom XML, macros…)."""
        for kind, members in targets.items():
            if kind not in _KNOWN_PARTS:
                items["part"] += max(len(members), 1)


def _normalise(member: str) -> str:
    """A zip member name with `.` and `..` segments resolved."""
    segments: list[str] = []
    for segment in member.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    return "/".join(segments)
