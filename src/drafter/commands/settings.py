"""`drafter settings`: where the office settings file is looked for, what is in force, a new one."""

from __future__ import annotations

from pathlib import Path

from ..config.settings import TEMPLATE, Settings, load_settings, searched_paths
from ..errors import OutputError
from ..infra.files import os_reason
from ..presets import DEFAULT_PRESET


def settings_lines() -> list[str]:
    """Lines naming the files searched (and which one was found) and each setting in force."""
    settings = load_settings()
    lines = ["设置文件（按顺序查找，用找到的第一个）："]
    for path in searched_paths():
        if path == settings.path:
            state = "（正在使用）"
        else:
            state = "（不存在）" if not path.exists() else "（未使用：前面的文件优先）"
        lines.append(f"  {path}{state}")
    lines += ["", "当前生效的设置（命令行中写的选项优先）："]
    lines += [f"  {key}: {value}" for key, value in _in_force(settings)]
    if settings.path is None:
        lines += ["", "还没有设置文件；运行 drafter settings --init 生成一份带说明的设置文件"]
    return lines


def _in_force(settings: Settings) -> list[tuple[str, str]]:
    folders = "、".join(map(str, settings.template_folders)) or "（无）"
    output = settings.output or "output（当前文件夹中）"
    return [
        ("style", settings.style or f"{DEFAULT_PRESET}（默认）"),
        ("reference_doc", str(settings.reference_doc) if settings.reference_doc else "（无）"),
        ("output", "表单旁边" if settings.output == "beside-form" else output),
        ("template_folders", folders),
    ]


def init_settings(*, force: bool = False) -> Path:
    """Write a commented settings file where drafter looks first; never over one unasked."""
    target = searched_paths()[0]
    if target.exists() and not force:
        raise OutputError(
            "设置文件已经存在；为免覆盖已有的设置，不会改写它。请直接编辑它，或加 --force 重新生成",
            path=str(target),
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # BOM: Notepad on older Windows then opens it as UTF-8, as drafter new's forms.
        target.write_text(TEMPLATE, encoding="utf-8-sig")
    except OSError as exc:
        raise OutputError(f"无法写入设置文件：{os_reason(exc)}", path=str(target)) from None
    return target
