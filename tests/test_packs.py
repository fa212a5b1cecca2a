"""Every built-in pack: its example renders in every format, reads as a speech, numbers itself."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from drafter.cn.numerals import cn_count, cn_number
from drafter.model import Document, Heading, Paragraph
from drafter.packs.finder import list_packs
from drafter.pipeline import draft_speech

from .conftest import CONFIGS, ROOT, run_cli, write_variant

# Template syntax, markup or Python values that leaked into the text, and doubled punctuation.
LEFTOVER = re.compile(r"\{[{%#]|[}%#]\}|</?(?:lead|p|h[12]|title)\b|None|none|  |[，。：][，。]")

# example form → (its 一、 headings, sentences that must appear)
EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "review-commentary-3part.example": (
        [
            "一、肯定成绩，坚定抓好基层党建的信心",
            "二、正视问题，清醒认识存在的差距",
            "三、提出要求，推动基层党建工作全面进步全面过硬",
        ],
        [
            "下面，结合大家的述职情况，我讲三点意见。",
            "从刚才的述职看，抓基层党建工作主要呈现出以下几个特点：",
            "（三）党建引领作用不断彰显",
            "（三）党建与业务融合还不够紧密",
            "着力抓好以下几项工作：",
            "三要在融合发展上下功夫。",
        ],
    ),
    "democratic-life-commentary.example": (
        [
            "一、对这次民主生活会的总体评价",
            "二、需要改进的不足",
            "三、抓好整改落实，巩固拓展民主生活会成果",
        ],
        [
            "下面，我代表县委第二督导组，讲三点意见。",
            "一是会前准备充分。",
            "三是批评有辣味。",
            "四是整改务实。",
            "还存在一些不足：一是有的对照检查剖析思想根源还不够深。",
            "为此，我提三点要求：",
            "三要带头转变作风。",
        ],
    ),
    "org-life-commentary.example": (
        [
            "一、充分肯定这次组织生活会取得的成效",
            "二、正视存在的问题",
            "三、以这次组织生活会为新起点，推动支部建设再上新台阶",
        ],
        [
            "按照局机关党委统一部署，机关第一党支部今天召开2025年度组织生活会，我以普通党员身份参加了会议。",
            "开展了批评和自我批评，并进行了民主评议党员。",
            "下面，我讲三点意见。",
            "要重点做到以下三点：",
            "一要抓好问题整改。",
            "二要加强理论学习。",
            "三要发挥示范作用。",
        ],
    ),
    "commendation-speech.example": (
        [
            "一、见贤思齐，大力弘扬先进典型的崇高精神",
            "二、珍惜荣誉，在新的起点上再创佳绩",
            "三、学习先进，凝聚干事创业的强大合力",
        ],
        [
            "首先，我代表县委、县政府，向受到表彰的20个先进集体和100名先进个人表示热烈的祝贺！",
            "借此机会，我讲三点意见。",
            "他们中，有扎根乡村教育三十二年、把青春献给山区孩子的城关镇中心小学张桂兰老师；",
            "还有连续五年保持市级示范园称号、带动全县学前教育均衡发展的县实验幼儿园。",
            "提两点希望：",
            "重点做到以下三点：",
            "三要学习他们勇于创新的进取精神。",
        ],
    ),
    "review-commentary.party-conduct": (
        [
            "一、提高政治站位，切实扛牢管党治党政治责任",
            "二、聚焦关键环节，着力加强权力运行监督",
            "三、坚持严字当头，驰而不息纠治“四风”",
        ],
        [
            "就履行党风廉政建设主体责任和个人廉洁自律进行了述职述廉",
            "一是主体责任扛得更牢。",
            "比如，县财政局党组书记吴强同志坚持每季度专题研究党风廉政建设",
            "我讲三点意见。",
            "三要严格考核问责。",
        ],
    ),
    "review-commentary.ideology": (
        [
            "一、坚持政治引领，牢牢掌握意识形态工作领导权",
            "二、突出阵地建设，筑牢意识形态安全屏障",
            "三、强化队伍保障，提升做好意识形态工作的本领",
        ],
        [
            "就落实意识形态工作责任制进行了述职",
            "查摆了自己在落实意识形态工作责任制中的主要问题",
            "三是阵地管理不断加强。",
            "我讲三点意见。",
        ],
    ),
}
_LEAD = re.compile(r"^([一二三四五六七八九十]+)([是要])")
_NUMERAL = {cn_number(n): n for n in range(1, 100)}


def numbering_problems(document: Document) -> list[str]:
    """Gaps or repeats in 一、 headings, （一） sub-headings and 一是/一要 series."""
    problems: list[str] = []
    headings = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    for n, text in enumerate(headings, start=1):
        if not text.startswith(f"{cn_number(n)}、"):
            problems.append(f"heading {n}: {text}")
    sub = 0
    last: dict[str, int] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            sub = 0 if block.level == 1 else sub + 1
            if block.level == 2 and not block.text.startswith(f"（{cn_number(sub)}）"):
                problems.append(f"sub-heading {sub}: {block.text}")
        elif isinstance(block, Paragraph):
            for run in (r for r in block.runs if r.lead):
                match = _LEAD.match(run.text)
                if not match:
                    problems.append(f"lead without a number: {run.text}")
                    continue
                number, suffix = _NUMERAL[match[1]], match[2]
                if number != 1 and number != last.get(suffix, 0) + 1:
                    problems.append(f"{run.text} after {last.get(suffix)}")
                last[suffix] = number
    return problems


def example(name: str) -> Path:
    return CONFIGS / f"{name}.yaml"


def headings(document: Document, level: int = 1) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == level]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_renders_to_docx_txt_and_md(name: str, tmp_path: Path) -> None:
    result = run_cli("render", example(name), "-f", "docx", "-f", "txt", "-f", "md", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    expected_headings, sentences = EXAMPLES[name]

    text = (tmp_path / f"{name}.txt").read_text(encoding="utf-8")
    assert [h for h in expected_headings if f"\u3000\u3000{h}\n" not in text] == []
    assert [s for s in sentences if s not in text] == []
    assert LEFTOVER.findall(text) == []
    assert text.rstrip().endswith(("谢谢大家！", "工作顺利！"))

    markdown = (tmp_path / f"{name}.md").read_text(encoding="utf-8")
    assert [h for h in expected_headings if f"\n## {h}\n" not in markdown] == []

    paragraphs = [p.text for p in docx.Document(str(tmp_path / f"{name}.docx")).paragraphs]
    assert [h for h in expected_headings if h not in paragraphs] == []
    assert any(sentences[0] in p for p in paragraphs)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_numbers_every_part_in_order(name: str) -> None:
    document = draft_speech(example(name)).document
    assert numbering_problems(document) == []
    opening = body(document).split("\n一、")[0]
    claimed = re.search(r"我讲(.)点意见", opening)
    if claimed:
        assert claimed[1] == cn_count(len(headings(document)))


def test_every_builtin_pack_has_an_example_form() -> None:
    packs, problems = list_packs()
    assert problems == []
    ids = {pack.id for pack in packs if pack.origin == "内置"}
    assert ids >= {
        "review-commentary",
        "review-commentary-3part",
        "democratic-life-commentary",
        "org-life-commentary",
        "commendation-speech",
    }
    assert [i for i in ids if not (CONFIGS / f"{i}.example.yaml").is_file()] == []


def variant(tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> Document:
    form = write_variant(example(name), tmp_path / f"{name}.yaml", edit)
    return draft_speech(form).document


def body(document: Document) -> str:
    return "\n".join(b.text for b in document.blocks if isinstance(b, Heading | Paragraph))


def test_3part_prints_run_in_points_without_subheadings(tmp_path: Path) -> None:
    document = variant(tmp_path, "review-commentary-3part.example", lambda d: d.pop("subheadings"))
    assert headings(document, 2) == []
    text = body(document)
    assert "一是党建责任有效压实。各基层党组织书记" in text
    assert "三是党建与业务融合还不够紧密。" in text
    assert numbering_problems(document) == []


def test_3part_without_optional_parts_still_reads(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["meeting"]["organizer"], data["meeting"]["purpose"], data["problems"]["impact"]
        del data["requirements"]["theme"], data["achievements"]["heading"]
        data["achievements"]["items"] = data["achievements"]["items"][:1]

    text = body(variant(tmp_path, "review-commentary-3part.example", edit))
    assert "今天我们召开2025年度" in text and "按照" not in text
    assert "一、肯定成绩，坚定做好工作的信心" in text
    assert "抓基层党建工作主要呈现出以下特点：" in text
    assert "党建责任有效压实" in text and "一是" not in text.split("二、")[0]  # one item
    assert "这些问题，必须引起高度重视" in text and "对这些问题" not in text
    assert "下一步，着力抓好以下几项工作：" in text


def test_democratic_life_without_shortcomings_has_two_parts(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["problems"], data["meeting"]["on_behalf"]
        data["requirements"]["items"] = data["requirements"]["items"][:2]

    document = variant(tmp_path, "democratic-life-commentary.example", edit)
    assert headings(document) == [
        "一、对这次民主生活会的总体评价",
        "二、抓好整改落实，巩固拓展民主生活会成果",
    ]
    text = body(document)
    assert "下面，我讲两点意见。" in text and "我提两点要求：" in text
    assert numbering_problems(document) == []


def test_org_life_leaves_out_appraisal_and_organizer_when_not_given(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["meeting"].update(appraisal="否")
        del data["meeting"]["organizer"], data["meeting"]["attendance"], data["meeting"]["members"]

    text = body(variant(tmp_path, "org-life-commentary.example", edit))
    assert "今天，机关第一党支部召开2025年度组织生活会，我参加了会议。" in text
    assert "全体党员逐一发言" in text
    assert "民主评议党员" not in text


def test_commendation_without_hopes_or_review_counts_two_parts(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["hopes"], data["review"], data["honourees"]["spirit"]
        data["honourees"]["representatives"] = data["honourees"]["representatives"][:1]

    document = variant(tmp_path, "commendation-speech.example", edit)
    assert [h[:2] for h in headings(document)] == ["一、", "二、"]
    text = body(document)
    assert "表示衷心的感谢和诚挚的问候！借此机会，我讲两点意见。" in text
    assert "他们中，有扎根乡村教育三十二年、把青春献给山区孩子的城关镇中心小学张桂兰老师。" in text
    assert "还有" not in text and "可贵品质" not in text


@pytest.mark.parametrize("n", [1, 2, 11])
def test_counts_follow_the_number_of_requirements(tmp_path: Path, n: int) -> None:
    items = [{"point": f"要求{i}", "detail": "具体内容"} for i in range(1, n + 1)]
    document = variant(
        tmp_path,
        "democratic-life-commentary.example",
        lambda d: d["requirements"].update(items=items),
    )
    text = body(document)
    assert f"我提{cn_count(n)}点要求：" in text
    assert f"{cn_number(n) + '要' if n > 1 else ''}要求{n}。" in text
    assert n > 1 or "一要" not in text  # a lone requirement takes no ordinal
    assert numbering_problems(document) == []


def test_user_text_in_a_new_pack_stays_literal(tmp_path: Path) -> None:
    hostile = "<p>{{ 7*7 }}</p> & **粗体**"

    def edit(data: dict[str, Any]) -> None:
        data["honourees"]["called"] = hostile
        data["honourees"]["representatives"][0]["name"] = hostile

    text = body(variant(tmp_path, "commendation-speech.example", edit))
    assert f"对受到表彰的{hostile}提两点希望：" in text
    assert f"城关镇中心小学{hostile}；" in text


def test_base_skeleton_leaves_no_structure_to_the_new_packs() -> None:
    """Packs are prose: section numbering and point layout live in base/ only."""
    for pack in ("review-commentary-3part", "democratic-life-commentary", "org-life-commentary"):
        source = (ROOT / "templates" / pack / "speech.j2").read_text(encoding="utf-8")
        assert "<h1>" not in source and "<h2>" not in source and "loop.index" not in source
        assert '{% extends "base/commentary.j2" %}' in source
