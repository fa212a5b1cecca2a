"""Read a file the writer named (a form, a speech, a reference document) with Chinese errors.

Only regular files are read: a FIFO would block forever and a link to /dev/zero would fill
memory, so both are refused before they are opened, and no read goes past the size limit
even when the file grows (or lies about its size) while it is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import DrafterError

# What the operating system's English wording (strerror) means, said for an office writer.
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限（文件可能是只读的、被其他程序占用，或被安全软件拦截）",
    errno.EPERM: "操作不被允许（可能被系统或安全软件拦截）",
    errno.EEXIST: "同名文件已存在",
    errno.ENAMETOOLONG: "文件名或路径太长，请缩短文件名或换一个层次较浅的文件夹",
    errno.ELOOP: "路径中的快捷方式（符号链接）层层相互指向，形成了循环",
    errno.ENOSPC: "磁盘空间已满，请清理后重试",
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.EINVAL: "文件名不合法（可能含有 Windows 不允许的字符）",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EMFILE: "同时打开的文件太多",
    errno.EIO: "读写磁盘时出错",
}


def os_reason(exc: OSError) -> str:
    """A Chinese explanation of an operating-system error, never its English strerror."""
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None and getattr(exc, "winerror", None) == 32:  # ERROR_SHARING_VIOLATION
        reason = "文件正被其他程序占用"
    return reason or f"系统错误（错误号 {exc.errno}）"


def path_state(path: Path) -> str:
    """ "folder", "missing" or "other" (a file, or a name the system refuses to look up)."""
    try:
        return "folder" if path.is_dir() else "other" if path.exists() else "missing"
    except (OSError, ValueError):  # too long a name, a NUL: left for the reader to explain
        return "other"


def read_user_file(
    path: Path,
    noun: str,
    error: type[DrafterError],
    max_bytes: int | None = None,
    *,
    missing_hint: str = "",
    folder_hint: str = "",
) -> bytes:
    """The file's bytes; a missing, folder, special, oversized or unreadable path raises `error`."""
    shown = str(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"这是一个文件夹，不是{noun}：{shown}{folder_hint}", path=shown)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                f"这不是普通文件（可能是设备、管道或特殊文件），不能作为{noun}读取：{shown}",
                path=shown,
            )
        if max_bytes is not None and info.st_size > max_bytes:
            raise _too_large(error, noun, shown, info.st_size, max_bytes)
        with open(path, "rb") as handle:
            data = handle.read(-1 if max_bytes is None else max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:
            raise _too_large(error, noun, shown, len(data), max_bytes)
        return data
    except FileNotFoundError:
        raise error(f"找不到{noun}：{shown}{missing_hint}", path=shown) from None
    except OSError as exc:
        raise error(f"无法读取{noun}：{os_reason(exc)}", path=shown) from None
    except (ValueError, RuntimeError):  # a NUL in the path; a link loop on older Pythons
        raise error(f"无法读取{noun}：路径不合法", path=shown) from None


def _too_large(
    error: type[DrafterError], noun: str, shown: str, size: int, limit: int
) -> DrafterError:
    if limit >= 1024 * 1024:
        allowed = f"{limit // 1024 // 1024} MB"
        found = f"{size / 1024 / 1024:.1f} MB"
    else:
        allowed, found = f"{limit // 1024} KB", f"{size / 1024:.0f} KB"
    return error(f"{noun}过大（{found}）：上限为 {allowed}，请确认选择的是{noun}", path=shown)
