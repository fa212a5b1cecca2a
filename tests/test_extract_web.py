"""Speeches as they come from web pages and PDFs extract to the right pack, nothing lost.

tests/fixtures/web-speeches holds speeches written for these tests, each twice: NAME.clean.txt
as the office wrote it, NAME.txt as a web page or a PDF copy hands it over (hard-wrapped,
site lines top and bottom, traditional characters, pinyin, wrapped or run-in titles, and the
openings and headings speakers really use). expected.tsv names each one's pack.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from drafter.config.located_yaml import load_located
from drafter.extract.boilerplate import INLINE, site_line, site_rules, site_stretches
from drafter.extract.reading import read_speech
from drafter.extract.registry import extractable

from .conftest import ROOT, run_cli
from .test_rendering import normalize

Render = Callable[[Path], str]
WEB = ROOT / "tests" / "fixtures" / "web-speeches"
EXPECTED = {
    line.split("\t")[0]: line.split("\t")[1]
    for line in (WEB / "expected.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
}
_CLAUSE = re.compile(r"[，。！？；：、“”（）]")


def test_the_corpus_has_at_least_fifteen_speeches_and_every_shipped_pack() -> None:
    assert len(EXPECTED) >= 15
    assert {pack.id for pack in extractable()} <= set(EXPECTED.values())
    for name in EXPECTED:
        assert (WEB / f"{name}.txt").is_file() and (WEB / f"{name}.clean.txt").is_file()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_web_copy_extracts_to_its_pack_and_renders_the_clean_speech(
    name: str, tmp_path: Path, render_text: Render
) -> None:
    form = tmp_path / f"{name}.yaml"
    result = run_cli("extract", WEB / f"{name}.txt", "-o", form)
    assert result.exit_code == 0, result.stderr
    data = load_located(form).data
    assert data["template"] == EXPECTED[name]
    clean = (WEB / f"{name}.clean.txt").read_text(encoding="utf-8")
    produced = render_text(form)
    ratio = difflib.SequenceMatcher(
        None, normalize(clean), normalize(produced), autojunk=False
    ).ratio()
    assert ratio >= 0.95, ratio
    kept = normalize(produced) + normalize(form.read_text(encoding="utf-8-sig"))
    assert not lost_clauses(clean, kept)


def lost_clauses(clean: str, kept: str) -> list[str]:
    """Clauses of the clean speech found neither in the re-render nor in the form (its values,
    `unplaced` and comments); a clause the template words differently is found in part."""
    lost = []
    for line in clean.splitlines():
        for clause in _CLAUSE.split(normalize(line)):
            if len(clause) < 2 or clause in kept:
                continue
            match = difflib.SequenceMatcher(None, clause, kept, autojunk=False)
            if match.find_longest_match(0, len(clause), 0, len(kept)).size * 2 < len(clause):
                lost.append(clause)
    return lost


# ── the boilerplate filter is data; its examples are its tests ─────────────────────────


@pytest.mark.parametrize("rule", site_rules(), ids=lambda rule: rule.id)
def test_boilerplate_rule_moves_its_bad_examples_and_keeps_its_good_ones(rule: object) -> None:
    assert hasattr(rule, "bad") and hasattr(rule, "kind")
    for text in rule.bad:  # type: ignore[attr-defined]
        if rule.kind == INLINE:  # type: ignore[attr-defined]
            assert site_stretches(text), text
        else:
            assert site_line(text) is not None, text
    for text in rule.good:  # type: ignore[attr-defined]
        assert site_line(text) is None and not site_stretches(text), text


# ── reading text as it comes from the web ───────────────────────────────────────────────


def extracted(tmp_path: Path, text: str) -> tuple[dict[str, object], str]:
    speech = tmp_path / "s.txt"
    speech.write_text(text, encoding="utf-8")
    form = tmp_path / "f.yaml"
    result = run_cli("extract", speech, "-o", form)
    assert result.exit_code == 0, result.stderr
    return load_located(form).data, result.stderr


def clean_text(name: str) -> str:
    return (WEB / f"{name}.clean.txt").read_text(encoding="utf-8")


def test_a_line_cut_in_mid_word_joins_the_next_and_headings_stay(tmp_path: Path) -> None:
    data, stderr = extracted(tmp_path, (WEB / "rc-township.txt").read_text(encoding="utf-8"))
    assert "原文按每行约 30 字折行" in stderr
    sections = data["measures"]["sections"]  # type: ignore[index]
    assert [s["heading"] for s in sections] == ["压紧压实书记责任", "锻造过硬党员队伍"]
    assert data["problems"]["items"][1]["point"] == "书记抓党建的精力投入不足"  # type: ignore[index]


def test_site_lines_and_watermarks_go_to_comments_with_a_warning(tmp_path: Path) -> None:
    data, stderr = extracted(tmp_path, (WEB / "rc-school.txt").read_text(encoding="utf-8"))
    assert "这一行是网页信息，不是讲话内容，已略去" in stderr and "上传人：wenku_2025" in stderr
    assert (
        "这段文字是网页或文库加上的，不是讲话内容，已略去（原文保存在表单开头的注释中）：公文汇"
        in stderr
    )
    form = (tmp_path / "f.yaml").read_text(encoding="utf-8-sig")
    assert "#   第 2 行第 1 列：上传人：wenku_2025" in form
    assert "公文汇" not in str(data)


def test_stray_spaces_inside_words_are_removed_with_a_note(tmp_path: Path) -> None:
    text = clean_text("ol-branch").replace("支部提前两周", "支部提 前两周")
    data, stderr = extracted(tmp_path, text)
    assert "多余的空格（多为 PDF 复制留下的），已去掉" in stderr
    assert data["assessment"]["points"][0]["detail"].startswith("支部提前两周")  # type: ignore[index]


def test_a_wrapped_title_is_one_title_and_the_speaker_stays_the_speaker(tmp_path: Path) -> None:
    data, _ = extracted(tmp_path, (WEB / "rc-soe.txt").read_text(encoding="utf-8"))
    # the title is the pack's default (在{会议名称}上的点评讲话), so the form leaves it out
    assert data.get("title") is None and data.get("speaker") is None
    assert "点评讲话" not in str(data["meeting"])  # type: ignore[index]


def test_a_title_run_into_the_salutation_is_cut_apart(tmp_path: Path) -> None:
    data, _ = extracted(tmp_path, (WEB / "ol-community.txt").read_text(encoding="utf-8"))
    assert data["title"] == "在幸福里社区党委第二党支部组织生活会上的点评讲话"
    assert data["salutation"] == "同志们"


def test_headings_in_the_speakers_own_words_are_found_by_position(tmp_path: Path) -> None:
    data, _ = extracted(tmp_path, (WEB / "3p-bureau.txt").read_text(encoding="utf-8"))
    assert data["achievements"]["heading"] == "2025年支部建设取得明显成效"  # type: ignore[index]
    assert data["problems"]["heading"] == "几个需要引起重视的问题"  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("rc-township", "根据会议安排"),
        ("rc-soe", "受市委组织部委托"),
        ("rc-hospital", "总体感觉"),
        ("rc-school", "认真听了"),
    ],
)
def test_opening_variants_are_read_as_the_opening(name: str, words: str, tmp_path: Path) -> None:
    data, stderr = extracted(tmp_path, clean_text(name))
    assert words in clean_text(name)
    assert "没有找到：开头" not in stderr and "没有找到：述职情况" not in stderr
    assert data["assessment"]["impressions"]  # type: ignore[index]
    assert not any(str(i).startswith("【请填写") for i in data["assessment"]["impressions"])  # type: ignore[index]


def test_requirements_are_never_filed_as_achievements(tmp_path: Path) -> None:
    speech = tmp_path / "s.txt"
    speech.write_text(clean_text("rc-township"), encoding="utf-8")
    form = tmp_path / "f.yaml"
    result = run_cli("extract", speech, "-o", form, "--template", "review-commentary", "--force")
    assert result.exit_code == 0, result.stderr
    achievements = load_located(form).data["achievements"]
    assert all("要" not in str(a.get("point", ""))[:1] for a in achievements)
    assert not any("整改清单" in str(a) for a in achievements)


@pytest.mark.parametrize(
    ("name", "pack"),
    [("dl-water", "民主生活会"), ("cm-flood", "表彰"), ("ol-branch", "组织生活会")],
)
def test_the_message_names_the_matching_pack(name: str, pack: str, tmp_path: Path) -> None:
    _, stderr = extracted(tmp_path, clean_text(name))
    choice = next(line for line in stderr.splitlines() if "选用模板" in line)
    assert pack in choice.split("：")[0] + choice.split("：")[1][:30]
    assert "述职评议" not in choice.split("；")[0]


def test_the_three_part_pack_never_files_requirements_as_achievements(tmp_path: Path) -> None:
    speech = tmp_path / "s.txt"
    speech.write_text(
        "同志们：\n按照县委统一部署，今天我们召开述职评议会议。\n一、明确下步工作要求\n"
        "一要压实责任。各级书记要亲自抓。\n二要抓好整改。对问题逐条整改。\n",
        encoding="utf-8",
    )
    form = tmp_path / "f.yaml"
    result = run_cli("extract", speech, "-o", form, "--template", "review-commentary-3part")
    assert result.exit_code == 0, result.stderr
    data = load_located(form).data
    assert not any("压实责任" in str(item) for item in data["achievements"]["items"])
    assert data["requirements"]["items"][0]["point"] == "压实责任"


def test_a_file_marking_paragraphs_with_blank_lines_joins_a_full_line_that_ends_a_sentence(
    tmp_path: Path,
) -> None:
    speech = tmp_path / "s.txt"
    speech.write_text(
        "在全县组织工作会议上的讲话\n\n同志们：\n\n"
        "今天我们召开全县组织工作会议，主要任务是总结去年工作，部署今年任\n"
        "务。刚才，县委组织部部长作了工作报告，讲得很全面，我完全同意。今年\n"
        "是实施“十五五”规划的开局之年，做好组织工作意义重大。下面，我讲两\n"
        "点意见。\n\n一、充分肯定成绩，坚定做好今年工作的信心\n\n"
        "回顾一年来的工作，主要有以下几个方面的成效：\n\n"
        "一是干部队伍建设取得新进展。全县新提拔年轻干部32名，干部队伍结构进\n"
        "一步优化。\n\n二是基层组织建设取得新成效。全县软弱涣散村党组织全部完成整顿转化。\n",
        encoding="utf-8",
    )
    paras = [para.text for para in read_speech(speech).paras]
    assert paras[2].endswith("下面，我讲两点意见。") and "我完全同意。今年是实施" in paras[2]
    assert paras[3] == "一、充分肯定成绩，坚定做好今年工作的信心"
    assert paras[5].endswith("干部队伍结构进一步优化。")
