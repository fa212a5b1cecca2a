"""A per-user cache folder for work drafter would otherwise redo on every start.

Compiled templates and the parsed built-in rules are kept here. Everything in it can be
rebuilt: a cache that cannot be read or written is skipped, never an error, and
DRAFTER_NO_CACHE=1 turns it off. DRAFTER_CACHE_DIR moves it (the tests point it at a
temporary folder).

Every file name carries `code_digest()`, a digest of drafter's own code and data, so an
upgrade or an edited built-in template or rule file is never served from an older build's
files, whether or not the version number changed. The folder is kept under a size bound by
removing the oldest files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import TypeVar

from .. import __version__
from .resources import build_stamp, own_file_stamps, own_files

T = TypeVar("T")
# The bound the folder is pruned to after each write (oldest files go first).
MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 400
# Only files drafter writes are counted and removed: DRAFTER_CACHE_DIR may name a shared folder.
OWN_PATTERNS = ("*.pickle", "*.cache", "*.tmp", "*.digest")


def cache_dir() -> Path | None:
    """$DRAFTER_CACHE_DIR, else %LOCALAPPDATA%\\drafter\\Cache on Windows, else ~/.cache/drafter."""
    if os.environ.get("DRAFTER_NO_CACHE"):
        return None
    chosen = os.environ.get("DRAFTER_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "drafter", "Cache") if base else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "drafter")


@cache
def code_digest() -> str:
    """A short digest of drafter's code, built-in templates, styles and rules; once per process.

    Content, not modification times: a copied or reinstalled tree keeps its digest, an edited
    one changes it. Reading some two megabytes on every start would cost more than the caches
    save, so the digest is remembered in the cache folder under the files' names, sizes and
    modification times: only a changed, added or removed file (or a copy with new times)
    makes it read them again. A frozen build may have no readable sources; the digest its
    build recorded (or its executable's content) stands in for them: see `build_stamp`.
    """
    memo = _digest_memo()
    if memo is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if is_trusted(memo):
                remembered = memo.read_text(encoding="ascii").strip()
                if len(remembered) == 20:
                    return remembered
    digest = _content_digest()
    if memo is not None:
        store(memo, digest.encode("ascii"))
    return digest


def _digest_memo() -> Path | None:
    """Where the digest of the files as they stand now is remembered (None: nowhere)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        stamps = own_file_stamps()
    except OSError:
        return None
    if not stamps:
        return None
    key = hashlib.blake2b(f"{__version__}\0{build_stamp()}".encode(), digest_size=10)
    for name, size, mtime in stamps:
        key.update(f"{name}\0{size}\0{mtime}\0".encode())
    return folder / f"code-{key.hexdigest()}.digest"


def _content_digest() -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=10)
    try:
        for name, content in own_files():
            digest.update(f"{name}\0{len(content)}\0".encode())
            digest.update(content)
    except Exception:  # an unreadable install must not stop drafter; the build stamp remains
        digest.update(b"unreadable")
    digest.update(build_stamp().encode())
    return digest.hexdigest()


def cached(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or what it returned last time for the same `key` and the same drafter code."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{code_digest()}.pickle"
    with contextlib.suppress(Exception):  # missing, stale, truncated or from another Python
        if not is_trusted(path):
            raise PermissionError(path)
        stored_key, value = pickle.loads(path.read_bytes())
        if stored_key == key:
            return value  # type: ignore[no-any-return]
    value = build()
    with contextlib.suppress(pickle.PicklingError):
        if store(path, pickle.dumps((key, value), pickle.HIGHEST_PROTOCOL)):
            prune(folder)
    return value


def store(path: Path, data: bytes) -> bool:
    """Write a cache file atomically (readers never see half of it); False if it could not be.

    A cache that cannot be written is skipped, never an error; no temporary file is left.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False


def prune(folder: Path, max_bytes: int | None = None, max_files: int | None = None) -> None:
    """Remove drafter's oldest files under `folder` until they are within the bound."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_files = MAX_FILES if max_files is None else max_files
    files: list[tuple[float, int, Path]] = []
    for pattern in OWN_PATTERNS:
        with contextlib.suppress(OSError):
            for path in folder.rglob(pattern):
                with contextlib.suppress(OSError):
                    status = path.lstat()
                    if stat.S_ISREG(status.st_mode):
                        files.append((status.st_mtime, status.st_size, path))
    total = sum(size for _, size, _ in files)
    count = len(files)
    for _, size, path in sorted(files, key=lambda item: item[0]):
        if total <= max_bytes and count <= max_files:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
            count -= 1


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
