"""Write a new form for a template pack, every field explained in a Chinese comment.

Fields are filled with their manifest examples (taken from the model speech), so the new
form validates and renders into a sensible draft before the writer changes a word; a
required field without an example gets a visible placeholder instead. `drafter extract`
writes the same form with the values it read from an old speech (a `Filling`) instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config.located_yaml import Path_, parse_located
from ..errors import DrafterError
from .fields import FieldSpec, field_note, tidy_prose
from .finder import TemplatePack

STEP = "  "


@dataclass(frozen=True)
class Filling:
    """Values to write instead of the manifest's examples, and notes on fields to check.

    `values` is the form's data (mappings, lists, text); a field it lacks is written
    empty. `notes` maps a field's path (list positions as ints) to comment lines written
    above it; `header` replaces the opening comment of a new form.
    """

    values: Mapping[str, Any]
    notes: Mapping[Path_, Sequence[str]] = field(default_factory=dict)
    header: Sequence[str] = ()

    def value(self, path: Path_) -> Any:
        """The value at `path`, or None when the data has none."""
        found: Any = self.values
        for step in path:
            if isinstance(step, int):
                found = found[step] if isinstance(found, list) and step < len(found) else None
            else:
                found = found.get(step) if isinstance(found, Mapping) else None
            if found is None:
                return None
        return found


@dataclass(frozen=True)
class _Place:
    """Where the traversal is: a field's path, the filling, and whether to explain fields."""

    path: Path_ = ()
    filling: Filling | None = None
    explain: bool = True  # a filled list explains its fields on its first item only

    def at(self, step: str | int, explain: bool | None = None) -> _Place:
        keep = self.explain if explain is None else explain
        return _Place((*self.path, step), self.filling, keep)

    def omitted(self) -> bool:
        """Later items of a filled list leave out the fields they have no value for."""
        filling = self.filling
        return not self.explain and filling is not None and filling.value(self.path) is None


def scaffold_form(pack: TemplatePack, form_name: str, filling: Filling | None = None) -> str:
    """The text of a new, commented form for `pack`, to be saved as `form_name`.

    With a `filling`, the fields hold its values rather than the manifest's examples.
    """
    lines = list(filling.header) if filling is not None else header(pack, form_name)
    grouped = True
    root = _Place(filling=filling)
    for spec in pack.schema.fields:
        nested = spec.type in ("object", "list")
        if nested or grouped:  # a blank line around each section, as in the example forms
            lines.append("")
        grouped = nested
        lines += _commented(spec, pack, "", "", root.at(spec.key))
    return "\n".join(_kept_in_comments(lines)) + "\n"


def _kept_in_comments(lines: list[str]) -> list[str]:
    """Comment lines whose text (a pack's help, label, name…) holds a line break, split so that
    every part is a comment too: a manifest's text must never become keys of the new form."""
    kept: list[str] = []
    for line in lines:
        body = line.lstrip(" ")
        parts = line.splitlines()
        if not body.startswith("#") or len(parts) < 2:
            kept.append(line)
            continue
        pad = line[: len(line) - len(body)]
        kept += [parts[0], *(f"{pad}# {part}" for part in parts[1:])]
    return kept


def safe_file_stem(template_id: str) -> str:
    """A file name made from a pack's id that stays in the folder it is written to.

    A shared pack's id is not trusted: `../../x` or `/abs/dir/x` give `x`, and characters
    that are not letters, digits, `.`, `_` or `-` become `-`.
    """
    last = re.split(r"[\\/]", template_id)[-1]
    stem = re.sub(r"[^\w.\-]+", "-", last).strip(".- ")
    return stem[:100] or "form"


def schema_file_name(pack: TemplatePack) -> str:
    """Where `drafter schema` output is expected beside the form, for the editor modeline."""
    return f"{safe_file_stem(pack.id)}.schema.json"


def header(pack: TemplatePack, form_name: str) -> list[str]:
    """The form's opening comment: what it is, how to fill it, how to render, completion."""
    return [
        *title_lines(pack, "drafter new 生成"),
        "#",
        "# 怎么填：",
        "#   · 每个字段上方的注释写明了它的名称、用途、必填还是选填，以及范文中的例子。",
        "#   · 现在填的是范文里的例子，可以先生成一份样稿看看效果，再改成本次会议的内容。",
        *editing_tips(),
        "#",
        *closing_lines(pack, form_name),
    ]


def title_lines(pack: TemplatePack, made_by: str) -> list[str]:
    """The editor modeline, then which pack's form this is, who made it and what the pack is for."""
    return [
        f"# yaml-language-server: $schema={schema_file_name(pack)}",
        "#",
        f"# {pack.name} · 表单（由 {made_by}）",
        *(f"# {line}" for line in tidy_prose(pack.description).splitlines() if line),
    ]


def editing_tips() -> list[str]:
    """How YAML is written, for writers who have never seen it."""
    return [
        "#   · 每行写成“键: 值”：冒号用英文半角，后面空一格；缩进只用空格，不要用 Tab。",
        "#   · 以“- ”开头的行是列表中的一项，照着格式可以增加或删除；",
        "#     序号（一是、二是，一、二、三、）会自动生成，不要自己写。",
        "#   · 选填项不需要时，把冒号后面的内容删掉即可（冒号保留）。",
    ]


def closing_lines(pack: TemplatePack, form_name: str) -> list[str]:
    """How to render the form, and how to get completion in an editor."""
    schema = schema_file_name(pack)
    return [
        "# 生成讲话稿：",
        f"#     python -m drafter render {form_name}",
        "#",
        "# 编辑器自动补全（可选）：在 VS Code 中安装 YAML 插件（Red Hat），再运行",
        f"#     python -m drafter schema {pack.id} -o {schema}",
        "# 把生成的文件放在本表单旁边。第一行的 yaml-language-server 注释让编辑器读取它：",
        "# 输入时会提示字段名称、说明和例子，写错的字段名会标出来。",
    ]


