"""Rules that read one piece of text at a time: patterns, traditional characters, paired marks."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from ..cn.ordinals import leading_ordinal
from ..cn.punctuation import PAIRS
from ..infra.cache import cached
from .hits import Hit

_CLOSERS = {closer: opener for opener, closer in PAIRS.items()}


@cache
def _to_simplified() -> Callable[[str], str]:
    from ..cn.traditional import simplified_converter  # deferred: start-up speed

    return simplified_converter()


# The Han blocks (CJK Unified Ideographs, Extension A, Compatibility Ideographs).
_HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@cache
def convertible_characters() -> frozenset[str]:
    """Characters the traditional→simplified table changes on their own, kept in the user cache.

    A text with none of them needs no conversion, so a simplified speech (every render's
    case) never loads the table. The table also has phrases, but those that change a
    character only in context are of characters in this set too (checked on the scraped
    model speech: the full conversion changes nothing the set does not flag).
    """
    return cached("t2s-characters", "cn/data/t2s.txt", _build_convertible)  # in code_digest


def _build_convertible() -> frozenset[str]:
    chars = [chr(code) for start, end in _HAN_BLOCKS for code in range(start, end)]
    # One character a line: phrases cannot match across lines.
    converted = _to_simplified()("\n".join(chars)).split("\n")
    return frozenset(a for a, b in zip(chars, converted, strict=True) if a != b)


def traditional(text: str) -> Iterator[Hit]:
    """Runs of traditional characters, each with its simplified form as the fix."""
    if text.isascii() or convertible_characters().isdisjoint(text):
        return
    simplified = _to_simplified()(text)
    if simplified == text:
        return
    if len(simplified) == len(text):
        yield from _changed_runs(text, simplified)
        return
    import difflib  # deferred: start-up speed (only when a conversion changes the length)

    matcher = difflib.SequenceMatcher(None, text, simplified, autojunk=False)
    for op, start, end, new_start, new_end in matcher.get_opcodes():
        if op != "equal" and end > start:
            yield _traditional_hit(text[start:end], simplified[new_start:new_end], start)


def _changed_runs(text: str, simplified: str) -> Iterator[Hit]:
    start = None
    for index, (old, new) in enumerate(zip(text, simplified, strict=True)):
        if old != new and start is None:
            start = index
        elif old == new and start is not None:
            yield _traditional_hit(text[start:index], simplified[start:index], start)
            start = None
    if start is not None:
        yield _traditional_hit(text[start:], simplified[start:], start)


def _traditional_hit(old: str, new: str, start: int) -> Hit:
    return Hit(start, start + len(old), {"text": old, "fixed": new}, new)


def unbalanced_pairs(text: str) -> Iterator[Hit]:
    """Opening marks never closed and closing marks never opened: “…  （…  …》."""
    open_marks: list[tuple[int, str]] = []
    hits: list[Hit] = []
    for index, char in enumerate(text):
        if char in PAIRS:
            open_marks.append((index, char))
        elif char in _CLOSERS:
            opener = _CLOSERS[char]
            if not any(mark == opener for _, mark in open_marks):
                hits.append(Hit(index, index + 1, {"mark": char, "missing": opener}))
                continue
            while open_marks[-1][1] != opener:  # marks opened inside this pair and left open
                at, mark = open_marks.pop()
                hits.append(Hit(at, at + 1, {"mark": mark, "missing": PAIRS[mark]}))
            open_marks.pop()
    hits.extend(Hit(at, at + 1, {"mark": mark, "missing": PAIRS[mark]}) for at, mark in open_marks)
    yield from sorted(hits, key=lambda hit: hit.start)


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")


def straight_quotes(text: str) -> Iterator[Hit]:
    """ASCII quotes "…" in Chinese text, paired by position and fixed as “…”.

    The first quote of a text opens, the next closes, and so on; a pair counts as Chinese
    when the words inside or a neighbour outside are Chinese, so code or English quoted in
    a speech is left alone. A last quote left over is flagged without a fix: which way it
    faces cannot be known.
    """
    if '"' not in text:
        return
    at = [index for index, char in enumerate(text) if char == '"']
    for opening, closing in zip(at[::2], at[1::2], strict=False):
        around = text[max(opening - 1, 0) : closing + 2]
        if _HAN.search(around):
            yield Hit(opening, opening + 1, {"side": "前", "mark": "“"}, "“")
            yield Hit(closing, closing + 1, {"side": "后", "mark": "”"}, "”")
    if len(at) % 2 and _HAN.search(text[max(at[-1] - 1, 0) : at[-1] + 2]):
        yield Hit(at[-1], at[-1] + 1, {"side": "全角", "mark": "“ 或 ”"})


# Characters a reader cannot see: zero-width spaces and joiners, the word joiner, a byte order
# mark inside text, and bidi marks, embeddings, overrides and isolates. Copied from web pages
# and chats, they split words so rules miss them (党的十九\u200b大) or reorder what is shown.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_INVISIBLE_RUN = re.compile(f"[{''.join(sorted(INVISIBLE))}]+")


def invisible_characters(text: str) -> Iterator[Hit]:
    """Runs of invisible characters, each fixed by deleting it."""
    if text.isascii():
        return
    for match in _INVISIBLE_RUN.finditer(text):
        codes = "、".join(f"U+{ord(char):04X}" for char in match.group())
        yield Hit(match.start(), match.end(), {"codes": codes}, "")


def typed_numbering(text: str) -> Iterator[Hit]:
    """The ordinals typed at the start of a value the template numbers (一是, （一）, 1.)."""
    end = 0
    while ordinal := leading_ordinal(text[end:]):
        end += len(ordinal)
    if end:
        yield Hit(0, end, {"ordinal": text[:end].strip()}, "")


TEXT_CHECKS: dict[str, Callable[[str], Iterator[Hit]]] = {
    "traditional": traditional,
    "unbalanced-pairs": unbalanced_pairs,
    "invisible": invisible_characters,
    "straight-quotes": straight_quotes,
    "typed-numbering": typed_numbering,
}
# Checks that read only the form values a template numbers (Source.numbered).
NUMBERED_CHECKS = frozenset({"typed-numbering"})
