"""The browser's form data written into the form's YAML text, changing only what changed.

A writer's comments, quoting, blank lines and every value they did not touch stay byte for
byte, as `check --fix` keeps them: values are replaced at their offsets, list items and
keys are inserted or deleted as whole lines. The result is read back and must hold exactly
the data sent; if an unusual layout (flow collections, `- - a`) defeats the in-place edit,
the form is written afresh, its leading comments kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..config.located_yaml import LocatedYamlLoader, is_left_empty
from ..packs.scaffold import yaml_scalar
from ..readers.located import Piece

Edit = tuple[int, int, str]  # start, end, replacement


def is_blank(value: Any) -> bool:
    """Nothing written: a form treats an empty text, list or mapping as a field left empty."""
    return value is None or value == "" or value == [] or value == {}


def normalised(value: Any) -> Any:
    """`value` with empty mapping entries dropped, so `key:` and a missing key compare equal."""
    if isinstance(value, dict):
        kept = {str(k): normalised(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if not is_blank(v)}
    if isinstance(value, list):
        return [None if is_blank(item) else item for item in map(normalised, value)]
    return value


def read_data(text: str) -> Any:
    """A form's text as plain data (every value text), as the form loader reads it."""
    return yaml.load(text, Loader=LocatedYamlLoader)


def preview_text(data: dict[str, Any]) -> tuple[str, list[Piece] | None]:
    """Data as YAML for drafting only, and where each text value sits in it.

    JSON is YAML and fast to write; knowing each value's offsets as it is written spares
    the linter composing the text again (a fifth of a preview's time). None for the pieces
    when the text holds a character the YAML reader removes (offsets would shift).
    """
    writer = _PreviewWriter()
    writer.walk(data, ())
    text = "".join(writer.parts) + "\n"
    return text, None if _REMOVED_BY_READER.search(text) else writer.pieces


