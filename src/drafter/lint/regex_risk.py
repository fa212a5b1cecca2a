"""Spot regular expressions that backtrack catastrophically, before `drafter check` hangs on them.

Python's `re` has no time limit, so a rule file's pattern is judged by its shape when it is
loaded, as static ReDoS checkers do: an unbounded repeat inside another repeat that can
split the same text in many ways (`(a+)+$`, `(\\s*\\d+)+`), or alternatives inside a repeat
that can match the same text (`(\\w|\\w)*`, `(a|a?)+`). First characters are compared over
a sample alphabet (ASCII, a few Chinese characters and every literal of the pattern), which
is an approximation that errs towards refusing.
"""

from __future__ import annotations

import re
import string
from typing import Any

try:
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10 names them sre_constants and sre_parse
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# A bounded outer repeat this large already multiplies the ways to split a text beyond reach.
MANY = 8
_SAMPLE = string.printable + "\u3000中党的一，。、；：“”（）…"
_CATEGORIES = {
    sre.CATEGORY_DIGIT: re.compile(r"\d"),
    sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    sre.CATEGORY_SPACE: re.compile(r"\s"),
    sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    sre.CATEGORY_WORD: re.compile(r"\w"),
    sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
# Possessive repeats and atomic groups arrived in Python 3.11.
_POSSESSIVE = getattr(sre, "POSSESSIVE_REPEAT", object())
_ATOMIC_GROUP = getattr(sre, "ATOMIC_GROUP", object())

Items = Any  # sre_parse.SubPattern or a list of (opcode, argument) pairs
First = tuple[
    frozenset[str], bool
]  # characters a match can start with, and whether it may be empty


def backtracking_risk(pattern: str) -> str | None:
    """Why `pattern` can take exponential time on some text (Chinese), or None if it cannot."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # compiling reports a bad pattern with its own message
    try:
        return _Shape(_alphabet(pattern)).walk(parsed, None)
    except RecursionError:  # re compiles deeper nesting than this walk can follow
        return "括号嵌套层数太多，无法确认它不会回溯失控"


def _alphabet(pattern: str) -> frozenset[str]:
    return frozenset(_SAMPLE) | frozenset(pattern)


class _Shape:
    """Walks a parsed pattern, looking for ambiguity under a repeat."""

    def __init__(self, alphabet: frozenset[str]) -> None:
        self.alphabet = alphabet

    def walk(self, items: Items, outer: frozenset[str] | None) -> str | None:
        """The first risky construct in `items`; `outer` starts the enclosing repeat's body."""
        items = list(items)
        for index, (op, arg) in enumerate(items):
            found = self.construct(items, index, op, arg, outer)
            if found:
                return found
        return None

    def construct(
        self, items: list[Any], index: int, op: Any, arg: Any, outer: frozenset[str] | None
    ) -> str | None:
        if op in _REPEATS:
            _low, high, body = arg
            if (
                outer is not None
                and high == sre.MAXREPEAT
                and self.splits(body, items, index, outer)
            ):
                return "一个不限次数的重复嵌套在另一个重复之中，如 (a+)+"
            many = high == sre.MAXREPEAT or high > MANY
            return self.walk(body, self.first(body)[0] if many else outer)
        if op in (_POSSESSIVE, _ATOMIC_GROUP):  # never backtracked into: no multiplying
            return self.walk(arg if op == _ATOMIC_GROUP else arg[2], None)
        if op == sre.SUBPATTERN:
            return self.walk(arg[3], outer)
        if op == sre.BRANCH:
            if outer is not None and self.overlapping(arg[1]):
                return "重复之中的几个分支可以匹配同样的文字，如 (\\w|\\w)*"
            return next((r for alt in arg[1] if (r := self.walk(alt, outer))), None)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return self.walk(arg[1], outer)
        if op == sre.GROUPREF_EXISTS:
            return next((r for alt in arg[1:] if alt and (r := self.walk(alt, outer))), None)
        return None

    def splits(self, body: Items, items: list[Any], index: int, outer: frozenset[str]) -> bool:
        """Whether text the inner repeat takes could also start the next outer round.

        Exponential when what follows the inner repeat in its round may be empty (`(a+)+`),
        or shares characters with it (`(.*a){12}`): each round can then end in many places.
        """
        body_first, _ = self.first(body)
        if not body_first & outer:
            return False
        rest_first, rest_empty = self.first(items[index + 1 :])
        return rest_empty or bool(body_first & rest_first)

    def overlapping(self, alternatives: list[Items]) -> bool:
        firsts = [self.first(alt) for alt in alternatives]
        for i, (chars, empty) in enumerate(firsts):
            for other, other_empty in firsts[i + 1 :]:
                if (empty and other_empty) or chars & other:
                    return True
        return False

    def first(self, items: Items) -> First:
        """Characters a match of `items` can start with, and whether it can match nothing."""
        chars: frozenset[str] = frozenset()
        for op, arg in items:
            more, empty = self.first_of(op, arg)
            chars |= more
            if not empty:
                return chars, False
        return chars, True

    def first_of(self, op: Any, arg: Any) -> First:
        if op == sre.LITERAL:
            return frozenset((chr(arg),)), False
        if op == sre.NOT_LITERAL:
            return self.alphabet - {chr(arg)}, False
        if op == sre.ANY:
            return self.alphabet, False
        if op == sre.IN:
            return frozenset(c for c in self.alphabet if _in_set(arg, c)), False
        if op in (*_REPEATS, _POSSESSIVE):
            chars, empty = self.first(arg[2])
            return chars, empty or arg[0] == 0
        if op == sre.ASSERT and arg[0] == 1:  # a lookahead decides what the next character is
            chars, empty = self.first(arg[1])
            return (chars, False) if not empty else (frozenset(), True)
        if op in (sre.SUBPATTERN, _ATOMIC_GROUP):
            return self.first(arg[3] if op == sre.SUBPATTERN else arg)
        if op == sre.BRANCH:
            parts = [self.first(alt) for alt in arg[1]]
            return frozenset().union(*(c for c, _ in parts)), any(e for _, e in parts)
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return frozenset(), True
        return self.alphabet, True  # back-references and anything new: assume the worst


def _in_set(items: list[Any], char: str) -> bool:
    """Whether `char` is in a character class [..] as sre_parse gives it."""
    negate = False
    found = False
    for op, arg in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            found = found or char == chr(arg)
        elif op == sre.RANGE:
            found = found or arg[0] <= ord(char) <= arg[1]
        elif op == sre.CATEGORY:
            test = _CATEGORIES.get(arg)
            found = found or test is None or bool(test.match(char))
        else:
            found = True  # an opcode added after this was written: assume it matches
    return found != negate
