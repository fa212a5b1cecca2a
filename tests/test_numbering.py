"""Writer-typed numbering: removed from numbered items with a located warning, doubled numbering found."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafter.cn.ordinals import leading_ordinal
from drafter.packs.finder import find_pack

from .conftest import run_cli
from .speech_check import check_line

FormMaker = Callable[..., Path]
PACKS = [
    "review-commentary",
    "review-commentary-3part",
    "commendation-speech",
    "democratic-life-commentary",
    "org-life-commentary",
]


def where(form: Path, text: str) -> tuple[int, int]:
    """Line and column (1-based) of `text` in a form file."""
    for number, line in enumerate(form.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(text)


@pytest.mark.parametrize(
    ("text", "ordinal"),
    [
        ("一是党建责任落实到位", "一是"),
        ("二要抓落实", "二要"),
        ("一、突出政治统领", "一、"),
        ("（三）抓考核", "（三）"),
        ("(2)抓考核", "(2)"),
        ("1.抓学习", "1."),
        ("12、抓学习", "12、"),
        ("②抓学习", "②"),
        ("第一，抓学习", "第一，"),
        ("其二，抓落实", "其二，"),
        ("首先，抓学习", "首先，"),
        ("一是 抓学习", "一是 "),
    ],
)
def test_a_leading_ordinal_of_any_kind_is_recognised(text: str, ordinal: str) -> None:
    assert leading_ordinal(text) == ordinal


@pytest.mark.parametrize(
    "text",
    [
        "十九大精神深入人心",
        "1000余名党员",
        "1.5倍",
        "一要素",
        "第一书记带头",
        "一定要抓好",
        "一是",
        "一、二、三等奖",
    ],
)
def test_words_that_merely_start_with_a_numeral_are_no_ordinal(text: str) -> None:
    assert leading_ordinal(text) is None


@pytest.mark.parametrize("pack", PACKS)
def test_every_point_and_heading_of_the_builtin_packs_is_declared_numbered(pack: str) -> None:
    schema = find_pack(pack).schema
    named = [(path, spec) for path, spec in schema.walk() if path[-1] in ("point", "heading")]
    assert named
    assert all(spec.numbered for _, spec in named), [p for p, s in named if not s.numbered]
    assert not any(spec.numbered for path, spec in schema.walk() if path[-1] in ("detail", "name"))


def typed(data: dict[str, Any]) -> None:
    data["achievements"][0]["point"] = "一是" + data["achievements"][0]["point"]
    data["problems"]["items"][1]["point"] = "2." + data["problems"]["items"][1]["point"]
    data["measures"]["sections"][0]["heading"] = "一、" + data["measures"]["sections"][0]["heading"]
    data["measures"]["sections"][0]["points"][0]["point"] = "（一）一要抓学习"


def test_render_removes_typed_numbering_and_warns_once_at_the_value(
    tmp_path: Path, make_form: FormMaker
) -> None:
    form = make_form(typed, name="typed.yaml")
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out" / "typed.txt").read_text(encoding="utf-8")
    for doubled in ("一是一是", "二是2.", "一、一、", "一要（一）", "一要一要"):
        assert doubled not in text
    assert "一要抓学习" in text
    line, column = where(form, "一是党建")
    warning = f"{form}:{line}:{column}: 警告: 「主要成绩 › 第 1 项 › 成绩要点（point）」的序号会自动生成，已去掉您写的“一是”"
    assert result.stderr.count(warning) == 1, result.stderr
    line, column = where(form, "（一）一要")
    assert f"{form}:{line}:{column}: 警告: " in result.stderr
    assert "已去掉您写的“（一）一要”" in result.stderr
    assert "已去掉您写的“2.”" in result.stderr
    assert "已去掉您写的“一、”" in result.stderr
    assert "structure.typed-numbering" not in result.stderr  # said once, by the form's reading


def test_check_finds_typed_numbering_in_a_form_and_fix_removes_it(make_form: FormMaker) -> None:
    form = make_form(typed, name="typed.yaml")
    before = form.read_text(encoding="utf-8")
    line, column = where(form, "一是党建")
    found = run_cli("check", form)
    assert f"{form}:{line}:{column}: 警告: [structure.typed-numbering] " in found.stdout
    assert "不用自己写“一是”" in found.stdout
    fixed = run_cli("check", form, "--fix")
    assert fixed.exit_code in (0, 1), fixed.stderr
    after = form.read_text(encoding="utf-8")
    assert "一是党建" not in after and "（一）一要" not in after and "一、" not in after
    assert after == (
        before.replace("一是党建", "党建", 1)
        .replace("2.", "", 1)
        .replace("heading: 一、", "heading: ", 1)
        .replace("（一）一要抓学习", "抓学习", 1)
    )
    assert "structure.typed-numbering" not in run_cli("check", form).stdout


def test_check_leaves_unnumbered_values_alone(make_form: FormMaker) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["achievements"][0]["detail"] = "一是坚持书记抓，二是坚持抓书记。"

    result = run_cli("check", make_form(edit))
    assert "structure.typed-numbering" not in result.stdout


@pytest.mark.parametrize(
    ("written", "column", "fixed"),
    [
        ("一是一是抓学习。", 1, "一是抓学习。"),
        ("一、一、突出政治统领", 1, "一、突出政治统领"),
        ("（一）（一）抓落实", 1, "（一）抓落实"),
        ("一要一要抓落实。", 1, "一要抓落实。"),
        (
            "集中表现在：一是学习不够。二是2.落实不力。",
            14,
            "集中表现在：一是学习不够。二是落实不力。",
        ),
    ],
)
def test_check_finds_doubled_numbering_in_text_and_fix_keeps_one(
    tmp_path: Path, written: str, column: int, fixed: str
) -> None:
    speech, result = check_line(tmp_path, written)
    assert result.exit_code == 1
    assert f"{speech}:2:{column}: 错误: [structure.doubled-numbering] 序号“" in result.stdout
    run_cli("check", speech, "--fix")
    assert speech.read_text(encoding="utf-8") == f"同志们：\n{fixed}\n"


def test_numbered_lists_of_several_kinds_are_not_doubled(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text("荣获一、二、三等奖。\n一是1000余名党员参加。\n", encoding="utf-8")
    assert "doubled-numbering" not in run_cli("check", speech).stdout


def test_typed_numbering_warning_names_no_format_slot(make_form: FormMaker, tmp_path: Path) -> None:
    result = run_cli("render", make_form(typed), "-f", "txt", "-o", tmp_path / "out")
    assert not re.search(r"\{\d*\}", result.stderr)
