"""Speeches written the way offices write them extract to forms that render them again.

Each speech in tests/fixtures/speeches varies what the model speech does: the number of
achievements and sections, optional parts left out, 第一/首先 series, problems written
as a paragraph each or under a section heading, a paragraph no field holds, Markdown,
and a scraped copy full of traditional characters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafter.config.located_yaml import load_located

from .conftest import SPEECHES, run_cli
from .test_rendering import normalize

Render = Callable[[Path], str]
SPEECH_FILES = sorted(p for p in SPEECHES.iterdir() if p.suffix in (".txt", ".md"))
_MARKDOWN_MARKS = re.compile(r"^#+ |\*\*|\\$", re.MULTILINE)


def speech_text(path: Path) -> str:
    """What a speech file says, without Markdown's marks; a scraped copy says its clean twin."""
    if path.name.startswith("scraped-"):
        path = path.with_name(path.name.removeprefix("scraped-"))
    return _MARKDOWN_MARKS.sub("", path.read_text(encoding="utf-8"))


def extract(speech: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    form = tmp_path / f"{speech.stem}.yaml"
    result = run_cli("extract", speech, "-o", form)
    assert result.exit_code == 0, result.stderr
    return form, load_located(form).data


def test_there_are_at_least_six_further_speeches() -> None:
    assert len(SPEECH_FILES) >= 6


@pytest.mark.parametrize("speech", SPEECH_FILES, ids=lambda p: p.stem)
def test_speech_extracts_to_a_form_that_renders_it_again(
    speech: Path, tmp_path: Path, render_text: Render
) -> None:
    form, _ = extract(speech, tmp_path)
    expected, produced = normalize(speech_text(speech)), normalize(render_text(form))
    ratio = difflib.SequenceMatcher(None, expected, produced, autojunk=False).ratio()
    assert ratio >= 0.95, ratio


def counts(data: dict[str, Any]) -> tuple[int, int, int]:
    """How many achievements, problems and sections a form has."""
    return (
        len(data["achievements"]),
        len(data["problems"]["items"]),
        len(data["measures"]["sections"]),
    )


def test_two_achievements_one_section_byline_and_closing(tmp_path: Path) -> None:
    _, data = extract(SPEECHES / "two-achievements-one-section.txt", tmp_path)
    assert counts(data) == (2, 2, 1)
    assert (data["speaker"], data["date"], data["salutation"]) == ("李明", "2026-01-15", "同志们")
    assert data["meeting"]["purpose"] is None
    assert data["closing"] == [
        "同志们，做好机关党建工作责任重大、使命光荣。希望大家以这次述职评议为契机，奋发有为，推动机关党建工作高质量发展。"
    ]
    assert data["achievements"][0]["examples"][1] == {
        "who": "规划科党支部书记赵军同志",
        "did": "建立“每周一学”制度，推动学习常态化。",
    }


def test_first_second_series_without_conclusion_or_review(tmp_path: Path) -> None:
    _, data = extract(SPEECHES / "first-second-series.txt", tmp_path)
    assert counts(data) == (4, 3, 2)
    assert data["achievements"][2]["point"] == "警示教育扎实开展"
    assert data["assessment"]["conclusion"] is None and data["assessment"]["review"] is None
    assert data["assessment"]["impressions"][-1] == "整改措施可行"
    assert data["meeting"]["report"] == "述职述廉"
    assert data["thanks"] == "谢谢！"
    assert data["problems"]["context"] is None


def test_shouxian_qici_series_five_sections_no_examples_no_thanks(tmp_path: Path) -> None:
    _, data = extract(SPEECHES / "five-sections-no-examples.txt", tmp_path)
    assert counts(data) == (3, 2, 5)
    assert [a["point"] for a in data["achievements"]] == [
        "阵地管理更加规范",
        "思政教育更加鲜活",
        "队伍建设更加有力",
    ]
    assert not any(a.get("examples") for a in data["achievements"])
    assert data["thanks"] == "否" and data["problems"]["impact"] is None
    assert data["title"] == "在全市教育系统意识形态工作责任制落实情况述职评议会议上的讲话"


def test_six_achievements_with_examples_in_their_own_paragraph(tmp_path: Path) -> None:
    _, data = extract(SPEECHES / "six-achievements-problem-paragraphs.txt", tmp_path)
    assert counts(data) == (6, 3, 4)
    assert data["achievements"][1]["examples"][0]["who"] == "城关镇党委书记郑华同志"
    assert [e["who"] for e in data["achievements"][2]["examples"]] == [
        "河口镇党委书记冯磊同志",
        "青山镇党委书记韩梅同志",
    ]
    assert data["problems"]["impact"] == "这些问题，制约了基层党组织作用的发挥"
    assert data["measures"]["theme"] == "进一步抓实乡镇党建工作"


def test_problems_under_a_section_heading_move_to_the_problems(tmp_path: Path) -> None:
    form, data = extract(SPEECHES / "problems-in-a-section.txt", tmp_path)
    assert counts(data) == (3, 3, 2)
    assert data["problems"]["items"][1]["point"] == "基层党组织建设不平衡"
    assert data["unplaced"] == ["正视问题，增强做好企业党建工作的紧迫感"]
    text = form.read_text(encoding="utf-8-sig")
    assert "# 请核对：原文说“我讲三点意见”，这里有 2 个部分；生成时点数按部分数自动写" in text


def test_an_unplaceable_paragraph_does_not_disturb_the_rest(tmp_path: Path) -> None:
    _, data = extract(SPEECHES / "extra-paragraph.txt", tmp_path)
    assert counts(data) == (5, 2, 2)
    assert data["achievements"][4]["detail"].endswith("让社区干部把更多精力用在服务群众上。")
