"""Read a speech into any pack's form from the pack's shape (its extract.yaml; see shapes.py).

The frame (title, byline, salutation, thanks) is read as for every pack; the paragraphs
before the first 一、 heading are matched sentence by sentence against the shape's
opening; each 一、 section is given to a section of the shape by position (an optional
section the speech leaves out is recognised by its intro's wording), and read as intro,
numbered items (一是/一要 paragraphs, inline series or （一） sub-headings) and outro.
Whatever no shape places stays in `unplaced`.
"""

from __future__ import annotations

import itertools
from typing import Any

from ..cn.ordinals import H2, Marker, clause_markers, is_heading, marker_at
from ..cn.punctuation import BLANK
from ..cn.sentences import cut_points
from ..cn.series import series_items
from ..packs.fields import FieldSpec
from ..packs.finder import TemplatePack
from ..readers.paragraphs import LINE_BREAK
from .commentary import CLAUSE_END, Section, achievement_body, split_sections
from .frame import frame_values, read_frame, thanks_value
from .reading import Speech
from .recognition import Recognition, placeholder
from .series import heading_text
from .shapes import PackShape, SectionShape, Shape
from .spans import Span, first_sentence, join, split_after


class Zone:
    """Paragraphs joined into one span, remembering where each paragraph starts."""

    def __init__(self, spans: list[Span]) -> None:
        self.span = join(spans)
        self.breaks: list[int] = []
        at = 0
        for span in spans:
            self.breaks.append(at)
            at += len(span)

    @property
    def text(self) -> str:
        return self.span.text

    def paragraphs(self, start: int, end: int) -> list[Span]:
        """The stretch [start, end) cut where the speech's paragraphs begin."""
        cuts = [start, *(b for b in self.breaks if start < b < end), end]
        return [self.span[a:b] for a, b in itertools.pairwise(cuts) if b > a]


def recognise_by_shape(speech: Speech, pack: TemplatePack, shape: PackShape) -> Recognition:
    """Read `speech` as `pack`'s form, guided by the pack's shape."""
    reader = _ShapeReader(speech, pack, shape)
    reader.read()
    return reader.result


