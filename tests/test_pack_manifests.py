"""Built-in manifests: what each pack's form looks like stays as it was when shared fields moved to base.

The golden files in tests/golden/packs/ hold every built-in pack's merged field schema and
its `drafter new` form as they were before the shared fields (title, speaker, date,
salutation, closing, thanks) moved into templates/base/fields.yaml; field order, labels,
help and examples drive `drafter new`, `drafter schema`, `drafter templates` and messages.
A change that alters them on purpose regenerates them with
`DRAFTER_WRITE_GOLDEN=1 python -m pytest tests/test_pack_manifests.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from drafter.infra.resources import builtin_dir
from drafter.packs.fields import FieldSpec
from drafter.packs.finder import BUILTIN, load_pack
from drafter.packs.scaffold import scaffold_form

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "packs"
WRITE = bool(os.environ.get("DRAFTER_WRITE_GOLDEN"))
BUILTIN_PACKS = sorted(p.parent.name for p in builtin_dir("templates").glob("*/template.yaml"))


def _declared(spec: FieldSpec) -> dict[str, Any]:
    """What a manifest declares about a field (attributes added to FieldSpec later left out)."""
    return {
        "key": spec.key,
        "label": spec.label,
        "type": spec.type,
        "required": spec.required,
        "help": spec.help,
        "example": spec.example,
        "default": spec.default,
        "min_items": spec.min_items,
        "item": _declared(spec.item) if spec.item else None,
        "fields": [_declared(child) for child in spec.fields],
    }


def _matches_golden(name: str, produced: str) -> None:
    golden = GOLDEN / name
    if WRITE:
        golden.write_text(produced, encoding="utf-8", newline="\n")
    assert produced == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("pack_id", BUILTIN_PACKS)
def test_merged_schema_is_unchanged(pack_id: str) -> None:
    pack = load_pack(builtin_dir("templates") / pack_id, BUILTIN)
    produced = json.dumps(_declared(pack.schema), ensure_ascii=False, indent=1) + "\n"
    _matches_golden(f"{pack_id}.schema.json", produced)


@pytest.mark.parametrize("pack_id", BUILTIN_PACKS)
def test_new_form_is_unchanged(pack_id: str) -> None:
    pack = load_pack(builtin_dir("templates") / pack_id, BUILTIN)
    _matches_golden(f"{pack_id}.new.yaml", scaffold_form(pack, "讲话.yaml"))
