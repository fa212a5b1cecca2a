"""A template's form fields, declared once in its manifest, and the validation they imply.

The declaration is data (packs are not code), and validation walks it directly: every
problem is collected with its Chinese label and YAML position, so a writer sees all of
them at once. A generic validator would need as much code again to translate its
messages and positions, and costs a tenth of a second of start-up on every render.
Leaf values (yes/no, dates) and the manifest itself are read with config.options, so a
form, a manifest, a style file and a rule file accept the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from typing import Any

from ..cn.ordinals import leading_ordinal
from ..config.closest import closest
from ..config.located_yaml import LocatedYaml, Path_
from ..config.options import (
    BLANK,
    KIND_NAMES,
    Anything,
    Choice,
    Date,
    Mapping,
    Number,
    Option,
    Reading,
    Text,
    YesNo,
    dotted,
    is_blank,
    yes_no,
)
from ..errors import Severity, ValidationError, shortened

FIELD_TYPES = {
    "text": "文本", "date": "日期", "bool": "是或否", "toggle_text": "可关闭的文本",
    "choice": "选项", "paragraphs": "段落", "list": "列表", "object": "条目",
}  # fmt: skip
TYPES = tuple(FIELD_TYPES)
_SPACE_BETWEEN_CHINESE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
# "-大家准备得很充分": a list item written without the space after its dash.
_DASH_WITHOUT_SPACE = re.compile(r"^-(?![-\s\d])")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its key, Chinese label, type and constraints."""

    key: str
    label: str
    type: str = "text"
    required: bool = False
    help: str = ""
    example: Any = None
    default: Any = None
    min_items: int = 0
    numbered: bool = False  # the template numbers it (一是, 一、): a typed ordinal is removed
    choices: tuple[tuple[str, str], ...] = ()  # a choice field's values and what each prints
    item: FieldSpec | None = None
    fields: tuple[FieldSpec, ...] = ()

    def child(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    def numbered_at(self, path: Path_) -> bool:
        """Whether the value at `path` (keys and list positions) is one the template numbers."""
        spec: FieldSpec | None = self
        for step in path:
            spec = (spec.item if isinstance(step, int) else spec.child(step)) if spec else None
        return spec is not None and spec.numbered

    def walk(self, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], FieldSpec]]:
        """Every field below this one with its dotted key path (list items skipped)."""
        for spec in self.fields:
            path = (*prefix, spec.key)
            yield path, spec
            inner = spec.item if spec.type == "list" and spec.item else spec
            yield from inner.walk(path)


def validate(form: LocatedYaml, root: FieldSpec) -> dict[str, Any]:
    """Type the form's data by `root`; raise ValidationError listing every problem at once."""
    checker = _Checker(form, root)
    data = checker.check_object(form.data, root, ())
    problems = checker.reading.all_problems()
    if problems:
        raise ValidationError(diagnostics=problems)
    return data


def describe(path: Path_, root: FieldSpec) -> str:
    """Name a field for a writer: 主要成绩 › 第 2 项 › 事例 › 第 1 项 › 人物（who）."""
    parts: list[str] = []
    spec: FieldSpec | None = root
    for step in path:
        if isinstance(step, int):
            parts.append(f"第 {step + 1} 项")
            spec = spec.item if spec else None
        else:
            spec = spec.child(step) if spec else None
            parts.append(spec.label if spec else step)
    key = next((s for s in reversed(path) if isinstance(s, str)), "")
    return f"{' › '.join(parts)}（{key}）" if key else " › ".join(parts)


_YES_NO: Option[bool] = YesNo()
_DATE: Option[dt.date] = Date()


