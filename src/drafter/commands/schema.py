"""`drafter schema`: the JSON Schema of a template's form, for editor completion."""

from __future__ import annotations

import json
from pathlib import Path

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


def write_schema(template: str, target: Path) -> Path:
    """Write the schema as UTF-8 to `target` (replacing an older one) and return the path."""
    write_atomically(target, schema_text(template).encode("utf-8"))
    return target
