"""Regular expressions compiled in an earlier run, handed to `re` before anything compiles.

A cold `drafter render` compiles some hundred patterns (drafter's own, PyYAML's, Jinja's and
click's); parsing and optimising them is about a tenth of the start-up, yet the result
depends only on the pattern, its flags and the Python that compiled it. The command line
keeps that result (the code `re` hands to `_sre`) in the user cache, and at the next start
rebuilds each pattern from it in microseconds and puts it in `re`'s own cache, where
`re.compile` looks first. Patterns new to a run are added when it ends.

This leans on two details of CPython's `re` (its `_cache` dict and `_sre.compile`), stable
from 3.10 to 3.13; anything unexpected turns it off and `re` compiles as it always does.
`_sre` checks the code it is given, and the file is read only when this user wrote it.
"""

from __future__ import annotations

import atexit
import contextlib
import pickle
import re
import sys
from pathlib import Path
from typing import Any

from .cache import cache_dir, is_trusted, store

try:  # CPython's compiler internals; their absence (another Python) only turns this off
    import _sre

    if sys.version_info >= (3, 11):
        from re import _compiler, _parser  # type: ignore[attr-defined]
    else:  # pragma: no cover - Python 3.10
        import sre_compile as _compiler  # type: ignore[no-redef]
        import sre_parse as _parser  # type: ignore[no-redef]
    _CACHE: dict[Any, Any] | None = re._cache  # type: ignore[attr-defined]
except (ImportError, AttributeError):  # pragma: no cover - not CPython
    _CACHE = None

# More would push patterns out of `re`'s cache, which holds 512.
MAX_PATTERNS = 400
# (type name, pattern, flags) → what `_sre.compile` takes after the pattern.
Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_stored: dict[tuple[str, str | bytes, int], Entry] = {}


def _file() -> Path | None:
    folder = cache_dir()
    if folder is None or _CACHE is None:
        return None
    tag = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return folder / f"regex-{tag}.pickle"


def preload() -> None:
    """Put the patterns compiled in earlier runs into `re`'s cache; keep this run's new ones."""
    path = _file()
    if path is None:
        return
    atexit.register(_save_new, path)
    _load(path)


def _load(path: Path) -> None:
    with contextlib.suppress(Exception):  # missing, foreign, truncated: compile as usual
        if not is_trusted(path):
            return
        table = pickle.loads(path.read_bytes())
        for key, entry in table.items():
            kind, pattern, flags = key
            if type(pattern).__name__ != kind:
                continue
            compiled = _sre.compile(pattern, *entry)
            _CACHE[type(pattern), pattern, flags] = compiled  # type: ignore[index]
            _stored[key] = entry


def _entry(pattern: str | bytes, flags: int) -> Entry:
    """What `re` would hand `_sre.compile` for `pattern` (as re._compiler.compile makes it)."""
    parsed = _parser.parse(pattern, flags)  # type: ignore[arg-type]  # bytes too
    code = [int(op) for op in _compiler._code(parsed, flags)]  # type: ignore[attr-defined]  # opcodes are int subclasses
    index: list[str | None] = [None] * parsed.state.groups
    for name, number in parsed.state.groupdict.items():
        index[number] = name
    groups = dict(parsed.state.groupdict)
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groups, tuple(index)


def _save_new(path: Path) -> None:
    """Add the patterns this run compiled and the file lacks, up to MAX_PATTERNS."""
    with contextlib.suppress(Exception):
        added = False
        for kind, pattern, flags in list(_CACHE or {}):
            key = (kind.__name__, pattern, flags)
            if len(_stored) >= MAX_PATTERNS:
                break
            if key in _stored or not isinstance(pattern, str | bytes) or flags & re.DEBUG:
                continue
            _stored[key] = _entry(pattern, flags)
            added = True
        if not added:
            return
        store(path, pickle.dumps(_stored, pickle.HIGHEST_PROTOCOL))