class _Checker:
    def __init__(self, form: LocatedYaml, root: FieldSpec) -> None:
        self.form = form
        self.root = root
        self.reading = Reading(form, lambda path, _label: f"「{describe(path, root)}」")

    def fail(self, path: Path_, message: str, *, at_key: bool = False) -> None:
        self.reading.fail(path, message, at_key=at_key)

    def check(self, value: Any, spec: FieldSpec, path: Path_) -> Any:
        if is_blank(value):
            if spec.required:
                self.fail(path, f"必填项「{describe(path, self.root)}」不能为空")
            return spec.default
        checker = getattr(self, f"check_{spec.type}")
        return checker(value, spec, path)

    def expect(self, value: Any, kind: type, spec: FieldSpec, path: Path_) -> bool:
        if isinstance(value, kind):
            return True
        self.fail(
            path,
            f"「{describe(path, self.root)}」应为{KIND_NAMES[kind]}，"
            f"这里写成了{KIND_NAMES[type(value)]}{_type_hint(value, kind, spec)}",
        )
        return False

    def check_text(self, value: Any, spec: FieldSpec, path: Path_) -> str | None:
        if not self.expect(value, str, spec, path):
            return None
        text = value.strip(BLANK)
        return self.without_ordinal(text, path) if spec.numbered else text

    def without_ordinal(self, text: str, path: Path_) -> str:
        """The text without the ordinals a writer typed (一是, （一）, 1.), with a warning.

        The template numbers the item itself; kept, the draft would print 一是一是.
        """
        typed = ""
        while ordinal := leading_ordinal(text):
            typed += ordinal
            text = text[len(ordinal) :]
        if typed:
            shown = typed.strip(BLANK)
            message = f"「{describe(path, self.root)}」的序号会自动生成，已去掉您写的“{shown}”"
            warning = dc_replace(self.form.diagnostic(path, message), severity=Severity.WARNING)
            if warning not in self.form.warnings:  # validated again (extract): warn once
                self.form.warnings.append(warning)
        return text

    def check_date(self, value: Any, spec: FieldSpec, path: Path_) -> dt.date | None:
        if not self.expect(value, str, spec, path):
            return None
        return _DATE.read(value, path, self.reading)

    def check_bool(self, value: Any, spec: FieldSpec, path: Path_) -> bool | None:
        if not self.expect(value, str, spec, path):
            return None
        return _YES_NO.read(value, path, self.reading)

    def check_choice(self, value: Any, spec: FieldSpec, path: Path_) -> str | None:
        """One of the values the manifest lists (a pack's variants: 开场方式, 讲话人身份…)."""
        if not self.expect(value, str, spec, path):
            return None
        values = {key: "" for key, _ in spec.choices}  # what each prints is in the comments
        return Choice(spec.label, choices=values).read(value, path, self.reading)

    def check_toggle_text(self, value: Any, spec: FieldSpec, path: Path_) -> str | None:
        """Text, or 否/false to leave the part out, or 是/true for the default text."""
        text = self.check_text(value, spec, path)
        if text is None:
            return None
        switch = yes_no(text)
        if switch is None:
            return text
        return spec.default if switch else None

    def check_paragraphs(self, value: Any, spec: FieldSpec, path: Path_) -> list[str]:
        """One paragraph as text, or several as a list of texts."""
        if isinstance(value, str):
            return [value.strip(BLANK)]
        if not self.expect(value, list, spec, path):
            return []
        texts = [self.check_text(item, spec, (*path, i)) for i, item in enumerate(value)]
        return [t for t in texts if t]

    def check_list(self, value: Any, spec: FieldSpec, path: Path_) -> list[Any]:
        assert spec.item is not None
        if isinstance(value, str) and spec.item.type == "text":
            if _DASH_WITHOUT_SPACE.match(value):
                self.fail(
                    path,
                    f"「{describe(path, self.root)}」的“-”后面要空一格，这一行才是列表中的一项",
                )
                return []
            value = [value]  # one phrase written without "- " is a list of one
        if not self.expect(value, list, spec, path):
            return []
        if len(value) < spec.min_items:
            self.fail(path, f"「{describe(path, self.root)}」至少要填写 {spec.min_items} 项")
        items = [self.check(item, spec.item, (*path, i)) for i, item in enumerate(value)]
        return [item for item in items if item is not None]

    def check_object(self, value: Any, spec: FieldSpec, path: Path_) -> dict[str, Any]:
        if not self.expect(value, dict, spec, path):
            return {}
        for key in value:
            if spec.child(key) is None:
                # Past the cap only the count is shown: skip the costly did-you-mean.
                why = "没有这个字段" if self.reading.full else self.unknown_key(key, spec, path)
                self.fail((*path, key), why, at_key=True)
        out: dict[str, Any] = {}
        for field_spec in spec.fields:
            child_path = (*path, field_spec.key)
            if field_spec.key in value:
                out[field_spec.key] = self.check(value[field_spec.key], field_spec, child_path)
            elif field_spec.required:
                self.fail(path, f"缺少必填项「{describe(child_path, self.root)}」", at_key=True)
                out[field_spec.key] = None
            else:
                out[field_spec.key] = field_spec.default
        return out

    def unknown_key(self, key: str, spec: FieldSpec, path: Path_) -> str:
        """Explain an unknown key: a likely typo, a field that belongs elsewhere, or the choices."""
        here = "表单" if not path else f"「{describe(path, self.root)}」"
        elsewhere = self.placements(key, path)
        keys = [f.key for f in spec.fields]
        close = closest(key, keys)
        nearby = elsewhere and _shared_prefix(elsewhere[0], path) > 0
        if close and not nearby:
            match = spec.child(close)
            assert match is not None
            return f"{here}中没有字段 {shortened(key)}，是否想写 {match.key}（{match.label}）？"
        if elsewhere:
            return f"{here}中没有字段 {shortened(key)}；它应写在 {'.'.join(elsewhere[0])} 的位置（注意缩进）"
        choices = "、".join(f"{f.key}（{f.label}）" for f in spec.fields)
        return f"{here}中没有字段 {shortened(key)}；这里可以填写：{choices}"

    def placements(self, key: str, path: Path_) -> list[tuple[str, ...]]:
        """Where a field called `key` does belong, the places nearest `path` first."""
        found = [p for p, _ in self.root.walk() if p[-1] == key]
        return sorted(found, key=lambda p: -_shared_prefix(p, path))


