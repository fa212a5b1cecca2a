"""Remember what a function built from files until one of those files changes.

`functools.cache` would keep serving a pack or style file as it was when a long-running
process (`drafter serve`, a script using the API) first read it. Here each result is kept
with a signature (size and modification time) of every file it was built from, taken before
the file was read, and is rebuilt when any of them differs.
"""

from __future__ import annotations

import contextvars
import functools
import os
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
Signature = tuple[int, int] | None
_reading: contextvars.ContextVar[list[tuple[Path, Signature]] | None] = contextvars.ContextVar(
    "drafter_files_read", default=None
)


def signature(path: Path) -> Signature:
    """Size and modification time of a file, None when it cannot be seen."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_size, status.st_mtime_ns


def note_read(path: Path) -> None:
    """Record that the result being built depends on `path` (call before reading it)."""
    reading = _reading.get()
    if reading is not None:
        reading.append((path, signature(path)))


def reads_file(locate: Callable[..., Path]) -> Callable[[F], F]:
    """Decorate a function that reads the file `locate(*args)` names, so memos see that file."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if _reading.get() is not None:
                note_read(locate(*args, **kwargs))
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def memoized_on_files(
    key: Callable[..., Hashable], files: Callable[..., Iterable[Path]] = lambda *a, **k: ()
) -> Callable[[F], F]:
    """Memoize per `key(*args)`; `files(*args)` and every file noted while building are watched.

    Exceptions are not memoized: a broken file is read again, and reported again, next time.
    """

    def decorate(function: F) -> F:
        memo: dict[Hashable, tuple[Any, tuple[tuple[Path, Signature], ...]]] = {}

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            found = key(*args, **kwargs)
            kept = memo.get(found)
            if kept is None or any(signature(path) != seen for path, seen in kept[1]):
                watched = [(path, signature(path)) for path in files(*args, **kwargs)]
                token = _reading.set(watched)
                try:
                    value = function(*args, **kwargs)
                finally:
                    _reading.reset(token)
                kept = memo[found] = (value, tuple(watched))
            outer = _reading.get()
            if outer is not None:  # a memo building on this result depends on the same files
                outer.extend(kept[1])
            return kept[0]

        wrapper.cache_clear = memo.clear  # type: ignore[attr-defined]  # as functools.cache has
        return wrapper  # type: ignore[return-value]

    return decorate
