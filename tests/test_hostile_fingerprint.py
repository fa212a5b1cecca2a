"""Nothing a person adds to a drafter .docx is overwritten: comments, pictures, tables, properties."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from drafter.infra import docx_archive
from drafter.infra.fingerprint import DocxState, docx_state, inspect_docx, paragraph_texts

from .conftest import EXAMPLE, run_cli
from .test_output_safety import edit_docx, resave_with_libreoffice

FormMaker = Callable[..., Path]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def png() -> bytes:
    """A one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def refusal(form: Path, target: Path) -> str:
    """The error line of a render that must leave `target` as it is."""
    before = target.read_bytes()
    result = run_cli("render", form, "-o", target.parent)
    assert result.exit_code == 1, result.stderr
    assert target.read_bytes() == before
    assert "Traceback" not in result.stderr
    return next(line for line in result.stderr.splitlines() if ": 错误: " in line)


def add_comments(document: docx.document.Document, count: int) -> None:
    for number in range(count):
        runs = document.paragraphs[3 + number].runs
        document.add_comment(runs, text=f"第{number + 1}条意见：这里要再斟酌", author="审稿人")


# ---------------------------------------------------------------- what a reviewer adds


def test_comments_are_protected_and_counted(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    edit_docx(target, lambda d: add_comments(d, 3))
    line = refusal(form, target)
    assert "被修改过（批注 3 条）" in line and "--force" in line


def test_a_picture_and_a_table_are_protected_and_counted(rendered: tuple[Path, Path]) -> None:
    form, target = rendered

    def add(document: docx.document.Document) -> None:
        document.add_picture(io.BytesIO(png()))
        document.add_table(rows=1, cols=1)

    edit_docx(target, add)
    line = refusal(form, target)
    assert "图片 1 张" in line and "表格 1 个" in line


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "改过的标题"), ("author", "李四"), ("subject", "主题"), ("keywords", "党建"),
     ("comments", "备注"), ("category", "讲话")],
)  # fmt: skip
def test_properties_a_person_edits_are_protected(
    rendered: tuple[Path, Path], field: str, value: str
) -> None:
    form, target = rendered
    edit_docx(target, lambda d: setattr(d.core_properties, field, value))
    assert "文档属性（标题、作者等）有改动" in refusal(form, target)


