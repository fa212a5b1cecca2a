"""Placeholders are located errors in check, and those that stand for content stop a render."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafter.lint.rules import builtin_rules

from .conftest import run_cli
from .speech_check import check_line

FormMaker = Callable[..., Path]


@pytest.mark.parametrize(
    ("written", "rule", "column"),
    [
        ("按照【请填写组织单位】统一要求。", "placeholder.fill-in", 3),
        ("同志们，……", "placeholder.ellipsis", 5),
        ("各基层党组织……成效显著。", "placeholder.ellipsis", 7),
        ("X镇党委书记带头讲党课。", "placeholder.letter", 1),
        ("今年召开第X次全体会议。", "placeholder.letter", 6),
        ("按照某党委统一要求。", "placeholder.mou-organ", 3),
        ("某某单位坚持以党建促发展。", "placeholder.mou", 1),
        ("全年共开展活动【待补】次。", "placeholder.todo", 8),
        ("典型做法[此处补充本单位的做法]。", "placeholder.todo", 5),
        ("参与人数（此处写明人数）较往年增加。", "placeholder.todo", 5),
        ("XXX同志带头确立为民实事4件。", "placeholder.xxx", 1),
        ("典型做法（根据实际情况填写）。", "placeholder.todo", 5),
        ("【编者按：本文有删节】同志们好。", "placeholder.todo", 1),
        ("具体措施（略）。", "placeholder.todo", 5),
        ("要带头（注：此段可删减）。", "placeholder.todo", 4),
        ("全市*市各级党组织认真落实。", "placeholder.mou-organ", 3),
        ("堅持某黨委统一要求。", "placeholder.mou-organ", 3),
    ],
)
def test_check_reports_each_placeholder_as_an_error_at_its_place(
    tmp_path: Path, written: str, rule: str, column: int
) -> None:
    speech, result = check_line(tmp_path, written)
    assert result.exit_code == 1
    assert f"{speech}:2:{column}: 错误: [{rule}] " in result.stdout, result.stdout


@pytest.mark.parametrize(
    "written",
    [
        "学习、交流……等活动。",
        "正如古人所说：“路漫漫其修远兮……”",
        "组织党员拍X光片体检。",
        "在某些方面还有差距。",
    ],
)
def test_a_real_ellipsis_letter_or_some_is_no_placeholder(tmp_path: Path, written: str) -> None:
    assert "[placeholder." not in check_line(tmp_path, written)[1].stdout


def test_only_name_markers_let_a_render_go_on() -> None:
    going_on = {r.id for r in builtin_rules().rules if r.family == "占位符" and not r.stops_render}
    assert going_on == {"placeholder.xxx", "placeholder.mou", "placeholder.circles"}


def with_ellipsis(data: dict[str, Any]) -> None:
    data["problems"]["items"][0]["detail"] = "有的单位……"


def test_an_ellipsis_standing_for_text_stops_render_at_its_place(
    tmp_path: Path, make_form: FormMaker
) -> None:
    form = make_form(with_ellipsis, name="gap.yaml")
    lines = form.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "有的单位……" in line)
    column = lines[number - 1].index("……") + 1
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{form}:{number}:{column}: 错误: [placeholder.ellipsis] " in result.stderr
    assert not (tmp_path / "out" / "gap.txt").exists()


def with_note(data: dict[str, Any]) -> None:
    data["achievements"][0]["detail"] = "各位书记认真履职（根据实际情况补充典型事例）。"


def test_an_editor_note_in_a_form_stops_render_at_its_place(
    tmp_path: Path, make_form: FormMaker
) -> None:
    form = make_form(with_note, name="noted.yaml")
    lines = form.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "（根据实际" in line)
    column = lines[number - 1].index("（根据实际") + 1
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{form}:{number}:{column}: 错误: [placeholder.todo] " in result.stderr, result.stderr
    checked = run_cli("check", form)
    assert f"{form}:{number}:{column}: 错误: [placeholder.todo] " in checked.stdout


def with_marker(data: dict[str, Any]) -> None:
    data["meeting"]["reporters"] = "【请填写述职人】"
    data["achievements"][1]["point"] = "X镇党建责任落实到位"


def test_render_refuses_a_form_with_a_placeholder_and_names_each(
    tmp_path: Path, make_form: FormMaker
) -> None:
    form = make_form(with_marker, name="marked.yaml")
    result = run_cli("render", form, "-f", "txt", "-f", "docx", "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = form.read_text(encoding="utf-8").splitlines()
    marker = next(n for n, line in enumerate(lines, 1) if "【请填写述职人】" in line)
    column = lines[marker - 1].index("【") + 1
    assert (
        f"{form}:{marker}:{column}: 错误: [placeholder.fill-in] “【请填写述职人】”" in result.stderr
    )
    letter = next(n for n, line in enumerate(lines, 1) if "X镇" in line)
    assert f"{form}:{letter}:" in result.stderr and "[placeholder.letter]" in result.stderr
    assert "讲话稿中还有待填写的占位符，已停止生成" in result.stderr
    assert not (tmp_path / "out" / "marked.txt").exists()
    assert not (tmp_path / "out" / "marked.docx").exists()


def test_render_of_the_example_with_name_markers_still_writes_and_warns(
    tmp_path: Path, make_form: FormMaker
) -> None:
    form = make_form(name="names.yaml")
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "names.txt").exists()
    assert "警告: [placeholder.xxx]" in result.stderr


def test_render_strict_still_refuses_every_finding_as_an_input_error(
    tmp_path: Path, make_form: FormMaker
) -> None:
    result = run_cli("render", make_form(), "--strict", "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "已按 --strict 停止生成" in result.stderr
