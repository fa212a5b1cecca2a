"""The known name closest to a mistyped one, for "是否想写 …？" hints in error messages."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `word`, or None when none is close enough."""
    import difflib  # deferred: start-up speed (only an error message needs it)

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None
