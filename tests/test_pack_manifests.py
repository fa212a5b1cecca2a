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
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from drafter.config.located_yaml import load_located
from drafter.errors import TemplateError
from drafter.infra.resources import builtin_dir
from drafter.packs.fields import FieldSpec
from drafter.packs.finder import BUILTIN, load_pack
from drafter.packs.scaffold import scaffold_form

from .conftest import run_drafter

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
        **({"choices": dict(spec.choices)} if spec.choices else {}),
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


# ── Shared fields: declared once in templates/base/fields.yaml, inherited by every pack ──

SHARED = load_located(builtin_dir("templates") / "base" / "fields.yaml").data["fields"]


@pytest.mark.parametrize("pack_id", BUILTIN_PACKS)
def test_builtin_manifest_declares_of_a_shared_field_only_what_it_changes(pack_id: str) -> None:
    own = load_located(builtin_dir("templates") / pack_id / "template.yaml").data["fields"]
    for key in set(own) & set(SHARED):
        assert own[key], f"{pack_id} redeclares {key} without changing it"
        for name, value in own[key].items():
            assert value != SHARED[key].get(name), f"{pack_id} repeats {key}.{name} from base"


def _user_pack(workdir: Path, fields: str) -> Path:
    """A pack of the writer's own, on the base skeleton, with `fields` as its manifest's fields."""
    pack = workdir / "templates" / "mine"
    pack.mkdir(parents=True)
    manifest = f"id: mine\nname: 我的讲话\nfields:\n{textwrap.indent(fields, '  ')}"
    (pack / "template.yaml").write_text(manifest, encoding="utf-8")
    (pack / "speech.j2").write_text(
        '{% extends "base/speech.j2" %}\n'
        "{% block default_title %}在{{ meeting }}上的讲话{% endblock %}\n"
        "{% block body %}<p>今天召开{{ meeting }}。</p>{% endblock %}\n",
        encoding="utf-8",
    )
    return pack


def test_user_pack_inherits_the_shared_fields_in_their_places(tmp_path: Path) -> None:
    pack = load_pack(_user_pack(tmp_path, "meeting:\n  label: 会议名称\n"), "本地")
    keys = [spec.key for spec in pack.schema.fields]
    assert keys == [
        "template",
        *("title", "speaker", "date", "salutation"),
        "meeting",
        *("closing", "thanks"),
    ]
    thanks = pack.schema.child("thanks")
    assert thanks is not None
    assert (thanks.label, thanks.type, thanks.default) == ("致谢语", "toggle_text", "谢谢大家！")


def test_user_pack_overrides_a_shared_field_and_places_it(tmp_path: Path) -> None:
    fields = (
        "title:\n  help: 不填时写“在（会议名称）上的讲话”\n"
        "meeting:\n  label: 会议名称\n"
        "thanks:\n  default: 谢谢！\n"
        "note:\n  label: 备注\n"
    )
    pack = load_pack(_user_pack(tmp_path, fields), "本地")
    keys = [spec.key for spec in pack.schema.fields]
    expected = ["title", "speaker", "date", "salutation", "meeting", "closing", "thanks", "note"]
    assert keys[1:] == expected
    title = pack.schema.child("title")
    assert title is not None
    assert (title.label, title.help) == ("讲话标题", "不填时写“在（会议名称）上的讲话”")
    thanks = pack.schema.child("thanks")
    assert thanks is not None and (thanks.label, thanks.default) == ("致谢语", "谢谢！")


def test_user_pack_renders_the_inherited_fields(tmp_path: Path) -> None:
    _user_pack(tmp_path, "meeting:\n  label: 会议名称\n  required: true\n")
    form = tmp_path / "form.yaml"
    form.write_text(
        "template: mine\nspeaker: 张三\nsalutation: 同志们\nmeeting: 务虚会\n"
        "closing: 让我们共同努力\n",
        encoding="utf-8",
    )
    result = run_drafter("render", "form.yaml", "-f", "txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "output" / "form.txt").read_text(encoding="utf-8")
    lines = [line.strip("\u3000") for line in text.splitlines() if line.strip()]
    assert lines[:2] == ["在务虚会上的讲话", "张三"]
    assert "同志们：" in lines
    assert lines[-2:] == ["让我们共同努力。", "谢谢大家！"]


@pytest.mark.parametrize("pack_id", BUILTIN_PACKS)
def test_pack_copied_with_every_shared_field_written_out_reads_the_same(
    tmp_path: Path, pack_id: str
) -> None:
    """A writer's copy made before the shared fields moved to base declares them all in full."""
    builtin = load_pack(builtin_dir("templates") / pack_id, BUILTIN)
    copy = tmp_path / pack_id
    shutil.copytree(builtin_dir("templates") / pack_id, copy)
    written_out = {
        "fields": {
            spec.key: _manifest_field(spec) for spec in builtin.schema.fields[1:]
        }  # every field in full, in the form's order, as the old manifests had them
    }
    (copy / "template.yaml").write_text(
        yaml.safe_dump(written_out, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    copied = load_pack(copy, "本地")
    assert [_declared(f) for f in copied.schema.fields] == [
        _declared(f) for f in builtin.schema.fields
    ]


def _manifest_field(spec: FieldSpec) -> dict[str, Any]:
    """A FieldSpec written back as a manifest's field declaration."""
    body: dict[str, Any] = {"label": spec.label, "type": spec.type}
    if spec.required:
        body["required"] = True
    for name in ("help", "example", "default"):
        if getattr(spec, name) not in (None, ""):
            body[name] = getattr(spec, name)
    if spec.choices:
        body["choices"] = dict(spec.choices)
    if spec.item is not None:
        body["item"] = _manifest_field(spec.item)
    if spec.fields:
        body["fields"] = {child.key: _manifest_field(child) for child in spec.fields}
    return body


def test_a_shared_field_overridden_with_plain_text_is_reported_at_its_line(
    tmp_path: Path,
) -> None:
    pack = _user_pack(tmp_path, "meeting:\n  label: 会议名称\ntitle: 讲话标题\n")
    with pytest.raises(TemplateError) as caught:
        load_pack(pack, "本地")
    [problem] = caught.value.diagnostics
    assert (problem.path, problem.line) == (str(pack / "template.yaml"), 6)
    assert "字段 title 的定义应为条目" in problem.message
