"""Write output files so an interrupted run never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomically(target: Path, payload: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except PermissionError:
        _discard(temp_name)
        raise OutputError(
            f"无法写入 {target}：文件可能正在 Word 或 WPS 中打开，请关闭后重试，或用 -o 换一个输出位置",
            path=str(target),
        ) from None
    except OSError as exc:
        _discard(temp_name)
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}", path=str(target)) from None


def _discard(temp_name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp_name)
