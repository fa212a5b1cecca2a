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
from .commentary import CLAUSE_END, CLOSING_START, Section, achievement_body, split_sections
from .frame import Frame, frame_values, read_frame, thanks_value
from .reading import Para, Speech
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
        self.intro_end = 0

    def read(self) -> None:
        frame = read_frame(self.speech.paras)
        groups = self.read_top(frame.body)
        self.read_sections(groups)
        self.fill(frame)

    def read_top(self, paras: list[Para]) -> list[Section]:
        """Read the opening; return the sections after it."""
        body, groups = self.headless_subsections(*split_sections(paras))
        zone = Zone([para.span.without(LINE_BREAK) for para in body])
        at = self.read_opening(zone)
        rest = [] if groups else _paragraphs_after(body, zone, at)
        if rest:  # one part only, written without a 一、 heading: the paragraphs after the opening
            groups = [Section(None, rest)]
            zone = Zone([para.span.without(LINE_BREAK) for para in body[: len(body) - len(rest)]])
        self.leave(zone.span[at:], "这段文字在开头之后、第一个小标题之前，没有对应的字段")
        return groups

    def read_sections(self, groups: list[Section]) -> None:
        repeated: list[dict[str, Any]] = []
        for section, group in self.assign(groups):
            if section.repeat is None:
                self.read_section(section, group, group is groups[-1])
                continue
            kept, self.values = self.values, {}  # a repeated section's paths are its item's
            self.read_section(section, group, group is groups[-1])
            kept, self.values = self.values, kept
            repeated.append(_nested(kept))
        repeat = next((s.repeat for s in self.shape.sections if s.repeat), None)
        if repeated and repeat:
            self.values[repeat] = repeated

    def fill(self, frame: Frame) -> None:
        """The form's data: the frame, the values found, placeholders for what is missing."""
        data = self.result.data
        data.update(frame_values(frame, self.speech, self.result, ""))
        for path, value in self.values.items():
            _put(data, path, value)
        self.fill_required(self.pack.schema, data, ())
        data["closing"] = [span.text for span in self.closing] or None
        data["thanks"] = thanks_value(frame)

    # ── values ──────────────────────────────────────────────────────────────────────────

    def take(
        self, shape: Shape, zone: Zone, match: Any, into: dict[str, Any] | None = None
    ) -> None:
        """Every slot the match filled, as the form's value at its path (first found wins)."""
        into = self.values if into is None else into
        for group, (key, kind) in shape.slots.items():
            start, end = match.span(group)
            if start < 0:
                continue
            if kind.startswith("="):
                value: Any = kind[1:]
            elif kind == "yes":
                value = "是"
            elif kind == "series":
                value = _series(zone.span[start:end].strip())
            elif kind == "paras":
                value = [p.text for p in zone.paragraphs(start, end) if p.strip()]
            elif kind == "list":
                value = self.list_items(key, zone.span[start:end])
            else:
                value = zone.text[start:end].strip(BLANK) or None
            if value and key not in into:
                into[key] = value

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

    def read_opening(self, zone: Zone) -> int:
        """Match the opening's sentences in order; where the last one ends."""
        at = 0
        for sentence in self.shape.opening:
            match = sentence.shape.search(zone.text, at)
            if not sentence.optional or match is not None:
                self.result.part(sentence.name, match is not None)
            if match is None:
                continue
            self.leave(
                zone.span[at : match.start()], "这段文字在开头的固定句式之间，没有对应的字段"
            )
            self.take(sentence.shape, zone, match)
            at = match.end()
        return at

    def leave(self, span: Span, reason: str) -> None:
        if span.strip(CLAUSE_END):
            self.result.leave(span, reason)

    # ── sections ────────────────────────────────────────────────────────────────────────

    def assign(self, groups: list[Section]) -> list[tuple[SectionShape, Section]]:
        """Which section of the shape each 一、 section of the speech is (by position)."""
        shapes = [s for s in self.shape.sections if s.repeat is None]
        repeat = next((s for s in self.shape.sections if s.repeat), None)
        if repeat is not None and len(groups) > len(shapes):
            fixed = self.assign(groups[: len(shapes)])
            return [*fixed, *((repeat, group) for group in groups[len(shapes) :])]
        while len(shapes) > len(groups) and any(s.optional for s in shapes):
            # an optional section whose own wording no section of the speech has is left out
            # first; then one that has no wording of its own to tell; then the last
            absent = [s for s in shapes if s.optional and _wording(s) and not _intro_in(s, groups)]
            unknown = [s for s in shapes if s.optional and not _wording(s)]
            shapes.remove((absent or unknown or [s for s in shapes if s.optional])[0])
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
        if shape.each is not None:
            self.read_subsections(shape, section, last)
            return
        items: list[tuple[Span, Span]] = []
        trailing: list[Span] = []
        if shape.items is None:
            intro_end = len(zone.text)
        elif any(is_heading(span.text, H2) for span in spans):
            items, intro_end, trailing = _subheaded_items(spans)
        else:
            items, intro_end, trailing = self.numbered_items(shape, zone)
        introduced = self.read_intro(shape, zone, intro_end)
        if not items and shape.items and introduced:
            items, trailing = self.single_item(shape, zone)
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
            f"{shape.name}（{count} 条）" if count else shape.name,
            introduced if _wording(shape) else count > 0 or introduced,
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
        whole = shape.items is None  # the intro is all the section says
        match = shape.intro.search(intro.text, whole=whole) if shape.intro is not None else None
        if shape.intro is None or match is None:
            self.leave(intro, f"这段文字在“{shape.name}”部分的条目之前，没有对应的字段")
            return False
        self.leave(intro[: match.start()], "这段文字在这一部分的引语之前，没有对应的字段")
        self.take(shape.intro, zone, match)
        self.intro_end = match.end()
        self.leave(intro[match.end() :], "这段文字在这一部分的引语之后，没有对应的字段")
        return True

    def single_item(
        self, shape: SectionShape, zone: Zone
    ) -> tuple[list[tuple[Span, Span]], list[Span]]:
        """One item, which the template writes without 一是: the paragraph after the intro."""
        paragraphs = [
            p.strip() for p in zone.paragraphs(self.intro_end, len(zone.text)) if p.strip()
        ]
        if not paragraphs:
            return [], []
        return [first_sentence(paragraphs[0])], paragraphs[1:]

    # ── （一） sub-sections, one per item of a list (一述一评: one per reporter) ─────────────

    def headless_subsections(
        self, body: list[Para], groups: list[Section]
    ) -> tuple[list[Para], list[Section]]:
        """Sub-sections with no 一、 section above them: the body from the first （一） on."""
        if not any(s.each for s in self.shape.sections) or (groups and groups[0].heading):
            at = None
        else:
            at = next((i for i, p in enumerate(body) if is_heading(p.text.strip(), H2)), None)
        if at is None:
            return body, groups
        return body[:at], [Section(None, body[at:]), *groups]

    def read_subsections(self, shape: SectionShape, section: Section, last: bool) -> None:
        """Each （一） heading and the paragraphs under it as one item of the list."""
        items: list[dict[str, Any]] = []
        current: list[Para] | None = None
        heads: list[Span] = []
        parts: list[list[Para]] = []
        if not any(is_heading(para.text.strip(), H2) for para in section.paras):
            heads.append(Span("", ()))  # one item, written without a （一） heading
            current = []
            parts.append(current)
        for para in section.paras:
            text = para.text.strip()
            if is_heading(text, H2):
                heads.append(heading_text(para.span.without(LINE_BREAK)))
                current = []
                parts.append(current)
            elif current is not None:
                current.append(para)
            else:
                self.result.leave(para.span, f"这一段在“{shape.name}”部分的第一个小标题之前")
        if last and parts:
            parts[-1], self.closing = _closing_off(parts[-1])
        for head, paras in zip(heads, parts, strict=True):
            item: dict[str, Any] = {}
            if shape.each_heading and head:
                item[shape.each_heading] = head.text
            self.read_body(shape, paras, item, last and head is heads[-1])
            items.append(_nested(item))
        self.result.part(f"{shape.name}（{len(items)} 节）" if items else shape.name, bool(items))
        if items and shape.each:
            self.values[shape.each] = items

    def read_body(
        self, shape: SectionShape, paras: list[Para], item: dict[str, Any], last: bool
    ) -> None:
        zone = Zone([para.span.without(LINE_BREAK) for para in paras])
        match = shape.body.search(zone.text, whole=True) if shape.body is not None else None
        if shape.body is None or match is None:
            for para in paras:
                self.result.leave(para.span, f"这一段在“{shape.name}”部分，但不合这一部分的写法")
            return
        self.leave(zone.span[: match.start()], f"这段文字在“{shape.name}”部分，没有对应的字段")
        self.take(shape.body, zone, match, item)

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


