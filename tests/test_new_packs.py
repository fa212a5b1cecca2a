"""The packs of issue 16: 一述一评, 观摩点评, 工作部署 — their examples and the shapes they take."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafter.model import Document, Heading, Paragraph
from drafter.pipeline import draft_speech

from .conftest import CONFIGS, ROOT, write_variant
from .test_packs import LEFTOVER, numbering_problems

NEW_PACKS = ["review-one-by-one", "inspection-commentary", "work-deployment"]


def render(tmp_path: Path, pack: str, edit: Any = None) -> Document:
    form = CONFIGS / f"{pack}.example.yaml"
    if edit is not None:
        form = write_variant(form, tmp_path / f"{pack}.yaml", edit)
    return draft_speech(form).document


def body(document: Document) -> str:
    return "\n".join(b.text for b in document.blocks if isinstance(b, Heading | Paragraph))


def headings(document: Document, level: int = 1) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == level]


@pytest.mark.parametrize("pack", NEW_PACKS)
def test_example_renders_numbered_and_clean(pack: str, tmp_path: Path) -> None:
    document = render(tmp_path, pack)
    assert numbering_problems(document) == []
    assert LEFTOVER.findall(body(document)) == []


def test_one_by_one_takes_each_reporter_in_turn(tmp_path: Path) -> None:
    document = render(tmp_path, "review-one-by-one")
    assert headings(document) == ["一、对各位同志述职的点评", "二、几点共同要求"]
    assert headings(document, 2) == [
        "（一）城关镇党委书记王建国同志",
        "（二）河口乡党委书记李秀梅同志",
        "（三）东山镇党委书记赵志刚同志",
    ]
    text = body(document)
    assert "下面，按照一述一评的要求，我对大家的述职逐一进行点评。" in text
    assert "主要亮点：一是软弱涣散村党组织整顿成效明显。" in text
    assert "存在的不足是党员教育管理方式还比较单一。" in text  # one item: no 一是
    assert "下一步，要在党建和发展深度融合上下功夫。" in text
    assert "为此，我再提三点要求：" in text


def test_one_by_one_with_one_reporter_and_no_requirements_has_no_headings(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["reviews"] = data["reviews"][:1]
        del data["requirements"]

    document = render(tmp_path, "review-one-by-one", edit)
    assert headings(document) == [] and headings(document, 2) == []
    text = body(document)
    assert "刚才，3位乡镇党委书记就" in text and "逐一" not in text
    assert "下面，我对城关镇党委书记王建国同志的述职进行点评。" in text


def test_inspection_counts_its_parts_and_reports_the_ranking(tmp_path: Path) -> None:
    document = render(tmp_path, "inspection-commentary")
    assert [h[:2] for h in headings(document)] == ["一、", "二、", "三、", "四、"]
    text = body(document)
    assert "两天来，我们一起实地观摩了8个县（市、区）的16个重点项目现场。" in text
    assert "看了以后，总的感到，项目建设势头好" in text
    assert "下面，我讲四点意见。" in text
    assert "高新区、临江县、东城区位列前三名" in text


def test_inspection_without_ranking_or_gaps_has_two_parts(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["ranking"], data["gaps"], data["meeting"]["period"]

    document = render(tmp_path, "inspection-commentary", edit)
    assert [h[:2] for h in headings(document)] == ["一、", "二、"]
    text = body(document)
    assert "下面，我讲两点意见。" in text and "这次，我们一起实地观摩了" in text
    assert numbering_problems(document) == []


def test_deployment_endorses_the_previous_speaker_then_stresses_points(tmp_path: Path) -> None:
    text = body(render(tmp_path, "work-deployment"))
    assert "对今年的工作作了具体安排，讲得很全面、很具体，我完全同意" in text
    assert "下面，我再强调四点意见。" in text
    assert "这些成绩的取得，是县委、县政府坚强领导的结果" in text
    assert "（四）着力夯实安全生产基层基础" in text


def test_deployment_with_tasks_only_has_no_part_headings(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["achievements"], data["situation"], data["leadership"]
        del data["meeting"]["previous"], data["tasks"]["intro"]

    document = render(tmp_path, "work-deployment", edit)
    assert headings(document) == []  # one part: no lone 一、
    assert headings(document, 2)[0] == "（一）深入开展安全生产治本攻坚"
    text = body(document)
    assert "下面，我就今年的重点任务讲几点意见。" in text
    assert "今年的工作，要重点抓好以下几个方面：" in text


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("按照统一要求", "按照县委、县政府统一要求，今天我们召开全县2026年安全生产工作会议"),
        ("根据会议安排", "根据会议安排，今天我们召开"),
        ("受委托", "受县委、县政府委托，我参加今天的全县2026年安全生产工作会议"),
        ("很高兴参加", "很高兴参加今天的全县2026年安全生产工作会议"),
        ("直接开场", "今天我们召开全县2026年安全生产工作会议"),
    ],
)
def test_opening_follows_the_forms_choice(tmp_path: Path, opening: str, expected: str) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"].update(opening=opening, organizer="县委、县政府")

    text = body(render(tmp_path, "work-deployment", edit))
    assert text.startswith(expected)


def test_docs_have_a_section_for_every_builtin_pack() -> None:
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    packs = sorted(p.parent.name for p in (ROOT / "templates").glob("*/template.yaml"))
    assert [pack for pack in packs if f"（{pack}）\n" not in docs] == []


def test_a_higher_level_speaker_speaks_for_the_body_and_to_everyone(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"].update(standing="上级", on_behalf="省委督查组")

    text = body(render(tmp_path, "inspection-commentary", edit))
    assert "下面，我代表省委督查组讲四点意见。" in text
    assert "大家还存在一些差距和不足" in text
    text = body(render(tmp_path, "review-one-by-one", edit))
    assert "我代表省委督查组对大家的述职逐一进行点评。" in text
