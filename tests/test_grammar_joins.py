"""Every pack reads grammatically whatever the writer leaves out (issue 15).

Each built-in pack is rendered from its example form with many subsets of its optional
fields, every value of its choice fields, and every list cut (or repeated) to one, two and
three items. The optional fields come from the manifest, never from a hand list: a field
added to a pack is covered the day it is declared. Every optional field is both present
and absent in some combination; beyond that the subsets are a seeded sample, since all of
them would be millions. The text must hold none of the forbidden joins, and no series may
stop at its first member (a lone 一是, 一要, （一） or 一、).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from drafter.cn.ordinals import Marker
from drafter.config.located_yaml import parse_located
from drafter.lint.structure import count_claims, markers, numbering
from drafter.markup import parse_markup
from drafter.model import Document
from drafter.packs.fields import FieldSpec, validate
from drafter.packs.finder import find_pack
from drafter.packs.templating import render_speech
from drafter.readers.paragraphs import block_text

from .conftest import CONFIGS, ROOT

PACKS = sorted(p.parent.name for p in (ROOT / "templates").glob("*/template.yaml"))
NOT_PRINTED = {"template", "unplaced"}  # fields no template prints
LIST = "[]"  # a path step that means "in every item of the list"
Path_ = tuple[str, ...]

# Joins a careful reader stops at: doubled or clashing punctuation, empty quotes and
# brackets, template or Python leftovers, and the fixed phrases that join badly (issue 15).
FORBIDDEN = re.compile(
    r"[。，、；：][。，、；]|：：|[，、；]："  # 。。 ，。 ：。 ，， 、。 ；。 ：： ，：
    r"|「」|“”|（）|【|】|……"  # empty quotes or brackets, placeholders
    r"|  |\u3000"  # double or full-width spaces inside a paragraph
    r"|None|none|True|False|\{\{|\}\}|\{%|%\}|<|>"  # leftovers of the template
    r"|对这些问题，必须引起"  # 句式杂糅 when the impact is left out
    r"|(?:感到|感觉|总的看|总体看)，[^。]*。主要呈现出"  # 主要呈现出 with no subject
    r"|^主要呈现出|^主要有以下|^特别是|^又如|^再如"  # a paragraph opening with no antecedent
    r"|，主要是：|主要是：一是"  # 主要是 runs on, 主要表现在： lists
    r"|以下一个|以下一点|以下一项|以下一条"  # counts of one read 以下…
)
LIST_LENGTHS = (1, 2, 3)
SAMPLES = 12  # random subsets per pack and list length, on top of the systematic ones


def optional_paths(spec: FieldSpec, prefix: Path_ = ()) -> Iterator[tuple[Path_, FieldSpec]]:
    """Every optional field the template prints, inside objects and list items too."""
    for child in spec.fields:
        if child.key in NOT_PRINTED:
            continue
        path = (*prefix, child.key)
        if not child.required:
            yield path, child
        if child.type == "object":
            yield from optional_paths(child, path)
        elif child.type == "list" and child.item is not None and child.item.type == "object":
            yield from optional_paths(child.item, (*path, LIST))


def choice_paths(spec: FieldSpec, prefix: Path_ = ()) -> Iterator[tuple[Path_, FieldSpec]]:
    """Every choice field, with the values the manifest lists."""
    for path, child in optional_paths(spec, prefix):
        if child.type == "choice":
            yield path, child


def sample_value(spec: FieldSpec) -> Any:
    """A value for a field the example form leaves out, built from the manifest's examples."""
    if spec.type == "object":
        return {
            child.key: sample_value(child) for child in spec.fields if child.key not in NOT_PRINTED
        }
    if spec.type == "list":
        assert spec.item is not None
        if isinstance(spec.example, list):
            return list(spec.example)
        return [sample_value(spec.item)]
    if spec.type == "choice":
        return spec.default or spec.choices[0][0]
    if spec.type == "bool":
        return "是"
    if spec.example is not None:
        return spec.example
    return spec.default if spec.default is not None else f"{spec.label}的内容"


def filled(data: Any, spec: FieldSpec) -> Any:
    """The example form with every field the manifest declares filled in."""
    if spec.type == "object":
        out = dict(data) if isinstance(data, dict) else {}
        for child in spec.fields:
            if child.key in NOT_PRINTED:
                continue
            if out.get(child.key) in (None, "", []):
                out[child.key] = sample_value(child)
            else:
                out[child.key] = filled(out[child.key], child)
        return out
    if spec.type == "list" and spec.item is not None and spec.item.type == "object":
        return [filled(item, spec.item) for item in data]
    return data


def without(data: Any, path: Path_) -> None:
    """Remove the field at `path` (in every item where the path goes through a list)."""
    if isinstance(data, list):
        for item in data:
            without(item, path)
        return
    if not isinstance(data, dict) or path[0] not in data:
        return
    if len(path) == 1:
        del data[path[0]]
        return
    rest = path[1:]
    if rest and rest[0] == LIST:
        rest = rest[1:]
    without(data[path[0]], rest)


def set_value(data: Any, path: Path_, value: Any) -> None:
    """Set the field at `path` (in every item where the path goes through a list)."""
    if isinstance(data, list):
        for item in data:
            set_value(item, path, value)
        return
    if not isinstance(data, dict) or (len(path) > 1 and path[0] not in data):
        return
    if len(path) == 1:
        data[path[0]] = value
        return
    rest = path[1:]
    if rest and rest[0] == LIST:
        rest = rest[1:]
    set_value(data[path[0]], rest, value)


