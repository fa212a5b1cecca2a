"""`drafter check` as a writer runs it: located findings, exit codes, --fix on copies."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import EXAMPLE, REFERENCE, run_cli, run_drafter

ORIGINAL = REFERENCE.parent / "model-speech.original.txt"  # the web copy: traditional + pinyin
FormMaker = Callable[..., Path]
LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<label>警告|错误): \[(?P<rule>[\w.-]+)\] "
)
SCRIPT_AND_PUNCTUATION = ("script.traditional", "script.pinyin", "punct.halfwidth-")


def findings(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for line in output.splitlines() if (m := LINE.match(line))]


def rules_in(output: str) -> set[str]:
    return {f["rule"] for f in findings(output)}


def body(path: Path) -> str:
    """A text file's content without its final newline (the two reference files differ there)."""
    return path.read_text(encoding="utf-8").rstrip("\n")


def copy_to(tmp_path: Path, source: Path, name: str | None = None) -> Path:
    target = tmp_path / (name or source.name)
    shutil.copyfile(source, target)
    return target


def test_original_web_copy_reports_traditional_pinyin_and_halfwidth_with_locations() -> None:
    result = run_cli("check", ORIGINAL)
    assert result.exit_code == 1, result.stderr
    found = findings(result.stdout)
    first = {f["rule"]: (int(f["line"]), int(f["col"])) for f in reversed(found)}
    assert first["script.traditional"] == (1, 3)  # 在基層… : 層 is the third character
    assert first["script.pinyin"] == (1, 8)  # 書(shū)
    assert first["punct.halfwidth-comma"] == (3, 18)  # 按照XXX黨委統(tǒng)一要求,今天
    assert all(f["path"] == str(ORIGINAL) for f in found)


def test_fix_on_a_copy_of_the_web_copy_leaves_no_traditional_pinyin_or_halfwidth(
    tmp_path: Path,
) -> None:
    original = copy_to(tmp_path, ORIGINAL)
    fixed = run_cli("check", "--fix", original)
    assert "已修改: [script.pinyin] 删除“(shū)”" in fixed.stdout
    again = run_cli("check", original)
    assert not [r for r in rules_in(again.stdout) if r.startswith(SCRIPT_AND_PUNCTUATION)]
    text = original.read_text(encoding="utf-8")
    assert "書" not in text and "(shū)" not in text and "," not in text


def test_fixed_web_copy_is_the_fixed_simplified_reference(tmp_path: Path) -> None:
    original = copy_to(tmp_path, ORIGINAL)
    simplified = copy_to(tmp_path, REFERENCE)
    run_cli("check", "--fix", original, simplified)
    assert body(original) == body(simplified)


def test_example_form_on_its_own_date_has_no_finding_for_19da_spirit() -> None:
    result = run_cli("check", EXAMPLE)
    assert "tifa.19da-spirit" not in rules_in(result.stdout)
    assert not [r for r in rules_in(result.stdout) if r.startswith("tifa.")]


def test_example_form_checked_as_2026_flags_19da_spirit_with_suggestion_and_date() -> None:
    result = run_cli("check", EXAMPLE, "--date", "2026-11-28")
    line = next(line for line in result.stdout.splitlines() if "[tifa.19da-spirit]" in line)
    assert line.startswith(f"{EXAMPLE}:80:46: 警告: ")
    assert "自2022年10月22日起" in line
    assert line.endswith("(建议: 党的二十大精神)")


def test_hand_written_count_in_closing_disagrees_with_four_sections(make_form: FormMaker) -> None:
    def four_sections(data: dict[str, Any]) -> None:
        sections = data["measures"]["sections"]
        sections.append({"heading": "加强作风建设", "points": [{"point": "严明纪律"}]})
        data["closing"] = "同志们，我讲三点意见，希望大家抓好落实。"

    form = make_form(four_sections)
    result = run_cli("check", form)
    claim = [f for f in findings(result.stdout) if f["rule"] == "structure.count-claims"]
    assert len(claim) == 1
    lines = form.read_text(encoding="utf-8").splitlines()
    assert "我讲三点意见" in lines[int(claim[0]["line"]) - 1]
    assert "讲话实际有四部分" in result.stdout and "(建议: 我讲四点意见)" in result.stdout


