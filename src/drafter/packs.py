"""Find template packs and read their manifests into a form schema."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import TemplateError, UsageError
from .form_loader import parse_form, read_text
from .resources import builtin_dir
from .schema import FieldSpec, parse_fields

MANIFEST = "template.yaml"
_PACK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
TEMPLATE_FIELD = FieldSpec(
    key="template",
    label="模板",
    type="text",
    required=True,
    help="本表单使用的模板编号，决定讲话的结构",
)


@dataclass(frozen=True)
class TemplatePack:
    """A template pack: its manifest, entry template and the folders Jinja searches."""

    id: str
    name: str
    description: str
    directory: Path
    entry: str
    schema: FieldSpec
    origin: str

    @property
    def search_path(self) -> tuple[Path, ...]:
        """The pack's own folder first, then the built-in packs (for the shared base/)."""
        return (self.directory, builtin_dir("templates"))


def pack_roots() -> list[tuple[Path, str]]:
    """Folders holding packs, in lookup order: ./templates/ next to the forms, then built-ins."""
    local = Path.cwd() / "templates"
    builtin = builtin_dir("templates")
    roots = [(builtin, "内置")]
    if local.is_dir() and local.resolve() != builtin.resolve():
        roots.insert(0, (local, "本地"))
    return roots


def find_pack(name: str) -> TemplatePack:
    """The pack called `name` (or at path `name`), or a UsageError suggesting the closest one."""
    candidate = Path(name)
    if (candidate / MANIFEST).is_file():
        return load_pack(candidate.resolve(), "指定路径")
    if _PACK_ID.match(name):
        for root, origin in pack_roots():
            if (root / name / MANIFEST).is_file():
                return load_pack((root / name).resolve(), origin)
    known = [pack for root, _ in pack_roots() for pack in _pack_ids(root)]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"，是否想写 {close[0]}？" if close else ""
    raise UsageError(f"没有名为 {name} 的模板{hint}；可用的模板：{'、'.join(sorted(set(known)))}")


def _pack_ids(root: Path) -> list[str]:
    return [p.parent.name for p in sorted(root.glob(f"*/{MANIFEST}"))]


@cache
def load_pack(directory: Path, origin: str) -> TemplatePack:
    """Read a pack's manifest; a broken manifest is a TemplateError at its line."""
    manifest_path = directory / MANIFEST
    manifest = parse_form(read_text(manifest_path), str(manifest_path))
    if manifest.problems:
        raise TemplateError(diagnostics=manifest.problems)
    raw = manifest.data
    fields = raw.get("fields")
    if not isinstance(fields, dict):
        raise TemplateError(
            "模板清单缺少 fields（表单字段定义）", path=str(manifest_path), line=1, column=1
        )
    schema = FieldSpec(
        key="",
        label=str(raw.get("name") or directory.name),
        type="object",
        required=True,
        fields=(TEMPLATE_FIELD, *parse_fields(fields, manifest, ("fields",))),
    )
    return TemplatePack(
        id=str(raw.get("id") or directory.name),
        name=str(raw.get("name") or directory.name),
        description=str(raw.get("description") or ""),
        directory=directory,
        entry=str(raw.get("entry") or "speech.j2"),
        schema=schema,
        origin=origin,
    )
