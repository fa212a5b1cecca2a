"""The Jinja loader packs run with: every template file read from inside its own folder.

Jinja's FileSystemLoader refuses `..` in a name but follows symbolic links, so a pack folder
holding `root -> /` or `leak.j2 -> ~/secret` would read any file on the machine. This loader
resolves each file and reads it only when it stays inside the search folder it was found
in, is a regular file and is no larger than a template can sensibly be.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.loaders import split_template_path

from ..errors import TemplateSecurityError
from ..infra.paths import is_inside

MAX_TEMPLATE_BYTES = 1024 * 1024  # the largest built-in template is a few KB


class ConfinedLoader(BaseLoader):
    """Load templates from `roots` in order, never from outside the root a file was found in."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = tuple(Path(root) for root in roots)

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        pieces = split_template_path(template)  # refuses `..` and empty parts
        for root in self.roots:
            candidate = root.joinpath(*pieces)
            try:
                info = os.stat(candidate)
            except (OSError, ValueError):
                continue
            if not is_inside(root, candidate):
                raise TemplateSecurityError(
                    f"模板文件 {template} 通过快捷方式（符号链接）指向了模板文件夹以外的位置，已阻止",
                    path=str(candidate),
                )
            if not stat.S_ISREG(info.st_mode):
                raise TemplateSecurityError(
                    f"模板文件 {template} 不是普通文件，已拒绝读取", path=str(candidate)
                )
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateSecurityError(
                    f"模板文件 {template} 过大（上限 {MAX_TEMPLATE_BYTES // 1024} KB）",
                    path=str(candidate),
                )
            return self._read(candidate, template, info.st_mtime_ns)
        raise TemplateNotFound(template)

    def _read(self, path: Path, template: str, mtime: int) -> tuple[str, str, Callable[[], bool]]:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_TEMPLATE_BYTES + 1)
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateSecurityError(
                f"模板文件 {template} 不是 UTF-8 编码（第 {exc.start} 字节），请另存为 UTF-8",
                path=str(path),
            ) from None

        def uptodate() -> bool:
            try:
                return os.stat(path).st_mtime_ns == mtime
            except OSError:
                return False

        return source, str(path), uptodate

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for root in self.roots:
            for path in root.rglob("*"):
                if path.is_file() and is_inside(root, path):
                    found.add(path.relative_to(root).as_posix())
        return sorted(found)
