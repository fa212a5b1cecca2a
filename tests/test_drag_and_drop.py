"""A file dropped on drafter (or named first) runs the command that takes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import WAIT_PROMPT, main
from drafter.infra import console

from .conftest import EXAMPLE, REFERENCE, run_cli, run_drafter


@pytest.fixture
def form(tmp_path: Path) -> Path:
    target = tmp_path / "讲话.yaml"
    shutil.copyfile(EXAMPLE, target)
    return target


def test_a_form_named_first_is_rendered(form: Path, tmp_path: Path) -> None:
    result = run_cli(form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "out" / "讲话.txt")


def test_an_old_speech_named_first_is_extracted(tmp_path: Path) -> None:
    speech = tmp_path / "旧讲话.txt"
    shutil.copyfile(REFERENCE, speech)
    result = run_cli(speech, "-o", tmp_path / "新表单.yaml")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "新表单.yaml").read_text(encoding="utf-8-sig").count("template:") == 1


def test_a_dropped_form_renders_through_python_m_drafter(form: Path, tmp_path: Path) -> None:
    result = run_drafter(form.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(Path("output") / "讲话.docx")
    assert (tmp_path / "output" / "讲话.docx").stat().st_size > 5_000


def test_a_missing_file_is_still_an_unknown_command(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "没有.yaml")
    assert result.exit_code == 2
    assert "没有.yaml" in result.stderr


def test_a_command_name_wins_over_a_file_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("templates").mkdir()
    result = run_cli("templates")
    assert result.exit_code == 0 and "review-commentary" in result.stdout


def test_a_window_opened_by_a_double_click_waits_for_a_key(
    form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "console_process_count", lambda: 1)
    result = CliRunner().invoke(main, [str(form), "-f", "txt", "-o", str(tmp_path)], input="x")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.rstrip().endswith(WAIT_PROMPT)


def test_a_window_opened_by_a_double_click_waits_after_an_error_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(console, "console_process_count", lambda: 1)
    result = CliRunner().invoke(main, ["render", "没有.yaml"], input="x")
    assert result.exit_code == 2
    assert "没有.yaml" in result.stderr and result.stderr.rstrip().endswith(WAIT_PROMPT)


def test_a_shell_window_does_not_wait(form: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "console_process_count", lambda: 2)  # cmd.exe and drafter
    result = CliRunner().invoke(main, ["templates"])
    assert WAIT_PROMPT not in result.stderr


def test_no_console_notion_outside_windows_means_no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console.sys, "platform", "linux")
    assert console.console_process_count() is None
    assert not console.opened_for_this_program()
