"""Each face looks like itself in the PDF: missing official faces are mapped to the closest
installed ones through drafter's own fontconfig file, and one warning says so."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import drafter.writers.pdf_faces as faces
from drafter.presets import load_preset

from .conftest import EXAMPLE, MINIMAL, run_cli

needs_tools = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("soffice", "pdffonts", "fc-list")),
    reason="LibreOffice, pdffonts (poppler-utils) and fontconfig are needed",
)
WARNING = "这台电脑没有安装字体"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The example and the minimal form as PDFs in one run, and what the run printed."""
    out = tmp_path_factory.mktemp("faces")
    result = run_cli("render", EXAMPLE, MINIMAL, "-f", "pdf", "-o", out)
    assert result.exit_code == 0, result.stderr
    return out / "review-commentary.example.pdf", result.stderr


def pdf_families(pdf: Path) -> set[str]:
    """Font families embedded in a PDF, subset prefixes and styles removed."""
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in listed.stdout.splitlines()[2:] if line.strip()]
    return {re.sub(r"^[A-Z]{6}\+|-(Regular|Bold|Light|Medium)\b.*$", "", n) for n in names}


@needs_tools
def test_pdf_has_a_serif_and_a_sans_cjk_family(rendered: tuple[Path, str]) -> None:
    families = pdf_families(rendered[0])
    cjk = {f for f in families if re.search(r"CJK|UKai|UMing|Han|WenQuanYi|Sim|Kai|Song", f)}
    assert len(cjk) >= 2, families
    installed = faces.installed_faces()
    if "方正小标宋简体" not in installed and "Noto Serif CJK SC" in installed:
        assert any("Serif" in f for f in cjk), families  # body and title in a serif face
    if "黑体" not in installed and "Noto Sans CJK SC" in installed:
        assert any("Sans" in f for f in cjk), families  # 一、 headings in a sans face


@needs_tools
def test_missing_faces_are_named_once_per_run(rendered: tuple[Path, str]) -> None:
    report = faces.face_report(load_preset("gbt9704"))
    stderr = rendered[1]
    if not report.missing:
        assert WARNING not in stderr
        return
    assert stderr.count(WARNING) == 1, stderr
    warning = next(line for line in stderr.splitlines() if WARNING in line)
    for face in report.missing:
        assert face in warning
    for stand_in in filter(None, report.stand_ins.values()):
        assert stand_in in warning


def test_fontconfig_file_includes_the_system_and_maps_each_face(tmp_path: Path) -> None:
    report = faces.FaceReport(
        ("仿宋_GB2312", "黑体", "楷体_GB2312"),
        {"仿宋_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC", "楷体_GB2312": ""},
    )
    path = faces.fontconfig_file(report, tmp_path)
    if sys.platform == "win32":
        assert path is None
        return
    assert path is not None and path.parent == tmp_path
    text = path.read_text(encoding="utf-8")
    assert '<include ignore_missing="yes">' in text
    assert "<string>仿宋_GB2312</string>" in text and "<string>Noto Serif CJK SC</string>" in text
    assert "<string>黑体</string>" in text and "<string>Noto Sans CJK SC</string>" in text
    assert "楷体_GB2312" not in text  # nothing close was installed: LibreOffice chooses


def test_each_official_face_maps_to_its_kind() -> None:
    installed = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"})
    assert faces._stand_in("方正小标宋简体", installed) == "Noto Serif CJK SC"
    assert faces._stand_in("仿宋_GB2312", installed) == "Noto Serif CJK SC"
    assert faces._stand_in("黑体", installed) == "Noto Sans CJK SC"
    assert faces._stand_in("楷体_GB2312", installed) == "AR PL UKai CN"


def test_windows_warning_points_to_the_windows_preset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts = tmp_path / "Fonts"
    fonts.mkdir()
    for name in ("simsun.ttc", "SIMHEI.TTF", "simfang.ttf", "simkai.ttf"):
        (fonts / name).write_bytes(b"")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    found = faces._windows_faces()
    assert found == {"宋体", "黑体", "仿宋", "楷体"}
    monkeypatch.setattr(faces.sys, "platform", "win32")
    missing = tuple(f for f in faces.preset_faces(load_preset("gbt9704")) if f not in found)
    message = faces.missing_faces_message(faces.FaceReport(missing, {}))
    assert message is not None
    assert "--style windows" in message and "仿宋_GB2312" in message
    assert faces.missing_faces_message(faces.FaceReport((), {})) is None


def test_no_warning_when_the_font_list_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faces, "installed_faces", lambda: frozenset())
    assert faces.face_message(load_preset("gbt9704")) is None


def test_installed_official_faces_are_not_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    everything = frozenset(faces.FACE_KINDS)
    monkeypatch.setattr(faces, "installed_faces", lambda: everything)
    assert faces.face_report(load_preset("gbt9704")) == faces.FaceReport((), {})
