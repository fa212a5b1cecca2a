"""`drafter schema`: the JSON Schema of a template's form, for editor completion."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import OutputError
from ..infra.output import write_atomically
from ..packs.finder import find_pack
from ..packs.json_schema import json_schema


def schema_text(template: str, *, ascii_only: bool = False) -> str:
    """The pack's form schema as indented JSON (Chinese kept, or escaped as \\uXXXX)."""
    pack = find_pack(template)
    schema = json_schema(
        pack.schema, template_id=pack.id, title=pack.name, description=pack.description
    )
    return json.dumps(schema, ensure_ascii=ascii_only, indent=2) + "\n"


def write_schema(template: str, target: Path, *, force: bool = False) -> Path:
    """Write the schema as UTF-8 to `target` and return the path.

    An existing file is replaced only when it is a schema drafter wrote (or with `force`):
    `-o` pointing at the writer's filled form must not wipe it out.
    """
    text = schema_text(template)
    if not force and target.exists() and not _is_drafter_schema(target):
        raise OutputError(
            "这个文件已经存在，且不是 drafter 生成的 Schema；为免覆盖其中的内容，没有写入。"
            f"请换一个文件名（如 {target.with_suffix('.schema.json').name}），或加 --force 覆盖它",
            path=str(target),
        )
    write_atomically(target, text.encode("utf-8"))
    return target


def _is_drafter_schema(path: Path) -> bool:
    """Whether `path` holds a form schema as `drafter schema` writes it."""
    try:
        if not path.is_file() or path.stat().st_size > 10 * 1024 * 1024:
            return False
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    template = found.get("properties", {}).get("template") if isinstance(found, dict) else None
    return (
        isinstance(template, dict)
        and isinstance(template.get("const"), str)
        and str(found.get("$schema", "")).startswith("http")
    )
