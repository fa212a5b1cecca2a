"""Write output files so nothing a writer did is lost: atomic replacement and edit protection.

Every file goes to a temporary name beside its target and is renamed into place, so an
interrupted run leaves the old file or the new one, never half of one. The temporary name
ends in `.tmp`, never in the target's extension, so a leftover is never taken for an output;
the next run that writes into that folder removes leftovers older than a quarter of an hour.
A .docx is only replaced when drafter wrote it and nothing a person can add (text, comments,
pictures, tables, properties, …) changed since (see `fingerprint`); anything else needs `--force`.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

from ..errors import OutputError
from .files import os_reason, path_state

PROTECTED_SUFFIXES = (".docx",)  # the files writers open and edit; the others are exports
# `.drafter-k3x9_q0a.tmp`: what write_atomically names an output, a fixed form or a schema
# before renaming it into place (tempfile's eight random characters). The name is short
# whatever the target's, so a target name near the 255-byte limit still gets one; the older
# shape `.讲话.docx.k3x9_q0a.tmp` is still swept. Only names of exactly these shapes are removed.
_TEMP_PREFIX = ".drafter-"
_LEFTOVER = re.compile(
    r"\.drafter-[a-z0-9_]{8}\.tmp|\..+\.(?:docx|txt|md|html|pdf|yaml|yml|json)\.[a-z0-9_]{8}\.tmp"
)
LEFTOVER_AGE_SECONDS = 15 * 60  # older than any write in progress, even a slow PDF batch
LOCKED = "文件可能正在 Word 或 WPS 中打开，请关闭后重试，或用 -o 换一个输出文件夹"


def guard_edits(target: Path) -> None:
    """Raise OutputError when `target` is a .docx that drafter must not overwrite."""
    if target.suffix.lower() not in PROTECTED_SUFFIXES or not target.exists():
        return
    if target.is_dir():
        raise OutputError("无法写入：同名的文件夹已存在", path=str(target))
    from .fingerprint import DocxState, inspect_docx  # deferred: start-up speed

    try:
        found = inspect_docx(target)
    except PermissionError:
        raise OutputError(f"无法读取：{LOCKED}", path=str(target)) from None
    except OSError as exc:
        raise OutputError(f"无法读取：{os_reason(exc)}", path=str(target)) from None
    if found.state is DocxState.UNEDITED:
        return
    elsewhere = f"（例如 -o {_suggested_folder(target)}）"
    if found.state is DocxState.EDITED:
        what = f"（{'、'.join(found.changes)}）" if found.changes else ""
        message = (
            f"这份 Word 文档在 drafter 生成之后被修改过{what}，为保护这些修改，没有覆盖它。"
            "如要用新生成的稿子替换，请加 --force；如要两份都保留，请用 -o 另选输出文件夹"
        )
    elif found.state is DocxState.DAMAGED:
        message = (
            "这份 Word 文档是 drafter 生成的，但已损坏，无法判断其中是否有修改，为保护它，没有覆盖。"
            "如确定要用新生成的稿子替换，请加 --force；否则请用 -o 另选输出文件夹"
        )
    else:
        message = (
            "这份 Word 文档已存在，但没有 drafter 的生成记录（不是 drafter 生成的，或由旧版生成），"
            "无法判断其中是否有修改，为保护它，没有覆盖。"
            "如确定要替换，请加 --force；否则请用 -o 另选输出文件夹"
        )
    raise OutputError(message + elsewhere, path=str(target))


def _suggested_folder(target: Path) -> str:
    """A sibling folder name that does not exist yet, e.g. output/新稿."""
    for number in range(1, 100):
        name = "新稿" if number == 1 else f"新稿{number}"
        if not (target.parent / name / target.name).exists():
            return str(target.parent / name)
    return str(target.parent / "新稿")


def write_atomically(target: Path, payload: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place.

    A `target` that is a symbolic link is written through: the file it points to gets the
    new content and the link stays a link (a writer who linked a form into a folder keeps it).
    """
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _sweep_leftovers(target.parent)
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name != "nt":  # mkstemp made it private to its owner; Windows has ACLs
                os.chmod(temp_name, _mode_for(target))
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        _discard(temp_name)
        raise _write_error(target, exc) from None


def _mode_for(target: Path) -> int:
    """The permissions `target` has now, else those a new file gets (as an editor would)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@cache
def _umask() -> int:
    """The process's umask (reading it sets it, so it is read once and set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@cache
def _sweep_leftovers(folder: Path) -> None:
    """Remove temporary files that a killed earlier run left in `folder` (once per folder).

    A file is removed only when its name has exactly the shape write_atomically gives and
    nothing has touched it for LEFTOVER_AGE_SECONDS, so a write still in progress elsewhere
    and every file a writer made are left alone. Failing to remove one is never an error.
    """
    cutoff = time.time() - LEFTOVER_AGE_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not _LEFTOVER.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)


def _write_error(target: Path, exc: OSError) -> OutputError:
    """The Chinese explanation of a failed write: read-only, locked, a folder, or the system's."""
    if isinstance(exc, PermissionError):
        return OutputError(f"无法写入：{_permission_reason(target)}", path=str(target))
    if isinstance(exc, IsADirectoryError) or path_state(target) == "folder":
        return OutputError("无法写入：同名的文件夹已存在", path=str(target))
    return OutputError(f"无法写入：{os_reason(exc)}", path=str(target))


def _permission_reason(target: Path) -> str:
    """Why writing was refused: a read-only folder or file, else a program holding the file."""
    folder = target.parent
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return "所在文件夹是只读的或没有写入权限，请用 -o 换一个输出文件夹"
    if target.is_file() and not os.access(target, os.W_OK):
        return "文件是只读的（可在文件属性中取消“只读”），或用 -o 换一个输出文件夹"
    if sys.platform == "win32":
        return f"{LOCKED}；若文件没有打开，可能是安全软件阻止了写入（如“受控文件夹访问”）"
    return LOCKED


def _discard(temp_name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp_name)


def write_to_stdout(payload: bytes) -> None:
    """Write bytes to standard output as they are (UTF-8, whatever the console's code page)."""
    sys.stdout.flush()  # anything already printed as text comes first
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream (some IDE consoles)
        sys.stdout.write(payload.decode("utf-8"))
    else:
        stream.write(payload)
        stream.flush()