def with_lists_of(data: Any, length: int) -> Any:
    """Every list of the form cut to `length` items, or its items repeated up to it."""
    if isinstance(data, dict):
        return {key: with_lists_of(value, length) for key, value in data.items()}
    if isinstance(data, list) and data:
        items = [with_lists_of(item, length) for item in data]
        return [copy.deepcopy(items[i % len(items)]) for i in range(length)]
    return data


def combinations(pack_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, form data): full, bare, each optional field out of the full form and into the
    bare one, every choice value, and seeded random subsets — each with lists of 1, 2, 3."""
    schema = find_pack(pack_id).schema
    example = yaml.safe_load((CONFIGS / f"{pack_id}.example.yaml").read_text(encoding="utf-8"))
    full = filled(example, schema)
    optional = list(optional_paths(schema))
    paths = [path for path, _ in optional]

    def keeping(kept: set[Path_]) -> dict[str, Any]:
        data = copy.deepcopy(full)
        for path in sorted(paths, key=len, reverse=True):
            if path not in kept:
                without(data, path)
        return data

    everything = set(paths)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("全部", keeping(everything)),
        ("最少", keeping(set())),
    ]
    for path in paths:
        name = ".".join(path)
        ancestors = {p for p in paths if path[: len(p)] == p}
        cases.append((f"去掉 {name}", keeping(everything - {path})))
        cases.append((f"只有 {name}", keeping(ancestors)))
    for path, spec in choice_paths(schema):
        for value, _meaning in spec.choices:
            for base_name, base in (("全部", everything), ("最少", {path})):
                data = keeping(base)
                set_value(data, path, value)
                cases.append((f"{base_name} {'.'.join(path)}={value}", data))
    chance = random.Random(pack_id)
    for n in range(SAMPLES):
        kept = {path for path in paths if chance.random() < 0.5}
        data = keeping(kept)
        for path, spec in choice_paths(schema):
            set_value(data, path, chance.choice(spec.choices)[0])
        cases.append((f"随机 {n}", data))
    for name, data in cases:
        for length in LIST_LENGTHS:
            yield f"{name} 列表{length}项", with_lists_of(data, length)


def draft(pack_id: str, data: dict[str, Any]) -> tuple[str, Document]:
    """The speech markup and document a form's data gives, without writing a file."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    form = parse_located(text, "form.yaml")
    pack = find_pack(pack_id)
    markup = render_speech(pack, validate(form, pack.schema))
    return markup, parse_markup(markup)


def lone_series(found: list[Marker]) -> list[str]:
    """Series that stop at their first member: 一是 with no 二是 before the series could go on."""
    lone: list[str] = []
    for i, first in enumerate(found):
        if first.number != 1 or first.kind not in ("h1", "h2", "cn"):
            continue
        for later in found[i + 1 :]:
            if later.series == first.series and later.number == 2:
                break
            ends = {"h1": (), "h2": ("h1",), "cn": ("h1", "h2")}[first.kind]
            if later.kind in ends or (later.series == first.series and later.number == 1):
                lone.append(first.label)
                break
        else:
            if not any(m.series == first.series and m.number == 2 for m in found[i + 1 :]):
                lone.append(first.label)
    return lone


def problems(markup: str, document: Document) -> list[str]:
    """What a careful reader would stop at in one rendered speech."""
    found: list[str] = []
    for block in document.blocks:
        text = block_text(block)
        found.extend(f"「{m.group(0)}」 in {text[:40]}" for m in FORBIDDEN.finditer(text))
        if text != text.strip():
            found.append(f"blank at an end: {text[:40]}")
    day = dt.date(2026, 1, 1)
    found.extend(f"numbering: {hit}" for hit in numbering(document, day))
    found.extend(f"count: {hit.params}" for hit in count_claims(document, day))
    found.extend(f"lone {label}" for label in lone_series(markers(document)))
    if "{{" in markup or "{%" in markup:
        found.append("template source in the markup")
    return found


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_combination_of_optional_fields_reads_grammatically(pack_id: str) -> None:
    failures: dict[str, list[str]] = {}
    for name, data in combinations(pack_id):
        markup, document = draft(pack_id, data)
        found = problems(markup, document)
        if found:
            failures[name] = found
    assert failures == {}


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_optional_field_is_both_present_and_absent(pack_id: str) -> None:
    schema = find_pack(pack_id).schema
    names = [name for name, _ in combinations(pack_id)]
    for path, _spec in optional_paths(schema):
        field = ".".join(path)
        assert f"去掉 {field} 列表1项" in names and f"只有 {field} 列表1项" in names


def test_the_repeated_actor_is_referred_back_to() -> None:
    """The reporters are named once; the problems paragraph says 大家 (or the form's 简称)."""
    example = yaml.safe_load(
        (CONFIGS / "review-commentary.example.yaml").read_text(encoding="utf-8")
    )
    example["meeting"].pop("called", None)
    _markup, document = draft("review-commentary", example)
    text = "".join(block_text(block) for block in document.blocks)
    assert text.count(example["meeting"]["reporters"]) == 1
    assert "刚才大家也都分别查摆了" in text


def test_the_forbidden_joins_catch_what_the_issue_names() -> None:
    for bad in (
        "对这些问题，必须引起高度重视。",
        "总的感到，大家准备得很充分。主要呈现出以下特点：",
        "成效显著。。",
        "有关内容，。",
        "集中表现在：。",
        "按照「」统一要求",
        "今天  召开",
        "None",
        "{{ meeting.name }}",
    ):
        assert FORBIDDEN.search(bad), bad


def test_a_lone_first_member_is_found() -> None:
    document = parse_markup("<p><lead>一是唯一一条。</lead>内容。</p><p>后文。</p>")
    assert lone_series(markers(document)) == ["一是"]
    document = parse_markup("<p><lead>一是甲。</lead><lead>二是乙。</lead></p>")
    assert lone_series(markers(document)) == []
