"""Read a file the writer named (a form, a speech, a reference document) with Chinese errors."""

from __future__ import annotations

from pathlib import Path

from ..errors import DrafterError


def read_user_file(
    path: Path,
    noun: str,
    error: type[DrafterError],
    max_bytes: int | None = None,
    *,
    missing_hint: str = "",
    folder_hint: str = "",
) -> bytes:
    """The file's bytes; a missing, folder, oversized or unreadable path raises `error`."""
    shown = str(path)
    if path.is_dir():
        raise error(f"这是一个文件夹，不是{noun}：{shown}{folder_hint}", path=shown)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise error(
                f"{noun}过大（{size / 1024 / 1024:.1f} MB）：上限为 {max_bytes // 1024 // 1024} MB，"
                f"请确认选择的是{noun}",
                path=shown,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"找不到{noun}：{shown}{missing_hint}", path=shown) from None
    except OSError as exc:
        raise error(f"无法读取{noun}：{exc.strerror or exc}", path=shown) from None
