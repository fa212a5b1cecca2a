"""Echo a source line with a caret under one column, as compilers do, for Chinese text."""

from __future__ import annotations

import unicodedata

TAB_WIDTH = 4
CONTEXT = 24  # characters shown each side of the column on a long line
MAX_SHOWN = 48
ELLIPSIS = "..."  # not "…", whose width terminals disagree on, which would shift the caret
GUTTER = "  {number:>4} | "


def caret_excerpt(source_line: str, line: int, column: int) -> str:
    """Two lines: the source line and a `^` under `column` (1-based, in characters).

    Terminals draw Chinese characters two cells wide, so the caret is indented by the
    display width of the text before the column, not by its length.
    """
    source_line = source_line.rstrip("\r\n")
    start = max(column - 1 - CONTEXT, 0)
    end = max(column - 1 + CONTEXT, MAX_SHOWN)
    shown = _visible(source_line[start:end])
    before = _visible(source_line[start : max(column - 1, 0)])
    if start:  # long lines are cut around the column so the caret stays under it
        shown, before = ELLIPSIS + shown, ELLIPSIS + before
    if end < len(source_line):
        shown += ELLIPSIS
    gutter = GUTTER.format(number=line)
    blank = " " * (len(gutter) - 2) + "| "
    return f"{gutter}{shown}\n{blank}{' ' * display_width(before)}^"


def display_width(text: str) -> int:
    """Terminal cells `text` takes: wide and full-width characters two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _visible(text: str) -> str:
    """Tabs as spaces, so the caret lines up whatever the terminal's tab stops are."""
    return text.replace("\t", " " * TAB_WIDTH)
