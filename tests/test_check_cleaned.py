"""Rules read the text as it reads after cleaning, and report where the writer typed it.

Traditional characters are converted, pinyin and invisible characters removed before the
other rules look: web noise no longer hides a finding until after `--fix`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import run_cli
from .speech_check import check_line

FormMaker = Callable[..., Path]
WORK = ("学习", "落实", "考核", "作风")
SECTIONS = "".join(f"{n}、抓{w}\n要抓{w}。\n" for n, w in zip("一二三四", WORK, strict=True))


def test_a_traditional_formulation_is_found_at_its_place_before_fix(tmp_path: Path) -> None:
    speech, result = check_line(tmp_path, "要堅定三個自信。", name="speech.txt")
    assert f"{speech}:2:4: 警告: [tifa.three-confidences] " in result.stdout, result.stdout
    assert f"{speech}:2:5: 警告: [script.traditional] " in result.stdout


def test_fix_converts_the_characters_and_the_formulation_stays_found(tmp_path: Path) -> None:
    speech, _ = check_line(tmp_path, "要堅定三個自信。")
    fixed = run_cli("check", speech, "--fix")
    assert speech.read_text(encoding="utf-8") == "同志们：\n要坚定三个自信。\n"
    assert f"{speech}:2:4: 警告: [tifa.three-confidences] " in fixed.stdout
    run_cli("check", speech, "--fix-all")
    assert speech.read_text(encoding="utf-8") == "同志们：\n要坚定四个自信。\n"


def test_a_count_claim_in_traditional_characters_is_checked(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text(f"同志们：\n下面，我講三點意見。\n{SECTIONS}", encoding="utf-8")
    found = run_cli("check", speech).stdout
    assert f"{speech}:2:4: 错误: [structure.count-claims] “我讲三点意见”" in found, found
    assert "下文实际有四部分" in found


def test_a_formulation_under_pinyin_is_found_where_it_starts(tmp_path: Path) -> None:
    speech, result = check_line(tmp_path, "深入学习十(shí)九(jiǔ)大精神。")
    assert f"{speech}:2:5: 警告: [tifa.19da-spirit] " in result.stdout, result.stdout
    run_cli("check", speech, "--fix")
    assert speech.read_text(encoding="utf-8") == "同志们：\n深入学习十九大精神。\n"
    after = run_cli("check", speech, "--fix-all")
    assert "tifa.19da-spirit" in after.stdout  # reported as fixed
    assert speech.read_text(encoding="utf-8") == "同志们：\n深入学习二十大精神。\n"


def test_an_invisible_character_inside_a_formulation_hides_nothing(tmp_path: Path) -> None:
    speech, result = check_line(tmp_path, "深入学习党的十九\u200b大精神。")
    assert f"{speech}:2:5: 警告: [tifa.19da-spirit] " in result.stdout, result.stdout


def traditional_topic(data: dict[str, Any]) -> None:
    data["measures"]["theme"] = "進一步堅定三個自信"


def test_a_form_value_is_read_cleaned_and_located_in_the_form(make_form: FormMaker) -> None:
    form = make_form(traditional_topic)
    lines = form.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "三個自信" in line)
    column = lines[number - 1].index("三個自信") + 1
    found = run_cli("check", form).stdout
    assert f"{form}:{number}:{column}: 警告: [tifa.three-confidences] " in found, found
