import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import EXAMPLE, run_cli, run_drafter

FormMaker = Callable[..., Path]


def test_render_writes_output_docx_next_to_where_it_runs(tmp_path: Path) -> None:
    result = run_drafter("render", EXAMPLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = Path("output") / "review-commentary.example.docx"
    assert result.stdout.strip() == str(target)
    assert (tmp_path / target).stat().st_size > 5_000


def test_a_console_without_a_character_gets_it_escaped_not_a_traceback(tmp_path: Path) -> None:
    """Windows sends redirected output in GBK, which lacks 𠮷 (U+20BB7, found in names).

    Messages on stderr escape it; a path line on stdout is written in UTF-8 instead
    (tests/test_windows.py), so stdout is read line by line.
    """
    form = tmp_path / "𠮷祥.yaml"
    form.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    for verb in ("render", "check"):
        result = subprocess.run(
            [sys.executable, "-m", "drafter", verb, form.name],
            capture_output=True, cwd=tmp_path, env=env, check=False,
        )  # fmt: skip
        stderr = result.stderr.decode("gbk")
        assert "Traceback" not in stderr, stderr
        named = [line for line in result.stdout.splitlines() if "𠮷".encode() in line]
        assert named and all("𠮷祥" in line.decode("utf-8") for line in named)
        assert b"\\U00020bb7" not in result.stdout
    assert (tmp_path / "output" / "𠮷祥.docx").is_file()


def test_each_requested_format_is_written(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, "-f", "txt", "-f", "md", "-f", "docx", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "review-commentary.example.docx",
        "review-commentary.example.md",
        "review-commentary.example.txt",
    ]


FOUR_PROBLEMS = """\
template: review-commentary
meeting:
  organizer: XXX党委
  name: 述职评议会议
  reporters: 各位书记
  name: 重复的会议名称
assessment:
  impressions:
    key: 这里应该是列表
achievements:
  - point: 成绩
problems:
  items:
    - point: 问题
measures:
  theme: 主题
  sectoins:
    - heading: 标题
"""


def test_bad_form_reports_every_problem_with_its_line_and_exits_2(tmp_path: Path) -> None:
    form = tmp_path / "bad.yaml"
    form.write_text(FOUR_PROBLEMS, encoding="utf-8")
    result = run_drafter("render", form, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # Messages start at the line's beginning; an echoed line of the form is indented under one.
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith(" ")]
    assert all(line.startswith(f"{form}:") and ": 错误: " in line for line in lines)
    located = {line.split(":")[1] for line in lines}
    assert {"2", "6", "9", "17"} <= located  # missing topic, duplicate, wrong type, unknown key
    text = result.stderr
    assert "述职内容" in text and "重复的键 name" in text
    assert "应为列表" in text and "是否想写 sections" in text
    assert not (tmp_path / "out").exists()


def test_batch_goes_on_past_a_broken_form_and_exits_1(tmp_path: Path, make_form: FormMaker) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("template: review-commentary\n", encoding="utf-8")
    good = make_form(name="good.yaml")
    result = run_cli("render", broken, good, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "good.txt").exists()
    assert "broken.yaml:1:1: 错误: 缺少必填项" in result.stderr


def test_unknown_template_name_suggests_the_closest(make_form: FormMaker) -> None:
    form = make_form(lambda d: d.update(template="review-comentary"))
    result = run_cli("render", form, "-f", "txt")
    assert result.exit_code == 2
    assert f"{form}:1:11: 错误: 没有名为 review-comentary 的模板，是否想写 review-commentary？" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("option", "fragment"),
    [(("-f", "pptx"), "不支持的输出格式 pptx"), (("--style", "fancy"), "没有名为 fancy 的版式")],
)
def test_unknown_format_or_style_is_a_usage_error(
    make_form: FormMaker, option: tuple[str, str], fragment: str
) -> None:
    result = run_cli("render", make_form(), *option)
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_missing_form_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_drafter("render", tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "找不到表单文件" in result.stderr and "Traceback" not in result.stderr


def test_control_character_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("XXX党委\n", "XXX\x0b党委\n", 1)
    form = tmp_path / "pasted.yaml"
    form.write_text(text, encoding="utf-8")
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0
    assert ": 警告: 删除了不可见的控制字符 U+000B" in result.stderr
    assert "按照XXX党委统一要求" in (tmp_path / "pasted.txt").read_text(encoding="utf-8")


def test_help_is_in_chinese() -> None:
    result = run_drafter("render", "--help")
    assert result.returncode == 0
    assert "根据表单生成讲话稿" in result.stdout and "输出格式" in result.stdout
    assert (
        "用法:" in result.stdout
        and "选项:" in result.stdout
        and "显示本帮助并退出" in result.stdout
    )
    for english in ("Usage", "Options", "Show this message"):
        assert english not in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "缺少参数"),
        (("--fmt", "x", "f.yaml"), "没有选项 '--fmt'。 是否想写 --format？"),
    ],
)
def test_command_line_mistakes_are_explained_in_chinese(
    args: tuple[str, ...], fragment: str
) -> None:
    result = run_drafter("render", *args)
    assert result.returncode == 2
    assert fragment in result.stderr and "错误：" in result.stderr
    assert "Error" not in result.stderr


def write_pack(root: Path, source: str, fields: str = "") -> Path:
    pack = root / "my-pack"
    pack.mkdir()
    (pack / "template.yaml").write_text(
        "id: my-pack\nname: 测试模板\nfields:\n"
        + (fields or "  title:\n    label: 标题\n    required: true\n"),
        encoding="utf-8",
    )
    (pack / "speech.j2").write_text(source, encoding="utf-8")
    return pack


