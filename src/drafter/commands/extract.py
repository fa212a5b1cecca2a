"""`drafter extract`: write a filled form from an old speech, never over a form unasked."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputError
from ..extract import Extraction, extract_form
from ..infra.files import os_reason
from ..infra.paths import check_target_name, make_parent
from .new import form_path


def extract_command(
    speech: Path, output: Path | None = None, template: str | None = None, force: bool = False
) -> tuple[Path, Extraction]:
    """Extract a form from `speech` and write it; return where, and what extraction found."""
    target = form_path(output, speech.stem)
    check_target_name(target)
    if target.exists() and not force:
        raise _exists(target)
    extraction = extract_form(speech, target.name, template)
    write_form(target, extraction.text, force)
    return target, extraction


def write_form(target: Path, text: str, force: bool) -> None:
    """Write the form as `drafter new` does (UTF-8 with a BOM, the platform's line ends)."""
    from ..infra.output import write_atomically  # deferred: start-up speed

    # BOM: Notepad and WPS on older Windows then open it as UTF-8, not as GBK mojibake.
    payload = text.replace("\n", os.linesep).encode("utf-8-sig")
    if force:
        write_atomically(target, payload)
        return
    make_parent(target)
    try:
        with target.open("xb") as handle:
            handle.write(payload)
    except FileExistsError:
        raise _exists(target) from None
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{os_reason(exc)}", path=str(target)) from None


def _exists(target: Path) -> OutputError:
    return OutputError(
        "这个文件已经存在；为免覆盖已经填写的内容，drafter extract 不会改写它。"
        "请用 -o 换一个文件名，或加 --force 覆盖",
        path=str(target),
    )
