"""Paths a pack or a writer gives: kept inside their folder, and valid as Windows file names.

A pack shared by a colleague is a folder of data; whatever it names (an include, its id, a
file through a symbolic link) must resolve inside that folder. File names drafter makes
from text (a pack id, a form stem) must be names every office PC can hold.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import OutputError, UsageError
from .files import os_reason, path_state

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


_WILDCARDS = frozenset("*?[")
_LOCK_PREFIX = "~$"  # Word and WPS keep `~$讲话.docx` beside a document while it is open
_HIDDEN_ATTRIBUTE = 0x2  # FILE_ATTRIBUTE_HIDDEN; st_file_attributes exists on Windows only


def expand_files(arguments: Iterable[str | Path], suffixes: Sequence[str], what: str) -> list[Path]:
    """The files the arguments name: a folder gives its files with `suffixes`, a wildcard its matches.

    Windows shells pass `configs/*.yaml` on literally, so drafter expands it itself. Word's
    lock files and hidden files are left out of folders and wildcards (named on their own,
    a file is taken as given). The same file named twice comes once. `what` names the files
    in messages (表单、可检查的文件).
    """
    found: dict[Path, Path] = {}
    for argument in arguments:
        path = Path(argument)
        state = path_state(path)
        if state == "folder":
            matches = sorted(
                p for p in path.iterdir() if p.suffix.lower() in suffixes and p.is_file()
            )
            matches = [p for p in matches if not is_skipped(p)]
            if not matches:
                raise UsageError(f"文件夹 {path} 中没有{what}（{'、'.join(suffixes)}）")
        elif state == "missing" and _WILDCARDS & set(str(argument)):
            matches = sorted(Path(p) for p in glob.glob(str(argument)) if Path(p).is_file())
            matches = [p for p in matches if not is_skipped(p)]
            if not matches:
                raise UsageError(f"没有与 {argument} 匹配的{what}")
        else:
            matches = [path]
        for match in matches:
            found.setdefault(identity(match), match)
    return list(found.values())


def is_skipped(path: Path) -> bool:
    """A Word lock file or a hidden file, which a folder run or wildcard leaves out."""
    if path.name.startswith((_LOCK_PREFIX, ".")):
        return True
    try:
        attributes = getattr(path.stat(), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & _HIDDEN_ATTRIBUTE)


def identity(path: Path) -> Path:
    """The path with links followed, as far as they can be; the path itself on a link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        return path


def collision_key(path: Path) -> str:
    """What makes two output paths the same file on Windows too: 讲话.DOCX is 讲话.docx on NTFS.

    Case is folded whatever the system, so a batch that works here also works on the
    office PC it is copied to.
    """
    return os.path.normcase(str(identity(path))).casefold()


def check_target_name(target: Path) -> None:
    """Refuse an output file Windows cannot hold (CON.docx is the console, a:b a stream)."""
    problem = file_name_problem(target.name)
    if problem is not None:
        raise UsageError(f"不能用作输出文件：{problem}；请换一个文件名", path=str(target))


def make_parent(target: Path) -> None:
    """Create the folder `target` goes in; an OutputError in the writer's words if it cannot be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder should be, a read-only or missing drive
        raise OutputError(
            f"无法创建文件夹 {target.parent}：{os_reason(exc)}", path=str(target)
        ) from None
