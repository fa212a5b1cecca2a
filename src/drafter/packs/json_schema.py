"""The JSON Schema of a template's form, from the same FieldSpec declaration drafter validates.

Editors' YAML plug-ins (yaml-language-server) read draft-07 and show each field's Chinese
title and description on completion and hover; `additionalProperties: false` underlines a
misspelled key as drafter itself would report it.
"""

from __future__ import annotations

from typing import Any

from ..config.options import DATE, NO_WORDS, YES_WORDS
from .fields import FieldSpec, field_note, tidy_prose

JSON_SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"  # the newest YAML plug-ins read
# drafter reads every scalar as text, but editors read YAML 1.2, where 2021 is a number.
_SCALAR = ["string", "number", "boolean"]
_BOOL_WORDS = [True, False, 1, 0, *sorted(YES_WORDS - {"1"}), *sorted(NO_WORDS - {"0"})]


def json_schema(
    root: FieldSpec, *, template_id: str, title: str, description: str = ""
) -> dict[str, Any]:
    """A JSON Schema of the form `root` declares, with the fields' Chinese labels and help."""
    body = _object_schema(root)
    body["properties"]["template"] = {
        **body["properties"].get("template", {}),
        "const": template_id,
    }
    return {
        "$schema": JSON_SCHEMA_DRAFT,
        "title": title,
        "description": tidy_prose(description),
        **body,
    }


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"title": spec.label, "description": _description(spec)}
    out.update(_TYPE_SCHEMAS[spec.type](spec))
    if spec.example is not None:
        out["examples"] = [spec.example]
    if spec.default is not None:
        out["default"] = spec.default
    return out


def _description(spec: FieldSpec) -> str:
    parts = [f"{spec.label}（{field_note(spec)}）", tidy_prose(spec.help)]
    if isinstance(spec.example, str):
        parts.append(f"例：{spec.example}")
    return "。".join(part.rstrip("。") for part in parts if part) + "。"


def _nullable(spec: FieldSpec, types: list[str]) -> list[str]:
    return types if spec.required else [*types, "null"]


def _text_schema(spec: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _nullable(spec, _SCALAR)}
    if spec.required:
        out["pattern"] = r"\S"  # blank text counts as missing
    return out


def _date_schema(spec: FieldSpec) -> dict[str, Any]:
    return {"type": _nullable(spec, ["string"]), "pattern": DATE.pattern}


def _bool_schema(spec: FieldSpec) -> dict[str, Any]:
    return {"enum": _BOOL_WORDS if spec.required else [*_BOOL_WORDS, None]}


def _toggle_schema(spec: FieldSpec) -> dict[str, Any]:
    return {"type": [*_SCALAR, "null"]}


def _choice_schema(spec: FieldSpec) -> dict[str, Any]:
    values: list[str | None] = [key for key, _ in spec.choices]
    return {"enum": values if spec.required else [*values, None]}


def _paragraphs_schema(spec: FieldSpec) -> dict[str, Any]:
    return {"type": _nullable(spec, [*_SCALAR, "array"]), "items": {"type": _SCALAR}}


def _list_schema(spec: FieldSpec) -> dict[str, Any]:
    assert spec.item is not None
    types = ["array", *_SCALAR] if spec.item.type == "text" else ["array"]
    out: dict[str, Any] = {"type": _nullable(spec, types), "items": _field_schema(spec.item)}
    if spec.min_items:
        out["minItems"] = spec.min_items
    return out


def _object_schema(spec: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object" if spec.required or not spec.key else ["object", "null"],
        "properties": {field.key: _field_schema(field) for field in spec.fields},
        "additionalProperties": False,
    }
    required = [field.key for field in spec.fields if field.required]
    if required:
        out["required"] = required
    return out


_TYPE_SCHEMAS = {
    "text": _text_schema,
    "date": _date_schema,
    "bool": _bool_schema,
    "toggle_text": _toggle_schema,
    "choice": _choice_schema,
    "paragraphs": _paragraphs_schema,
    "list": _list_schema,
    "object": _object_schema,
}
