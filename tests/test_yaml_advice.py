"""YAML slips are explained as the slip the writer made: a left-out "- ", a dash without its
space, a repeated key with its line shown, and every independent slip of a file in one run."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_cli

BAD = Path(__file__).parent / "fixtures" / "bad"


def errors(form: Path, tmp_path: Path) -> list[str]:
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 2, result.stderr
    return result.stderr.splitlines()


def test_independent_slips_after_a_syntax_error_come_in_the_same_run(tmp_path: Path) -> None:
    form = BAD / "several-slips.yaml"
    said = errors(form, tmp_path)
    located = [line.split(": 错误: ")[0] for line in said if ": 错误: " in line]
    assert located == [f"{form}:3:12", f"{form}:5:12", f"{form}:9:5", f"{form}:10:1"], said
    assert any("冒号后面少了一个空格" in line for line in said)
    assert any("“-”后面要空一格" in line for line in said)
    assert any("Tab 键缩进" in line for line in said)


def test_a_repeated_first_key_of_a_list_item_is_a_missing_dash_said_once(tmp_path: Path) -> None:
    said = errors(BAD / "missing-dash-repeated-key.yaml", tmp_path)
    assert sum("前面少了“- ”" in line for line in said) == 1, said
    assert not any("重复的键" in line or "合并" in line for line in said)
    assert "    13 |     point: 作风建设持续加强" in said


def test_a_repeated_key_echoes_its_line_with_a_caret(tmp_path: Path) -> None:
    form = BAD / "duplicate-key.yaml"
    said = errors(form, tmp_path)
    at = said.index(
        next(line for line in said if line.startswith(f"{form}:5:3: 错误: 重复的键 name"))
    )
    assert said[at + 1] == "     5 |   name: 又一个会议名称"
    assert said[at + 2] == "       |   ^"
    assert "请删去多余的一处" in said[at]


def test_an_unknown_key_does_not_claim_the_run_goes_on(tmp_path: Path) -> None:
    said = "\n".join(errors(BAD / "misspelled-key.yaml", tmp_path))
    assert "是否想写 achievements" in said
    assert "忽略" not in said


FORM_HEAD = "template: review-commentary\nmeeting:\n  organizer：XX局党组\n  name: 述职评议会议\n"


def test_a_slip_with_a_sure_fix_is_fixed_in_memory_to_find_the_next(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    tail = "assessment:\n  impressions:\n    - 大家准备认真\n    报告实事求是\n"
    form.write_text(FORM_HEAD + tail, encoding="utf-8")
    said = errors(form, tmp_path)
    located = [line.split(": 错误: ")[0] for line in said if ": 错误: " in line]
    assert located == [f"{form}:3:12", f"{form}:8:5"], said
    assert any("前面少了“- ”" in line for line in said)


def test_after_a_slip_without_a_sure_fix_only_line_slips_follow(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    tail = "  topic 述职\nassessment:\n  impressions:\n    - 甲\n    乙\n  conclusion:好\n"
    form.write_text(FORM_HEAD + tail, encoding="utf-8")
    said = errors(form, tmp_path)
    located = [line.split(": 错误: ")[0] for line in said if ": 错误: " in line]
    # 3: full-width colon (fixed in memory); 5: no colon (no sure fix, parsing stops there);
    # 10: a colon without its space, a slip by itself. 乙 on line 9 waits for the next run.
    assert located == [f"{form}:3:12", f"{form}:5:3", f"{form}:10:13"], said