class _ShapeReader:
    def __init__(self, speech: Speech, pack: TemplatePack, shape: PackShape) -> None:
        self.speech, self.pack, self.shape = speech, pack, shape
        self.result = Recognition()
        self.values: dict[str, Any] = {}
        self.closing: list[Span] = []

    def read(self) -> None:
        frame = read_frame(self.speech.paras)
        body, groups = split_sections(frame.body)
        self.read_opening(Zone([para.span.without(LINE_BREAK) for para in body]))
        for section, group in self.assign(groups):
            self.read_section(section, group, group is groups[-1])
        data = self.result.data
        data.update(frame_values(frame, self.speech, self.result, ""))
        for path, value in self.values.items():
            _put(data, path, value)
        self.fill_required(self.pack.schema, data, ())
        data["closing"] = [span.text for span in self.closing] or None
        data["thanks"] = thanks_value(frame)

    # ── values ──────────────────────────────────────────────────────────────────────────

    def take(self, shape: Shape, zone: Zone, match: Any, prefix: str = "") -> None:
        """Every slot the match filled, as the form's value at its path (first found wins)."""
        for group, (path, kind) in shape.slots.items():
            start, end = match.span(group)
            if start < 0:
                continue
            key = prefix + path
            if kind == "yes":
                value: Any = "是"
            elif kind == "paras":
                value = [p.text for p in zone.paragraphs(start, end) if p.strip()]
            elif kind == "list":
                value = self.list_items(key, zone.span[start:end])
            else:
                value = zone.text[start:end].strip(BLANK) or None
            if value and key not in self.values:
                self.values[key] = value

    def list_items(self, key: str, span: Span) -> list[Any]:
        listed = self.shape.lists.get(key)
        separator = listed.separator if listed else "，"
        pieces = [p.strip(separator + BLANK) for p in split_after(span, separator)]
        items: list[Any] = []
        for piece in pieces:
            if not piece:
                continue
            if listed is None or listed.item is None:
                items.append(piece.text)
                continue
            match = listed.item.pattern.fullmatch(piece.text)
            if match is None:
                self.result.leave(piece, "这一项不合列表的写法，没有对应的字段")
                continue
            item: dict[str, Any] = {}
            for group, (path, _) in listed.item.slots.items():
                if match.group(group):
                    _put(item, path, match.group(group).strip(BLANK))
            items.append(item)
        return items

    # ── opening ─────────────────────────────────────────────────────────────────────────

    def read_opening(self, zone: Zone) -> None:
        at = 0
        for sentence in self.shape.opening:
            match = sentence.shape.pattern.search(zone.text, at)
            if not sentence.optional or match is not None:
                self.result.part(sentence.name, match is not None)
            if match is None:
                continue
            self.leave(
                zone.span[at : match.start()], "这段文字在开头的固定句式之间，没有对应的字段"
            )
            self.take(sentence.shape, zone, match)
            at = match.end()
        self.leave(zone.span[at:], "这段文字在开头之后、第一个小标题之前，没有对应的字段")

    def leave(self, span: Span, reason: str) -> None:
        if span.strip(CLAUSE_END):
            self.result.leave(span, reason)

    # ── sections ────────────────────────────────────────────────────────────────────────

    def assign(self, groups: list[Section]) -> list[tuple[SectionShape, Section]]:
        """Which section of the shape each 一、 section of the speech is (by position)."""
        shapes = list(self.shape.sections)
        while len(shapes) > len(groups) and any(s.optional for s in shapes):
            absent = [s for s in shapes if s.optional and not _intro_in(s, groups)]
            shapes.remove((absent or [s for s in shapes if s.optional])[-1])
        for missing in shapes[len(groups) :]:
            self.result.part(f"{missing.name}部分", False)
        if len(groups) > len(shapes) and shapes:
            for extra in groups[len(shapes) - 1 : -1]:
                self.leave_section(extra)
            return [*zip(shapes[:-1], groups, strict=False), (shapes[-1], groups[-1])]
        return list(zip(shapes, groups, strict=False))

    def leave_section(self, section: Section) -> None:
        reason = "这个部分在本模板中没有对应的位置"
        if section.heading is not None:
            self.result.leave(section.heading, reason)
        for para in section.paras:
            self.result.leave(para.span, reason)

    def read_section(self, shape: SectionShape, section: Section, last: bool) -> None:
        if shape.heading and section.heading is not None:
            self.values.setdefault(shape.heading, section.heading.text)
        spans = [para.span.without(LINE_BREAK) for para in section.paras]
        zone = Zone(spans)
        if any(is_heading(span.text, H2) for span in spans):
            items, intro_end, trailing = _subheaded_items(spans)
        else:
            items, intro_end, trailing = self.numbered_items(shape, zone)
        introduced = self.read_intro(shape, zone, intro_end)
        if items and shape.outro is not None and not trailing:
            items[-1] = self.outro_within(shape.outro, items[-1])
        elif trailing and shape.outro is not None:
            first = Zone([trailing[0]])
            match = shape.outro.pattern.fullmatch(first.text)
            if match is not None:
                self.take(shape.outro, first, match)
                trailing = trailing[1:]
        if last:
            self.closing = trailing
        else:
            for span in trailing:
                self.result.leave(span, f"这一段在“{shape.name}”部分，但不属于哪一条")
        count = len(items)
        self.result.part(
            f"{shape.name}（{count} 条）" if count else shape.name, count > 0 or introduced
        )
        if shape.items and items:
            self.values[shape.items] = [
                self.item(shape.items, point, rest) for point, rest in items
            ]

    def numbered_items(
        self, shape: SectionShape, zone: Zone
    ) -> tuple[list[tuple[Span, Span]], int, list[Span]]:
        """一是…… items (a paragraph each or run on), where they start, and paragraphs after."""
        first = _first_marker(zone.text, shape.suffix)
        if first is None:
            return [], len(zone.text), []
        cuts = series_items(zone.text[first.start :], _shifted(first, first.start), 0)
        items: list[tuple[Span, Span]] = []
        trailing: list[Span] = []
        for index, marker in enumerate(cuts):
            start = first.start + marker.end
            end = first.start + cuts[index + 1].start if index + 1 < len(cuts) else len(zone.text)
            paragraphs = [p.strip() for p in zone.paragraphs(start, end) if p.strip()]
            if not paragraphs:
                continue
            head, rest = paragraphs[0], paragraphs[1:]
            if index == len(cuts) - 1:
                trailing = rest
            elif rest:
                head = join([head, *rest])
            items.append(first_sentence(head))
        return items, first.start, trailing

    def read_intro(self, shape: SectionShape, zone: Zone, end: int) -> bool:
        """Take the intro's values; whether the section's intro wording was found."""
        intro = zone.span[:end]
        match = shape.intro.pattern.search(intro.text) if shape.intro is not None else None
        if shape.intro is None or match is None:
            self.leave(intro, f"这段文字在“{shape.name}”部分的条目之前，没有对应的字段")
            return False
        self.leave(intro[: match.start()], "这段文字在这一部分的引语之前，没有对应的字段")
        self.take(shape.intro, Zone([intro]), match)
        self.leave(intro[match.end() :], "这段文字在这一部分的引语之后，没有对应的字段")
        return True

    def outro_within(self, outro: Shape, item: tuple[Span, Span]) -> tuple[Span, Span]:
        """The outro run on after the last item (inline points): take it off the item."""
        point, rest = item
        starts = [0, *cut_points(rest.text, "。！？")]
        fits = [s for s in starts if s < len(rest.text) and outro.pattern.fullmatch(rest.text, s)]
        if not fits:
            return item
        at = fits[-1] if outro.opens_with_slot else fits[0]
        tail = Zone([rest[at:]])
        match = outro.pattern.fullmatch(tail.text)
        assert match is not None
        self.take(outro, tail, match)
        return point, rest[:at].strip()

    def item(self, path: str, point: Span, rest: Span) -> dict[str, Any]:
        spec = _spec_at(self.pack.schema, path)
        inner = spec.item if spec is not None and spec.item is not None else None
        point_text = point.text.strip("。；： \t\u3000")
        if inner is not None and inner.child("examples") is not None:
            return {"point": point_text, **achievement_body(rest)}
        return {"point": point_text, "detail": rest.text or None}

    # ── what the speech did not say ─────────────────────────────────────────────────────

    def fill_required(self, spec: FieldSpec, data: dict[str, Any], path: tuple[str, ...]) -> None:
        """A placeholder, and a note, for each required field the speech gave no value."""
        for child in spec.fields:
            where = (*path, child.key)
            value = data.get(child.key)
            if child.type == "object" and (child.required or isinstance(value, dict)):
                inner = data.setdefault(child.key, {})
                if isinstance(inner, dict):
                    self.fill_required(child, inner, where)
            elif child.required and not value:
                data[child.key] = _placeholder_for(child)
                self.result.note(where, f"原文中没有找到{child.label}，请填写")