def test_generated_count_of_points_is_never_flagged(make_form: FormMaker) -> None:
    def four_sections(data: dict[str, Any]) -> None:
        data["measures"]["sections"].append(
            {"heading": "加强作风建设", "points": [{"point": "严明纪律"}]}
        )

    assert "structure.count-claims" not in rules_in(
        run_cli("check", make_form(four_sections)).stdout
    )


def test_one_two_four_in_a_form_value_is_flagged_at_its_line(make_form: FormMaker) -> None:
    def skip_three(data: dict[str, Any]) -> None:
        data["problems"]["items"][0]["detail"] = "一是学习不深入。二是落实不有力。四是考核不严格。"

    form = make_form(skip_three)
    result = run_cli("check", form)
    gap = [f for f in findings(result.stdout) if f["rule"] == "structure.numbering"]
    assert len(gap) == 1, result.stdout
    line = form.read_text(encoding="utf-8").splitlines()[int(gap[0]["line"]) - 1]
    assert line[int(gap[0]["col"]) - 1 :].startswith("四是考核")
    assert "缺少“三是”" in result.stdout


def test_fix_keeps_form_comments_and_layout_and_lists_each_change(tmp_path: Path) -> None:
    pristine = EXAMPLE.read_text(encoding="utf-8")
    damaged = (
        pristine.replace("reporters: 各位党组织书记", "reporters: 各位黨組織書(shū)記")
        .replace("- 总结成绩实事求是", "- 总结成绩,实事求是")
        .replace("conclusion: 体现了高度的政治责任感", "conclusion: '体现了高度的政治責任感'")
    )
    form = tmp_path / "form.yaml"
    form.write_text(damaged, encoding="utf-8")
    result = run_cli("check", "--fix", form)
    changes = [line for line in result.stdout.splitlines() if ": 已修改: " in line]
    assert changes == [
        f"{form}:21:16: 已修改: [script.traditional] “黨組織書” → “党组织书”",
        f"{form}:21:20: 已修改: [script.pinyin] 删除“(shū)”",
        f"{form}:21:25: 已修改: [script.traditional] “記” → “记”",
        f"{form}:27:11: 已修改: [punct.halfwidth-comma] “,” → “，”",
        f"{form}:31:24: 已修改: [script.traditional] “責” → “责”",
    ]
    expected = pristine.replace("- 总结成绩实事求是", "- 总结成绩，实事求是").replace(
        "conclusion: 体现了高度的政治责任感", "conclusion: '体现了高度的政治责任感'"
    )
    assert form.read_text(encoding="utf-8") == expected


def test_fix_keeps_block_scalars_and_crlf_line_endings(tmp_path: Path) -> None:
    pristine = EXAMPLE.read_text(encoding="utf-8")
    block = "  impact: |\n    这些问题,削弱了凝聚力\n    和戰鬥力\n"
    damaged = re.sub(r"  impact: .*\n", block, pristine).replace("\n", "\r\n")
    form = tmp_path / "form.yaml"
    form.write_bytes(damaged.encode("utf-8"))
    run_cli("check", "--fix", form)
    expected = damaged.replace("这些问题,削弱", "这些问题，削弱").replace("戰鬥", "战斗")
    assert form.read_bytes() == expected.encode("utf-8")


def test_fix_never_rewrites_a_tifa_without_fix_all(tmp_path: Path) -> None:
    form = copy_to(tmp_path, EXAMPLE)
    run_cli("check", "--fix", "--date", "2026-11-28", form)
    assert form.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    result = run_cli("check", "--fix-all", "--date", "2026-11-28", form)
    assert "已修改: [tifa.19da-spirit] “党的十九大精神” → “党的二十大精神”" in result.stdout
    expected = EXAMPLE.read_text(encoding="utf-8").replace("党的十九大精神", "党的二十大精神")
    assert form.read_text(encoding="utf-8") == expected


