"""A per-user cache folder for work drafter would otherwise redo on every start.

Compiled templates and the parsed built-in rules are kept here. Everything in it can be
rebuilt: a cache that cannot be read or written is skipped, never an error, and
DRAFTER_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from .. import __version__

T = TypeVar("T")


def cache_dir() -> Path | None:
    """%LOCALAPPDATA%\\drafter\\Cache on Windows, $XDG_CACHE_HOME/drafter or ~/.cache/drafter."""
    if os.environ.get("DRAFTER_NO_CACHE"):
        return None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "drafter", "Cache") if base else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "drafter")


def cached(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or what it returned last time for the same `key` and drafter version."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{__version__}.pickle"
    with contextlib.suppress(Exception):  # missing, stale, truncated or from another Python
        if not is_trusted(path):
            raise PermissionError(path)
        stored_key, value = pickle.loads(path.read_bytes())
        if stored_key == key:
            return value  # type: ignore[no-any-return]
    value = build()
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(pickle.dumps((key, value), pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    return value


def is_trusted(path: Path) -> bool:
    """A pickle only this user could have written: unpickling runs whatever code it names.

    On POSIX the file must be a regular file (not a link) owned by the current user and not
    writable by group or others; Windows keeps %LOCALAPPDATA% per user, so only the kind is checked.
    """
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        return False
    if sys.platform == "win32":
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
