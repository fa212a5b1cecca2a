"""Classes of Chinese punctuation that speech text is cut and checked by."""

from __future__ import annotations

SENTENCE_END = "。！？"  # marks that end a sentence in a speech
CLAUSE_BREAK = "：；"  # marks after which a new clause (and a run-in ordinal) may open
# Marks a title or heading line never ends with: a line ending so is the start of a paragraph.
LINE_END_MARKS = "。！？；：，"
# Full-width stops and their half-width look-alikes (web copies and hasty typing use both).
CLAUSE_START_MARKS = "。！？；：.!?;:"
# Quotes and brackets: text inside them is never cut at a sentence end.
OPENERS = "“‘（《【「『(["
CLOSERS = "”’）》】」』)]"
# Blank characters around a line: spaces, tabs, the ideographic space, a soft line break.
BLANK = " \t\u3000\u2028"
INDENT = " \t\u3000"
# Paired marks GB/T 15834 requires to be closed within the text they open in.
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】"}
