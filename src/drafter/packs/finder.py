"""Find template packs and read their manifests into a form schema."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.closest import closest
from ..config.located_yaml import PACK_MANIFEST, parse_located, read_text
from ..config.options import Anything, Mapping, Text
from ..config.settings import load_settings
from ..errors import Diagnostic, DrafterError, Severity, TemplateError, UsageError, shortened
from ..infra.file_memo import memoized_on_files
from ..infra.resources import builtin_dir
from .fields import FieldSpec, manifest_reading, read_fields

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


# A manifest's top level; `fields` is read by read_fields, field by field.
MANIFEST_OPTIONS = Mapping(
    "模板清单",
    {
        "id": Text("模板编号"),
        "name": Text("中文名称"),
        "description": Text("模板说明", strip=False),
        "entry": Text("入口模板文件"),
        "fields": Anything("表单字段定义"),
    },
    where="模板清单中",
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
SHARED = "共享"  # a folder the office settings file names


def pack_roots(near: Path | None = None) -> list[tuple[Path, str]]:
    """Folders holding packs, in lookup order: templates/ beside the form, ./templates/, the
    settings file's template folders (a shared network folder), built-ins.

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
    for shared in load_settings().template_folders:
        if shared.is_dir() and all(shared.resolve() != r for r, _ in roots):
            roots.append((shared.resolve(), SHARED))
    roots.append((builtin, BUILTIN))
    return roots


def find_pack(name: str, near: Path | None = None) -> TemplatePack:
    """The pack called `name` (or at path `name`), or a UsageError suggesting the closest one.

    `near` is the folder of the form being drafted, whose templates/ folder is searched first.
    """
    if not name.strip():
        raise UsageError("模板名不能为空：请写模板编号（如 review-commentary）或模板文件夹的路径")
    given = _pack_dir(Path(name))
    if given is not None:
        return load_pack(given.resolve(), GIVEN)
    if _PACK_ID.match(name):
        for root, origin in pack_roots(near):
            if os.path.isfile(root / name / MANIFEST):
                return load_pack((root / name).resolve(), origin)
    if not name.isascii():
        named = _by_chinese_name(name.strip(), near)
        if named is not None:
            return named
    known = sorted({pack for root, _ in pack_roots(near) for pack in _pack_ids(root)})
    close = closest(name, known, cutoff=0.5)
    hint = f"，是否想写 {close}？" if close else ""
    raise UsageError(f"没有名为 {shortened(name)} 的模板{hint}；可用的模板：{'、'.join(known)}")


def _by_chinese_name(name: str, near: Path | None) -> TemplatePack | None:
    """The pack whose Chinese name (from its manifest) is `name`, or holds it unambiguously.

    述职评议 is part of 述职评议点评讲话 and of 述职评议点评讲话（三段式）: the shortest
    name that the others only extend is meant. Several unrelated packs are a UsageError
    naming them; none is None.
    """
    packs, _ = list_packs(near)  # a broken manifest is reported where its pack is used
    first: dict[str, TemplatePack] = {}
    for pack in packs:  # lookup order: a local pack before the built-in of the same id
        first.setdefault(pack.id, pack)
    exact = [pack for pack in first.values() if pack.name == name]
    holding = exact or [pack for pack in first.values() if name in pack.name]
    if not holding:
        return None
    shortest = min(holding, key=lambda pack: len(pack.name))
    if all(shortest.name in pack.name for pack in holding):
        return shortest
    listed = "、".join(f"{pack.id}（{pack.name}）" for pack in holding)
    raise UsageError(f"有几个模板的名称含有“{shortened(name)}”：{listed}；请写出其中一个的模板编号")


def named_in_form(name: str, folder: Path) -> str:
    """A pack a form names: a relative path (`./pack`, `../packs/x`) starts at the form's folder."""
    path = Path(name)
    looks_like_path = name.startswith(".") or "/" in name or "\\" in name
    return str(folder / path) if looks_like_path and not path.is_absolute() else name


def overriding_warning(pack: TemplatePack) -> Diagnostic | None:
    """A warning when a local pack takes the place of the built-in pack of the same id."""
    if pack.origin != LOCAL:
        return None
    builtin = builtin_dir("templates")
    names = {pack.id, pack.directory.name}  # looked up by folder, listed by id: either clashes
    replaced = [builtin / n for n in names if (builtin / n / MANIFEST).is_file()]
    if not replaced:
        return None
    if any(_same_files(pack.directory, folder) for folder in replaced):
        return None  # an unchanged copy (drafter run inside its own source folder) changes nothing
    return Diagnostic(
        f"使用的是本地模板 {pack.directory}，它替代了同名的内置模板 {pack.id}；"
        "如不是有意为之，请改名或移走这个本地模板",
        str(pack.directory / MANIFEST),
        severity=Severity.WARNING,
    )


