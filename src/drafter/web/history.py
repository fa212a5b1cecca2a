"""Earlier versions of each form, kept by every save, and versions a conflict refused.

They live in FOLDER/.drafter-history/<form name>/, one file per version named by the time
it was kept, so a writer can find them in Explorer too. Each form keeps the newest
MAX_VERSIONS; a refused save is kept the same way, so after a conflict both versions are
on disk.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import WebRequestError
from ..infra.output import write_atomically
from ..infra.paths import is_inside

HISTORY_FOLDER = ".drafter-history"
MAX_VERSIONS = 20
BEFORE_SAVE = "保存前"
REFUSED = "未保存的修改"
RESTORED = "恢复前"
_ENTRY = re.compile(r"^(\d{8}-\d{6}-\d{6})-(.+)\.ya?ml$")


@dataclass(frozen=True)
class Version:
    """One kept version of a form."""

    name: str  # its file name in the history folder
    kept: str  # when, as a writer reads it
    why: str  # BEFORE_SAVE, REFUSED or RESTORED

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "kept": self.kept, "why": self.why}


def history_folder(form: Path) -> Path:
    """Where `form`'s versions are kept, inside its folder: a link leading out is refused."""
    folder = form.parent / HISTORY_FOLDER / form.name
    if not is_inside(form.parent, folder):
        raise WebRequestError(f"{HISTORY_FOLDER} 指向本文件夹以外的位置，已拒绝", status=403)
    return folder


def keep_version(form: Path, payload: bytes, why: str) -> Path:
    """Keep `payload` as a version of `form`; the oldest beyond MAX_VERSIONS are removed."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = history_folder(form) / f"{stamp}-{why}{form.suffix}"
    write_atomically(target, payload)
    for old in versions(form)[MAX_VERSIONS:]:
        (history_folder(form) / old.name).unlink(missing_ok=True)
    return target


def versions(form: Path) -> list[Version]:
    """The kept versions of a form, newest first."""
    folder = history_folder(form)
    if not folder.is_dir():
        return []
    found: list[Version] = []
    for path in folder.iterdir():
        match = _ENTRY.match(path.name)
        if match and path.is_file() and not path.is_symlink():
            moment = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
            found.append(Version(path.name, moment.strftime("%Y-%m-%d %H:%M:%S"), match.group(2)))
    return sorted(found, key=lambda version: version.name, reverse=True)


def read_version(form: Path, name: object) -> bytes:
    """A kept version's bytes; only names the history lists are accepted."""
    if not any(version.name == name for version in versions(form)):
        raise WebRequestError(f"{form.name} 没有这个历史版本", status=404)
    return (history_folder(form) / str(name)).read_bytes()
