"""`drafter schema`: a JSON Schema with Chinese help, agreeing with drafter's own validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from drafter.config.located_yaml import load_located

from .conftest import EXAMPLE, MINIMAL, run_cli
from .test_scaffold import BUILTIN_PACKS, scaffold


def schema_of(template: str) -> dict[str, Any]:
    result = run_cli("schema", template)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return schema_of("review-commentary")


def errors(schema: dict[str, Any], data: Any) -> list[jsonschema.ValidationError]:
    return list(jsonschema.Draft7Validator(schema).iter_errors(data))


def test_schema_is_a_valid_draft_07_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("form", [EXAMPLE, MINIMAL], ids=lambda p: p.name)
def test_shipped_forms_satisfy_the_schema(schema: dict[str, Any], form: Path) -> None:
    assert errors(schema, load_located(form).data) == []


def test_numbers_where_text_is_expected_are_accepted_as_drafter_accepts_them(
    schema: dict[str, Any],
) -> None:
    data = load_located(EXAMPLE).data
    data["meeting"]["name"] = 2021  # an editor reading YAML 1.2 sees a number
    assert errors(schema, data) == []


def test_misspelled_key_is_rejected(schema: dict[str, Any]) -> None:
    data = load_located(EXAMPLE).data
    data["achievments"] = data.pop("achievements")
    found = {(e.validator, e.message) for e in errors(schema, data)}
    assert (
        "additionalProperties",
        "Additional properties are not allowed ('achievments' was unexpected)",
    ) in found
    assert ("required", "'achievements' is a required property") in found


def test_misspelled_nested_key_is_rejected(schema: dict[str, Any]) -> None:
    data = load_located(EXAMPLE).data
    data["measures"]["sections"][0]["points"][0]["piont"] = "x"
    [error] = errors(schema, data)
    assert error.validator == "additionalProperties"
    assert list(error.absolute_path) == ["measures", "sections", 0, "points", 0]


def test_empty_achievements_and_wrong_types_are_rejected(schema: dict[str, Any]) -> None:
    data = load_located(EXAMPLE).data
    data["achievements"] = []
    data["meeting"]["name"] = ["a", "b"]
    data["assessment"]["impressions"] = {"a": "b"}
    failing = {tuple(e.absolute_path) for e in errors(schema, data)}
    assert failing == {("achievements",), ("meeting", "name"), ("assessment", "impressions")}


def test_fields_carry_chinese_titles_descriptions_and_examples(schema: dict[str, Any]) -> None:
    organizer = schema["properties"]["meeting"]["properties"]["organizer"]
    assert organizer["title"] == "组织单位"
    assert organizer["description"].startswith("组织单位（选填）。用于“按照（组织单位）统一要求”")
    assert organizer["examples"] == ["区教育局党委"]
    name = schema["properties"]["meeting"]["properties"]["name"]
    assert name["description"].startswith("会议名称（必填）")
    assert schema["title"] == "述职评议点评讲话"
    thanks = schema["properties"]["thanks"]
    assert thanks["default"] == "谢谢大家！" and "选填" in thanks["description"]


def test_template_key_must_name_this_template(schema: dict[str, Any]) -> None:
    assert schema["properties"]["template"]["const"] == "review-commentary"
    assert "template" in schema["required"]


def test_screen_output_is_ascii_and_file_output_is_readable_utf8(tmp_path: Path) -> None:
    shown = run_cli("schema", "review-commentary").stdout
    assert shown.isascii()
    target = tmp_path / "review-commentary.schema.json"
    result = run_cli("schema", "review-commentary", "-o", target)
    assert result.exit_code == 0 and result.stdout.strip() == str(target)
    written = target.read_text(encoding="utf-8")
    assert "组织单位" in written
    assert json.loads(written) == json.loads(shown)


@pytest.mark.parametrize("template", BUILTIN_PACKS)
def test_every_packs_scaffold_satisfies_its_schema(template: str, tmp_path: Path) -> None:
    data = load_located(scaffold(tmp_path, template)).data
    assert errors(schema_of(template), data) == []


def test_unknown_template_is_a_usage_error() -> None:
    result = run_cli("schema", "nope")
    assert result.exit_code == 2
    assert "没有名为 nope 的模板" in result.stderr
