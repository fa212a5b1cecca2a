"""A long-running process (drafter serve, the API) sees an edited user pack or style file next time."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from drafter.api import render_form
from drafter.packs.finder import load_pack
from drafter.pipeline import draft_speech
from drafter.presets import load_preset
from drafter.writers.docx import write_docx

from .conftest import EXAMPLE, ROOT

PACK = ROOT / "templates" / "commendation-speech"
FORM = ROOT / "configs" / "commendation-speech.example.yaml"
GREETING = "表示热烈的祝贺！"


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file and make sure its modification time moves on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    status = path.stat()
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "templates" / "commendation-speech"
    shutil.copytree(PACK, copy)
    return copy


def speech(pack: Path) -> str:
    return render_form(FORM, "txt", template=str(pack)).decode("utf-8")


def test_an_edited_template_file_is_read_again(pack: Path) -> None:
    assert GREETING in speech(pack)
    edit(pack / "speech.j2", GREETING, "表示衷心的祝贺！")
    changed = speech(pack)
    assert "表示衷心的祝贺！" in changed and GREETING not in changed


def test_an_edited_manifest_is_read_again(pack: Path) -> None:
    assert GREETING in speech(pack)
    entry = (pack / "speech.j2").read_text(encoding="utf-8")
    (pack / "other.j2").write_text(entry.replace(GREETING, "致以崇高的敬意！"), encoding="utf-8")
    edit(pack / "template.yaml", "entry: speech.j2", "entry: other.j2")
    assert "致以崇高的敬意！" in speech(pack)
    edit(pack / "template.yaml", "name: 表彰大会讲话", "name: 表彰会讲话")
    assert load_pack(pack, "指定路径").name == "表彰会讲话"


def test_an_unchanged_pack_is_not_read_again(pack: Path) -> None:
    assert load_pack(pack, "指定路径") is load_pack(pack, "指定路径")


def test_an_edited_style_file_and_its_base_are_read_again(tmp_path: Path) -> None:
    office = tmp_path / "office.yaml"
    office.write_text("base: windows\nbody: {size: 小三}\n", encoding="utf-8")
    style = tmp_path / "style.yaml"
    style.write_text("base: office.yaml\nlead: none\n", encoding="utf-8")
    assert (load_preset(str(style)).body.size, load_preset(str(style)).lead) == (15, "none")
    edit(office, "小三", "三号")
    assert load_preset(str(style)).body.size == 16
    edit(style, "lead: none", "lead: bold")
    assert load_preset(str(style)).lead == "bold"


def test_the_same_relative_style_path_from_two_folders_is_two_styles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder, size in (("a", "小三"), ("b", "四号")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "style.yaml").write_text(
            f"base: gbt9704\nbody: {{size: {size}}}\n", encoding="utf-8"
        )
    monkeypatch.chdir(tmp_path / "a")
    assert load_preset("style.yaml").body.size == 15
    monkeypatch.chdir(tmp_path / "b")
    assert load_preset("style.yaml").body.size == 14


def test_an_edited_reference_document_is_read_again(tmp_path: Path) -> None:
    reference = tmp_path / "单位模板.docx"

    def save_reference(left_mm: int) -> None:
        document = docx.Document()
        document.sections[0].left_margin = Mm(left_mm)
        document.save(str(reference))
        status = reference.stat()
        os.utime(reference, ns=(status.st_atime_ns, status.st_mtime_ns + left_mm * 1_000_000))

    def left_margin() -> int:
        preset = load_preset("gbt9704").with_reference_doc(reference)
        data = write_docx(draft_speech(EXAMPLE).document, preset)
        return round(docx.Document(io.BytesIO(data)).sections[0].left_margin.mm)

    save_reference(30)
    assert left_margin() == 30
    save_reference(35)
    assert left_margin() == 35


def test_a_memo_built_on_another_watches_the_inner_files_too(tmp_path: Path) -> None:
    from drafter.infra.file_memo import memoized_on_files

    inner_file = tmp_path / "inner.txt"
    inner_file.write_text("一", encoding="utf-8")

    @memoized_on_files(key=lambda: "inner", files=lambda: [inner_file])
    def inner() -> str:
        return inner_file.read_text(encoding="utf-8")

    @memoized_on_files(key=lambda: "outer")
    def outer() -> str:
        return inner() + "！"

    assert outer() == "一！"
    edit(inner_file, "一", "二")
    assert outer() == "二！"


def test_a_failure_is_not_remembered(tmp_path: Path) -> None:
    from drafter.infra.file_memo import memoized_on_files

    source = tmp_path / "number.txt"
    source.write_text("x", encoding="utf-8")

    @memoized_on_files(key=lambda: "number", files=lambda: [source])
    def number() -> int:
        return int(source.read_text(encoding="utf-8"))

    with pytest.raises(ValueError):
        number()
    source.write_text("7", encoding="utf-8")  # same size, maybe the same time: still read again
    assert number() == 7
