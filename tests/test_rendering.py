import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafter.cn.numerals import cn_count, cn_number
from drafter.model import Heading, Paragraph, Salutation, Thanks, Title
from drafter.pipeline import draft_speech

from .conftest import EXAMPLE, MINIMAL, REFERENCE

FormMaker = Callable[..., Path]
Render = Callable[[Path], str]


def normalize(text: str) -> str:
    """Compare speeches as the foundation issue says: full-width punctuation, no whitespace."""
    return re.sub(r"\s+", "", text.translate(str.maketrans(",:;!?()", "，：；！？（）")))


def reference_body() -> str:
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("按照"))
    end = next(i for i, line in enumerate(lines) if line.startswith("谢谢大家"))
    return "\n".join([lines[0], *lines[start : end + 1]])


def test_example_reproduces_the_model_speech(render_text: Render) -> None:
    produced = normalize(render_text(EXAMPLE))
    expected = normalize(reference_body())
    ratio = difflib.SequenceMatcher(None, expected, produced, autojunk=False).ratio()
    assert ratio >= 0.98, ratio


def test_example_has_the_three_part_shape() -> None:
    document = draft_speech(EXAMPLE).document
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"]
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].text.startswith("按照XXX党委统一要求")
    assert [p.runs[0].text for p in paragraphs[1:4]] == [
        "一是党建责任落实到位。",
        "二是党内政治生活制度不断完善。",
        "三是抓党建促业务形成共识。",
    ]
    assert all(p.runs[0].lead for p in paragraphs[1:4])
    assert "我讲三点意见。" in paragraphs[4].text
    assert isinstance(document.blocks[-1], Thanks)
    assert document.blocks[-1].text == "谢谢大家！"
    assert document.meta.date == "2021-01-26"


def test_minimal_form_shows_the_defaults(render_text: Render) -> None:
    text = render_text(MINIMAL)
    first = text.splitlines()[0]
    assert first == "在2025年度党风廉政建设述职述廉评议会议上的点评讲话"
    assert "我讲两点意见。" in text
    assert "从大家的述职看，落实党风廉政建设责任制情况主要呈现出以下特点：" in text
    assert "这些问题，必须引起高度重视" in text and "对这些问题" not in text
    assert text.rstrip().endswith("谢谢大家！")


def with_counts(achievements: int, sections: int) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["achievements"] = [
            {"point": f"成绩{i}", "examples": [{"who": "XXX同志", "did": "做了工作"}]}
            for i in range(1, achievements + 1)
        ]
        data["problems"]["items"] = [{"point": f"问题{i}"} for i in range(1, achievements + 1)]
        data["measures"]["sections"] = [
            {"heading": f"部分{i}", "points": [{"point": f"要点{i}-{j}"} for j in (1, 2, 3)]}
            for i in range(1, sections + 1)
        ]

    return edit


@pytest.mark.parametrize("n", [1, 3, 4, 10, 11, 20, 99])
def test_numbering_follows_the_data(make_form: FormMaker, render_text: Render, n: int) -> None:
    text = render_text(make_form(with_counts(n, n)))
    for i in range(1, n + 1):
        lead = f"{cn_number(i)}是" if n > 1 else ""  # one item stands alone, without 一是
        assert f"{lead}成绩{i}。" in text
        assert f"{lead}问题{i}。" in text
        if n > 1:
            assert f"\u3000\u3000{cn_number(i)}、部分{i}\n" in text
    assert n > 1 or ("一是" not in text and "我讲一点意见，就是要部分1。" in text)
    assert f"{cn_number(n + 1)}、" not in text
    assert f"我讲{cn_count(n)}点意见" in text
    assert text.count("三要要点") == n


def test_specific_ordinals_from_the_issue(make_form: FormMaker, render_text: Render) -> None:
    text = render_text(make_form(with_counts(99, 99)))
    for expected in ("十一是成绩11。", "二十、部分20", "九十九、部分99", "九十九是问题99。"):
        assert expected in text
    many_points = make_form(
        lambda d: d["measures"]["sections"][0].update(
            points=[{"point": f"点{j}"} for j in range(1, 100)]
        )
    )
    assert "九十九要点99。" in render_text(many_points)


def test_four_sections_give_four_points(make_form: FormMaker, render_text: Render) -> None:
    text = render_text(make_form(with_counts(3, 4)))
    assert "我讲四点意见。" in text and "四、部分4" in text


