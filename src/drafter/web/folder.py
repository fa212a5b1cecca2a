"""The folder `drafter serve` serves: only files inside it are reachable, by plain names.

A browser names a form by its file name (`讲话.yaml`), never by a path: no folders, no
`..`, no drive letters, and a name whose file is a link leading out of the folder is
refused, so nothing outside FOLDER can be read or written through the server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import WebRequestError
from ..infra.paths import file_name_problem, is_inside, is_skipped

FORM_SUFFIXES = (".yaml", ".yml")
SPEECH_SUFFIXES = (".docx", ".txt", ".md")


def version_of(payload: bytes) -> str:
    """What identifies a file's content: a save names the version it was edited from."""
    return hashlib.sha256(payload).hexdigest()[:32]


@dataclass(frozen=True)
class ServedFolder:
    """FOLDER and the confinement of every name a request gives."""

    root: Path

    def form(self, name: object, *, exists: bool = True) -> Path:
        """The form a request names, inside the folder; a WebRequestError otherwise."""
        path = self.file(name, FORM_SUFFIXES, "表单")
        if exists and not path.is_file():
            raise WebRequestError(f"文件夹中没有表单 {path.name}", status=404)
        return path

    def file(self, name: object, suffixes: tuple[str, ...], what: str) -> Path:
        """A plain file name with one of `suffixes`, confined to the folder."""
        if not isinstance(name, str) or not name:
            raise WebRequestError(f"请求中没有写明{what}的文件名")
        if "/" in name or "\\" in name or name in (".", ".."):
            raise WebRequestError(f"只能打开本文件夹中的{what}，不能使用路径：{name}", status=403)
        problem = file_name_problem(name)
        if problem is not None:
            raise WebRequestError(f"{what}文件名不可用：{problem}")
        if not name.lower().endswith(suffixes):
            raise WebRequestError(f"{name} 不是{what}文件（应以 {'、'.join(suffixes)} 结尾）")
        path = self.root / name
        if (path.exists() or path.is_symlink()) and not is_inside(self.root, path):
            raise WebRequestError(f"{name} 指向本文件夹以外的位置，已拒绝", status=403)
        return path

    def forms(self) -> list[Path]:
        """The forms directly inside the folder, by name (links leading out left out)."""
        found = [
            path
            for path in self.root.iterdir()
            if path.suffix.lower() in FORM_SUFFIXES
            and not is_skipped(path)
            and path.is_file()
            and is_inside(self.root, path)
        ]
        return sorted(found, key=lambda path: path.name)

    def free_name(self, stem: str, suffix: str = ".yaml") -> Path:
        """A form name not yet taken: 讲话.yaml, else 讲话-2.yaml, 讲话-3.yaml …"""
        for number in range(1, 1000):
            name = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
            path = self.root / name
            if not path.exists() and not path.is_symlink():
                return path
        raise WebRequestError(f"文件夹中以 {stem} 开头的表单太多，请换一个名称", status=409)


def saved_at(path: Path) -> str:
    """When a file was last saved, as a writer reads it: 2026-12-07 09:30."""
    try:
        moment = dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M")
