"""`drafter templates`: list every pack a writer can use, or show one pack's form fields."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..errors import Diagnostic, OutputError
from ..infra.files import os_reason
from ..packs.fields import FieldSpec
from ..packs.finder import (
    LOCAL,
    SHARED,
    TemplatePack,
    find_pack,
    list_packs,
    overriding_warning,
)

TYPE_NAMES = {
    "text": "文本",
    "date": "日期",
    "bool": "是/否",
    "toggle_text": "文本（写“否”则不印）",
    "paragraphs": "段落（一段直接写，多段写成列表）",
    "object": "条目",
}


def pack_list(near: Path | None = None) -> tuple[list[str], list[Diagnostic]]:
    """Lines listing every pack (id, 中文名, 来源, 说明), and the packs that failed to load."""
    packs, problems = list_packs(near)
    seen: set[str] = set()
    lines = ["可用的模板（同名时，前面的本地模板优先于内置模板）：", ""]
    for pack in packs:
        origin = (
            f"{pack.origin} {pack.directory}" if pack.origin in (LOCAL, SHARED) else pack.origin
        )
        if pack.id in seen:
            origin += "（已被同名本地模板替代）"
        seen.add(pack.id)
        lines.append(f"  {pack.id.ljust(28)} {pad(pack.name, 30)} {origin}")
        if pack.description:
            lines.append(f"      {pack.description}")
    lines += [
        "",
        "查看某个模板的字段：drafter templates 模板编号（或中文名称，如 drafter templates 述职评议）",
    ]
    return lines, [*problems, *filter(None, map(overriding_warning, packs))]


def pack_fields(name: str, near: Path | None = None) -> list[str]:
    """Lines describing one pack and every field of its form."""
    pack = find_pack(name, near)
    lines = [
        f"{pack.name}（{pack.id}）",
        f"来源：{pack.origin}  {pack.directory}",
    ]
    if pack.description:
        lines.append(f"说明：{pack.description}")
    lines += ["", "表单字段（“[]”表示列表中的每一项）："]
    for key, spec in field_rows(pack):
        lines.append("")
        lines.append(
            f"  {key}  {spec.label} · {type_name(spec)} · {'必填' if spec.required else '选填'}"
        )
        if spec.help:
            lines.append(f"      说明：{spec.help}")
        if spec.default not in (None, ""):
            lines.append(f"      默认：{spec.default}")
        if spec.example not in (None, ""):
            lines.append(f"      示例：{example_text(spec.example)}")
    return lines


def field_rows(pack: TemplatePack) -> Iterator[tuple[str, FieldSpec]]:
    """Every field with its key path, list items written as key[].child."""
    yield from _rows(pack.schema, "")


def _rows(spec: FieldSpec, prefix: str) -> Iterator[tuple[str, FieldSpec]]:
    for child in spec.fields:
        key = f"{prefix}{child.key}"
        yield key, child
        if child.type == "object":
            yield from _rows(child, f"{key}.")
        elif child.type == "list" and child.item is not None and child.item.type == "object":
            yield from _rows(child.item, f"{key}[].")


def type_name(spec: FieldSpec) -> str:
    """A field's type in a writer's words: 列表（每项为条目）."""
    if spec.type == "list":
        item = spec.item.type if spec.item is not None else "text"
        return f"列表（每项为{TYPE_NAMES.get(item, item)}）"
    if spec.choices:
        return f"选项（{'、'.join(value for value, _ in spec.choices)}）"
    return TYPE_NAMES.get(spec.type, spec.type)


def example_text(example: object) -> str:
    """An example value as a writer would type it; lists joined with 、."""
    if isinstance(example, list):
        return "、".join(str(item) for item in example)
    return str(example)


def pad(text: str, width: int) -> str:
    """Pad to `width` terminal columns, counting a Chinese character as two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def copy_pack(name: str, folder: Path, *, force: bool = False) -> Path:
    """Copy a pack's folder into `folder` to edit it; return the copy. Never over one unasked.

    The copy is the pack folder as is: a pack that extends the built-in base layout keeps
    finding it, so `folder` may be the templates/ beside the forms and the copy is used at once.
    """
    pack = find_pack(name)
    target = folder / pack.directory.name
    if target.exists() and not force:
        raise OutputError(
            "这个文件夹已经存在；为免覆盖改过的模板，不会改写它。请用 -o 换一个文件夹，或加 --force 覆盖",
            path=str(target),
        )
    try:
        shutil.copytree(
            pack.directory,
            target,
            dirs_exist_ok=force,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"),
        )
    except OSError as exc:
        raise OutputError(f"无法复制模板：{os_reason(exc)}", path=str(target)) from None
    return target
