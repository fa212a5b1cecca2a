"""`drafter styles [NAME]`: list the presets, or print one (comments included) so it can be copied."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..config.located_yaml import read_text
from ..errors import UsageError
from ..infra.output import write_atomically, write_to_stdout
from ..packs.scaffold import yaml_scalar
from ..presets import builtin_presets, load_preset, locate_preset, preset_label

_NAME_LINE = re.compile(r"^name:[^\n#]*", re.MULTILINE)


def styles_command(name: str | None, output: Path | None, *, force: bool = False) -> None:
    """List the presets, print one, or save a copy of one to `output`."""
    if name is None:
        if output is not None:
            raise UsageError("请写出要另存的版式，如 drafter styles gbt9704 -o 我的版式.yaml")
        emit(listing())
        return
    text = style_text(name)
    if output is None:
        emit(text)
        return
    save_copy(text, output, force=force)
    click.echo(str(output))


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
    return read_text(locate_preset(name_or_path))


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


def emit(text: str) -> None:
    """Print text; redirected to a file it is UTF-8 whatever the Windows code page."""
    if sys.stdout.isatty():
        click.echo(text, nl=False)
        return
    write_to_stdout(text.encode("utf-8"))
