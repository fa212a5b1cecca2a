"""A pack's shape as data: the fixed wording its template prints, with the form's values as slots.

A pack folder may hold `extract.yaml` saying how `drafter extract` reads a speech into the
pack's form: the opening's sentences and each 一、 section's intro, numbered items and
outro, written as the template prints them with `{field.path}` where a value goes. Adding
a pack to extract is then a data file, not a module (by_shape.py reads every such file).

The shape language, one character at a time:
  {meeting.name}         a value: a clause (no 。！？ and no paragraph break)
  {meeting.purpose:text} a value that may hold several sentences (no paragraph break)
  {review:paras}         a list of whole paragraphs
  {assessment.impressions:list}  a list written as one clause, items split at ，(or `lists`)
  {meeting.appraisal:yes}  是 when the optional part around it is there
  {x:most}               a clause taken as long as possible (inside a `lists` item)
  {x~体现[^。]*}          a value that must read as the regular expression after ~ says
  {reviews.strengths:series}  run-in points (一是……。二是……, or one point unnumbered) as
                         a list of point and detail
  {meeting.opening=受委托}  no text: the field takes this value when this part matches
  <opening>              a fragment from `fragments` here or in templates/base/extract.yaml
A shape ending in a slot runs to the end of its text (an intro, a sub-section's body).
  {#}                    a count the template writes from the data: 三点、几个、两项 or nothing
  [……]                   a part the speech may leave out
  (甲|乙)                 either wording
Everything else is literal text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config.located_yaml import PACK_MANIFEST, parse_located, read_text
from ..config.options import ListOf, Mapping, Reading, Text, YesNo
from ..errors import TemplateError
from ..infra.file_memo import memoized_on_files

SHAPE_FILE = "extract.yaml"
KINDS = ("clause", "text", "paras", "list", "series", "yes", "most")
_SLOT = {
    "clause": r"[^。！？\n]+?",
    "text": r"[^\n]+?",
    "paras": r"[\s\S]+?",
    "list": r"[^。！？\n]+?",
    "series": r"[\s\S]+?",
    "yes": r"",
    "most": r"[^。！？\n]+",
}
_FRAGMENT = re.compile(r"<([A-Za-z_][\w-]*)>")
SHARED = "base"  # templates/base/extract.yaml: fragments every pack's shape may use
COUNT = r"(?:[一二两三四五六七八九十几]+[个点项条]?)?"

_SHAPE = Text("句式", strip=False)
_LIST = Mapping(
    "列表写法",
    {"separator": Text("分隔符", strip=False), "item": Text("每项的句式", strip=False)},
    where="lists 中",
    noun="字段",
)
_SECTION = Mapping(
    "部分",
    {
        "name": Text("部分名称", required=True),
        "heading": Text("小标题字段"),
        "intro": _SHAPE,
        "items": Text("条目字段"),
        "suffix": Text("条目编号（是/要）"),
        "outro": _SHAPE,
        "optional": YesNo("可省略"),
        "each": Text("分节列表字段"),
        "each_heading": Text("分节小标题字段"),
        "body": _SHAPE,
        "repeat": Text("重复部分列表字段"),
    },
    where="sections 中",
    noun="字段",
)
_SENTENCE = Mapping(
    "开头句式",
    {
        "name": Text("名称", required=True),
        "shape": Text("句式", required=True, strip=False),
        "optional": YesNo("可省略"),
    },
    where="opening 中",
    noun="字段",
)
SHAPE_OPTIONS = Mapping(
    "提取说明",
    {
        "opening": ListOf(_SENTENCE, "开头"),
        "sections": ListOf(_SECTION, "各部分"),
        "lists": Mapping("列表写法", values=_LIST),
        "fragments": Mapping("共用句式", values=_SHAPE),
    },
    where="提取说明顶层",
)


@dataclass(frozen=True)
class Shape:
    """A compiled shape: the regular expression and, per group name, the field path and kind."""

    source: str
    pattern: re.Pattern[str]
    slots: dict[str, tuple[str, str]]
    anchored: re.Pattern[str]  # the pattern, matched up to the end of the text

    @property
    def opens_with_slot(self) -> bool:
        return self.source.startswith("{") and not self.source.startswith("{#}")

    @property
    def literal(self) -> bool:
        """Whether the shape has wording of its own (not just one slot) to be recognised by."""
        return not (
            len(self.slots) == 1 and self.source.startswith("{") and self.source.endswith("}")
        )

    def search(self, text: str, at: int = 0, whole: bool = False) -> re.Match[str] | None:
        """Where the shape matches from `at`; with `whole`, or when it ends in a slot, the
        match runs to the end of the text."""
        if whole or self.source.endswith("}"):
            return self.anchored.search(text, at)
        return self.pattern.search(text, at)


@dataclass(frozen=True)
class Sentence:
    name: str
    shape: Shape
    optional: bool = False


@dataclass(frozen=True)
class SectionShape:
    name: str
    heading: str | None = None
    intro: Shape | None = None
    items: str | None = None
    suffix: str = "是"
    outro: Shape | None = None
    optional: bool = False
    each: str | None = None  # a list whose items are （一） sub-sections: its path
    each_heading: str | None = None  # the item's field the （一） heading holds
    body: Shape | None = None  # each sub-section's text, paths relative to the item
    repeat: str | None = None  # any number of further 一、 sections, each an item of this list


@dataclass(frozen=True)
class ListShape:
    separator: str = "，"
    item: Shape | None = None


@dataclass(frozen=True)
class PackShape:
    """How a speech of one pack reads: its opening sentences, its sections, its lists."""

    opening: tuple[Sentence, ...] = ()
    sections: tuple[SectionShape, ...] = ()
    lists: dict[str, ListShape] = field(default_factory=dict)


def compile_shape(text: str) -> Shape:
    """The regular expression for a shape; ValueError names what is wrong with it."""
    out: list[str] = []
    slots: dict[str, tuple[str, str]] = {}
    depth = 0
    at = 0
    while at < len(text):
        char = text[at]
        if char == "{":
            end = text.find("}", at)
            if end < 0:
                raise ValueError("“{”没有对应的“}”")
            out.append(_slot(text[at + 1 : end], slots))
            at = end + 1
            continue
        if char in "[(":
            depth += 1
            out.append("(?:")
        elif char in "])":
            depth -= 1
            out.append(")?" if char == "]" else ")")
        elif char == "|":
            out.append("|")
        else:
            out.append(re.escape(char))
        at += 1
    if depth != 0:
        raise ValueError("方括号或圆括号没有配对")
    try:
        pattern = re.compile("".join(out))
    except re.error as exc:
        raise ValueError(f"句式无法使用（{exc}）") from None
    return Shape(text, pattern, slots, re.compile(pattern.pattern + r"\Z"))


def _slot(inside: str, slots: dict[str, tuple[str, str]]) -> str:
    if inside == "#":
        return COUNT
    if "=" in inside:
        path, _, value = inside.partition("=")
        name = f"g{len(slots)}"
        slots[name] = (path, "=" + value)
        return f"(?P<{name}>)"
    inside, tilde, own = inside.partition("~")
    path, _, kind = inside.partition(":")
    kind = kind or "clause"
    if kind not in KINDS or not re.fullmatch(r"[A-Za-z_][\w.]*", path):
        raise ValueError(f"“{{{inside}}}”不是字段路径（可加 :{'、:'.join(KINDS)}）")
    name = f"g{len(slots)}"
    slots[name] = (path, kind)
    return f"(?P<{name}>{own if tilde else _SLOT[kind]})"


def shape_file(directory: Path) -> Path | None:
    """A pack's extract.yaml, if it has one."""
    path = directory / SHAPE_FILE
    return path if path.is_file() else None