def _placeholder_for(spec: FieldSpec) -> Any:
    if spec.type != "list":
        return placeholder(spec.label)
    item = spec.item
    if item is None or item.type != "object":
        return [placeholder(item.label if item else spec.label)]
    return [{f.key: _placeholder_for(f) for f in item.fields if f.required}]


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def _spec_at(root: FieldSpec, path: str) -> FieldSpec | None:
    spec: FieldSpec | None = root
    for key in path.split("."):
        spec = spec.child(key) if spec is not None else None
    return spec


def _intro_in(shape: SectionShape, groups: list[Section]) -> bool:
    """Whether some section of the speech has this section's intro wording."""
    if shape.intro is None or (shape.intro.opens_with_slot and len(shape.intro.slots) == 1):
        return False
    return any(shape.intro.pattern.search(group.text().text) for group in groups)


def _first_marker(text: str, suffix: str) -> Marker | None:
    """The first 一是 (or 一要, 第一, 首先) opening a clause; the pack's own suffix first."""
    markers = [m for m in clause_markers(text) if m.number == 1]
    own = [m for m in markers if m.suffix == suffix]
    found = sorted(own or markers, key=lambda m: m.start)
    if found:
        return found[0]
    word = marker_at(text)
    return word if word is not None and word.number == 1 else None


def _shifted(marker: Marker, by: int) -> Marker:
    return Marker(marker.start - by, marker.end - by, marker.kind, marker.number, marker.suffix)


def _subheaded_items(
    spans: list[Span],
) -> tuple[list[tuple[Span, Span]], int, list[Span]]:
    """（一）sub-headings, each with the paragraph under it as its detail."""
    items: list[tuple[Span, Span]] = []
    intro_end = 0
    trailing: list[Span] = []
    open_item = False
    at = 0
    for span in spans:
        if is_heading(span.text, H2):
            if not items:
                intro_end = at
            items.append((heading_text(span), span[len(span) :]))
            open_item = True
        elif items and open_item:
            items[-1] = (items[-1][0], span)
            open_item = False
        elif items:
            trailing.append(span)
        at += len(span)
    return items, intro_end, trailing
