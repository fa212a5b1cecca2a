"""Rule patterns compiled on first need, and skipped cheaply when a text cannot match.

`render` checks every draft, and compiling all rule patterns (those with \\p{Han} classes
take milliseconds each) would cost more than drafting the speech. Most texts never contain
what a rule needs, such as a half-width comma, so each pattern knows the characters every
match must include and is compiled only when a text has one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

try:  # the parser re.compile uses; private, so any surprise only turns the shortcut off
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_SMALL_RANGE = 64  # a class wider than this is not worth listing
_MAX_NEEDLES = 32  # neighbouring character classes spell at most this many texts together
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = tuple(
    op for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if op
)


class LazyPattern:
    """A regular expression compiled on first use, with a prefilter on required characters."""

    def __init__(self, source: str) -> None:
        self.pattern = source
        self.needles = required_characters(source)

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def may_match(self, text: str) -> bool:
        """False only when `text` lacks everything a match must contain."""
        return self.needles is None or any(needle in text for needle in self.needles)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text) if self.may_match(text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text) if self.may_match(text) else None


def required_characters(source: str) -> frozenset[str] | None:
    """Texts of which every match contains at least one; None when that can't be said."""
    try:
        parsed = _sre_parse.parse(source)
    except Exception:
        return None
    if parsed.state.flags & (_sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_VERBOSE):
        return None
    found = _sequence(parsed)
    return frozenset(found) if found else None


def _sequence(items: Any) -> set[str] | None:
    """The most selective texts every match of a sequence must contain (one of them).

    Every element of a sequence must match, so each one that names what it needs is a
    candidate, and the longest needles win (自信、 over 道路/理论/制度/文化). Neighbouring
    elements that each match one character from a small set spell short texts together:
    党的十九大 is one needle, and 。[，、] is 。， or 。、, far rarer than 。 alone.
    Lookarounds and anchors match no character, so the characters on either side of them
    are still neighbours.
    """
    candidates: list[set[str]] = []
    spelled: set[str] | None = None  # what the one-character elements so far spell together
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        chars = _one_character(op, value)
        if chars is not None and (spelled is None or len(spelled) * len(chars) <= _MAX_NEEDLES):
            spelled = chars if spelled is None else {a + b for a in spelled for b in chars}
            continue
        if spelled is not None:
            candidates.append(spelled)
        spelled = chars  # a fresh start when the spellings grew too many, else nothing
        if chars is None:
            found = _element(op, value)
            if found:
                candidates.append(found)
    if spelled is not None:
        candidates.append(spelled)
    return max(candidates, key=_selectivity, default=None)


def _one_character(op: Any, value: Any) -> set[str] | None:
    """The characters an element can be when it is exactly one character from a small set."""
    if op is _sre.LITERAL:
        return {chr(value)}
    if op is _sre.IN:
        return _charset(value)
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, inner = value
        inner = list(inner)
        if len(inner) == 1 and not add_flags & _sre.SRE_FLAG_IGNORECASE:
            return _one_character(*inner[0])
    return None


def _selectivity(needles: set[str]) -> tuple[int, int]:
    """Longer shortest needle first, then fewer needles."""
    return min(map(len, needles)), -len(needles)


def _element(op: Any, value: Any) -> set[str] | None:
    """What an element longer than one character needs (_one_character takes the rest)."""
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, inner = value
        return None if add_flags & _sre.SRE_FLAG_IGNORECASE else _sequence(inner)
    if op in _REPEATS:
        low, _high, inner = value
        if low < 1:
            return None
        repeated = list(inner)
        if len(repeated) == 1 and repeated[0][0] is _sre.LITERAL:  # 。{3,6} needs 。。。
            return {chr(repeated[0][1]) * low}
        return _sequence(repeated)
    if op is _sre.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            found = _sequence(branch)
            if not found:
                return None
            union |= found
        return union
    return None  # lookarounds, anchors, any-character: they require nothing we can name


def _charset(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, value in items:
        if op is _sre.LITERAL:
            chars.add(chr(value))
        elif op is _sre.RANGE and value[1] - value[0] < _SMALL_RANGE:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:  # NEGATE, CATEGORY, a wide range
            return None
    return chars
