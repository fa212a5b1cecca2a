"""Batches: many forms at once, in parallel processes, with progress, a summary and exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from drafter import reporting

from .conftest import EXAMPLE, MINIMAL, run_cli, run_drafter

FormMaker = Callable[..., Path]


def copies(folder: Path, count: int) -> Path:
    """A folder holding `count` copies of the example form."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        shutil.copyfile(EXAMPLE, folder / f"讲话{number:03}.yaml")
    return folder


def broken_form(folder: Path, name: str = "broken.yaml") -> Path:
    path = folder / name
    path.write_text("template: review-commentary\n", encoding="utf-8")
    return path


def test_200_copies_with_two_processes_succeed_and_print_a_summary(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 200)
    result = run_drafter("render", *sorted(forms.iterdir()), "-j", "2", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = result.stdout.splitlines()
    assert len(written) == 200
    assert written[0] == str(tmp_path / "out" / "讲话000.docx")  # in the order given
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"讲话{n:03}.docx" for n in range(200)
    ]
    assert "共 200 份表单：成功 200 份，失败 0 份" in result.stderr.splitlines()[-1]
    assert "谢谢大家！" in docx.Document(str(tmp_path / "out" / "讲话199.docx")).paragraphs[-1].text


def test_batch_goes_on_past_a_broken_form_and_lists_it_at_the_end(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 2)
    broken = broken_form(forms, "讲话001.yaml")
    result = run_cli("render", *sorted(forms.iterdir()), "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["讲话000.txt"]
    lines = result.stderr.splitlines()
    assert f"[1/2] {forms / '讲话000.yaml'}：完成" in lines
    assert f"[2/2] {broken}：失败" in lines
    assert any(line.startswith(f"{broken}:1:1: 错误: 缺少必填项") for line in lines)
    assert lines[-2].startswith("共 2 份表单：成功 1 份，失败 1 份")
    assert lines[-1] == f"失败的表单：{broken}"


def test_every_form_failing_on_its_input_exits_2(tmp_path: Path) -> None:
    first, second = broken_form(tmp_path, "a.yaml"), broken_form(tmp_path, "b.yaml")
    result = run_cli("render", first, second, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "成功 0 份，失败 2 份" in result.stderr


def test_a_single_form_prints_no_progress_or_summary(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0
    # Only the check's heads-up about the example's XXX placeholders; no progress, no summary.
    assert [line.split(": ")[1] for line in result.stderr.splitlines()] == ["警告"]


def test_parallel_batch_reports_a_broken_form_like_a_serial_one(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 3)
    broken = broken_form(forms, "讲话002.yaml")
    result = run_drafter("render", forms, "-f", "txt", "-j", "2", "-o", tmp_path / "out")
    assert result.returncode == 1
    assert f"{broken}:1:1: 错误: 缺少必填项" in result.stderr
    assert "Traceback" not in result.stderr
    assert "成功 2 份，失败 1 份" in result.stderr


def test_a_wildcard_is_expanded_by_drafter_as_windows_shells_do_not(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 3)
    result = run_cli("render", f"{forms}/*.yaml", "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_a_wildcard_matching_nothing_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("render", f"{tmp_path}/*.yaml")
    assert result.exit_code == 2
    assert "没有与" in result.stderr and "匹配的表单文件" in result.stderr


def test_a_folder_renders_every_form_in_it(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 2)
    result = run_cli("render", forms, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["讲话000.txt", "讲话001.txt"]


def test_the_same_form_named_twice_renders_once(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, EXAMPLE, "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(tmp_path / "review-commentary.example.txt")]


def test_forms_with_the_same_name_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        copies(tmp_path / folder, 1)
    result = run_cli(
        "render", tmp_path / "a" / "讲话000.yaml", tmp_path / "b" / "讲话000.yaml",
        "-o", tmp_path / "out",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "同名" in result.stderr and "会覆盖" in result.stderr
    assert not (tmp_path / "out").exists()


def test_progress_bar_is_shown_when_stderr_is_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reporting, "_stderr_is_terminal", lambda: True)
    forms = copies(tmp_path / "forms", 3)
    result = run_cli("render", forms, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "生成讲话稿" in result.stderr and "3/3" in result.stderr
    assert "[1/3]" not in result.stderr  # the bar replaces the plain lines
    assert "成功 3 份，失败 0 份" in result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_a_text_batch_loads_neither_rich_nor_the_docx_stack(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 2)
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from drafter.cli import main\n"
        f"r = CliRunner().invoke(main, ['render', {str(forms)!r}, '-f', 'txt', '-o', {str(tmp_path / 'out')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('docx', 'lxml', 'rich') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


# ---------------------------------------------------------------- where output goes


@pytest.mark.parametrize(
    ("fmt", "start"), [("txt", "在基层"), ("md", "# 在基层"), ("html", "<!DOCTYPE")]
)
def test_dash_writes_one_text_format_to_standard_output(fmt: str, start: str) -> None:
    result = run_drafter("render", EXAMPLE, "-o", "-", "-f", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(start)
    assert "谢谢大家" in result.stdout


@pytest.mark.parametrize(
    "args",
    [("-f", "docx"), ("-f", "txt", "-f", "md"), (), ("-f", "txt", str(MINIMAL))],
)
def test_dash_needs_one_form_and_one_text_format(args: tuple[str, ...]) -> None:
    result = run_cli("render", EXAMPLE, "-o", "-", *args)
    assert result.exit_code == 2
    assert "-o - " in result.stderr


def test_output_may_name_a_file_for_a_single_form(tmp_path: Path) -> None:
    target = tmp_path / "讲话稿.docx"
    result = run_cli("render", EXAMPLE, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(target)
    assert docx.Document(str(target)).paragraphs


def test_output_file_name_sets_the_format(tmp_path: Path) -> None:
    target = tmp_path / "讲话稿.txt"
    assert run_cli("render", EXAMPLE, "-o", target).exit_code == 0
    assert "谢谢大家" in target.read_text(encoding="utf-8")


def test_output_file_name_with_several_forms_is_a_usage_error(tmp_path: Path) -> None:
    forms = copies(tmp_path / "forms", 2)
    result = run_cli("render", forms, "-o", tmp_path / "讲话稿.docx")
    assert result.exit_code == 2
    assert "-o 应为输出文件夹" in result.stderr


def test_jobs_must_not_be_negative() -> None:
    result = run_cli("render", EXAMPLE, "-j", "-1")
    assert result.exit_code == 2
    assert "超出了允许的范围（不小于 0）" in result.stderr