def _same_files(one: Path, other: Path) -> bool:
    """Whether two pack folders hold the same files with the same bytes."""

    def files(folder: Path) -> dict[str, Path]:
        return {
            p.relative_to(folder).as_posix(): p
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    try:
        mine, theirs = files(one), files(other)
        return mine.keys() == theirs.keys() and all(
            mine[name].read_bytes() == theirs[name].read_bytes() for name in mine
        )
    except OSError:
        return False


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
    # os.path.isfile, unlike Path.is_file, calls a name too long for the system no file.
    if candidate.name == MANIFEST and os.path.isfile(candidate):
        return candidate.parent
    if os.path.isfile(candidate / MANIFEST):
        return candidate
    return None


def _pack_ids(root: Path) -> list[str]:
    return [p.parent.name for p in sorted(root.glob(f"*/{MANIFEST}"))]


@memoized_on_files(
    key=lambda directory, origin: (str(directory), origin),  # callers pass resolved paths
    files=lambda directory, origin: [Path(directory) / MANIFEST],
)
def load_pack(directory: Path, origin: str) -> TemplatePack:
    """Read a pack's manifest; a broken manifest is a TemplateError listing every problem."""
    manifest_path = directory / MANIFEST
    manifest = parse_located(
        read_text(manifest_path, PACK_MANIFEST), str(manifest_path), PACK_MANIFEST
    )
    reading = manifest_reading(manifest)
    data = _with_base_fields(manifest.data)
    raw = MANIFEST_OPTIONS.read(data, (), reading) or {}
    if "id" in raw and not _PACK_ID.match(raw["id"]):
        reading.fail(
            ("id",),
            f"模板编号 {shortened(raw['id'])} 只能用英文字母、数字、连字符和下划线，"
            "不能含路径（/、\\、..）",
        )
    fields: tuple[FieldSpec, ...] = ()
    if "fields" in data:
        fields = read_fields(data["fields"], ("fields",), reading)
    else:
        reading.fail((), "模板清单缺少 fields（表单字段定义）")
    if reading.problems or manifest.problems:
        raise TemplateError(diagnostics=reading.all_problems())
    schema = FieldSpec(
        key="",
        label=raw.get("name") or directory.name,
        type="object",
        required=True,
        fields=(TEMPLATE_FIELD, *fields),
    )
    return TemplatePack(
        id=raw.get("id") or directory.name,
        name=raw.get("name") or directory.name,
        description=_FOLDED_SPACE.sub("", raw.get("description") or ""),
        directory=directory,
        entry=raw.get("entry") or "speech.j2",
        schema=schema,
        origin=origin,
    )


def _with_base_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The manifest with the shared fields of templates/base/fields.yaml merged into `fields:`.

    Built-in and user packs alike declare their own fields and, of a shared field, only what
    they change (its help or example); the rest comes from base. Those up to base's
    `pack_fields_after` open the form, the others end it; a shared field the pack leaves out
    goes next to the shared fields it does place (after the one before it, else before the
    one after it), so the form's field order stays what the fully written manifests gave.
    """
    own = raw.get("fields")
    if not isinstance(own, dict):
        return raw  # load_pack explains the missing fields
    base_path = builtin_dir("templates") / "base" / "fields.yaml"
    base = parse_located(read_text(base_path, PACK_MANIFEST), str(base_path), PACK_MANIFEST).data
    shared: dict[str, Any] = base["fields"]
    keys = list(shared)
    split = keys.index(base["pack_fields_after"]) + 1
    order = list(own)
    for group, opens in ((keys[:split], True), (keys[split:], False)):
        for index, key in enumerate(group):
            if key in order:
                continue
            before = [k for k in group[:index] if k in order]
            after = [k for k in group[index + 1 :] if k in order]
            if before:
                place = order.index(before[-1]) + 1
            elif after:
                place = order.index(after[0])
            else:
                place = 0 if opens else len(order)
            order.insert(place, key)
    # An override that is not a mapping stays as written, for parse_fields to report.
    fields = {
        key: {**shared[key], **(own.get(key) or {})}
        if key in shared and isinstance(own.get(key) or {}, dict)
        else own[key]
        for key in order
    }
    return {**raw, "fields": fields}
