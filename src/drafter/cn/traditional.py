"""Traditional → simplified conversion for the traditional-character check and its fix.

opencc-purepy (pure Python, one wheel for every platform) carries OpenCC's dictionaries in a
form that differs from the compiled opencc in three ways that matter to an office speech; the
corrections below make it convert as the compiled opencc 1.1 did (checked character by
character over the Han blocks, see tests/test_dependencies.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Standard simplified characters (著 in 显著, 薰 in 薰陶) or variants OpenCC's own t2s leaves
# alone, which opencc-purepy's table changes: converting them would flag correct text.
_KEPT = "唚拏揹斲暱氄濬燄牠瑯籐緪耈耡荳菓著薰蘗觔鎗隄"
_KEPT_SPLIT = re.compile(f"([{_KEPT}])")
# Variants OpenCC's t2s simplifies and opencc-purepy's table lacks.
_MISSING = str.maketrans({"幷": "并", "薳": "䓕"})
# CJK compatibility ideographs (豈 U+F900, pasted from PDFs and web pages) stand for the
# unified ones; OpenCC converts them, opencc-purepy leaves them.
_COMPATIBILITY = {
    code: unicodedata.normalize("NFC", chr(code))
    for code in range(0xF900, 0xFB00)
    if unicodedata.normalize("NFC", chr(code)) != chr(code)
}


def simplified_converter() -> Callable[[str], str]:
    """A function turning traditional characters (and phrases) into simplified ones."""
    from opencc_purepy import OpenCC  # deferred: start-up speed (dictionaries load on use)
    from opencc_purepy.dictionary_lib import (  # deferred: start-up speed
        DictionaryMaxlength,
    )

    dictionary = DictionaryMaxlength.from_json()
    characters, _ = dictionary.ts_characters
    phrases, _ = dictionary.ts_phrases
    # A phrase entry that writes a traditional character its source lacks is a data error
    # (结束 → 結束 turns simplified text traditional); drop such entries.
    sound = {
        source: target
        for source, target in phrases.items()
        if not any(characters.get(c, c) != c and c not in source for c in target)
    }
    dictionary.with_custom_dicts(overrides={"ts_phrases": sound})
    convert = OpenCC("t2s", dictionary=dictionary).convert

    def to_simplified(text: str) -> str:
        parts = _KEPT_SPLIT.split(text.translate(_COMPATIBILITY))
        joined = "".join(part if i % 2 else convert(part) for i, part in enumerate(parts))
        return joined.translate(_MISSING)

    return to_simplified
