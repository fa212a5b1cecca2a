"""The browser's data written into a form's text: only what changed changes, byte for byte."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from drafter.config.located_yaml import LocatedYamlLoader
from drafter.lint.form_source import form_pieces
from drafter.web.form_edit import (
    _Editor,
    edited_text,
    fresh_text,
    normalised,
    preview_text,
    read_data,
)

from .conftest import CONFIGS, EXAMPLE
from .test_fuzz_forms import FUZZ

TEXT = EXAMPLE.read_text(encoding="utf-8")


def edited(change: Any, text: str = TEXT) -> tuple[str, dict[str, Any]]:
    data = copy.deepcopy(read_data(text))
    change(data)
    out = edited_text(text, data)
    assert normalised(read_data(out)) == normalised(data)
    return out, data


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines only one side has (as sets: moves of whole lines count as unchanged)."""
    old, new = before.splitlines(), after.splitlines()
    return [line for line in old if line not in new], [line for line in new if line not in old]


def test_unchanged_data_gives_the_same_text() -> None:
    assert edited_text(TEXT, read_data(TEXT)) == TEXT


def test_a_changed_value_changes_only_its_own_characters() -> None:
    out, _ = edited(lambda d: d["meeting"].update(topic="抓党风廉政建设工作"))
    assert out == TEXT.replace("  topic: 抓基层党建工作\n", "  topic: 抓党风廉政建设工作\n")


def test_a_value_that_needs_quotes_is_quoted() -> None:
    out, _ = edited(lambda d: d.update(title="标题: 带冒号 # 和井号"))
    assert 'title: "标题: 带冒号 # 和井号"' in out


def test_an_added_list_item_is_inserted_after_the_last_one_in_the_same_layout() -> None:
    def add(data: dict[str, Any]) -> None:
        data["achievements"][0]["examples"].append({"who": "张三同志", "did": "做了实事"})

    out, _ = edited(add)
    removed, added = changed_lines(TEXT, out)
    assert removed == []
    assert added == ["      - who: 张三同志", "        did: 做了实事"]


def test_a_removed_item_takes_its_lines_and_leaves_the_comments_around() -> None:
    out, _ = edited(lambda d: d["achievements"].pop())
    removed, added = changed_lines(TEXT, out)
    assert added == [] and removed and all(not line.lstrip().startswith("#") for line in removed)
    assert [line for line in TEXT.splitlines() if line.startswith("#")] == [
        line for line in out.splitlines() if line.startswith("#")
    ]


def test_a_new_optional_field_is_added_and_an_emptied_one_keeps_its_key() -> None:
    def change(data: dict[str, Any]) -> None:
        data["speaker"] = "王五"
        data["meeting"]["purpose"] = ""

    out, _ = edited(change)
    assert "\nspeaker: 王五\n" in out
    assert "\n  purpose: \n" in out or "\n  purpose: ''\n" in out or '\n  purpose: ""\n' in out


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_line_ends_of_the_file_are_kept(newline: str) -> None:
    text = TEXT.replace("\n", newline)
    out, _ = edited(lambda d: d["achievements"][0]["examples"].pop(), text)
    assert out.count("\r\n") == (out.count("\n") if newline == "\r\n" else 0)


def test_a_flow_style_list_is_rewritten_correctly() -> None:
    text = "template: review-commentary\nassessment:\n  impressions: [一, 二]\n"
    out, _ = edited(lambda d: d["assessment"]["impressions"].append("三"), text)
    assert read_data(out)["assessment"]["impressions"] == ["一", "二", "三"]


def test_a_scalar_becomes_a_list_and_a_list_a_scalar() -> None:
    text = "template: x\nclosing: 一段\nthanks:\n  - 甲\n  - 乙\n# end\n"
    out, _ = edited(lambda d: d.update(closing=["一", "二"], thanks="谢谢"), text)
    assert out.endswith("# end\n")


def test_a_fresh_form_keeps_its_leading_comments() -> None:
    out = fresh_text("# 说明\n# 第二行\n\ntemplate: x\n", {"template": "y", "list": ["a"]})
    assert out == "# 说明\n# 第二行\n\ntemplate: y\nlist:\n  - a\n"


def test_a_new_item_leaves_out_the_fields_left_empty() -> None:
    def add(data: dict[str, Any]) -> None:
        data["achievements"].append({"point": "新的成绩", "detail": "", "examples": []})

    out, _ = edited(add)
    assert changed_lines(TEXT, out) == ([], ["  - point: 新的成绩"])


def test_a_paragraph_written_as_text_stays_text_when_untouched() -> None:
    text = "template: x\nclosing: 同志们，……  # 结束语\n"
    assert edited_text(text, read_data(text)) == text


def test_the_preview_text_locates_each_value_as_the_linter_would() -> None:
    data = read_data(TEXT)
    data["title"] = '带"引号"和\\反斜杠\n的标题'
    text, pieces = preview_text(data)
    assert pieces is not None and normalised(read_data(text)) == normalised(data)
    expected = form_pieces(text)
    assert [(p.text, p.key, p.exact) for p in pieces] == [
        (p.text, p.key, p.exact) for p in expected
    ]
    assert all(a.offsets == b.offsets for a, b in zip(pieces, expected, strict=True) if a.exact)


def test_the_preview_text_leaves_locating_to_the_linter_when_the_reader_would_remove_a_character() -> (
    None
):
    assert preview_text({"template": "x", "title": "标题\x85"})[1] is None


# What a browser can send: values changed (with YAML's symbols), emptied, lists grown,
# shrunk and reordered, keys removed or added, on every shipped form, LF or CRLF.
FORMS = [path.read_text(encoding="utf-8") for path in sorted(CONFIGS.glob("*.yaml"))]
VALUES = [
    "",
    None,
    "新值: 带冒号",
    "多行\n文字",
    "'引号'",
    "- 像列表",
    "#井号",
    ["甲", "乙"],
    {"k": "v"},
]


def _mutated(value: Any, chance: random.Random) -> Any:
    if isinstance(value, dict):
        for key in list(value):
            roll = chance.random()
            if roll < 0.1:
                del value[key]
            elif roll < 0.2:
                value[key] = copy.deepcopy(chance.choice(VALUES))
            else:
                value[key] = _mutated(value[key], chance)
        return value
    if isinstance(value, list):
        roll = chance.random()
        if roll < 0.2 and value:
            value.pop(chance.randrange(len(value)))
        elif roll < 0.4 and value:
            value.append(copy.deepcopy(chance.choice(value)))
        elif roll < 0.5:
            chance.shuffle(value)
        return [_mutated(item, chance) for item in value]
    if isinstance(value, str) and chance.random() < 0.3:
        return value + chance.choice(["改", " #注释", ": 冒号", "  ", "\\", '"'])
    return value


@FUZZ
@given(st.randoms(use_true_random=False), st.sampled_from(FORMS), st.booleans())
def test_any_change_a_browser_sends_is_written_in_place_and_reads_back(
    chance: random.Random, text: str, crlf: bool
) -> None:
    text = text.replace("\n", "\r\n") if crlf else text
    data = _mutated(copy.deepcopy(read_data(text)), chance)
    data.setdefault("template", "review-commentary")  # the page always sends the form's pack
    editor = _Editor(text, "\r\n" if crlf else "\n")
    editor.mapping(yaml.compose(text, Loader=LocatedYamlLoader), data)
    assert normalised(read_data(editor.result())) == normalised(data)
