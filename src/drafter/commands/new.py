"""`drafter new`: write a commented form for a template, never over an existing file."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputError
from ..infra.files import os_reason
from ..infra.output import write_atomically
from ..infra.paths import check_target_name, make_parent
from ..packs.finder import find_pack
from ..packs.scaffold import safe_file_stem, scaffold_form

FORM_SUFFIXES = (".yaml", ".yml")


def new_form(template: str, output: Path | None = None, *, force: bool = False) -> Path:
    """Write a new form for `template` and return its path; an existing file is an error."""
    pack = find_pack(template)
    target = form_path(output, pack.id)
    check_target_name(target)
    text = scaffold_form(pack, target.name)
    if force and target.exists() and not target.is_dir():
        # Same bytes as below: BOM, and the platform's line ends (Notepad shows the lines).
        write_atomically(target, text.replace("\n", os.linesep).encode("utf-8-sig"))
        return target
    if target.exists():
        raise _exists(target, pack.id)
    make_parent(target)
    try:
        # BOM: Notepad and WPS on older Windows then open it as UTF-8, not as GBK mojibake.
        # Text mode writes the platform's line ends, so Windows Notepad shows the lines.
        with target.open("x", encoding="utf-8-sig") as handle:
            handle.write(text)
    except FileExistsError:
        raise _exists(target, pack.id) from None
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{os_reason(exc)}", path=str(target)) from None
    return target


def form_path(output: Path | None, template_id: str) -> Path:
    """`<template>.yaml` here, or in the folder given, or the name given (.yaml added if missing)."""
    default = f"{safe_file_stem(template_id)}.yaml"  # a shared pack's id may say ../../x
    if output is None:
        return Path(default)
    if output.is_dir():
        return output / default
    if output.suffix.lower() not in FORM_SUFFIXES:
        return output.with_name(output.name + ".yaml")
    return output


def _exists(target: Path, template_id: str) -> OutputError:
    return OutputError(
        "这个文件已经存在；为免覆盖已经填写的内容，drafter new 不会改写它。"
        f"请换一个文件名，如 drafter new {template_id} -o 新表单.yaml，或加 --force 覆盖它",
        path=str(target),
    )
