"""Titles break only between words (GB/T 9704 7.3.1: 词意完整，排列对称，长短适宜), in balanced
lines within the type area at 二号, keeping bracketed groups and numbers with their unit whole."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from drafter.pipeline import draft_speech
from drafter.presets import load_preset
from drafter.writers.docx import write_docx
from drafter.writers.linebreak import TITLE_WORDS, balance_lines, text_width, title_words

from .conftest import CONFIGS, EXAMPLE, ROOT, write_variant

FIXTURES = ROOT / "tests" / "fixtures"

WIDTH = load_preset("gbt9704").title_chars  # 二号 characters across the 156 mm type area

# Realistic meeting titles, each followed by words a reader would not accept split across lines.
TITLE_TABLE = """
在全县党风廉政建设和反腐败工作会议上的讲话 | 党风廉政建设 反腐败 会议
在全市先进集体和先进个人表彰大会上的讲话 | 先进集体 先进个人 表彰大会
在中共XX县委员会（党委）2026年度落实党风廉政建设责任制工作推进会上的讲话 | （党委） 2026年度 党风廉政建设 责任制 推进会
在2026年度基层党组织书记抓基层党建工作述职评议会议上的点评讲话 | 2026年度 基层党建 党组织 书记 述职评议
在县委理论学习中心组专题学习研讨会上的发言 | 理论学习 中心组 研讨会
市委常委会关于巡视整改专题民主生活会情况的通报 | 常委会 民主生活会 巡视整改
在全区安全生产暨森林防火工作电视电话会议上的讲话 | 安全生产 森林防火 电视电话
在全市优化营商环境推进大会暨项目集中签约仪式上的致辞 | 营商环境 签约仪式 推进大会
在纪念中国共产党成立105周年暨“七一”表彰大会上的讲话 | 105周年 “七一” 表彰大会
在全县乡村振兴战略实施工作推进会上的讲话 | 乡村振兴 推进会 战略
在学校2026届毕业典礼暨学位授予仪式上的讲话 | 2026届 毕业典礼 学位 授予仪式
在县人民医院建院70周年庆祝大会上的致辞 | 人民医院 70周年 庆祝大会
在全市教育系统党建工作会议暨师德师风建设推进会上的讲话 | 教育系统 师德师风 推进会
在市政府第三次廉政工作会议上的讲话 | 市政府 廉政 第三次
在全县文明城市创建工作动员部署大会上的讲话 | 文明城市 动员 部署
在公司2026年度安全生产工作会议暨安全生产责任书签订仪式上的讲话 | 2026年度 安全生产 责任书 签订仪式
在局机关“不忘初心、牢记使命”主题教育总结大会上的讲话 | “不忘初心、牢记使命” 主题教育 总结大会
在全省农村人居环境整治现场推进会上的讲话 | 人居环境 整治 推进会
在县政协十届五次会议开幕式上的讲话 | 政协 十届五次 开幕式
在全县防汛抗旱暨地质灾害防治工作会议上的讲话 | 防汛抗旱 地质灾害 防治
在区委全面深化改革委员会第八次会议上的讲话 | 全面深化改革 委员会 第八次
在全市意识形态工作联席会议上的讲话 | 意识形态 联席会议
在XX街道社区党组织换届选举工作部署会上的讲话 | 社区 换届选举 部署会
在全县“三重一大”决策制度落实情况专项检查反馈会上的讲话 | “三重一大” 决策 专项检查 反馈会
在全市统战工作会议暨民族团结进步表彰大会上的讲话 | 统战 民族团结 表彰大会
在县委十五届七次全会第二次全体会议上的讲话 | 十五届七次 全体会议 第二次
在学院2026年秋季学期开学典礼上的讲话 | 2026年 秋季学期 开学典礼
在全县疾病预防控制工作暨爱国卫生运动推进会上的讲话 | 疾病预防 爱国卫生 推进会
在集团公司第二届职工代表大会第三次会议上的工作报告 | 集团公司 职工代表大会 第三次 工作报告
在全区招商引资暨重点项目建设攻坚行动动员会上的讲话 | 招商引资 重点项目 攻坚行动 动员会
在全市生态环境保护督察整改工作推进会上的讲话 | 生态环境 督察 推进会
在全县巡察工作动员部署会暨第一轮巡察进驻会上的讲话 | 巡察 第一轮 进驻会
在2026年全省食品安全工作电视电话会议上的讲话 | 2026年 食品安全 电视电话
在县直机关党支部标准化规范化建设现场观摩会上的讲话 | 县直机关 标准化 规范化 观摩会
在全市退役军人服务保障体系建设推进会上的讲话 | 退役军人 服务保障 推进会
在全县秸秆禁烧和综合利用工作调度会上的讲话 | 秸秆 禁烧 综合利用 调度会
在学习贯彻《中国共产党纪律处分条例》专题读书班上的讲话 | 《中国共产党纪律处分条例》 读书班
在全区网格化社会治理工作现场会上的讲话 | 网格化 社会治理 现场会
在市直机关青年干部成长成才座谈会上的讲话 | 青年干部 成长成才 座谈会
在全县“万企兴万村”行动推进会上的讲话 | “万企兴万村” 推进会
在医院党委（扩大）会议暨行风建设专题会上的讲话 | （扩大） 行风 专题会
在2026年第一季度经济运行分析会上的讲话 | 2026年 第一季度 经济运行 分析会
在全镇人口普查工作培训会上的讲话 | 人口普查 培训会
在全县5G网络建设和数字乡村发展推进会上的讲话 | 5G 数字乡村 推进会
"""
TITLES: dict[str, tuple[str, ...]] = {
    title.strip(): tuple(words.split())
    for title, words in (row.split("|") for row in TITLE_TABLE.strip().splitlines())
}


def breaks(lines: list[str]) -> set[int]:
    """Offsets into the joined title where one line ends and the next begins."""
    offsets, total = set(), 0
    for line in lines[:-1]:
        total += len(line)
        offsets.add(total)
    return offsets


def split_words(title: str, lines: list[str], words: tuple[str, ...]) -> list[str]:
    """The words (each found anywhere in the title) that a line break cuts."""
    cut = []
    for word in words:
        start = title.find(word)
        assert start >= 0, (title, word)
        if any(start < offset < start + len(word) for offset in breaks(lines)):
            cut.append(word)
    return cut


def test_there_are_forty_titles_mostly_outside_the_word_list() -> None:
    assert len(TITLES) >= 40
    outside = [w for words in TITLES.values() for w in words if w not in TITLE_WORDS]
    assert len(outside) > 100


@pytest.mark.parametrize("title", list(TITLES))
def test_title_breaks_between_words(title: str) -> None:
    lines = balance_lines(title, WIDTH)
    assert "".join(lines) == title
    assert split_words(title, lines, TITLES[title]) == []
    segmented = tuple(word for word, _ in title_words(title))
    assert split_words(title, lines, segmented) == []


@pytest.mark.parametrize("title", list(TITLES))
def test_title_lines_fit_the_type_area_and_are_balanced(title: str) -> None:
    lines = balance_lines(title, WIDTH)
    assert all(text_width(line) <= WIDTH for line in lines), lines
    if text_width(title) > WIDTH:
        assert len(lines) >= 2
        # No line is left a stub: each is within a few characters of the even share.
        share = text_width(title) / len(lines)
        assert all(abs(text_width(line) - share) <= 5 for line in lines), lines


def test_number_and_unit_stay_together() -> None:
    lines = balance_lines("在二〇二六年度全县经济工作会议暨项目建设推进会上的讲话", 10)
    assert any("二〇二六年度" in line for line in lines), lines


def test_a_newline_in_the_title_is_the_writers_own_break() -> None:
    title = "在全县党风廉政建设\n和反腐败工作会议上的讲话"
    assert balance_lines(title, WIDTH) == ["在全县党风廉政建设", "和反腐败工作会议上的讲话"]


@pytest.mark.parametrize("form", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_titles_break_between_words(form: Path) -> None:
    title = draft_speech(form).document.blocks[0].text  # type: ignore[attr-defined]
    for segment in title.split("\n"):
        lines = balance_lines(segment, WIDTH)
        segmented = tuple(word for word, _ in title_words(segment))
        assert split_words(segment, lines, segmented) == [], lines
        assert all(text_width(line) <= WIDTH for line in lines)


def test_a_newline_in_the_forms_title_breaks_the_docx_title_there(tmp_path: Path) -> None:
    def retitle(data: dict[str, Any]) -> None:
        data["title"] = "在全县党风廉政建设\n和反腐败工作会议上的讲话"

    form = write_variant(EXAMPLE, tmp_path / "form.yaml", retitle)
    document = draft_speech(form).document
    body = write_docx(document, load_preset("gbt9704"))
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert (
        '<w:t xml:space="preserve">在全县党风廉政建设</w:t><w:br/>'
        '<w:t xml:space="preserve">和反腐败工作会议上的讲话</w:t>'
    ) in xml


# More meeting titles (tools/make_word_list.py compares their layouts with jieba's own).
MORE_TITLES = [
    line
    for line in (FIXTURES / "titles.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


def test_there_are_two_hundred_more_titles() -> None:
    assert len(MORE_TITLES) >= 200


@pytest.mark.parametrize("title", MORE_TITLES)
def test_more_titles_break_between_words_in_balanced_lines(title: str) -> None:
    lines = balance_lines(title, WIDTH)
    assert "".join(lines) == title
    segmented = tuple(word for word, _ in title_words(title))
    assert split_words(title, lines, segmented) == []
    assert all(text_width(line) <= WIDTH for line in lines), lines
    share = text_width(title) / len(lines)
    assert all(abs(text_width(line) - share) <= 5 for line in lines), lines


def test_the_segmenter_cuts_as_jieba_does() -> None:
    """jieba's dictionary-only cut (its README's example), with jieba's word classes."""
    assert title_words("我来到北京清华大学") == [
        ("我", "r"),
        ("来到", "v"),
        ("北京", "ns"),
        ("清华大学", "nt"),
    ]
    assert [word for word, _ in title_words("在全县5G网络建设推进会上的讲话")] == [
        "在", "全县", "5G", "网络", "建设", "推进", "会上", "的", "讲话",
    ]  # fmt: skip


def test_meeting_words_are_taught_and_ji_joins_meetings() -> None:
    words = title_words("在民主生活会暨述职述廉会议上的讲话")
    assert ("民主生活会", "n") in words and ("述职述廉", "n") in words
    assert ("暨", "c") in words


def test_a_character_outside_the_word_list_is_a_word_of_its_own() -> None:
    assert title_words("在㐀㐁会议上") == [
        ("在", "p"), ("㐀", "x"), ("㐁", "x"), ("会议", "n"), ("上", "f"),
    ]  # fmt: skip


def test_the_word_list_carries_its_source_and_is_part_of_the_cache_key() -> None:
    import gzip

    from drafter.infra.resources import own_files

    data = ROOT / "src" / "drafter" / "cn" / "data"
    head = gzip.decompress((data / "words.txt.gz").read_bytes())[:1000].decode("utf-8")
    assert "jieba" in head and "MIT" in head and "# total " in head
    assert "The MIT License" in (data / "NOTICE").read_text(encoding="utf-8")
    # A title's words are cached under drafter's code digest: a new list must change it.
    assert "drafter/cn/data/words.txt.gz" in {name for name, _ in own_files()}