def _paragraphs_after(body: list[Para], zone: Zone, at: int) -> list[Para]:
    """The paragraphs that begin at or after offset `at` of the zone they make."""
    return [para for para, start in zip(body, zone.breaks, strict=True) if start >= at]


def _closing_off(paras: list[Para]) -> tuple[list[Para], list[Span]]:
    """A speech's last paragraphs that close it (同志们，……; 最后，……), cut off a sub-section."""
    at = len(paras)
    while at > 1 and paras[at - 1].text.strip().startswith(CLOSING_START):
        at -= 1
    return paras[:at], [para.span.without(LINE_BREAK).strip() for para in paras[at:]]


def _placeholder_for(spec: FieldSpec) -> Any:
    if spec.type != "list":
        return placeholder(spec.label)
    item = spec.item
    if item is None or item.type != "object":
        return [placeholder(item.label if item else spec.label)]
    return [{f.key: _placeholder_for(f) for f in item.fields if f.required}]


def _put(data: Any, path: str, value: Any) -> None:
    """Set the value at a dotted path (a number steps into a list); lists of mappings merge."""
    *parents, last = path.split(".")
    steps: list[str | int] = [int(p) if p.isdigit() else p for p in parents]
    for index, key in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else last
        empty: Any = [] if isinstance(following, int) or str(following).isdigit() else {}
        if isinstance(key, int):
            while len(data) <= key:
                data.append({})
            data = data[key]
        else:
            data = data.setdefault(key, empty)
    if isinstance(data.get(last) if isinstance(data, dict) else None, list) and isinstance(
        value, list
    ):
        merged = data[last]
        for index, item in enumerate(value):
            if index < len(merged) and isinstance(merged[index], dict) and isinstance(item, dict):
                merged[index] = {**merged[index], **item}
            elif index >= len(merged):
                merged.append(item)
        return
    data[last] = value


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys as nested mappings."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        _put(nested, key, value)
    return nested


