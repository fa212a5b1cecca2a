from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafter.config.located_yaml import load_located
from drafter.errors import ValidationError
from drafter.packs.fields import validate
from drafter.packs.finder import find_pack

FormMaker = Callable[..., Path]


def problems(path: Path) -> list[str]:
    form = load_located(path)
    with pytest.raises(ValidationError) as caught:
        validate(form, find_pack("review-commentary").schema)
    return [f"{d.line}:{d.column} {d.message}" for d in caught.value.diagnostics]


def lines_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_example_form_is_valid(make_form: FormMaker) -> None:
    data = validate(load_located(make_form()), find_pack("review-commentary").schema)
    assert data["meeting"]["organizer"] == "XXX党委"
    assert data["thanks"] == "谢谢大家！"
    assert str(data["date"]) == "2021-01-26"


def test_missing_required_field_names_its_chinese_label(make_form: FormMaker) -> None:
    path = make_form(lambda d: d["meeting"].pop("name"))
    [message] = problems(path)
    assert "缺少必填项" in message and "会议名称" in message and "name" in message
    assert message.startswith(f"{lines_of(path, 'meeting:')}:")


def test_unknown_key_suggests_the_field_it_resembles(make_form: FormMaker) -> None:
    def typo(data: dict[str, Any]) -> None:
        data["achievments"] = data.pop("achievements")

    path = make_form(typo)
    found = problems(path)
    assert any("achievments" in m and "是否想写 achievements" in m for m in found)
    assert any("缺少必填项「主要成绩（achievements）」" in m for m in found)


def test_key_at_the_wrong_level_says_where_it_belongs(make_form: FormMaker) -> None:
    path = make_form(lambda d: d.update(topic="抓党建"))
    [message] = problems(path)
    assert "meeting.topic" in message


def test_mapping_where_a_list_is_expected_says_so_in_chinese(make_form: FormMaker) -> None:
    path = make_form(lambda d: d["assessment"].update(impressions={"a": "b"}))
    [message] = problems(path)
    assert "应为列表" in message and "条目" in message


def test_list_where_text_is_expected_is_an_error(make_form: FormMaker) -> None:
    path = make_form(lambda d: d["meeting"].update(name=["a", "b"]))
    [message] = problems(path)
    assert "应为文本" in message and "列表" in message


def test_single_phrase_where_a_list_of_phrases_is_expected_is_a_list_of_one(
    make_form: FormMaker,
) -> None:
    path = make_form(lambda d: d["assessment"].update(impressions="大家准备得很充分"))
    data = validate(load_located(path), find_pack("review-commentary").schema)
    assert data["assessment"]["impressions"] == ["大家准备得很充分"]


def test_number_where_text_is_expected_is_accepted(make_form: FormMaker) -> None:
    path = make_form(lambda d: d["meeting"].update(name=2021))
    data = validate(load_located(path), find_pack("review-commentary").schema)
    assert data["meeting"]["name"] == "2021"


def test_empty_achievements_list_is_an_error(make_form: FormMaker) -> None:
    path = make_form(lambda d: d.update(achievements=[]))
    [message] = problems(path)
    assert "至少要填写 1 项" in message and "主要成绩" in message


def test_nested_item_problem_names_its_position(make_form: FormMaker) -> None:
    path = make_form(lambda d: d["achievements"][1]["examples"][0].pop("who"))
    [message] = problems(path)
    assert "主要成绩 › 第 2 项 › 典型事例 › 第 1 项 › 人物（who）" in message


def test_bad_date_is_explained(make_form: FormMaker) -> None:
    path = make_form(lambda d: d.update(date="2021-13-40"))
    [message] = problems(path)
    assert "不是有效日期" in message


@pytest.mark.parametrize("written", ["2021年1月26日", "2021/1/26", "2021.01.26"])
def test_dates_written_the_chinese_way_are_accepted(make_form: FormMaker, written: str) -> None:
    path = make_form(lambda d: d.update(date=written))
    data = validate(load_located(path), find_pack("review-commentary").schema)
    assert str(data["date"]) == "2021-01-26"


@pytest.mark.parametrize(
    ("written", "expected"), [("否", None), ("false", None), ("谢谢！", "谢谢！")]
)
def test_thanks_can_be_dropped_or_replaced(
    make_form: FormMaker, written: str, expected: str | None
) -> None:
    path = make_form(lambda d: d.update(thanks=written))
    assert validate(load_located(path), find_pack("review-commentary").schema)["thanks"] == expected


def test_all_problems_are_reported_at_once_in_line_order(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "template: review-commentary\n"
        "meeting:\n"
        "  organizer: XXX党委\n"
        "  name: 会议\n"
        "  reporters: 各位书记\n"
        "  topic: 党建\n"
        "  name: 又一个会议\n"
        "assessment:\n"
        "  impressions: {很好: 是}\n"
        "achievment:\n"
        "  - point: 成绩\n"
        "problems:\n"
        "  items:\n"
        "    - point: 问题\n"
        "measures:\n"
        "  theme: 主题\n"
        "  sections:\n"
        "    - heading: 标题\n"
        "      points:\n"
        "        - point: 要点\n",
        encoding="utf-8",
    )
    found = problems(path)
    assert [m.split(" ")[0] for m in found] == ["1:1", "7:3", "9:16", "10:1"]
    assert "重复的键 name" in found[1]
    assert "应为列表" in found[2]
    assert "是否想写 achievements" in found[3]
    assert "缺少必填项「主要成绩（achievements）」" in found[0]


def test_item_written_as_plain_text_says_how_to_write_an_item(make_form: FormMaker) -> None:
    path = make_form(lambda d: d.update(achievements=["党建责任落实到位"]))
    [message] = problems(path)
    assert "「主要成绩 › 第 1 项（achievements）」应为条目（键: 值），这里写成了文本" in message
    assert "如“point: ……”" in message and "point（成绩要点）" in message


def test_item_key_with_a_full_width_colon_is_explained(make_form: FormMaker) -> None:
    path = make_form(lambda d: d["problems"].update(items=["point： 压力传导不够"]))
    [message] = problems(path)
    assert "应为条目" in message and "键 point 后面用了中文冒号“：”" in message


def test_key_outdented_into_the_wrong_list_names_the_nearest_place_it_belongs(
    make_form: FormMaker,
) -> None:
    def outdent(data: dict[str, Any]) -> None:
        data["measures"]["sections"].append({"point": "抓早抓小"})

    found = problems(make_form(outdent))
    assert any("它应写在 measures.sections.points.point 的位置" in m for m in found)