def test_clean_text_exits_0_and_reports_its_length(tmp_path: Path) -> None:
    speech = tmp_path / "clean.txt"
    speech.write_text("同志们：\n今天的会议开得很好。\n谢谢大家！\n", encoding="utf-8")
    result = run_cli("check", speech, "--pace", "60")
    assert result.exit_code == 0, result.stdout
    assert f"{speech}: 篇幅: 共 16 字（不计标点），按每分钟 60 字计约 16 秒" in result.stdout


def test_length_is_reported_per_section(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text(
        "开场白一句。\n一、第一部分\n内容十个字内容十个字。\n二、第二部分\n内容。\n",
        encoding="utf-8",
    )
    lines = run_cli("check", speech).stdout.splitlines()
    assert "    开头  5 字  约 2 秒" in lines
    assert "    一、第一部分  15 字  约 5 秒" in lines
    assert "    二、第二部分  7 字  约 2 秒" in lines


def test_missing_file_exits_2_and_others_are_still_checked(tmp_path: Path) -> None:
    result = run_drafter("check", tmp_path / "none.txt", ORIGINAL)
    assert result.returncode == 2
    assert "找不到文件" in result.stderr and "Traceback" not in result.stderr
    assert "script.traditional" in result.stdout


def test_bad_date_is_a_usage_error() -> None:
    result = run_cli("check", EXAMPLE, "--date", "2026-13-01")
    assert result.exit_code == 2
    assert "--date 的日期无效：2026-13-01" in result.stderr


def test_unsupported_file_type_is_an_input_error(tmp_path: Path) -> None:
    sheet = tmp_path / "data.xlsx"
    sheet.write_bytes(b"PK")
    result = run_cli("check", sheet)
    assert result.exit_code == 2 and "只支持" in result.stderr


def test_a_doc_renamed_to_docx_is_an_input_error(tmp_path: Path) -> None:
    fake = tmp_path / "old.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 an old binary .doc")
    result = run_drafter("check", fake)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{fake}: 错误: 无法读取 Word 文档" in result.stderr


def test_broken_rules_file_is_located_and_exits_2(tmp_path: Path) -> None:
    rules = tmp_path / "office.yaml"
    rules.write_text(
        "rules:\n  - id: Bad Id\n    pattern: x\n    message: m\n    source: s\n", encoding="utf-8"
    )
    result = run_cli("check", EXAMPLE, "--rules", rules)
    assert result.exit_code == 2
    assert f"{rules}:2:9: 错误: 规则编号 Bad Id 只能用小写英文字母" in result.stderr


def test_office_rules_add_findings(tmp_path: Path) -> None:
    rules = tmp_path / "office.yaml"
    rules.write_text(
        "rules:\n  - id: office.zone\n    pattern: 开发区党工委\n    message: 单位已更名\n"
        "    suggestion: 高新区党工委\n    source: 本单位通知\n",
        encoding="utf-8",
    )
    result = run_cli("check", EXAMPLE, "--rules", rules)
    assert any(f["rule"] == "office.zone" and f["line"] == "64" for f in findings(result.stdout))


def test_json_output_lists_findings_with_locations_and_length() -> None:
    result = run_cli("check", EXAMPLE, "--date", "2026-11-28", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)["files"][0]
    tifa = next(f for f in report["findings"] if f["rule"] == "tifa.19da-spirit")
    assert (tifa["line"], tifa["column"], tifa["since"]) == (80, 46, "2022-10-22")
    assert tifa["suggestion"] == "党的二十大精神" and tifa["safe_fix"] is False
    assert report["date"] == "2026-11-28" and report["length"]["characters"] > 2000