HOSTILE = "**粗体** # 标题 1. 列表 <b>x</b> {{ 7*7 }} {% if %} &amp; \"q\" 'a'"


def test_markup_in_values_renders_literally(make_form: FormMaker) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"]["organizer"] = HOSTILE
        data["achievements"][0]["point"] = "# 标题\n1. 列表"
        data["measures"]["sections"][0]["heading"] = "<h1>假标题</h1>"

    document = draft_speech(make_form(edit)).document
    opening = document.blocks[2]
    assert isinstance(opening, Paragraph)
    assert opening.text.startswith(f"按照{HOSTILE}统一要求")
    first_point = document.blocks[3]
    assert isinstance(first_point, Paragraph)
    assert first_point.runs[0].text == "一是# 标题\n1. 列表。"
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings[0] == "一、<h1>假标题</h1>"
    assert len(headings) == 3


def test_line_break_in_a_value_stays_inside_its_paragraph(make_form: FormMaker) -> None:
    edit = lambda d: d["meeting"].update(purpose="第一行\n第二行")  # noqa: E731
    document = draft_speech(make_form(edit)).document
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert "第一行\n第二行" in paragraphs[0].text
    assert len(paragraphs) == 1 + 3 + 1 + 9


def test_optional_parts_appear_only_when_filled(make_form: FormMaker) -> None:
    def edit(data: dict[str, Any]) -> None:
        data.update(speaker="张三", salutation="同志们", closing=["同志们，让我们一起努力"])
        data["thanks"] = "否"

    document = draft_speech(make_form(edit)).document
    assert document.blocks[1].lines == ("张三", "（2021年1月26日）")  # type: ignore[union-attr]
    assert document.blocks[2] == Salutation("同志们：")
    last = document.blocks[-1]
    assert isinstance(last, Paragraph) and last.text == "同志们，让我们一起努力。"
    assert document.meta.author == "张三"


def test_default_title_comes_from_the_meeting_name(make_form: FormMaker) -> None:
    document = draft_speech(make_form(lambda d: d.pop("title"))).document
    assert document.blocks[0] == Title("在党组织书记抓基层党建工作述职评议会议上的点评讲话")


def test_typed_punctuation_is_neither_doubled_nor_lost(make_form: FormMaker) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["achievements"][0]["point"] = "党建责任落实到位。"
        data["achievements"][0]["examples"][0]["did"] = "做了工作"

    text = "".join(b.text for b in draft_speech(make_form(edit)).document.blocks[3:4])  # type: ignore[union-attr]
    assert text.startswith("一是党建责任落实到位。各位书记")
    assert "比如，XXX同志做了工作。又如，XXX同志" in text


def test_markup_in_values_prints_literally_in_every_format(
    make_form: FormMaker, tmp_path: Path
) -> None:
    import html

    import docx
    from markdown_it import MarkdownIt

    from .conftest import run_cli

    literal = "**粗体** # 标题 1. 列表 <b>x</b> {{ 7*7 }} & _下划线_ `代码`"

    def edit(data: dict[str, Any]) -> None:
        data["meeting"]["organizer"] = literal
        data["measures"]["sections"][0]["heading"] = "# 1. <i>标题</i>"
        data["achievements"][0]["point"] = "- 列表项\n1. 第二行"

    form = make_form(edit, name="hostile.yaml")
    result = run_cli("render", form, "-f", "docx", "-f", "md", "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr

    word = docx.Document(str(tmp_path / "hostile.docx"))
    texts = [p.text for p in word.paragraphs]
    assert any(f"按照{literal}统一要求" in t for t in texts)
    assert "一、# 1. <i>标题</i>" in texts
    assert any(t.startswith("一是- 列表项\n1. 第二行。") for t in texts)

    rendered_html = MarkdownIt().render((tmp_path / "hostile.md").read_text(encoding="utf-8"))
    assert rendered_html.count("<h1>") == 1 and rendered_html.count("<h2>") == 3
    assert "<ol" not in rendered_html and "<ul" not in rendered_html and "<i>" not in rendered_html
    shown = html.unescape(re.sub(r"<(?!br)[^>]+>", "", rendered_html))
    assert f"按照{literal}统一要求" in shown
    assert "一、# 1. <i>标题</i>" in shown
    assert rendered_html.count("<strong>") == 3 + 9 + 3  # achievements, points, problems

    assert f"按照{literal}统一要求" in (tmp_path / "hostile.txt").read_text(encoding="utf-8")