# Characters the form loader removes before parsing (config.located_yaml._UNPRINTABLE above
# what JSON escapes itself).
_REMOVED_BY_READER = re.compile("[\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_SKIPPED = ("template",)


class _PreviewWriter:
    """Writes plain data as JSON, one value a line, noting each text value's offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.at = 0
        self.pieces: list[Piece] = []

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.at += len(text)

    def walk(self, value: Any, key: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            self.emit("{")
            for number, (name, item) in enumerate(value.items()):
                self.emit(",\n" if number else "\n")
                self.emit(json.dumps(str(name), ensure_ascii=False) + ": ")
                self.walk(item, (*key, str(name)))
            self.emit("\n}")
        elif isinstance(value, list):
            self.emit("[")
            for index, item in enumerate(value):
                self.emit(",\n" if index else "\n")
                self.walk(item, (*key, index))
            self.emit("\n]")
        elif isinstance(value, str):
            quoted = json.dumps(value, ensure_ascii=False)
            if value and key and key != _SKIPPED:
                self.pieces.append(self.piece(value, quoted, key))
            self.emit(quoted)
        else:
            self.emit(json.dumps(value))  # null, or a number the loader reads as text

    def piece(self, value: str, quoted: str, key: tuple[str | int, ...]) -> Piece:
        start = self.at + 1  # past the opening quote
        if len(quoted) == len(value) + 2:  # nothing escaped: one character each
            return Piece(value, tuple(range(start, start + len(value))), key)
        offsets = []
        for char in value:  # an escaped character is located, never edited
            offsets.append(start)
            start += len(json.dumps(char, ensure_ascii=False)) - 2
        return Piece(value, tuple(offsets), key, exact=False)


def edited_text(text: str, data: dict[str, Any]) -> str:
    """`text` holding `data`, edited in place where possible, else written afresh."""
    newline = "\r\n" if "\r\n" in text else "\n"
    wanted = normalised(data)
    try:
        root = yaml.compose(text, Loader=LocatedYamlLoader)
        if isinstance(root, yaml.MappingNode) and not root.flow_style:
            editor = _Editor(text, newline)
            editor.mapping(root, data)
            result = editor.result()
            if normalised(read_data(result)) == wanted:
                return result
    except (yaml.YAMLError, ValueError, IndexError):
        pass
    return fresh_text(text, data, newline)


def fresh_text(text: str, data: dict[str, Any], newline: str = "\n") -> str:
    """The form written from `data`, keeping the comment lines it began with."""
    header: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        header.append(line)
    lines = [*header, *block_lines(data, 0)]
    return newline.join(lines) + newline


def block_lines(value: Any, indent: int) -> list[str]:
    """A mapping or list in block style at `indent`, lists indented under their key.

    Fields left empty are left out of a mapping written afresh (a new list item, a new form):
    a form reads a missing field and an empty one alike.
    """
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if is_blank(normalised(item)):
                continue
            if isinstance(item, dict | list):
                lines += [f"{pad}{key}:", *block_lines(item, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {scalar_text(item)}".rstrip())
        return lines
    for item in value:
        inner = block_lines(item, indent + 2) if isinstance(item, dict | list) else []
        if inner:
            if isinstance(item, dict):
                inner[0] = f"{pad}- {inner[0][indent + 2 :]}"
                lines += inner
            else:
                lines += [f"{pad}-", *inner]
        else:
            lines.append(f"{pad}- {scalar_text(item)}".rstrip())
    return lines


def scalar_text(value: Any) -> str:
    """One value as YAML: plain when it reads back unchanged, else quoted; nothing for None."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)  # an empty one: {} or []
    return yaml_scalar(str(value))


class _Editor:
    """Collects non-overlapping edits of one text and applies them at once."""

    def __init__(self, text: str, newline: str) -> None:
        self.text = text
        self.newline = newline
        self.edits: list[Edit] = []

    def result(self) -> str:
        out = self.text
        for start, end, replacement in sorted(self.edits, reverse=True):
            out = out[:start] + replacement + out[end:]
        return out

    # ------------------------------------------------------------ walking

    def mapping(self, node: yaml.MappingNode, new: dict[str, Any]) -> None:
        entries = {str(key.value): (key, value) for key, value in node.value}
        for name, (key, value) in entries.items():
            if name not in new:
                self.delete_lines(key.start_mark.index, self.content_end(value), dash=False)
            else:
                self.value(value, new[name], key.start_mark.column + 2)
        added = {k: v for k, v in new.items() if k not in entries and not is_blank(normalised(v))}
        if added:
            column = node.value[0][0].start_mark.column
            self.insert_after(self.content_end(node), block_lines(added, column))

    def sequence(self, node: yaml.SequenceNode, new: list[Any]) -> None:
        items = node.value
        for item, value in zip(items, new, strict=False):
            self.value(item, value, item.start_mark.column)
        for item in items[len(new) :]:
            self.delete_lines(item.start_mark.index, self.content_end(item))
        if len(new) > len(items):
            dash = self.dash_column(items[-1])
            self.insert_after(self.content_end(node), block_lines(new[len(items) :], dash))

    def value(self, node: yaml.Node, new: Any, column: int) -> None:
        """Edit one value; `column` is where its block children go."""
        editable = (
            node.value and not node.flow_style if not isinstance(node, yaml.ScalarNode) else False
        )
        if editable and isinstance(node, yaml.MappingNode) and isinstance(new, dict):
            return self.mapping(node, new)
        if editable and isinstance(node, yaml.SequenceNode) and isinstance(new, list) and new:
            return self.sequence(node, new)
        if normalised(self.current(node)) == normalised(new):
            return None
        start, end = node.start_mark.index, self.content_end(node)
        if isinstance(new, dict | list) and new:
            lines = block_lines(new, column)
            if isinstance(node, yaml.ScalarNode):
                start = self.after_colon(start)
            self.edits.append((start, end, self.newline + self.newline.join(lines)))
        else:
            self.edits.append((start, end, scalar_text(new)))
        return None

    def current(self, node: yaml.Node) -> Any:
        """What a node holds as plain data."""
        if isinstance(node, yaml.ScalarNode):
            return None if is_left_empty(node) else node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.current(item) for item in node.value]
        return {str(key.value): self.current(value) for key, value in node.value}

    # ------------------------------------------------------------ positions

    def content_end(self, node: yaml.Node) -> int:
        """Where a node's own text ends: before trailing blank lines and comments."""
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            return start + len(self.text[start:end].rstrip())
        if node.flow_style or not node.value:
            return int(node.end_mark.index)
        last = node.value[-1]
        return self.content_end(last[1] if isinstance(last, tuple) else last)

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Just past the newline of the line holding `index` (or the text's end)."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def dash_column(self, item: yaml.Node) -> int:
        start = self.line_start(item.start_mark.index)
        dash = self.text.rfind("-", start, item.start_mark.index)
        if dash < 0 or self.text[start:dash].strip():
            raise ValueError("a list item not at the start of its line")
        return dash - start

    def after_colon(self, index: int) -> int:
        """For an empty value written as `key:`, the place right after the colon."""
        colon = self.text.rfind(":", self.line_start(index), index + 1)
        return colon + 1 if colon >= 0 else index

    # ------------------------------------------------------------ line edits

    def delete_lines(self, start: int, end: int, *, dash: bool = True) -> None:
        """Delete the lines from `start` to `end`; a list item's dash goes with it (`dash`).

        A mapping's first key written on its item's dash line (`- who: …`) leaves the dash
        alone on its line: `-` followed by the item's other keys, indented, is the same item.
        """
        begin = self.line_start(start)
        before = self.text[begin:start]
        stop = self.line_end(end - 1 if end > start else end)
        if not dash and before.strip(" ") in ("-", ""):
            if before.strip(" ") == "-":
                begin = begin + before.rstrip(" ").rfind("-") + 1
                stop -= len(self.newline) if self.text[:stop].endswith(self.newline) else 0
            self.edits.append((begin, stop, ""))
            return
        if before.strip(" -" if dash else " "):
            raise ValueError("an entry sharing its line with another")
        self.edits.append((begin, stop, ""))

    def insert_after(self, end: int, lines: list[str]) -> None:
        at = self.line_end(max(end - 1, 0))
        lead = "" if self.text[:at].endswith("\n") else self.newline
        self.edits.append((at, at, lead + "".join(line + self.newline for line in lines)))


def paths_of(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every key path in plain data, parents before children."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, (*prefix, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_of(item, (*prefix, index))