def test_docx_findings_are_located_by_paragraph_and_fixed_inside_runs(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("点评讲话")
    paragraph = document.add_paragraph("深入贯彻党的十九大精神")
    paragraph.add_run("，各位書(shū)記,").bold = True
    path = tmp_path / "speech.docx"
    document.save(str(path))
    result = run_cli("check", path, "--date", "2026-11-28")
    located = {(f["rule"], f["line"], f["col"]) for f in findings(result.stdout)}
    assert ("tifa.19da-spirit", "2", "5") in located
    assert ("script.pinyin", "2", "16") in located
    run_cli("check", "--fix", path)
    fixed = docx.Document(str(path)).paragraphs[1]
    assert fixed.text == "深入贯彻党的十九大精神，各位书记，"
    assert [run.bold for run in fixed.runs] == [None, True]


def test_markdown_from_render_is_checked_with_lines_of_the_md_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    rendered = run_cli("render", EXAMPLE, "-f", "md", "-o", out)
    assert rendered.exit_code == 0, rendered.stderr
    md = out / "review-commentary.example.md"
    result = run_cli("check", md, "--date", "2026-11-28")
    tifa = next(f for f in findings(result.stdout) if f["rule"] == "tifa.19da-spirit")
    line = md.read_text(encoding="utf-8").splitlines()[int(tifa["line"]) - 1]
    assert line[int(tifa["col"]) - 1 :].startswith("党的十九大精神")


@pytest.mark.parametrize("flag", ["--fix", "--fix-all"])
def test_fix_writes_nothing_when_nothing_is_fixable(tmp_path: Path, flag: str) -> None:
    form = copy_to(tmp_path, EXAMPLE)
    before = form.stat().st_mtime_ns
    result = run_cli("check", flag, form)
    assert ": 已修改: " not in result.stdout
    assert form.stat().st_mtime_ns == before


def test_length_follows_the_parts_a_commentary_runs_through_before_its_sections(
    tmp_path: Path,
) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text(
        "同志们：\n今天召开述职评议会议。主要呈现出以下特点：\n"
        "一是责任落实到位。各位书记认真履职。\n二是制度不断完善。\n"
        "在肯定成绩的同时，也要清醒地看到差距。\n"
        "一、抓学习\n要深入学习。\n同志们，让我们共同努力。\n谢谢大家！\n",
        encoding="utf-8",
    )
    lines = run_cli("check", speech).stdout.splitlines()
    titles = [line.split()[0] for line in lines if line.startswith("    ")]
    assert titles == ["开头", "一是责任落实到位", "在肯定成绩的同时", "一、抓学习", "结尾"]
    assert "    开头  22 字  约 7 秒" in lines  # 同志们 and the opening sentences


def test_a_paragraph_over_three_minutes_is_a_finding_at_its_start(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    sentence = "各基层党组织要把学习贯彻党的创新理论作为首要政治任务，"
    speech.write_text(f"同志们：\n{sentence * 23}抓好落实。\n{sentence}\n", encoding="utf-8")
    found = run_cli("check", speech).stdout
    assert f"{speech}:2:1: 警告: [structure.long-paragraph] 这一段约 602 字" in found, found
    assert "超过 3 分钟" in found
    assert f"{speech}:3:" not in found


def long_detail(data: dict[str, Any]) -> None:
    data["achievements"][0]["detail"] = (
        "各基层党组织要把学习贯彻党的创新理论作为首要政治任务，" * 22
    )


def test_a_long_paragraph_of_a_form_is_located_at_its_first_value(make_form: FormMaker) -> None:
    form = make_form(long_detail)
    point = yaml.safe_load(form.read_text(encoding="utf-8"))["achievements"][0]["point"]
    lines = form.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.endswith(f"point: {point}"))
    column = lines[number - 1].index(point) + 1
    found = run_cli("check", form).stdout
    assert f"{form}:{number}:{column}: 警告: [structure.long-paragraph] " in found, found
