"""A form as the linter reads it: each value a piece, located at its YAML line and column.

The command that checks a form drafts it (lint never runs the pipeline) and hands the
Document over; without one, only the text rules run.

The loader (form_loader) gives the start of each value; fixes need the offset of every
character inside it, so this module composes the YAML again and aligns each scalar's value
with the text it was written as (quotes, folded lines and block indentation skipped).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from ..config.located_yaml import LocatedYaml, LocatedYamlLoader, is_left_empty, load_located
from ..errors import Diagnostic
from ..model import Document
from ..readers.located import Piece, SourceKind
from ..readers.text import read_speech_text
from .sources import Source

_SKIPPED_KEYS = {("template",)}
# Characters YAML refuses; the loader deletes them with a warning, and so do we (blanking one
# at the start of a line would indent it), mapping offsets back to the file as written.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")


def read_form_source(
    path: Path, document: Document | None = None, problems: list[Diagnostic] | None = None
) -> Source:
    """Load a form and cut its values into pieces; `document` is its draft, if it could be made."""
    return form_source(load_located(path), document, problems)


def form_source(
    form: LocatedYaml,
    document: Document | None = None,
    problems: list[Diagnostic] | None = None,
    numbered: Callable[[tuple[str | int, ...]], bool] | None = None,
    text: str | None = None,
    pieces: list[Piece] | None = None,
) -> Source:
    """The linter's view of a loaded form, its draft, and the problems drafting it met.

    `numbered` tells which values the template numbers itself: an ordinal typed at their
    start is a finding (render removes it with a warning instead). `text` is the form's text
    when it is not (yet) on disk, as in `drafter serve`'s preview, and `pieces` its values
    when whoever wrote the text knows where each one is.
    """
    encoding: str | None = "utf-8"
    if text is None:
        text, encoding = read_speech_text(Path(form.path))
    if pieces is None:
        pieces = form_pieces(text)
    return Source(
        form.path,
        SourceKind.FORM,
        text,
        pieces,
        document,
        _form_date(form, document),
        encoding,
        problems=list(problems or []),
        numbered=frozenset(p.key for p in pieces if numbered and numbered(p.key)),
    )


def _form_date(form: LocatedYaml, document: Document | None) -> dt.date | None:
    written = document.meta.date if document is not None else form.data.get("date")
    try:
        return dt.date.fromisoformat(str(written).strip()) if written else None
    except ValueError:
        return None


def form_pieces(text: str) -> list[Piece]:
    """Every text value of a form (not `template`), in file order."""
    kept: list[int] | None = None
    written_length = len(text)
    if _REFUSED.search(text):
        kept = [i for i, char in enumerate(text) if not _REFUSED.match(char)]
        text = _REFUSED.sub("", text)

    def in_file(offsets: tuple[int, ...]) -> tuple[int, ...]:
        if kept is None:
            return offsets
        return tuple(kept[o] if o < len(kept) else written_length for o in offsets)

    root = yaml.compose(text, Loader=LocatedYamlLoader)
    pieces: list[Piece] = []
    seen: set[int] = set()

    def walk(node: yaml.Node, key: tuple[str | int, ...]) -> None:
        if id(node) in seen:  # an alias repeats text written once; report it once
            return
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if key and key not in _SKIPPED_KEYS and node.value and not is_left_empty(node):
                offsets, exact = align(text, node)
                pieces.append(Piece(node.value, in_file(offsets), key, exact=exact))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*key, index))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                walk(value_node, (*key, str(key_node.value)))

    if root is not None:
        walk(root, ())
    return pieces


def align(text: str, node: yaml.ScalarNode) -> tuple[tuple[int, ...], bool]:
    """The offset in `text` of each character of a scalar's value, and whether all are exact.

    Each character is matched to its next occurrence in the written scalar; what lies between
    (quotes, line breaks, indentation) is not part of the value. A double-quoted scalar with
    escapes is only located, never edited: its characters are not written as they read.
    """
    start, end = node.start_mark.index, node.end_mark.index
    style = node.style or ""
    if style in ("'", '"'):
        start += 1
    elif style in ("|", ">"):
        start = text.find("\n", start, end) + 1 or start  # past the header line: | or > # …
    exact = not (style == '"' and "\\" in text[start:end])
    offsets: list[int] = []
    position = start
    for char in node.value:
        found = text.find(char, position, end)
        if char in " \t\n" and found != position:
            offsets.append(position)  # a folded line break: Source.edit refuses to edit it
            continue
        if found < 0:
            offsets.append(position)
            exact = False
            continue
        offsets.append(found)
        position = found + 1
    return tuple(offsets), exact
