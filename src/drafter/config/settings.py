"""Office-wide settings: one YAML file giving every PC the same style, folders and templates.

IT staff put it in each user's config folder (or point DRAFTER_CONFIG at a shared one), so
no command repeats `--style … --reference-doc …`. It is read like every other YAML file
drafter reads (located values, typed options, the same Chinese errors); the command line
overrides what it says. Relative paths in it are relative to the file's own folder, so a
settings file on a network share can name the templates beside it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError
from .located_yaml import SETTINGS_FILE, load_located
from .options import ListOf, Mapping, Reading, Text

ENV_VAR = "DRAFTER_CONFIG"  # the settings file to use, wherever it is
FILE_NAMES = ("settings.yaml", "设置.yaml")
BESIDE_FORM = "beside-form"
# The output rule's spellings: the English one, and what an office writer would type.
BESIDE_FORM_WORDS = frozenset({BESIDE_FORM, "表单旁边", "表单所在文件夹"})

SETTINGS_OPTIONS = Mapping(
    options={
        "style": Text("版式（gbt9704、windows 或样式文件路径）"),
        "reference_doc": Text("参考文档（单位模板 .docx）"),
        "output": Text("输出位置（beside-form 表示表单旁边，或一个文件夹）"),
        "template_folders": ListOf(Text("模板文件夹"), "其他模板文件夹（如共享文件夹）"),
        "forms_folder": Text("表单文件夹（drafter serve 默认打开的文件夹）"),
    },
    where="设置文件中",
)


@dataclass(frozen=True)
class Settings:
    """What the settings file says, paths made absolute; empty when there is no file."""

    path: Path | None = None
    style: str | None = None
    reference_doc: Path | None = None
    output: str | None = None  # BESIDE_FORM, an absolute folder, or None for ./output
    template_folders: tuple[Path, ...] = ()
    forms_folder: Path | None = None  # what `drafter serve` opens when no folder is given

    def output_folder(self, form: Path) -> Path:
        """Where a form's outputs go when the command line gives no -o."""
        if self.output == BESIDE_FORM:
            return form.parent
        return Path(self.output) if self.output else Path("output")


def user_config_folder() -> Path:
    """%APPDATA%\\drafter on Windows; $XDG_CONFIG_HOME/drafter (~/.config/drafter) elsewhere."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "drafter"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "drafter"


def searched_paths() -> list[Path]:
    """Where the settings file is looked for, in order; DRAFTER_CONFIG alone when set."""
    given = os.environ.get(ENV_VAR, "").strip().strip('"')
    if given:
        return [Path(given)]
    folder = user_config_folder()
    return [folder / name for name in FILE_NAMES]


def load_settings() -> Settings:
    """The settings in force: from the first settings file found, or none at all."""
    candidates = searched_paths()
    if os.environ.get(ENV_VAR, "").strip() and not candidates[0].is_file():
        raise SettingsError(
            f"环境变量 {ENV_VAR} 指向的设置文件不存在；请检查路径，或删除这个环境变量",
            path=candidates[0],
        )
    for path in candidates:
        if path.is_file():
            return read_settings(path)
    return Settings()


def read_settings(path: Path) -> Settings:
    """One settings file, checked whole: every problem located, raised at once."""
    located = load_located(path, SETTINGS_FILE)
    reading = Reading(located)
    values = SETTINGS_OPTIONS.read(located.data, (), reading) or {}
    if reading.all_problems():
        raise SettingsError(diagnostics=reading.all_problems())
    folder = path.resolve().parent
    style = values.get("style")
    if style and _is_path(style):
        style = str(folder / style)
    reference = values.get("reference_doc")
    output = values.get("output")
    forms = values.get("forms_folder")
    if output:
        output = BESIDE_FORM if output.lower() in BESIDE_FORM_WORDS else str(folder / output)
    return Settings(
        path=path,
        style=style,
        reference_doc=folder / reference if reference else None,
        output=output,
        template_folders=tuple(folder / f for f in values.get("template_folders", [])),
        forms_folder=folder / forms if forms else None,
    )


def _is_path(style: str) -> bool:
    """A style file's path rather than a built-in preset's name."""
    return style.lower().endswith((".yaml", ".yml")) or "/" in style or "\\" in style


TEMPLATE = """\
# drafter 设置文件：本单位每台电脑共用的默认设置（命令行中写的选项优先于这里）。
# 相对路径都相对于这个文件所在的文件夹。不需要的设置项可以删掉或在行首加 #。

# 版式：gbt9704（公文字体）、windows（Windows 自带字体），或样式文件的路径
style: gbt9704

# 参考文档：沿用这份 Word 文档（如单位模板）的段落样式、页面设置和页脚
# reference_doc: 单位模板.docx

# 生成的文件放在哪里：beside-form 表示放在表单旁边；也可写一个文件夹，如 D:/讲话稿
# 不写时放在当前文件夹的 output/ 中
# output: beside-form

# 其他模板文件夹（如共享文件夹），在本地 templates/ 之后、内置模板之前查找
# template_folders:
#   - //服务器/共享/drafter模板

# drafter serve（在浏览器里填写表单）不写文件夹时打开的表单文件夹，如共享的讲话稿表单
# forms_folder: //服务器/共享/讲话稿表单
"""
