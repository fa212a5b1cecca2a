"""`drafter styles [NAME]`: list the presets, or print one (comments included) so it can be copied."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config.located_yaml import STYLE_FILE, read_text
from ..errors import UsageError
from ..infra.output import write_atomically
from ..packs.scaffold import yaml_scalar
from ..presets import builtin_presets, load_preset, locate_preset, preset_label

_NAME_LINE = re.compile(r"^name:[^\n#]*", re.MULTILINE)


@dataclass(frozen=True)
class StylesResult:
    """What to show: a listing or a style file's text, or where a copy was saved."""

    text: str = ""
    saved: Path | None = None


def styles_command(name: str | None, output: Path | None, *, force: bool = False) -> StylesResult:
    """List the presets, show one, or save a copy of one to `output`."""
    if name is None:
        if output is not None:
            raise UsageError("请写出要另存的版式，如 drafter styles gbt9704 -o 我的版式.yaml")
        return StylesResult(listing())
    text = style_text(name)
    if output is None:
        return StylesResult(text)
    save_copy(text, output, force=force)
    return StylesResult(saved=output)


def listing() -> str:
    """The built-in presets, one a line, and how to make one's own."""
    names = builtin_presets()
    width = max(len(n) for n in names)
    lines = ["内置版式："]
    lines += [f"  {name.ljust(width)}  {preset_label(name)}" for name in names]
    lines += [
        "",
        "查看某个版式的全部设置：drafter styles gbt9704",
        "另存一份来修改：drafter styles gbt9704 -o 我的版式.yaml，"
        "改好后使用：drafter render 表单.yaml --style 我的版式.yaml",
    ]
    return "\n".join(lines) + "\n"


def style_text(name_or_path: str) -> str:
    """A preset's file as written, comments and all, after checking that it is valid."""
    load_preset(name_or_path)  # a broken style file is reported with its lines, not printed
    return read_text(locate_preset(name_or_path), STYLE_FILE)


def save_copy(text: str, target: Path, *, force: bool = False) -> None:
    """Write a copy named after its new file, never over an existing file unless `force`."""
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"样式文件应以 .yaml 结尾，如 {target.with_suffix('.yaml').name}")
    if target.exists() and not force:
        raise UsageError(f"{target} 已存在；为免覆盖，请换一个文件名，或加 --force 覆盖它")
    # The file name may hold `#`, `: ` or quotes: quoted when plain YAML would read it otherwise.
    name = yaml_scalar(target.stem)
    renamed = _NAME_LINE.sub(lambda _: f"name: {name}", text, count=1)
    write_atomically(target, renamed.encode("utf-8"))