def test_undefined_field_in_template_names_the_field_and_line(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, "<title>{{ title }}</title>\n<p>{{ meeting.name }}</p>\n")
    form = tmp_path / "f.yaml"
    form.write_text("template: my-pack\ntitle: 标题\n", encoding="utf-8")
    result = run_cli("render", form, "--template", pack, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 2
    assert f"{pack / 'speech.j2'}:2: 错误: 模板用到了未定义的名称：meeting" in result.stderr


def test_user_template_can_extend_the_builtin_base(tmp_path: Path) -> None:
    source = (
        '{% extends "base/speech.j2" %}{% import "base/macros.j2" as m %}'
        "{% block default_title %}默认标题{% endblock %}"
        "{% block body %}<p>{{ m.run_in(2, '是', '要点') }}正文</p>{% endblock %}"
    )
    fields = "  title:\n    label: 标题\n  thanks:\n    label: 致谢\n    type: toggle_text\n    default: 谢谢！\n"
    pack = write_pack(tmp_path, source, fields)
    form = tmp_path / "f.yaml"
    form.write_text("template: my-pack\n", encoding="utf-8")
    result = run_cli("render", form, "--template", pack, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    data: Any = (tmp_path / "f.txt").read_text(encoding="utf-8")
    assert data == "默认标题\n\n\u3000\u3000二是要点。正文\n\u3000\u3000谢谢！\n"


def test_render_prints_check_findings_as_warnings(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0
    assert ":18:14: 警告: [placeholder.xxx]" in result.stderr
    assert (tmp_path / "review-commentary.example.txt").exists()


def test_strict_render_refuses_a_form_with_findings(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, "-f", "txt", "-o", tmp_path, "--strict")
    assert result.exit_code == 2
    assert ":18:14: 错误: [placeholder.xxx]" in result.stderr
    assert "已按 --strict 停止生成" in result.stderr
    assert not (tmp_path / "review-commentary.example.txt").exists()


def test_strict_render_passes_a_clean_form(make_form: FormMaker, tmp_path: Path) -> None:
    def clean(data: dict[str, Any]) -> None:
        text = yaml_text(data).replace("XXX", "县委").replace("XX", "二十")
        data.clear()
        data.update(yaml.safe_load(text))

    result = run_cli("render", make_form(clean), "-f", "txt", "-o", tmp_path, "--strict")
    assert result.exit_code == 0, result.stderr


def yaml_text(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_render_reminds_the_writer_of_unplaced_text(make_form: FormMaker, tmp_path: Path) -> None:
    form = make_form(lambda d: d.update(unplaced=["总之，这是一段没有归位的原文。"]))
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0
    assert "警告: unplaced（未归位的原文）中还有 1 段" in result.stderr
    assert "没有归位的原文" not in (tmp_path / f"{form.stem}.txt").read_text(encoding="utf-8")


def test_click_suggestions_ranges_and_extras_are_in_chinese() -> None:
    said = run_cli("check", "--fx", "a.txt").output
    assert "是否想写 --fix 或 --fix-all？" in said and "Did you mean" not in said
    said = run_cli("check", "--pace", "10", "a.txt").output
    assert "10 超出了允许的范围（60～600）。" in said and "<=" not in said
    said = run_cli("render", "-j", "-1", "a.yaml").output
    assert "超出了允许的范围（不小于 0）" in said
    assert "错误：缺少参数 '文件...'。" in run_cli("check").output


def test_help_extras_read_as_chinese() -> None:
    assert "[默认：1；不小于 0]" in run_cli("render", "--help").output
    said = run_cli("check", "--help").output
    assert "[默认：180；60～600]" in said
    assert "x>=" not in said and "default" not in said


@pytest.mark.parametrize(
    ("name", "what"), [("旧讲话.docx", "Word 文档"), ("旧讲话.txt", "文本文件")]
)
def test_a_speech_given_to_render_points_to_extract(tmp_path: Path, name: str, what: str) -> None:
    speech = tmp_path / name
    speech.write_text("同志们：\n今天开会。\n", encoding="utf-8")
    result = run_cli("render", speech, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{name} 是{what}，不是表单" in result.stderr
    assert f"drafter extract {speech}" in result.stderr


def test_a_missing_form_is_suggested_only_among_forms(tmp_path: Path) -> None:
    (tmp_path / "2026年述职评议样式.yaml").write_text("page:\n  size: A4\n", encoding="utf-8")
    (tmp_path / "2026年述职评议1.yaml").write_text("template: x\n", encoding="utf-8")
    said = run_cli("render", tmp_path / "2026年述职评议.yaml", "-o", tmp_path / "out").stderr
    assert f"是否想写 {tmp_path / '2026年述职评议1.yaml'}？" in said, said
    (tmp_path / "2026年述职评议1.yaml").unlink()
    said = run_cli("render", tmp_path / "2026年述职评议.yaml", "-o", tmp_path / "out").stderr
    assert "是否想写" not in said, said


def test_short_options_do_not_load_the_suggestion_matcher(tmp_path: Path) -> None:
    """click tries `-o` as a long option first; its discarded error must not import difflib."""
    probe = (
        "import sys\n"
        "from drafter.cli import main\n"
        "try:\n"
        f"    main(['render', {str(EXAMPLE)!r}, '-o', {str(tmp_path)!r}, '-f', 'txt'])\n"
        "except SystemExit as done:\n"
        "    print(done.code, 'difflib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, encoding="utf-8", check=True
    )
    assert done.stdout.split()[-2:] == ["0", "False"]
    result = run_cli("render", EXAMPLE, "--forc", "-o", tmp_path)
    assert result.exit_code == 2
    assert "没有选项 '--forc'。 是否想写 --force 或 --format？" in result.stderr
