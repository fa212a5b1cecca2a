"""Traditional → simplified conversion for the traditional-character check and its fix.

drafter ships its own table (cn/data/t2s.txt, some 4,700 characters and phrases, 0.1 MB)
instead of depending on a converter package: the compiled opencc has no wheel for 32-bit
Windows, Windows on ARM or LoongArch, and the pure-Python opencc-purepy installs 4.5 MB to
carry the same data in three forms. The table is OpenCC's t2s data with the corrections
that make it convert as the compiled opencc 1.1 did, written by tools/make_t2s_table.py,
which also checks it against the converter drafter used before (tests/test_dependencies.py
keeps that check's answers).
"""

from __future__ import annotations

import importlib.resources
import unicodedata
from collections.abc import Callable
from functools import cache

# CJK compatibility ideographs (豈 U+F900, pasted from PDFs and web pages) stand for the
# unified ones, as Unicode's canonical decomposition says: normalised before any lookup, so a
# phrase matches whichever form was pasted.
_COMPATIBILITY = {
    code: unicodedata.normalize("NFC", chr(code))
    for code in range(0xF900, 0xFB00)
    if unicodedata.normalize("NFC", chr(code)) != chr(code)
}


def read_table() -> dict[str, str]:
    """The built-in table: traditional characters and phrases → simplified."""
    text = importlib.resources.files(__package__) / "data" / "t2s.txt"
    table: dict[str, str] = {}
    for line in text.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            table[source] = target
    return table


@cache
def simplified_converter() -> Callable[[str], str]:
    """A function turning traditional characters (and phrases) into simplified ones.

    At each position the longest entry of the table that starts there wins (a phrase over
    its characters: 反覆 → 反复, not 反覆); text no entry starts stays as it is.
    """
    table = read_table()
    lengths: dict[str, list[int]] = {}
    for source in table:
        lengths.setdefault(source[0], []).append(len(source))
    starts = {char: sorted(set(sizes), reverse=True) for char, sizes in lengths.items()}

    def to_simplified(text: str) -> str:
        text = text.translate(_COMPATIBILITY)
        out: list[str] = []
        index, end = 0, len(text)
        while index < end:
            char = text[index]
            for size in starts.get(char, ()):
                target = table.get(text[index : index + size]) if index + size <= end else None
                if target is not None:
                    out.append(target)
                    index += size
                    break
            else:
                out.append(char)
                index += 1
        return "".join(out)

    return to_simplified
