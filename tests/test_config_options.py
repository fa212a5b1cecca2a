"""Typed options: one yes/no word list, located Chinese errors and unknown keys refused in every file kind."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from drafter.config.located_yaml import STYLE_FILE, load_located, parse_located
from drafter.config.options import (
    Choice,
    Date,
    ListOf,
    Mapping,
    Number,
    Reading,
    Size,
    Text,
    YesNo,
)
from drafter.errors import Diagnostic, PresetError, RuleError, TemplateError
from drafter.lint.rules import read_rule_file
from drafter.packs.fields import validate
from drafter.packs.finder import find_pack
from drafter.presets import load_preset

from .conftest import CONFIGS, ROOT, run_drafter, write_variant

# The words the issue names, and what each means, in every kind of file.
YES_NO = [
    ("是", True), ("否", False), ("true", True), ("false", False),
    ("yes", True), ("no", False), ("on", True), ("off", False),
]  # fmt: skip


def read(option: Mapping, text: str) -> tuple[dict[str, Any] | None, list[str]]:
    """Read YAML text with `option`; the values and each problem as 'LINE:COL message'."""
    located = parse_located(text, "s.yaml", STYLE_FILE)
    reading = Reading(located)
    values = option.read(located.data, (), reading)
    return values, [f"{d.line}:{d.column} {d.message}" for d in reading.all_problems()]


# ── the options themselves ────────────────────────────────────────────────────────────

SETTINGS = Mapping(
    "设置",
    {
        "bold": YesNo("加粗"),
        "day": Date("日期"),
        "size": Size("字号"),
        "count": Number("行数", low=1, high=50, integer=True),
        "lead": Choice(
            "强调", choices={"none": "不强调", "bold": "加粗"}, aliases={"加粗": "bold"}
        ),
        "names": ListOf(Text("名字"), "名字"),
        "title": Text("标题", required=True),
    },
    where="样式文件中",
)


@pytest.mark.parametrize(("word", "meaning"), [*YES_NO, ("要", True), ("不要", False), ("Y", True)])
def test_yes_no_reads_every_word_of_the_one_list(word: str, meaning: bool) -> None:
    values, problems = read(SETTINGS, f"title: 讲话\nbold: {word}\n")
    assert problems == [] and values == {"title": "讲话", "bold": meaning}


def test_each_option_reads_its_kind_of_value() -> None:
    text = "title: 讲话\nday: 2021年1月26日\nsize: 小三\ncount: 22\nlead: 加粗\nnames: 张三\n"
    values, problems = read(SETTINGS, text)
    assert problems == []
    assert values == {
        "title": "讲话", "day": dt.date(2021, 1, 26), "size": 15.0,
        "count": 22, "lead": "bold", "names": ["张三"],
    }  # fmt: skip


def test_every_problem_of_a_file_is_located_at_once() -> None:
    text = (
        "bold: 也许\n"
        "day: 2021-02-30\n"
        "size: 大二\n"
        "count: 两\n"
        "lead: 斜体\n"
        "names: {a: b}\n"
        "sise: 三号\n"
    )
    _, problems = read(SETTINGS, text)
    assert problems == [
        "1:1 样式文件中缺少 title（标题）",
        "1:7 加粗（bold）应填 是 或 否（也可写 true / false），这里写成了 也许",
        "2:6 日期（day）不是有效日期：2021-02-30；请写成 2021-01-26 或 2021年1月26日",
        problems[3],
        "4:8 行数（count）的值 两 无法识别；应为整数，如 2",
        "5:7 强调（lead）应为 none（不强调）或 bold（加粗） 之一，这里写成了 斜体",
        "6:8 名字（names）应为列表（每一项另起一行，以“- ”开头），这里写成了条目（键: 值）",
        "7:1 样式文件中没有设置项 sise，是否想写 size（字号）？",
    ]
    assert problems[3].startswith("3:7 字号（size）的值 大二 无法识别") and "小三" in problems[3]


def test_numbers_outside_their_range_are_refused() -> None:
    _, problems = read(SETTINGS, "title: 讲话\ncount: 99\n")
    assert problems == ["2:8 行数（count）为 99，超出了合理范围（1～50）"]


def test_an_unknown_key_far_from_every_known_one_lists_the_choices() -> None:
    _, problems = read(Mapping("设置", {"bold": YesNo("加粗")}, where="样式文件中"), "zzz: 1\n")
    assert problems == ["1:1 样式文件中没有设置项 zzz；这里可以写：bold（加粗）"]


# ── one yes/no word list in forms, style files and rule files ─────────────────────────


@pytest.mark.parametrize(("word", "meaning"), YES_NO)
def test_yes_no_words_in_a_form(tmp_path: Path, word: str, meaning: bool) -> None:
    form = write_variant(
        CONFIGS / "review-commentary-3part.example.yaml",
        tmp_path / "form.yaml",
        lambda data: data.update(subheadings=word),
    )
    data = validate(load_located(form), find_pack("review-commentary-3part").schema)
    assert data["subheadings"] is meaning


@pytest.mark.parametrize(("word", "meaning"), YES_NO)
def test_yes_no_words_in_a_style_file(tmp_path: Path, word: str, meaning: bool) -> None:
    style = tmp_path / "office.yaml"
    style.write_text(f"base: gbt9704\ntitle: {{bold: {word}}}\n", encoding="utf-8")
    assert load_preset(str(style)).title.bold is meaning


def office_rule(tmp_path: Path, settings: str) -> Path:
    """A rule file holding one valid rule, with `settings` lines added to it."""
    rules = tmp_path / "office.yaml"
    rule = (
        "rules:\n  - id: office.zone\n    pattern: 开发区\n    message: 已更名\n    source: 通知\n"
    )
    rules.write_text(rule + settings, encoding="utf-8")
    return rules


@pytest.mark.parametrize(("word", "meaning"), YES_NO)
def test_yes_no_words_in_a_rule_file(tmp_path: Path, word: str, meaning: bool) -> None:
    rules = office_rule(tmp_path, f"    replace: 高新区\n    safe: {word}\n    regex: {word}\n")
    [rule], _ = read_rule_file(rules)
    assert rule.safe is meaning and rule.regex is meaning


# ── manifests: typos and bad values are located errors, exit 2, no traceback ──────────


def user_pack(workdir: Path, *changes: tuple[str, str]) -> Path:
    """Copy review-commentary into workdir/templates/x, edit its manifest, and write a form for it."""
    pack = workdir / "templates" / "x"
    shutil.copytree(ROOT / "templates" / "review-commentary", pack)
    manifest = pack / "template.yaml"
    text = manifest.read_text(encoding="utf-8").replace("id: review-commentary", "id: x", 1)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    manifest.write_text(text, encoding="utf-8")
    write_variant(
        CONFIGS / "review-commentary.example.yaml",
        workdir / "form.yaml",
        lambda data: data.update(template="x"),
    )
    return manifest


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_a_misspelled_field_setting_in_a_manifest_is_a_located_error(tmp_path: Path) -> None:
    manifest = user_pack(
        tmp_path,
        (
            "      name:\n        label: 会议名称\n        required: true",
            "      name:\n        label: 会议名称\n        requried: true",
        ),
    )
    result = run_drafter("render", "form.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = line_of(manifest, "requried: true")
    assert (
        f"{manifest.resolve()}:{line}:9: 错误: 模板清单中字段 meeting.name 没有设置项 requried，"
        "是否想写 required（是否必填）？"
    ) in result.stderr


def test_a_count_written_in_words_in_a_manifest_is_a_located_error(tmp_path: Path) -> None:
    manifest = user_pack(
        tmp_path, ("        type: list\n", "        type: list\n        min_items: 两\n")
    )
    for command in (("render", "form.yaml"), ("templates", "x")):
        result = run_drafter(*command, cwd=tmp_path)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        line = line_of(manifest, "min_items: 两")
        assert f"{manifest.resolve()}:{line}:20: 错误: 模板清单中字段 " in result.stderr
        assert "的最少项数（min_items）的值 两 无法识别；应为整数" in result.stderr


def test_an_unknown_top_level_key_in_a_manifest_is_a_located_error(tmp_path: Path) -> None:
    manifest = user_pack(tmp_path, ("entry: speech.j2", "entyr: speech.j2"))
    result = run_drafter("templates", "x", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = line_of(manifest, "entyr:")
    assert (
        f"{manifest.resolve()}:{line}:1: 错误: 模板清单中没有设置项 entyr，是否想写 entry（入口模板文件）？"
    ) in result.stderr


def test_a_manifest_reports_all_its_problems_at_once(tmp_path: Path) -> None:
    manifest = user_pack(
        tmp_path,
        ("entry: speech.j2", "entyr: speech.j2"),
        ("        type: list\n", "        type: lsit\n"),
    )
    result = run_drafter("templates", "x", cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if ": 错误: " in line]
    assert len(errors) == 2, result.stderr
    assert (
        f":{line_of(manifest, 'type: lsit')}:15: 错误: " in errors[1]
        and "是否想写 list" in errors[1]
    )


# ── unknown keys in style files and rule files ────────────────────────────────────────


def test_unknown_keys_in_a_style_file_are_located(tmp_path: Path) -> None:
    style = tmp_path / "office.yaml"
    style.write_text("base: gbt9704\nbody: {font: 仿宋, blod: on}\nmargin: 3\n", encoding="utf-8")
    result = run_drafter(
        "render", ROOT / "configs/review-commentary.example.yaml", "--style", style
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        f"{style}:2:18: 错误: 「正文（body）」中没有设置项 blod，是否想写 bold（加粗）？"
        in result.stderr
    )
    assert f"{style}:3:1: 错误: 样式文件中没有设置项 margin" in result.stderr


def rule_file_problems(tmp_path: Path, text: str) -> list[Diagnostic]:
    """What reading a rule file with `text` reports."""
    rules = tmp_path / "office.yaml"
    rules.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        read_rule_file(rules)
    return caught.value.diagnostics


def test_unknown_keys_in_a_rule_file_are_located(tmp_path: Path) -> None:
    text = "famly: 本单位\nrules:\n  - id: office.zone\n    pattern: 开发区\n    mesage: 已更名\n"
    found = [(d.line, d.column, d.message) for d in rule_file_problems(tmp_path, text)]
    assert (1, 1, "规则文件顶层没有设置项 famly，是否想写 family（规则类别）？") in found
    assert (5, 5, "规则中没有字段 mesage，是否想写 message（提示）？") in found
    assert any("缺少 message（提示）" in message for _, _, message in found)


def test_a_rule_file_syntax_error_names_the_rule_file(tmp_path: Path) -> None:
    [problem] = rule_file_problems(tmp_path, "- 一条\n- 两条\n")
    assert problem.message.startswith("规则文件的最外层应为“键: 值”条目") and problem.line == 1


# ── the loader names the kind of file and raises its error class ──────────────────────


def test_an_empty_style_file_is_named_a_style_file(tmp_path: Path) -> None:
    style = tmp_path / "office.yaml"
    style.write_text("# 只有注释\n", encoding="utf-8")
    with pytest.raises(PresetError) as caught:
        load_preset(str(style))
    [problem] = caught.value.diagnostics
    assert (problem.path, problem.line, problem.message) == (str(style), 1, "样式文件是空的")


def test_a_manifest_that_is_a_list_is_a_template_error(tmp_path: Path) -> None:
    pack = tmp_path / "templates" / "x"
    pack.mkdir(parents=True)
    (pack / "template.yaml").write_text("- id: x\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        find_pack("x", near=tmp_path)
    assert caught.value.diagnostics[0].message.startswith("模板清单的最外层应为“键: 值”条目")


def test_a_field_left_empty_in_a_manifest_is_a_located_error(tmp_path: Path) -> None:
    manifest = user_pack(tmp_path, ("  meeting:\n", "  greeting:\n  meeting:\n"))
    with pytest.raises(TemplateError) as caught:
        find_pack("x", near=tmp_path)
    [problem] = caught.value.diagnostics
    assert problem.line == line_of(manifest, "greeting:")
    assert problem.message == "模板清单中字段 greeting 的定义应为条目（label、type 等）"


def test_a_style_file_still_reads_its_own_bold_words(tmp_path: Path) -> None:
    style = tmp_path / "office.yaml"
    style.write_text("base: gbt9704\ntitle: {bold: 加粗}\nbody: {bold: 不加粗}\n", encoding="utf-8")
    preset = load_preset(str(style))
    assert preset.title.bold is True and preset.body.bold is False


def test_rule_dates_are_read_like_form_dates(tmp_path: Path) -> None:
    rules = office_rule(tmp_path, "    since: 2022年10月22日\n    until: 2030/1/1\n")
    [rule], _ = read_rule_file(rules)
    assert (rule.since, rule.until) == (dt.date(2022, 10, 22), dt.date(2030, 1, 1))