def _commented(
    spec: FieldSpec, pack: TemplatePack, lead: str, pad: str, place: _Place
) -> list[str]:
    """A field's comment lines, then its value; `lead` opens the key line (maybe with "- ")."""
    comment_pad = lead.replace("- ", "")
    comments = _comment(spec) if place.explain else []
    if place.filling is not None:
        comments += [f"请核对：{note}" for note in place.filling.notes.get(place.path, ())]
    return [f"{comment_pad}# {line}" for line in comments] + _value_lines(
        spec, pack, lead, pad, place
    )


def _comment(spec: FieldSpec) -> list[str]:
    """Label, 必填/选填 and how to write it, what it is for, and the model speech's example."""
    first = f"{spec.label}（{field_note(spec)}）"
    lines = [f"{first}：{tidy_prose(spec.help)}" if spec.help else first]
    lines += [f"  {value}：{tidy_prose(meaning)}" for value, meaning in spec.choices if meaning]
    example = _example_text(spec)
    if example:
        lines.append(f"范文示例：{example}")
    return lines


def _example_text(spec: FieldSpec) -> str:
    example = spec.example
    if isinstance(example, list):
        return "；".join(str(item) for item in example if item is not None)
    return tidy_prose(str(example)) if example is not None and not isinstance(example, dict) else ""


def _value_lines(
    spec: FieldSpec, pack: TemplatePack, lead: str, pad: str, place: _Place
) -> list[str]:
    key_line = f"{lead}{spec.key}:"
    if spec.key == "template" and not pad:
        return [f"{key_line} {pack.id}"]
    filling = place.filling
    nested = spec.type in ("object", "list")
    if nested and filling is not None and filling.value(place.path) is None:
        return [key_line]
    if spec.type == "object":
        return [key_line, *_mapping(spec.fields, pack, pad + STEP, place)]
    if spec.type == "list":
        items = _items if filling is None else _filled_items
        return [key_line, *items(spec, pack, pad + STEP, place)]
    value = _scalar_value(spec) if filling is None else filling.value(place.path)
    if isinstance(value, list):
        return [key_line, *(f"{pad}{STEP}- {_scalar(item)}" for item in value)]
    return [f"{key_line} {_scalar(value)}" if value is not None else key_line]


def _mapping(
    fields: tuple[FieldSpec, ...], pack: TemplatePack, pad: str, place: _Place, lead: str = ""
) -> list[str]:
    """The fields of a mapping; `lead` ("- ") opens the first one when it is a list item."""
    lines: list[str] = []
    for spec in fields:
        inner = place.at(spec.key)
        if inner.omitted():
            continue
        lines += _commented(spec, pack, lead or pad, pad, inner)
        lead = ""
    return lines


def _items(spec: FieldSpec, pack: TemplatePack, pad: str, place: _Place) -> list[str]:
    """One example item (copy it for more); a list of phrases lists all its examples."""
    item = spec.item
    assert item is not None
    if item.type == "object":
        lines = [f"{pad}# 每一项以“- ”开头；照这一项的格式复制，即可增加第二项、第三项……"]
        for index, field_spec in enumerate(item.fields):
            lead = f"{pad}- " if index == 0 else f"{pad}{STEP}"
            lines += _commented(field_spec, pack, lead, pad + STEP, place.at(0).at(field_spec.key))
        return lines
    examples = spec.example if isinstance(spec.example, list) else [_scalar_value(item)]
    values = [value for value in examples if value is not None]
    if not values and spec.required:
        values = [_placeholder(spec)]
    return [f"{pad}- {_scalar(value)}" for value in values]


def _filled_items(spec: FieldSpec, pack: TemplatePack, pad: str, place: _Place) -> list[str]:
    """Every item of a filled list, the fields explained on the first item only."""
    item = spec.item
    assert item is not None and place.filling is not None
    values = place.filling.value(place.path)
    values = values if isinstance(values, list) else [values]
    if item.type != "object":
        return [f"{pad}- {_scalar(value)}" for value in values if value is not None]
    lines = [f"{pad}# 每一项以“- ”开头；照这一项的格式复制，即可增加一项"] if place.explain else []
    for index in range(len(values)):
        if index and len(place.path) == 1:
            lines.append("")  # items of a top-level list apart, as in the example forms
        inner = place.at(index, explain=place.explain and index == 0)
        lines += _mapping(item.fields, pack, pad + STEP, inner, lead=f"{pad}- ")
    return lines


def _scalar_value(spec: FieldSpec) -> Any:
    """The example, else for a required field something valid that shows it must be filled."""
    if spec.example is not None and not isinstance(spec.example, dict):
        return spec.example
    if not spec.required:
        return None
    if spec.type == "date":
        return dt.date.today().isoformat()
    if spec.type == "bool":
        return "否"
    return _placeholder(spec)


def _placeholder(spec: FieldSpec) -> str:
    return placeholder(spec.label)


def placeholder(label: str) -> str:
    """What a required field nobody has filled yet holds: 【请填写组织单位】."""
    return f"【请填写{label}】"


def _scalar(value: Any) -> str:
    return yaml_scalar(str(value))


def yaml_scalar(text: str) -> str:
    """`text` as YAML: plain when drafter reads it back unchanged, else double-quoted."""
    if _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _reads_back(text: str) -> bool:
    try:
        form = parse_located(f"k: {text}\n", "")
    except DrafterError:
        return False
    return form.data == {"k": text} and not form.problems and not form.warnings
