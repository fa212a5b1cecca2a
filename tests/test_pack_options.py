"""Choices inside packs (issue 16): a choice field in the manifest, and the variants it selects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafter.model import Heading, Paragraph
from drafter.pipeline import draft_speech

from .conftest import CONFIGS, run_cli, write_variant


def text_of(tmp_path: Path, example: str, edit: Any) -> str:
    form = write_variant(CONFIGS / f"{example}.yaml", tmp_path / "form.yaml", edit)
    blocks = draft_speech(form).document.blocks
    return "\n".join(b.text for b in blocks if isinstance(b, Heading | Paragraph))


def test_a_value_not_among_the_choices_is_a_located_error_naming_them(tmp_path: Path) -> None:
    form = write_variant(
        CONFIGS / "review-commentary.example.yaml",
        tmp_path / "form.yaml",
        lambda d: d["meeting"].update(opening="根据会议按排"),
    )
    result = run_cli("render", form, "-o", tmp_path)
    assert result.exit_code == 2
    assert "「会议情况 › 开场方式（opening）」应为 按照统一要求、" in result.stderr
    assert "是否想写 根据会议安排？" in result.stderr
    line = next(
        n
        for n, text in enumerate(form.read_text(encoding="utf-8").splitlines(), 1)
        if "opening:" in text
    )
    assert f"form.yaml:{line}:" in result.stderr


def test_choices_reach_the_schema_the_new_form_and_the_field_list(tmp_path: Path) -> None:
    schema = json.loads(run_cli("schema", "review-commentary").stdout)
    opening = schema["properties"]["meeting"]["properties"]["opening"]
    assert opening["enum"][:2] == ["按照统一要求", "按照统一部署"] and opening["enum"][-1] is None
    assert opening["default"] == "按照统一要求"
    form = tmp_path / "f.yaml"
    assert run_cli("new", "review-commentary", "-o", form).exit_code == 0
    text = form.read_text(encoding="utf-8-sig")
    assert "#   受委托：受（组织单位）委托，我参加今天的（会议名称）" in text
    assert "讲话人身份（选填，不填时为“本级”；填“本级”或“上级”）" in text
    listed = run_cli("templates", "democratic-life-commentary").stdout
    assert "选项（年度、巡察整改、主题教育）" in listed


def test_a_manifest_choice_default_outside_its_choices_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "templates" / "mine"
    pack.mkdir(parents=True)
    (pack / "template.yaml").write_text(
        "id: mine\nname: 我的讲话\nfields:\n  tone:\n    label: 语气\n    type: choice\n"
        "    default: 严肃\n    choices:\n      亲切: 亲切的\n      平实: 平实的\n",
        encoding="utf-8",
    )
    (pack / "speech.j2").write_text(
        '{% extends "base/speech.j2" %}{% block default_title %}讲话{% endblock %}',
        encoding="utf-8",
    )
    form = tmp_path / "form.yaml"
    form.write_text("template: mine\n", encoding="utf-8")
    result = run_cli("render", form, "-o", tmp_path)
    assert result.exit_code == 2
    assert "字段 tone 的默认值不在可选值（choices）之中" in result.stderr


@pytest.mark.parametrize(
    ("standing", "source", "expected"),
    [
        ("本级", "述职人查摆", "我们的工作仍存在不少差距和不足。刚才大家也都分别查摆了"),
        ("上级", "点评人发现", "大家的工作仍存在不少差距和不足。结合平时掌握的情况，集中表现在："),
        (
            "本级",
            "两者结合",
            "我们的工作仍存在不少差距和不足。结合述职和平时掌握的情况，集中表现在：",
        ),
    ],
)
def test_standing_and_problem_source_change_the_problems_paragraph(
    tmp_path: Path, standing: str, source: str, expected: str
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"].update(standing=standing, on_behalf="市委督导组")
        data["problems"]["source"] = source

    text = text_of(tmp_path, "review-commentary.example", edit)
    assert expected in text
    speaks = "我代表市委督导组讲三点意见。" if standing == "上级" else "，我讲三点意见。"
    assert speaks in text


def test_assessment_verb_and_attribution(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["assessment"].update(verb="总体感觉", attribution="各位书记认真履职尽责")

    text = text_of(tmp_path, "review-commentary.example", edit)
    assert "进行了述职，总体感觉，大家准备得很充分" in text and "总的感到" not in text
    assert "这些成绩的取得，是各位书记认真履职尽责的结果。" in text  # no 的结果的结果
    assert "结果的结果" not in text


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("巡察整改", "代表领导班子通报了落实县委第三巡察组反馈意见的整改情况，作了对照检查"),
        ("主题教育", "大家紧扣主题教育目标要求，联系思想和工作实际"),
    ],
)
def test_democratic_life_special_meetings(tmp_path: Path, kind: str, expected: str) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"].update(kind=kind, inspection="县委第三巡察组")
        data["requirements"].pop("heading", None)
        data["requirements"].pop("intro", None)

    text = text_of(tmp_path, "democratic-life-commentary.example", edit)
    assert expected in text
    assert "这次专题民主生活会" in text
    assert ("巡察整改" in text.split("三、")[1]) == (kind == "巡察整改")


def test_commendation_occasion_relay_and_more_sections(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"]["occasion"] = "第41个教师节到来"
        data["relay"] = "前不久召开的全市教育大会，对加快建设教育强市作出了全面部署"
        data["sections"] = [
            {
                "heading": "加强组织领导",
                "points": [{"point": "加大宣传力度"}, {"point": "落实待遇"}],
            }
        ]

    text = text_of(tmp_path, "commendation-speech.example", edit)
    assert text.startswith("在第41个教师节到来之际，我们隆重召开")
    assert "作出了全面部署。借此机会，我讲四点意见。" in text
    assert "\n四、加强组织领导\n" in text and "二要落实待遇。" in text


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("org-life-commentary.example", "下面，我再强调三点意见。"),
        ("democratic-life-commentary.example", "下面，我代表县委第二督导组，再强调三点意见。"),
        ("review-commentary-3part.example", "下面，结合大家的述职情况，我再强调三点意见。"),
    ],
)
def test_after_a_previous_speaker_the_speech_endorses_and_stresses(
    tmp_path: Path, example: str, expected: str
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"]["previous"] = "王明同志作了点评"

    text = text_of(tmp_path, example, edit)
    assert "刚才，王明同志作了点评，讲得很好，我完全同意。" in text
    assert expected in text
