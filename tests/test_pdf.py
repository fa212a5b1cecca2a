"""PDF through LibreOffice: the example prints on A4 pages with every heading; without
LibreOffice the writer is told how to install it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import drafter.writers.pdf as pdf_writer
from drafter.cn.numerals import cn_ordinal

from .conftest import EXAMPLE, run_cli

TITLE = "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话"
TOOLS = ("soffice", "pdftotext", "pdftoppm", "pdfinfo")
needs_office = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS),
    reason="LibreOffice (soffice) and poppler-utils (pdftotext, pdftoppm, pdfinfo) are needed",
)


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    result = run_cli("render", EXAMPLE, "-f", "pdf", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out / "review-commentary.example.pdf")
    return out / "review-commentary.example.pdf"


def section_headings() -> list[str]:
    """The example's 一、 headings as they print: the number, then the heading text."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return [
        f"{cn_ordinal(n)}{section['heading']}"
        for n, section in enumerate(data["measures"]["sections"], start=1)
    ]


@needs_office
def test_example_pdf_has_5_to_8_a4_pages(example_pdf: Path) -> None:
    info = run("pdfinfo", example_pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 5 <= pages <= 8
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)


@needs_office
def test_pdf_text_has_the_title_every_heading_and_the_thanks(example_pdf: Path) -> None:
    flat = re.sub(r"\s", "", run("pdftotext", example_pdf, "-"))
    assert TITLE in flat
    headings = section_headings()
    assert len(headings) == 3
    for heading in headings:
        assert re.sub(r"\s", "", heading).rstrip("。") in flat
    assert "谢谢大家" in flat


@needs_office
def test_pdf_first_page_renders_as_an_image(example_pdf: Path, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", example_pdf, tmp_path / "page")
    [png] = list(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 20_000  # a page of text, not a blank sheet


def test_missing_libreoffice_is_explained_with_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(pdf_writer.ENV_OVERRIDE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pdf_writer, "_usual_places", lambda: [])
    # PDF alone: checked before any form is written (with other formats too, those are
    # written and each PDF fails: tests/test_hostile_files.py)
    result = run_cli("render", EXAMPLE, "-f", "pdf", "-o", tmp_path / "out")
    assert result.exit_code == 2
    message = result.stderr
    assert "生成 PDF 需要 LibreOffice，但这台电脑上没有找到它" in message
    assert "Windows" in message and "apt-get install libreoffice" in message
    assert "Traceback" not in message
    assert not (tmp_path / "out").exists()  # checked before any form is written


def test_a_wrong_soffice_override_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf_writer.ENV_OVERRIDE, str(tmp_path / "soffice.exe"))
    result = run_cli("render", EXAMPLE, "-f", "pdf", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{pdf_writer.ENV_OVERRIDE} 指向的 {tmp_path / 'soffice.exe'} 不存在" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in LibreOffice is a shell script")
def test_a_failing_conversion_fails_only_that_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pdf_writer.ENV_OVERRIDE, str(fake))
    result = run_cli("render", EXAMPLE, "-f", "pdf", "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "LibreOffice 转换 PDF 失败（退出码 1）：source file could not be loaded" in result.stderr
    assert (tmp_path / "out" / "review-commentary.example.txt").exists()
    assert not (tmp_path / "out" / "review-commentary.example.pdf").exists()
