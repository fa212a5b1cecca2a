"""Paths a pack or a writer gives: kept inside their folder, and valid as Windows file names.

A pack shared by a colleague is a folder of data; whatever it names (an include, its id, a
file through a symbolic link) must resolve inside that folder. File names drafter makes
from text (a pack id, a form stem) must be names every office PC can hold.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# Windows refuses these names whatever their extension (CON.yaml is the console).
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_NAME_BYTES = 255  # NTFS counts UTF-16 units and ext4 bytes; UTF-8 bytes is the stricter


def is_inside(root: Path, candidate: Path) -> bool:
    """Whether `candidate`, with every link followed, lies inside `root` (also followed)."""
    try:
        resolved_root = root.resolve()
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a link loop
        return False
    return resolved == resolved_root or resolved_root in resolved.parents


def file_name_problem(name: str) -> str | None:
    """Why `name` cannot be a file name on Windows (or anywhere), in Chinese; None if it can."""
    if not name or name in (".", ".."):
        return "文件名是空的"
    found = _FORBIDDEN.search(name)
    if found:
        shown = repr(found.group()) if found.group() < " " else found.group()
        return f"文件名中不能有 {shown}（Windows 不允许）"
    if name.endswith((" ", ".")):
        return "文件名不能以空格或句点结尾（Windows 会去掉它们，写到另一个文件）"
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        return f"{name.split('.')[0]} 是 Windows 保留的设备名，不能用作文件名"
    if len(os.fsencode(name)) > MAX_NAME_BYTES:
        return f"文件名太长（超过 {MAX_NAME_BYTES} 字节），请缩短"
    return None