def _series(span: Span) -> list[dict[str, Any]]:
    """一是……。二是…… as points with their details; unnumbered text as one point."""
    first = next((m for m in clause_markers(span.text) if m.number == 1 and m.start == 0), None)
    if first is None:
        first = marker_at(span.text)
    if first is None or first.number != 1:
        point, rest = first_sentence(span)
        return [{"point": point.text, "detail": rest.text or None}]
    cuts = series_items(span.text, first, 0)
    items = []
    for index, marker in enumerate(cuts):
        end = cuts[index + 1].start if index + 1 < len(cuts) else len(span)
        point, rest = first_sentence(span[marker.end : end].strip())
        items.append({"point": point.text, "detail": rest.text or None})
    return items


def _spec_at(root: FieldSpec, path: str) -> FieldSpec | None:
    spec: FieldSpec | None = root
    for key in path.split("."):
        spec = spec.child(key) if spec is not None else None
    return spec


def _wording(shape: SectionShape) -> bool:
    """Whether a section has wording of its own to be recognised by."""
    return shape.intro is not None and shape.intro.literal


def _intro_in(shape: SectionShape, groups: list[Section]) -> bool:
    """Whether some section of the speech has this section's intro wording."""
    return shape.intro is not None and any(
        shape.intro.pattern.search(group.text().text) for group in groups
    )


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
