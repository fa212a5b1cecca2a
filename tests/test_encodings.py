"""Forms saved by Windows editors in any common encoding read and render the same."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from drafter.config.located_yaml import load_located
from drafter.errors import FormError

from .conftest import EXAMPLE, run_cli

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")

SAVED_AS: dict[str, Callable[[str], bytes]] = {
    "UTF-8-BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "UTF-16-LE-BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "UTF-16-BE-BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "GBK": lambda text: text.encode("gbk"),
    "GB18030": lambda text: text.encode("gb18030"),
    "GBK-CRLF": lambda text: text.replace("\n", "\r\n").encode("gbk"),
}


def render_txt(form: Path, out: Path) -> tuple[str, str]:
    """The rendered text and what drafter said on stderr."""
    result = run_cli("render", form, "-f", "txt", "-o", out)
    assert result.exit_code == 0, result.stderr
    return (out / f"{form.stem}.txt").read_text(encoding="utf-8"), result.stderr


@pytest.fixture(scope="module")
def utf8_speech(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("utf8")
    return render_txt(EXAMPLE, out)[0]


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_example_saved_in_another_encoding_renders_the_same_text(
    saved_as: str, utf8_speech: str, tmp_path: Path
) -> None:
    form = tmp_path / "review-commentary.example.yaml"
    form.write_bytes(SAVED_AS[saved_as](EXAMPLE_TEXT))
    speech, _ = render_txt(form, tmp_path / "out")
    assert speech == utf8_speech


def test_gbk_form_is_read_with_a_warning_naming_the_guessed_encoding(tmp_path: Path) -> None:
    form = tmp_path / "gbk.yaml"
    form.write_bytes(EXAMPLE_TEXT.encode("gbk"))
    _, said = render_txt(form, tmp_path / "out")
    assert f"{form}:1:1: 警告: 文件不是 UTF-8 编码，已按 GBK/GB18030 编码读取" in said
    assert "另存为" in said


@pytest.mark.parametrize("saved_as", ["UTF-8-BOM", "UTF-16-LE-BOM"])
def test_forms_marked_with_a_bom_give_no_encoding_warning(saved_as: str, tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_bytes(SAVED_AS[saved_as](EXAMPLE_TEXT))
    assert "UTF-8" not in render_txt(form, tmp_path / "out")[1]


def test_short_gbk_form_is_read_as_gbk_not_big5(tmp_path: Path) -> None:
    # A few GBK words also decode as Big5 (into rarer characters); writers here use GBK.
    form = tmp_path / "short.yaml"
    form.write_bytes("template: review-commentary\ntitle: 在会议上的讲话\n".encode("gbk"))
    assert load_located(form).data["title"] == "在会议上的讲话"


def test_utf8_form_with_a_damaged_spot_is_an_error_not_mojibake(tmp_path: Path) -> None:
    form = tmp_path / "pasted.yaml"
    form.write_bytes("title: 讲话\nname: ".encode() + "会议".encode("gbk") + b"\n")
    with pytest.raises(FormError) as caught:
        load_located(form)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column) == (2, 7)
    assert "第 21 个字节 0xBB" in diagnostic.message and "UTF-8" in diagnostic.message


def test_undecodable_form_exits_2_naming_byte_line_and_the_fix(tmp_path: Path) -> None:
    form = tmp_path / "binary.yaml"
    form.write_bytes(b"template: x\n\x81\xff\xfe\x00\x9f\n")
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{form}:2:1: 错误: ")
    assert "第 13 个字节 0x81" in first and "“另存为”时编码选择 UTF-8" in first


def test_big5_form_is_read_as_big5_with_a_warning(tmp_path: Path) -> None:
    form = tmp_path / "big5.yaml"
    form.write_bytes("template: review-commentary\ntitle: 在全市會議上的講話\n".encode("big5"))
    loaded = load_located(form)
    assert loaded.data["title"] == "在全市會議上的講話"
    assert any("已按 Big5 编码读取" in warning.message for warning in loaded.warnings)


@pytest.mark.parametrize(
    "raw",
    [
        "title: café résumé naïve\nname: Zoë\n".encode("latin-1"),  # Western, not Chinese
        "title: 讲话稿\n".encode("utf-16-le"),  # UTF-16 without its BOM
        "title: Привет мир\n".encode("cp1251"),
    ],
)
def test_a_form_in_another_encoding_is_refused_not_read_as_mojibake(
    raw: bytes, tmp_path: Path
) -> None:
    form = tmp_path / "other.yaml"
    form.write_bytes(raw)
    with pytest.raises(FormError) as caught:
        load_located(form)
    assert "也不像 GBK 等中文编码" in caught.value.diagnostics[0].message
