"""Write a new form for a template pack, every field explained in a Chinese comment.

Fields are filled with their manifest examples (taken from the model speech), so the new
form validates and renders into a sensible draft before the writer changes a word; a
required field without an example gets a visible placeholder instead.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .errors import DrafterError
from .form_loader import parse_form
from .packs import TemplatePack
from .schema import FieldSpec, field_note, tidy_prose

STEP = "  "


def scaffold_form(pack: TemplatePack, form_name: str) -> str:
    """The text of a new, commented form for `pack`, to be saved as `form_name`."""
    lines = header(pack, form_name)
    grouped = True
    for spec in pack.schema.fields:
        nested = spec.type in ("object", "list")
        if nested or grouped:  # a blank line around each section, as in the example forms
            lines.append("")
        grouped = nested
        lines += _commented(spec, pack, "", "")
    return "\n".join(lines) + "\n"


def schema_file_name(pack: TemplatePack) -> str:
    """Where `drafter schema` output is expected beside the form, for the editor modeline."""
    return f"{pack.id}.schema.json"


def header(pack: TemplatePack, form_name: str) -> list[str]:
    """The form's opening comment: what it is, how to fill it, how to render, completion."""
    schema = schema_file_name(pack)
    lines = [
        f"# yaml-language-server: $schema={schema}",
        "#",
        f"# {pack.name} · 表单（由 drafter new 生成）",
        *(f"# {line}" for line in tidy_prose(pack.description).splitlines() if line),
        "#",
        "# 怎么填：",
        "#   · 每个字段上方的注释写明了它的名称、用途、必填还是选填，以及范文中的例子。",
        "#   · 现在填的是范文里的例子，可以先生成一份样稿看看效果，再改成本次会议的内容。",
        "#   · 每行写成“键: 值”：冒号用英文半角，后面空一格；缩进只用空格，不要用 Tab。",
        "#   · 以“- ”开头的行是列表中的一项，照着格式可以增加或删除；",
        "#     序号（一是、二是，一、二、三、）会自动生成，不要自己写。",
        "#   · 选填项不需要时，把冒号后面的内容删掉即可（冒号保留）。",
        "#",
        "# 生成讲话稿：",
        f"#     python -m drafter render {form_name}",
        "#",
        "# 编辑器自动补全（可选）：在 VS Code 中安装 YAML 插件（Red Hat），再运行",
        f"#     python -m drafter schema {pack.id} -o {schema}",
        "# 把生成的文件放在本表单旁边。第一行的 yaml-language-server 注释让编辑器读取它：",
        "# 输入时会提示字段名称、说明和例子，写错的字段名会标出来。",
    ]
    return lines


def _commented(spec: FieldSpec, pack: TemplatePack, lead: str, pad: str) -> list[str]:
    """A field's comment lines, then its value; `lead` opens the key line (maybe with "- ")."""
    comment_pad = lead.replace("- ", "")
    return [f"{comment_pad}# {line}" for line in _comment(spec)] + _value_lines(
        spec, pack, lead, pad
    )


def _comment(spec: FieldSpec) -> list[str]:
    """Label, 必填/选填 and how to write it, what it is for, and the model speech's example."""
    first = f"{spec.label}（{field_note(spec)}）"
    lines = [f"{first}：{tidy_prose(spec.help)}" if spec.help else first]
    example = _example_text(spec)
    if example:
        lines.append(f"范文示例：{example}")
    return lines


def _example_text(spec: FieldSpec) -> str:
    example = spec.example
    if isinstance(example, list):
        return "；".join(str(item) for item in example if item is not None)
    return tidy_prose(str(example)) if example is not None and not isinstance(example, dict) else ""


def _value_lines(spec: FieldSpec, pack: TemplatePack, lead: str, pad: str) -> list[str]:
    key_line = f"{lead}{spec.key}:"
    if spec.key == "template" and not pad:
        return [f"{key_line} {pack.id}"]
    if spec.type == "object":
        return [key_line, *_mapping(spec.fields, pack, pad + STEP)]
    if spec.type == "list":
        return [key_line, *_items(spec, pack, pad + STEP)]
    value = _scalar_value(spec)
    if isinstance(value, list):
        return [key_line, *(f"{pad}{STEP}- {_scalar(item)}" for item in value)]
    return [f"{key_line} {_scalar(value)}" if value is not None else key_line]


def _mapping(fields: tuple[FieldSpec, ...], pack: TemplatePack, pad: str) -> list[str]:
    lines: list[str] = []
    for spec in fields:
        lines += _commented(spec, pack, pad, pad)
    return lines


def _items(spec: FieldSpec, pack: TemplatePack, pad: str) -> list[str]:
    """One example item (copy it for more); a list of phrases lists all its examples."""
    item = spec.item
    assert item is not None
    if item.type == "object":
        lines = [f"{pad}# 每一项以“- ”开头；照这一项的格式复制，即可增加第二项、第三项……"]
        for index, field in enumerate(item.fields):
            lead = f"{pad}- " if index == 0 else f"{pad}{STEP}"
            lines += _commented(field, pack, lead, pad + STEP)
        return lines
    examples = spec.example if isinstance(spec.example, list) else [_scalar_value(item)]
    values = [value for value in examples if value is not None]
    if not values and spec.required:
        values = [_placeholder(spec)]
    return [f"{pad}- {_scalar(value)}" for value in values]


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
    return f"【请填写{spec.label}】"


def _scalar(value: Any) -> str:
    """`value` as YAML: plain when drafter reads it back unchanged, else double-quoted."""
    text = str(value)
    if _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _reads_back(text: str) -> bool:
    try:
        form = parse_form(f"k: {text}\n", "")
    except DrafterError:
        return False
    return form.data == {"k": text} and not form.problems and not form.warnings