def _shared_prefix(place: tuple[str, ...], path: Path_) -> int:
    """How many leading field names `place` shares with `path` (list positions skipped)."""
    names = [step for step in path if isinstance(step, str)]
    count = 0
    for a, b in zip(place, names, strict=False):
        if a != b:
            break
        count += 1
    return count


def _type_hint(value: Any, kind: type, spec: FieldSpec) -> str:
    """How to write what was expected, given what was written instead."""
    if kind is dict and isinstance(value, str):
        from ..config.mistakes import line_slip  # deferred: start-up speed

        slip = line_slip(value, 0)
        if slip:
            return f"：{slip.message}"
        if spec.fields:
            choices = "、".join(f"{f.key}（{f.label}）" for f in spec.fields)
            return f"；每一项要写成“键: 值”，如“{spec.fields[0].key}: ……”，可填写：{choices}"
    if kind is list:
        return "；每一项另起一行，以“- ”开头"
    if kind is str and isinstance(value, list):
        return "；一段文字请直接写在冒号后面，不要另起一行以“- ”开头"
    if kind is str and isinstance(value, dict):
        return "；文字里的“英文冒号+空格”会被当成“键: 值”，请改用中文冒号“：”，或给整段文字加上引号"
    return ""


def read_fields(raw: Any, path: Path_, reading: Reading) -> tuple[FieldSpec, ...]:
    """The FieldSpecs a manifest's `fields:` declares; problems are left on `reading`."""
    return tuple((_FIELDS.read(raw, path, reading) or {}).values())


def manifest_reading(manifest: LocatedYaml) -> Reading:
    """A reading of a manifest whose messages name fields by their key path."""
    return Reading(manifest, _manifest_name)


def _field_key(path: Path_) -> str:
    """A field's key path in the manifest (meeting.name), without the `fields` levels."""
    return ".".join(str(step) for step in path if step != "fields")


def _manifest_name(path: Path_, label: str) -> str:
    """A field's setting as manifest messages name it: 字段 meeting.name 的最少项数（min_items）."""
    if len(path) < 2:
        return f"模板清单中的{label}（{dotted(path)}）"
    return f"模板清单中字段 {_field_key(path[:-1])} 的{label}（{path[-1]}）"


