"""Find template packs and read their manifests into a form schema."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config.closest import closest
from ..config.located_yaml import parse_form, read_text
from ..errors import Diagnostic, DrafterError, TemplateError, UsageError
from ..infra.file_memo import memoized_on_files
from ..infra.resources import builtin_dir
from .fields import FieldSpec, parse_fields

MANIFEST = "template.yaml"
_PACK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# YAML's folded `>-` joins lines with a space; Chinese text has none between characters.
_FOLDED_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
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


BUILTIN, LOCAL, GIVEN = "内置", "本地", "指定路径"


def pack_roots(near: Path | None = None) -> list[tuple[Path, str]]:
    """Folders holding packs, in lookup order: templates/ beside the form, ./templates/, built-ins.

    A writer keeps a `templates/` folder next to the forms; running drafter from another
    folder (`drafter render 2026/述职.yaml`) must still find it, so the form's own folder
    is searched before the working folder.
    """
    builtin = builtin_dir("templates").resolve()
    roots: list[tuple[Path, str]] = []
    for base in (near, Path.cwd()):
        if base is None:
            continue
        local = (base / "templates").resolve()
        if local.is_dir() and local != builtin and all(local != r for r, _ in roots):
            roots.append((local, LOCAL))
    roots.append((builtin, BUILTIN))
    return roots


def find_pack(name: str, near: Path | None = None) -> TemplatePack:
    """The pack called `name` (or at path `name`), or a UsageError suggesting the closest one.

    `near` is the folder of the form being drafted, whose templates/ folder is searched first.
    """
    given = _pack_dir(Path(name))
    if given is not None:
        return load_pack(given.resolve(), GIVEN)
    if _PACK_ID.match(name):
        for root, origin in pack_roots(near):
            if (root / name / MANIFEST).is_file():
                return load_pack((root / name).resolve(), origin)
    known = sorted({pack for root, _ in pack_roots(near) for pack in _pack_ids(root)})
    close = closest(name, known, cutoff=0.5)
    hint = f"，是否想写 {close}？" if close else ""
    raise UsageError(f"没有名为 {name} 的模板{hint}；可用的模板：{'、'.join(known)}")


def list_packs(near: Path | None = None) -> tuple[list[TemplatePack], list[Diagnostic]]:
    """Every pack in lookup order (a local pack before the built-in it overrides), and broken ones."""
    packs: list[TemplatePack] = []
    problems: list[Diagnostic] = []
    for root, origin in pack_roots(near):
        for pack_id in _pack_ids(root):
            try:
                packs.append(load_pack((root / pack_id).resolve(), origin))
            except DrafterError as exc:
                problems.extend(exc.diagnostics)
    return packs, problems


def _pack_dir(candidate: Path) -> Path | None:
    """The pack folder a --template PATH names: the folder itself or its template.yaml."""
    if candidate.name == MANIFEST and candidate.is_file():
        return candidate.parent
    if (candidate / MANIFEST).is_file():
        return candidate
    return None


def _pack_ids(root: Path) -> list[str]:
    return [p.parent.name for p in sorted(root.glob(f"*/{MANIFEST}"))]


@memoized_on_files(
    key=lambda directory, origin: (str(directory), origin),  # callers pass resolved paths
    files=lambda directory, origin: [Path(directory) / MANIFEST],
)
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
        description=_FOLDED_SPACE.sub("", str(raw.get("description") or "")),
        directory=directory,
        entry=str(raw.get("entry") or "speech.j2"),
        schema=schema,
        origin=origin,
    )
