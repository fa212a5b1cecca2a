"""The faces LibreOffice prints with: each official face the computer lacks mapped to the closest
installed one, through a fontconfig file of drafter's own (never the system's), and one warning.

Without it fontconfig answers every missing Chinese face with one sans font, so the PDF looks
like 黑体 throughout. On Windows LibreOffice does not use fontconfig: drafter only looks in the
fonts folders and points to the `windows` preset, whose faces every Windows PC has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..presets import Preset

# Which kind of face each official face is: 宋 and 仿宋 are serif (明体) faces, 黑体 sans.
FACE_KINDS = {
    "方正小标宋简体": "serif",
    "方正小标宋_GBK": "serif",
    "华文中宋": "serif",
    "宋体": "serif",
    "仿宋_GB2312": "serif",
    "仿宋": "serif",
    "黑体": "sans",
    "楷体_GB2312": "kai",
    "楷体": "kai",
}
# Installed faces to use instead, closest first (Debian: fonts-noto-cjk, fonts-arphic-ukai).
STAND_INS = {
    "serif": ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "AR PL SungtiL GB"),
    "sans": ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"),
    "kai": ("AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC"),
}
# The files of each face in Windows' fonts folders (lower case).
WINDOWS_FILES = {
    "宋体": ("simsun.ttc",),
    "黑体": ("simhei.ttf",),
    "仿宋": ("simfang.ttf",),
    "楷体": ("simkai.ttf",),
    "华文中宋": ("stzhongs.ttf",),
    "仿宋_GB2312": ("fs_gb2312.ttf", "仿宋_gb2312.ttf", "simfang_gb2312.ttf"),
    "楷体_GB2312": ("kaiti_gb2312.ttf", "楷体_gb2312.ttf", "simkai_gb2312.ttf"),
    "方正小标宋简体": ("fzxbsjw.ttf", "fzxbsk.ttf", "方正小标宋简体.ttf"),
}
# Faces a Windows PC may lack that the `windows` preset does without.
LICENSED = ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312")


@dataclass(frozen=True, slots=True)
class FaceReport:
    """The official faces a preset names that are missing, and what stands in for each."""

    missing: tuple[str, ...]
    stand_ins: dict[str, str]  # official face → installed face ("" when none was found)


def preset_faces(preset: Preset) -> list[str]:
    """Every face a preset's page uses, in order of first use."""
    fonts = [preset.title, preset.byline, preset.salutation, preset.body, preset.heading1]
    fonts += [preset.heading2, preset.page_number]
    names = [font.name for font in fonts] + [preset.lead_font]
    return list(dict.fromkeys(name for name in names if name))


def face_report(preset: Preset) -> FaceReport:
    """Which of the preset's faces this computer lacks, and the closest installed ones."""
    installed = installed_faces()
    if not installed:
        return FaceReport((), {})  # no font list to read (macOS without fontconfig): say nothing
    missing = tuple(face for face in preset_faces(preset) if face not in installed)
    stand_ins = {face: _stand_in(face, installed) for face in missing if face in FACE_KINDS}
    return FaceReport(missing, stand_ins)


def _stand_in(face: str, installed: frozenset[str]) -> str:
    return next((name for name in STAND_INS[FACE_KINDS[face]] if name in installed), "")


@cache
def installed_faces() -> frozenset[str]:
    """Family names of the installed fonts (every localized name), empty when unknown."""
    if sys.platform == "win32":
        return _windows_faces()
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return frozenset()
    try:
        listed = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, timeout=60, check=False
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(","))


def _windows_faces() -> frozenset[str]:
    """Faces whose files are in the system's or the user's fonts folder."""
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    files: set[str] = set()
    for folder in folders:
        try:
            files.update(entry.name.lower() for entry in folder.iterdir())
        except OSError:
            continue
    return frozenset(face for face, names in WINDOWS_FILES.items() if files & set(names))


def fontconfig_file(report: FaceReport, folder: Path) -> Path | None:
    """A fonts.conf in `folder` that takes in the system's and maps each missing face."""
    rules = [(face, stand_in) for face, stand_in in report.stand_ins.items() if stand_in]
    if sys.platform == "win32" or not rules:
        return None
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    matches = "".join(
        '<match target="pattern"><test qual="any" name="family">'
        f"<string>{escape(face)}</string></test>"
        '<edit name="family" mode="prepend" binding="strong">'
        f"<string>{escape(stand_in)}</string></edit></match>\n"
        for face, stand_in in rules
    )
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f'<fontconfig>\n<include ignore_missing="yes">{escape(system)}</include>\n'
        f"{matches}</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def face_message(preset: Preset) -> str | None:
    """The one warning a run prints about the preset's faces this computer lacks, or None."""
    return missing_faces_message(face_report(preset))


def missing_faces_message(report: FaceReport) -> str | None:
    """The one warning a run prints about faces the PDF cannot use, or None."""
    if not report.missing:
        return None
    missing = "、".join(report.missing)
    if sys.platform == "win32":
        licensed = [face for face in LICENSED if face in report.missing]
        advice = (
            f"缺少 {'、'.join(licensed)} 时可改用 --style windows（只用 Windows 自带的字体），"
            if licensed
            else ""
        )
        return (
            f"这台电脑没有安装字体 {missing}，PDF 中由 LibreOffice 用其他字体代替；{advice}"
            "或安装这些字体后重新生成"
        )
    used = "；".join(
        f"{face} → {stand_in or '（未找到相近字体，由 LibreOffice 自选）'}"
        for face, stand_in in report.stand_ins.items()
    )
    return (
        f"这台电脑没有安装字体 {missing}，PDF 中已用相近字体代替（{used}）；"
        "正式印发前请安装这些字体，或用 Word/WPS 打开 .docx 另存为 PDF"
    )