def test_a_section_break_is_protected(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    edit_docx(target, lambda d: d.add_section())
    assert "分节 1 处" in refusal(form, target)


def test_removing_a_run_is_protected(rendered: tuple[Path, Path]) -> None:
    form, target = rendered

    def remove(document: docx.document.Document) -> None:
        run = document.paragraphs[3].runs[-1]
        run._r.getparent().remove(run._r)

    edit_docx(target, remove)
    assert "文字有改动" in refusal(form, target)


def test_the_message_names_each_kind_found(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    with zipfile.ZipFile(target) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    extra = (
        f'<w:p xmlns:w="{W}"><w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:fldSimple w:instr=" DATE "><w:r><w:t>2024</w:t></w:r></w:fldSimple>'
        '<w:hyperlink w:anchor="x"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'
        '<w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r>'
        '<w:ins w:id="9" w:author="审稿人"><w:r><w:t>补一句</w:t></w:r></w:ins>'
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"/></w:p>'
    ).encode()
    document = parts["word/document.xml"]
    parts["word/document.xml"] = document.replace(b"<w:sectPr", extra + b"<w:sectPr", 1)
    rewrite(target, parts)
    line = refusal(form, target)
    for words in (
        "脚注 1 条",
        "域 1 个",
        "超链接 1 个",
        "插入的符号 1 个",
        "修订 1 处",
        "公式 1 个",
    ):
        assert words in line, words


def test_a_custom_part_is_protected(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    with zipfile.ZipFile(target) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["customXml/item1.xml"] = b"<data>\xe5\x86\x85\xe9\x83\xa8</data>"
    rel = (
        '<Relationship Id="rIdX" Target="../customXml/item1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/customXml"/></Relationships>'
    )
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", rel).encode()
    rewrite(target, parts)
    assert "其他部件 1 个" in refusal(form, target)


def test_force_replaces_a_commented_docx(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    edit_docx(target, lambda d: add_comments(d, 1))
    assert run_cli("render", form, "-o", target.parent, "--force").exit_code == 0
    assert docx_state(target) is DocxState.UNEDITED


def test_the_shipped_reference_layouts_start_unedited(tmp_path: Path) -> None:
    for style in ("gbt9704", "windows"):
        out = tmp_path / style
        result = run_cli("render", EXAMPLE, "--style", style, "-o", out)
        assert result.exit_code == 0, result.stderr
        assert inspect_docx(out / f"{EXAMPLE.stem}.docx").state is DocxState.UNEDITED


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_round_trip_of_a_commented_file_stays_protected(
    rendered: tuple[Path, Path], tmp_path: Path
) -> None:
    form, target = rendered
    edit_docx(target, lambda d: add_comments(d, 2))
    resave_with_libreoffice(target, tmp_path)
    assert "批注 2 条" in refusal(form, target)


# ---------------------------------------------------------------- damaged and deep files


def rewrite(target: Path, parts: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data, zipfile.ZIP_DEFLATED)
    target.write_bytes(buffer.getvalue())


def test_deep_nesting_is_no_recursion_error(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    with zipfile.ZipFile(target) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    depth = 200_000
    nested = b"<w:sdt>" * depth + b"</w:sdt>" * depth
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:sectPr", b"<w:p>" + nested + b"</w:p><w:sectPr", 1
    )
    rewrite(target, parts)
    # refused by the safe reader's depth bound (no recursion), and so protected
    assert docx_state(target) in (DocxState.DAMAGED, DocxState.FOREIGN)
    assert "没有覆盖" in refusal(form, target)


def test_deep_nesting_in_a_paragraph_reads_without_recursion() -> None:
    depth = 100_000
    xml = f'<w:body xmlns:w="{W}"><w:p>' + "<w:r>" * depth + "<w:t>深</w:t>" + "</w:r>" * depth
    assert paragraph_texts(ET.fromstring(xml + "</w:p></w:body>")) == ["深"]


def test_a_damaged_drafter_output_is_called_damaged(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    data = bytearray(target.read_bytes())
    # Corrupt the compressed document part's data, keeping the zip's directory intact.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("word/document.xml")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + 64] = b"\xff" * 64
    target.write_bytes(bytes(data))
    assert docx_state(target) is DocxState.DAMAGED
    line = refusal(form, target)
    assert "已损坏" in line and "没有 drafter 的生成记录" not in line


def test_a_truncated_drafter_output_is_called_damaged(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    assert "已损坏" in refusal(form, target)


# ---------------------------------------------------------------- any mutation


def mutations() -> st.SearchStrategy[list[tuple[str, int, str]]]:
    kinds = st.sampled_from(
        ["bold", "proof", "text", "drop_run", "drop_paragraph", "comment_ref", "table",
         "drawing", "field", "part", "title", "custom", "footer_text", "split_run"]
    )  # fmt: skip
    return st.lists(
        st.tuples(kinds, st.integers(0, 10_000), st.text("改字 x", max_size=3)), max_size=3
    )


def mutate(parts: dict[str, bytes], kind: str, pick: int, text: str) -> None:
    """Change one thing in a drafter .docx, as a person or another program might."""
    root = etree.fromstring(parts["word/document.xml"])
    ns = {"w": W}
    runs = root.findall(".//w:r", ns)
    run = runs[pick % len(runs)]
    q = f"{{{W}}}"
    if kind == "bold":
        rpr = run.find("w:rPr", ns)
        if rpr is None:
            rpr = etree.SubElement(run, q + "rPr")
            run.insert(0, rpr)
        rpr.insert(0, etree.Element(q + "b"))
    elif kind == "proof":
        run.addprevious(etree.Element(q + "proofErr", {q + "type": "spellStart"}))
    elif kind == "split_run":
        t = run.find("w:t", ns)
        if t is not None and t.text and len(t.text) > 1:
            twin = etree.fromstring(etree.tostring(run))
            twin.find("w:t", ns).text = t.text[1:]
            t.text = t.text[0]
            run.addnext(twin)
    elif kind == "text":
        t = run.find("w:t", ns)
        if t is not None:
            t.text = (t.text or "") + (text or "改")
    elif kind == "drop_run":
        run.getparent().remove(run)
    elif kind == "drop_paragraph":
        paragraph = root.findall(".//w:p", ns)[pick % len(root.findall(".//w:p", ns))]
        paragraph.getparent().remove(paragraph)
    elif kind == "comment_ref":
        etree.SubElement(run.getparent(), q + "r").append(
            etree.Element(q + "commentReference", {q + "id": "0"})
        )
        comments = f'<w:comments xmlns:w="{W}"><w:comment w:id="0"><w:p/></w:comment></w:comments>'
        add_part(parts, "word/comments.xml", comments.encode(), "comments")
    elif kind == "table":
        run.getparent().addnext(
            etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>')
        )
    elif kind == "drawing":
        run.append(etree.fromstring(f'<w:drawing xmlns:w="{W}"/>'))
    elif kind == "field":
        run.addnext(etree.fromstring(f'<w:fldSimple xmlns:w="{W}" w:instr=" DATE "/>'))
    elif kind == "part":
        add_part(parts, f"customXml/item{pick}.xml", b"<x/>", "customXml")
    elif kind == "title":
        core = parts["docProps/core.xml"].decode()
        parts["docProps/core.xml"] = re.sub(
            r"<dc:title>", f"<dc:title>{text or '新'}", core
        ).encode()
    elif kind == "custom":
        custom = parts["docProps/custom.xml"].decode()
        extra = (
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" name="审核人">'
            '<vt:lpwstr xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes">张三</vt:lpwstr></property></Properties>'
        )
        parts["docProps/custom.xml"] = custom.replace("</Properties>", extra).encode()
    elif kind == "footer_text":
        footer = parts["word/footer1.xml"].decode()
        parts["word/footer1.xml"] = footer.replace("<w:t", "<w:t>内部</w:t><w:t", 1).encode()
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def add_part(parts: dict[str, bytes], name: str, data: bytes, kind: str) -> None:
    parts[name] = data
    rel = (
        f'<Relationship Id="rId{len(parts)}" Target="/{name}" Type="http://schemas.'
        f'openxmlformats.org/officeDocument/2006/relationships/{kind}"/></Relationships>'
    )
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", rel, 1).encode()


def reading(parts: dict[str, bytes]) -> tuple[list[str], dict[str, bytes]]:
    """What a reader sees (every part's text) and every part but the body, byte for byte."""
    texts = {
        name: paragraph_texts(etree.fromstring(data))
        for name, data in parts.items()
        if name.startswith("word/") and name.endswith(".xml")
    }
    others = {name: data for name, data in parts.items() if name != "word/document.xml"}
    return [f"{name}:{text}" for name, text in sorted(texts.items())], others


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=mutations())
def test_render_protects_any_change_or_finds_nothing_was_added(
    changes: list[tuple[str, int, str]], tmp_path: Path
) -> None:
    out = tmp_path / f"out{abs(hash(tuple(changes)))}"
    assert run_cli("render", EXAMPLE, "-f", "docx", "-o", out).exit_code in (0, 1)
    target = out / f"{EXAMPLE.stem}.docx"
    with zipfile.ZipFile(target) as package:
        original = {name: package.read(name) for name in package.namelist()}
    parts = dict(original)
    for kind, pick, text in changes:
        mutate(parts, kind, pick, text)
    rewrite(target, parts)
    before = target.read_bytes()
    result = run_cli("render", EXAMPLE, "-f", "docx", "-o", out)
    assert "Traceback" not in result.stderr
    if result.exit_code == 1 and target.read_bytes() == before:
        return  # protected
    assert result.exit_code in (0, 1)  # 1: the example keeps placeholders the check warns of
    assert reading(parts) == reading(original), "replaced a file a person had changed"


def test_a_zip_with_an_unknown_compression_is_not_a_traceback(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    data = bytearray(target.read_bytes())
    entry = data.index(b"word/document.xml", data.index(b"PK\x01\x02")) - 46
    data[entry + 10 : entry + 12] = struct.pack("<H", 99)  # its compression method
    target.write_bytes(bytes(data))
    assert "已损坏" in refusal(form, target)


def test_a_part_too_large_to_check_is_protected_without_reading_it(
    rendered: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    form, target = rendered
    monkeypatch.setattr(docx_archive, "MAX_XML_BYTES", 1000)  # document.xml is larger
    assert inspect_docx(target).state is DocxState.DAMAGED
    assert "已损坏" in refusal(form, target)
