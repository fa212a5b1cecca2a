"""The one safe way drafter opens a .docx someone else made (a speech to check or extract, a
reference document, an existing output about to be replaced).

A .docx is a zip of XML parts, and a damaged or hostile one can be anything: a zip bomb
(600 KB that inflates to gigabytes), an encrypted or truncated archive, XML with entity
declarations (billion laughs, external entities) or nested thousands of levels deep. Every
part is read under a size and ratio cap, no entity is ever expanded (Word never writes a
DOCTYPE, so one is refused outright), nesting is bounded while parsing, and each failure is
one Chinese message naming the file (and the part, line and column where that helps).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from ..errors import DrafterError
from .files import read_user_file

MAX_FILE_BYTES = 64 * 1024 * 1024  # the .docx itself; a speech with pictures is a few MB
MAX_PART_BYTES = 64 * 1024 * 1024  # one part once inflated (a large picture)
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts inflated together
MAX_XML_BYTES = 32 * 1024 * 1024  # an XML part: a 100-page speech's document.xml is ~2 MB
# Deflate reaches ~10:1 on ordinary XML and ~100:1 on very repetitive text (12,000 identical
# paragraphs); a bomb inflates thousands of times its size. Small parts are not judged by ratio.
MAX_RATIO = 1000
RATIO_FLOOR = 4 * 1024 * 1024
MAX_PARTS = 10_000
MAX_DEPTH = 256  # libxml2's own default limit; Word nests tables in tables, never this deep
_CHUNK = 1024 * 1024
# Builds the located error for a message about one file.
_Fail = Callable[[str], DrafterError]


@dataclass
class DocxArchive:
    """The parts of a .docx, read under the caps, and their XML parsed on demand."""

    path: str
    noun: str
    error: type[DrafterError]
    parts: dict[str, bytes]
    _trees: dict[str, ET.Element] = field(default_factory=dict)

    def names(self) -> list[str]:
        return list(self.parts)

    def has(self, name: str) -> bool:
        return name in self.parts

    def read(self, name: str) -> bytes:
        try:
            return self.parts[name]
        except KeyError:
            raise self._fail(f"缺少 {name}，不是完整的 Word 文档") from None

    def xml(self, name: str) -> ET.Element:
        """A part's XML, parsed safely (no DOCTYPE, bounded depth)."""
        tree = self._trees.get(name)
        if tree is None:
            tree = parse_xml(self.read(name), lambda m: self._fail(f"{name} {m}"))
            self._trees[name] = tree
        return tree

    def xml_parts(self) -> Iterator[str]:
        return (n for n in self.parts if n.lower().endswith((".xml", ".rels")))

    def check_all_xml(self) -> None:
        """Parse every XML part once, so a library reading the bytes later meets no surprise."""
        for name in self.xml_parts():
            self.xml(name)

    def check_relationships(self) -> None:
        """Every internal relationship must point at a part that exists inside the package."""
        for rels_name in [n for n in self.parts if n.endswith(".rels")]:
            folder = posixpath.dirname(posixpath.dirname(rels_name))  # word/_rels/x → word
            for rel in self.xml(rels_name):
                target = rel.get("Target") or ""
                if rel.get("TargetMode") == "External" or not target:
                    continue
                resolved = _resolve(folder, unquote(target))
                if resolved is None:
                    raise self._fail(f"{rels_name} 中的关系指向文档以外的位置（{target[:80]}）")
                if resolved not in self.parts and not any(
                    n.startswith(resolved + "/") for n in self.parts
                ):
                    raise self._fail(f"{rels_name} 中的关系指向不存在的部件（{target[:80]}）")

    def as_file(self) -> io.BytesIO:
        """The checked parts as a fresh in-memory .docx, for python-docx to open."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for name, data in self.parts.items():
                out.writestr(name, data)
        buffer.seek(0)
        return buffer

    def _fail(self, message: str) -> DrafterError:
        return self.error(f"{self.noun}已损坏或不安全：{message}", path=self.path)


def open_docx(
    path: Path, noun: str, error: type[DrafterError], *, data: bytes | None = None
) -> DocxArchive:
    """Read a .docx (from `path`, or from `data` already read) into a DocxArchive."""
    shown = str(path)
    raw = data if data is not None else read_user_file(path, noun, error, MAX_FILE_BYTES)

    def fail(message: str) -> DrafterError:
        return error(f"{noun}已损坏或不安全：{message}", path=shown)

    parts: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if len(members) > MAX_PARTS:
                raise fail(f"其中有 {len(members)} 个部件，超出上限 {MAX_PARTS}")
            total = 0
            for member in members:
                if member.is_dir():
                    continue
                if member.flag_bits & 0x1:
                    raise error(
                        f"{noun}已加密（设置了打开密码），请在 Word 中取消密码后再试", path=shown
                    )
                content = _read_member(archive, member, fail)
                total += len(content)
                if total > MAX_TOTAL_BYTES:
                    raise fail(f"解压后超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB（疑似压缩炸弹）")
                parts[member.filename] = content
    except DrafterError:
        raise
    except zipfile.BadZipFile:
        raise fail("不是有效的 Word 文档（.docx 应是 zip 压缩包，这份文件不是或不完整）") from None
    except NotImplementedError:
        raise fail("使用了 Word 不会使用的压缩方式") from None
    except (zlib.error, EOFError, OSError, ValueError, RuntimeError):
        raise fail("压缩数据已损坏或不完整") from None
    if "[Content_Types].xml" not in parts:
        raise fail("缺少 [Content_Types].xml，不是完整的 Word 文档")
    return DocxArchive(shown, noun, error, parts)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, fail: _Fail) -> bytes:
    """A part's bytes, stopping as soon as it inflates past the caps (never trusting its header)."""
    name = member.filename
    limit = MAX_XML_BYTES if name.lower().endswith((".xml", ".rels")) else MAX_PART_BYTES
    ratio_limit = max(RATIO_FLOOR, member.compress_size * MAX_RATIO)
    chunks: list[bytes] = []
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise fail(
                    f"部件 {name} 解压后超过 {limit // 1024 // 1024} MB（文件过大或疑似压缩炸弹）"
                )
            if size > ratio_limit:
                raise fail(f"部件 {name} 的压缩比异常（疑似压缩炸弹）")
            chunks.append(chunk)
    return b"".join(chunks)


def parse_xml(data: bytes, fail: _Fail) -> ET.Element:
    """XML without DOCTYPE or entities, nested at most MAX_DEPTH levels, as an Element."""
    head = _decoded_head(data)
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        raise fail("含有文档类型声明（DOCTYPE/ENTITY），Word 不会写这种内容，已拒绝")
    parser: ET.XMLPullParser = ET.XMLPullParser(events=("start", "end"))
    depth = 0
    root: ET.Element | None = None
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset : offset + _CHUNK])
            for event, element in parser.read_events():  # type: ignore[misc]
                if event == "start":
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise fail(f"嵌套超过 {MAX_DEPTH} 层，已拒绝")
                    if root is None:
                        root = element  # type: ignore[assignment]
                else:
                    depth -= 1
        parser.close()
    except ET.ParseError as exc:
        line, column = exc.position  # type: ignore[misc]
        raise fail(f"的 XML 有误（第 {line} 行第 {column + 1} 列）") from None
    if root is None:
        raise fail("的 XML 是空的")
    return root


def _resolve(folder: str, target: str) -> str | None:
    """A relationship target as a part name, or None when it climbs out of the package."""
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    parts: list[str] = []
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def _decoded_head(data: bytes) -> str:
    """The part as text for the DOCTYPE test, whatever Unicode encoding it declares."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")