@memoized_on_files(
    key=lambda path, shared=None: (str(path), str(shared)),
    files=lambda path, shared=None: [Path(path), *([Path(shared)] if shared else [])],
)
def load_shape(path: Path, shared: Path | None = None) -> PackShape:
    """Read a pack's extract.yaml (fragments from `shared` too); a TemplateError lists every
    problem at its line."""
    loaded = parse_located(read_text(path, PACK_MANIFEST), str(path), PACK_MANIFEST)
    reading = Reading(loaded)
    raw = SHAPE_OPTIONS.read(loaded.data, (), reading) or {}
    fragments = {**_shared_fragments(shared), **raw.get("fragments", {})}

    def shaped(text: str | None, where: tuple[str | int, ...]) -> Shape | None:
        if text is None:
            return None
        try:
            return compile_shape(_expand(text, fragments))
        except ValueError as exc:
            reading.fail(where, str(exc))
            return None

    opening = []
    for index, entry in enumerate(raw.get("opening", [])):
        shape = shaped(entry.get("shape"), ("opening", index, "shape"))
        if shape is not None:
            opening.append(Sentence(entry["name"], shape, bool(entry.get("optional"))))
    sections = [
        SectionShape(
            entry["name"],
            entry.get("heading"),
            shaped(entry.get("intro"), ("sections", index, "intro")),
            entry.get("items"),
            entry.get("suffix") or "是",
            shaped(entry.get("outro"), ("sections", index, "outro")),
            bool(entry.get("optional")),
            entry.get("each"),
            entry.get("each_heading"),
            shaped(entry.get("body"), ("sections", index, "body")),
            entry.get("repeat"),
        )
        for index, entry in enumerate(raw.get("sections", []))
    ]
    lists = {
        key: ListShape(
            entry.get("separator") or "，", shaped(entry.get("item"), ("lists", key, "item"))
        )
        for key, entry in raw.get("lists", {}).items()
    }
    problems = reading.all_problems()
    if problems:
        raise TemplateError(diagnostics=problems)
    return PackShape(tuple(opening), tuple(sections), lists)


def _shared_fragments(shared: Path | None) -> dict[str, str]:
    if shared is None or not shared.is_file():
        return {}
    loaded = parse_located(read_text(shared, PACK_MANIFEST), str(shared), PACK_MANIFEST)
    reading = Reading(loaded)
    raw = SHAPE_OPTIONS.read(loaded.data, (), reading) or {}
    problems = reading.all_problems()
    if problems:
        raise TemplateError(diagnostics=problems)
    return dict(raw.get("fragments", {}))


def _expand(text: str, fragments: dict[str, str], depth: int = 0) -> str:
    """The shape with each <name> replaced by its fragment (fragments may use fragments)."""

    def one(match: re.Match[str]) -> str:
        if match[1] not in fragments:
            raise ValueError(f"没有名为 <{match[1]}> 的共用句式（fragments）")
        if depth > 5:
            raise ValueError("共用句式互相引用，无法展开")
        return _expand(fragments[match[1]], fragments, depth + 1)

    return _FRAGMENT.sub(one, text)