class _FieldOption(Option[FieldSpec]):
    """One field's body in a manifest: its settings read by _FIELD_BODY, made a FieldSpec."""

    def read(self, value: Any, path: Path_, reading: Reading) -> FieldSpec | None:
        return self.convert(value, path, reading)  # a field left empty is a mistake too

    def convert(self, value: Any, path: Path_, reading: Reading) -> FieldSpec | None:
        is_item = path[-1] == "item" and path[-2] != "fields"  # not a field called `item`
        key = str(path[-2] if is_item else path[-1])
        if not isinstance(value, dict):
            reading.fail(
                path, f"模板清单中字段 {_field_key(path)} 的定义应为条目（label、type 等）"
            )
            return None
        before = len(reading.problems)
        body = _FIELD_BODY.read(value, path, reading) or {}
        if len(reading.problems) > before:
            return None
        kind, label = body["type"], body["label"]
        item = None
        if kind == "list":
            item_body = value.get("item", {"type": "text"})
            if isinstance(item_body, dict):  # an item names itself as its list unless told
                item_body = {"label": label, **item_body}
            item = self.read(item_body, (*path, "item"), reading)
        choices = tuple((body.get("choices") or {}).items())
        if (kind == "choice") != bool(choices):
            reading.fail(
                path,
                f"模板清单中字段 {_field_key(path)} 的可选值（choices）只用于 type: choice，且选项字段必须列出可选值",
            )
        elif choices and body.get("default") is not None and body["default"] not in dict(choices):
            reading.fail(
                (*path, "default"),
                f"模板清单中字段 {_field_key(path)} 的默认值不在可选值（choices）之中",
            )
        min_items = body.get("min_items", 0)  # a count, or 1 for a required list
        if kind == "list" and body.get("required"):
            min_items = max(min_items, 1)
        if len(reading.problems) > before:
            return None
        return FieldSpec(
            key=key,
            label=label,
            type=kind,
            required=body["required"],
            help=body.get("help") or "",
            example=body.get("example"),
            default=body.get("default"),
            min_items=min_items,
            numbered=body["numbered"],
            choices=choices,
            item=item,
            fields=tuple(body.get("fields", {}).values()) if kind == "object" else (),
        )


_FIELD = _FieldOption("字段定义")
_FIELDS = Mapping("表单字段", values=_FIELD, example="meeting: {label: 会议情况, type: object}")
# A field's body in a manifest, setting by setting.
_FIELD_BODY = Mapping(
    "字段定义",
    {
        "label": Text("中文名称", required=True, strip=False),
        "type": Choice("类型", choices=FIELD_TYPES, default="text"),
        "required": YesNo("是否必填", default=False),
        "numbered": YesNo("模板是否自动编号", default=False),
        "help": Text("填写说明", strip=False),
        "example": Anything("示例"),
        "default": Anything("默认值"),
        "min_items": Number("最少项数", low=0, high=10_000, integer=True, hint="应为整数，如 1"),
        "choices": Mapping(
            "可选值", values=Text("选项的说明", strip=False), example="直接开场: 今天我们召开……"
        ),
        "item": Anything("列表中每一项的定义"),  # read by _FieldOption: it inherits the label
        "fields": _FIELDS,
    },
    where=lambda path: f"模板清单中字段 {_field_key(path)} ",
)


def tidy_prose(text: str) -> str:
    """Manifest prose without the spaces YAML's line folding puts between Chinese lines."""
    return _SPACE_BETWEEN_CHINESE.sub("", text.strip())


def field_note(spec: FieldSpec) -> str:
    """必填/选填 and how to write the field, as the scaffold's comments and schema descriptions say."""
    need = "必填" if spec.required else "选填"
    if spec.type == "list" and spec.min_items:
        need += (
            f"，至少 {spec.min_items} 项" if spec.required else f"，填写时至少 {spec.min_items} 项"
        )
    how = _HOW_TO_WRITE.get(spec.type, "")
    if spec.choices:
        names = [f"“{key}”" for key, _ in spec.choices]
        listed = f"{'、'.join(names[:-1])}或{names[-1]}" if len(names) > 1 else names[0]
        return "；".join(
            (f"{need}，不填时为“{spec.default}”" if spec.default else need, f"填{listed}")
        )
    if spec.type == "toggle_text" and spec.default:
        how = f"不填时为“{spec.default}”，{how}"
    if spec.help and spec.type not in ("date", "bool"):
        how = ""  # the manifest's help already says how; only formats are always worth repeating
    return "；".join(part for part in (need, how) if part)


_HOW_TO_WRITE = {
    "date": "写成 2021-01-26 或 2021年1月26日",
    "bool": "填 是 或 否",
    "toggle_text": "写“否”则不印",
    "paragraphs": "一段直接写；多段时每段一行，以“- ”开头",
    "list": "每一项另起一行，以“- ”开头",
}
