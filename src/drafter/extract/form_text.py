"""Write the extracted form: `drafter new`'s commented form, holding the speech's values."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..packs.finder import TemplatePack
from ..packs.scaffold import Filling, closing_lines, editing_tips, scaffold_form, title_lines
from ..pipeline import UNPLACED_FIELD as UNPLACED
from .fidelity import Fidelity, describe
from .reading import Speech
from .recognition import Recognition

# What YAML (and so the written form) reads as a line break, though Python's text is one
# line: Word's soft line break comes out of the reader as U+2028.
_SEPARATOR = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
# Characters YAML refuses in a file (tab excepted), and non-characters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")


def form_text(
    pack: TemplatePack,
    recognition: Recognition,
    speech: Speech,
    form_name: str,
    fidelity: Fidelity | None = None,
) -> str:
    """The form for `pack` holding what was recognised in `speech`, to be saved as `form_name`."""
    values: dict[str, Any] = {"template": pack.id, **recognition.data}
    leftovers = [leftover.span.text for leftover in recognition.leftovers]
    if leftovers and pack.schema.child(UNPLACED) is not None:
        values[UNPLACED] = leftovers
        leftovers = []
    lines = [comment_safe(line) for line in header(pack, speech, form_name, fidelity, leftovers)]
    notes = {
        path: [comment_safe(note) for note in found] for path, found in recognition.notes.items()
    }
    return scaffold_form(pack, form_name, Filling(value_safe(values), notes, lines))


def comment_safe(text: str) -> str:
    """Text that stays on its `#` line: every line separator a space, control characters gone."""
    return _CONTROL.sub("", _SEPARATOR.sub(" ", text))


def value_safe(value: Any) -> Any:
    """A value YAML reads back as written: separators become \\n, control characters go."""
    if isinstance(value, str):
        return _CONTROL.sub("", _SEPARATOR.sub("\n", value))
    if isinstance(value, dict):
        return {key: value_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [value_safe(item) for item in value]
    return value


def header(
    pack: TemplatePack,
    speech: Speech,
    form_name: str,
    fidelity: Fidelity | None,
    leftovers: list[str],
) -> list[str]:
    """The opening comment: where the values came from, what to check, and what was left out."""
    lines = [
        *title_lines(pack, f"drafter extract 从 {Path(speech.path).name} 提取"),
        "#",
        "# 怎么用：",
        "#   · 各字段已按原文的阅读顺序填好，改成本次会议的内容后即可生成讲话稿。",
        "#   · 注释中的“请核对”标出了没有把握的地方，请对照原文检查。",
        *_unplaced_tip(pack),
        "#   · 每个字段上方的注释写明了它的名称、用途、必填还是选填，以及范文中的例子。",
        *editing_tips(),
        "#",
        *closing_lines(pack, form_name),
    ]
    if fidelity is not None:
        lines += ["#", f"# 按本表单重新生成的讲话与原文的相似度：{fidelity.ratio:.1%}"]
    lines += _section("原文中的网页信息（不是讲话内容，没有写入字段）：", _chrome(speech))
    lines += _section("找不到对应字段的原文（请移到应放的字段，或者删掉）：", leftovers)
    if fidelity is not None:
        changes = [_where(speech, d.at) + describe(d, shorten=False) for d in fidelity.differences]
        lines += _section("按本表单重新生成时与原文不同的地方（多为模板的固定写法）：", changes)
    return lines


def _unplaced_tip(pack: TemplatePack) -> list[str]:
    if pack.schema.child(UNPLACED) is None:
        return []
    return [
        f"#   · {UNPLACED}（未归位的原文）中是找不到对应字段的原文：请移到应放的字段，或者删掉。"
    ]


def _chrome(speech: Speech) -> list[str]:
    return [_where(speech, para.span.start) + para.text.strip() for para in speech.chrome]


def _where(speech: Speech, offset: int) -> str:
    line, column = speech.position(offset)
    return f"第 {line} 行第 {column} 列："


def _section(title: str, entries: list[str]) -> list[str]:
    if not entries:
        return []
    return ["#", f"# {title}", *(f"#   {entry}" for entry in entries)]
