"""提法 rules match the real variants of an outdated wording, and leave dated history alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli
from .speech_check import check_line


@pytest.mark.parametrize(
    ("written", "rule", "column"),
    [
        ("学习贯彻党的十九大和二十届历次全会精神。", "tifa.19da-with-plenums", 5),
        ("学习贯彻党的十九大和十九届历次全会精神。", "tifa.19da-with-plenums", 5),
        ("认真学习十九大及十九届四中、五中全会精神。", "tifa.19da-with-plenums", 5),
        ("学习贯彻党的十九届六中全会精神。", "tifa.19th-plenums", 5),
        ("深入学习新冠病毒肺炎防控知识。", "tifa.covid-short-name", 5),
    ],
)
def test_a_variant_is_found_at_its_place(
    tmp_path: Path, written: str, rule: str, column: int
) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text(f"同志们：\n{written}\n", encoding="utf-8")
    found = run_cli("check", speech, "--date", "2026-11-28").stdout
    assert f"{speech}:2:{column}: 警告: [{rule}] " in found, found
    assert found.count("[tifa.") == 1, found  # one wording, one finding


@pytest.mark.parametrize(
    "written",
    [
        "党的十九大以来，各级党组织认真落实。",
        "党的十九大报告指出，要全面从严治党。",
        "学习贯彻党的二十大和二十届历次全会精神。",
    ],
)
def test_dated_history_and_the_current_wording_pass(tmp_path: Path, written: str) -> None:
    assert "[tifa." not in check_line(tmp_path, written)[1].stdout


def test_fix_leaves_wording_and_fix_all_replaces_only_what_has_one_replacement(
    tmp_path: Path,
) -> None:
    speech = tmp_path / "speech.txt"
    text = "同志们：\n学习贯彻党的十九大精神，学习贯彻党的十九大和二十届历次全会精神。\n"
    speech.write_text(text, encoding="utf-8")
    run_cli("check", speech, "--fix", "--date", "2026-11-28")
    assert speech.read_text(encoding="utf-8") == text
    run_cli("check", speech, "--fix-all", "--date", "2026-11-28")
    assert speech.read_text(encoding="utf-8") == (
        "同志们：\n学习贯彻党的二十大精神，学习贯彻党的十九大和二十届历次全会精神。\n"
    )
