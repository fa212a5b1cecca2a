"""Where the built-in template packs, example forms and presets live, and what drafter is made of.

Everything is found through importlib.resources, never through a module's file name: an
installed package, a source checkout, a zipped install and a frozen (PyInstaller) program
each put drafter's data somewhere else.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.resources
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable

# What drafter's behaviour is made of: code, templates, style files, rule files, and the data
# of cn/ (t2s.txt, the title word list words.txt.gz).
OWN_SUFFIXES = (".py", ".j2", ".jinja", ".yaml", ".yml", ".json", ".txt", ".gz")
# Written into a frozen program by packaging/drafter.spec: the digest of the sources it was built
# from, so the cache key of a frozen build follows content, not the executable's time.
BUILD_DIGEST_FILE = "build-digest.txt"


def _package_folder() -> Path:
    """drafter's package as a real folder (a zipped install is unpacked once, data only)."""
    package = importlib.resources.files("drafter")
    if isinstance(package, Path):  # an install, a checkout, or PyInstaller's bundle folder
        return package
    folder = Path(tempfile.mkdtemp(prefix="drafter-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _unpack(package, folder)
    return folder


def _unpack(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                (target / entry.name).mkdir()
                _unpack(entry, target / entry.name)
        elif not entry.name.endswith((".py", ".pyc")):
            (target / entry.name).write_bytes(entry.read_bytes())


PACKAGE_DIR = _package_folder()  # src/drafter in a checkout


@cache
def builtin_dir(name: str) -> Path:
    """A built-in data folder, as a real folder: inside the package, or at the top of a checkout.

    Wheels carry `templates/` and `configs/` inside the package (see pyproject's
    force-include), and so does the frozen program (packaging/drafter.spec); an editable
    install or a plain checkout reads them from the repository.
    """
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parents[1] / name


def own_files() -> Iterator[tuple[str, bytes]]:
    """(name, content) of drafter's code and built-in data, in a stable order.

    The package is walked with importlib.resources, so a zipped install works too; the
    built-in data folders of a checkout sit outside the package and are walked as folders.
    A frozen build may hold no sources at all: then this yields nothing.
    """
    for name, entry in _own_entries():
        if isinstance(entry, os.DirEntry):
            with open(entry.path, "rb") as handle:
                yield name, handle.read()
        else:
            yield name, entry.read_bytes()


def own_file_stamps() -> list[tuple[str, int, int]] | None:
    """(name, size, modification time in ns) of each file `own_files` reads, without reading
    them; None when they are not plain files (a zipped install)."""
    stamps = []
    for name, entry in _own_entries():
        if not isinstance(entry, os.DirEntry):
            return None
        info = entry.stat()
        stamps.append((name, info.st_size, info.st_mtime_ns))
    return stamps


def _own_entries() -> Iterator[tuple[str, os.DirEntry[str] | Traversable]]:
    package = importlib.resources.files("drafter")
    if isinstance(package, Path):
        yield from _walk_folder(str(package), "drafter")
    else:  # a zip or another loader's resources
        yield from _walk(package, "drafter")
    for name in ("templates", "configs"):
        folder = builtin_dir(name)
        if PACKAGE_DIR not in folder.parents and folder.is_dir():
            yield from _walk_folder(str(folder), name)


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _walk(entry, name)
        elif entry.name.endswith(OWN_SUFFIXES):
            yield name, entry


def _walk_folder(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """`_walk` for a real folder, with os.scandir: three times faster than pathlib here."""
    with os.scandir(folder) as entries:
        found = sorted(entries, key=lambda entry: entry.name)
    for entry in found:
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _walk_folder(entry.path, name)
        elif entry.name.endswith(OWN_SUFFIXES):
            yield name, entry


def build_stamp() -> str:
    """What a frozen (PyInstaller) drafter was built from; empty when running from sources.

    A frozen program may hold no readable sources, so its build writes their digest beside
    its data; without one, the executable's content (which carries the code) stands in.
    Content, never a modification time: a copied program keeps its cache, a rebuilt one not.
    """
    if not getattr(sys, "frozen", False):
        return ""
    recorded = PACKAGE_DIR / BUILD_DIGEST_FILE
    try:
        return "build:" + recorded.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    digest = hashlib.blake2b(digest_size=10)
    try:
        with open(sys.executable, "rb") as program:
            for block in iter(lambda: program.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "executable:unreadable"
    return "executable:" + digest.hexdigest()
