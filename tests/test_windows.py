"""Windows behaviour, simulated where this system differs (a GBK stream, a fake registry)."""

from __future__ import annotations

import json
import ntpath
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from drafter.infra import paths
from drafter.infra.paths import collision_key, expand_files, is_skipped

from .conftest import EXAMPLE, run_cli


def _forms(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name in names:
        made.append(folder / name)
        shutil.copyfile(EXAMPLE, folder / name)
    return made


def test_check_expands_a_wildcard_the_shell_passed_on_literally(tmp_path: Path) -> None:
    _forms(tmp_path, "一.yaml", "二.yaml", "说明.md")
    result = run_cli("check", tmp_path / "*.yaml")
    assert result.exit_code == 1, result.stderr  # findings (the example's XXX), not 2
    checked = {line.split(":")[0] for line in result.stdout.splitlines() if ".yaml:" in line}
    assert checked == {str(tmp_path / "一.yaml"), str(tmp_path / "二.yaml")}


def test_check_names_a_wildcard_that_matches_nothing(tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "*.yaml")
    assert result.exit_code == 2
    assert f"没有与 {tmp_path / '*.yaml'} 匹配的可检查的文件" in result.stderr


def test_word_lock_files_and_hidden_files_are_left_out_of_a_folder(tmp_path: Path) -> None:
    _forms(tmp_path, "讲话.yaml")
    (tmp_path / "~$讲话.docx").write_bytes(b"\x00lock")  # Word's owner file: not a .docx
    (tmp_path / ".草稿.yaml").write_text("template: [", encoding="utf-8")
    assert expand_files([tmp_path], (".yaml", ".docx"), "文件") == [tmp_path / "讲话.yaml"]
    result = run_cli("check", tmp_path)
    assert result.exit_code == 1, result.stderr  # the lock file is not read: no exit 2
    assert "~$" not in result.stdout + result.stderr


def test_word_lock_files_are_left_out_of_a_wildcard(tmp_path: Path) -> None:
    _forms(tmp_path, "讲话.yaml")
    (tmp_path / "~$讲话.yaml").write_bytes(b"\x00lock")
    assert expand_files([tmp_path / "*.yaml"], (".yaml",), "表单") == [tmp_path / "讲话.yaml"]


def test_a_file_named_on_its_own_is_taken_as_given(tmp_path: Path) -> None:
    hidden = _forms(tmp_path, ".隐藏.yaml")[0]
    assert expand_files([hidden], (".yaml",), "表单") == [hidden]


def test_the_windows_hidden_attribute_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _forms(tmp_path, "讲话.yaml")[0]
    real_stat = Path.stat

    def hidden_stat(self: Path, **kwargs: object) -> object:
        status = real_stat(self)
        return types.SimpleNamespace(st_mode=status.st_mode, st_file_attributes=0x2)

    monkeypatch.setattr(Path, "stat", hidden_stat)
    assert is_skipped(form)


def test_forms_differing_only_in_case_collide(tmp_path: Path) -> None:
    """On NTFS 讲话.docx and 讲话.DOCX are one file: the second would replace the first."""
    first, second = (
        _forms(tmp_path / "a", "Speech.yaml")[0],
        _forms(tmp_path / "b", "speech.yaml")[0],
    )
    result = run_cli("render", first, second, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"表单 {first} 和 {second} 同名" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_collision_key_uses_windows_case_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths.os.path, "normcase", ntpath.normcase)
    assert collision_key(Path("out/讲话.DOCX")) == collision_key(Path("out/讲话.docx"))


@pytest.mark.parametrize("target", ["CON.docx", "aux.txt", "讲话?.docx"])
def test_render_refuses_an_output_name_windows_cannot_hold(tmp_path: Path, target: str) -> None:
    result = run_cli("render", EXAMPLE, "-o", tmp_path / target)
    assert result.exit_code == 2
    assert f"{tmp_path / target}: 错误: 不能用作输出文件：" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_reserved_device_name(tmp_path: Path) -> None:
    result = run_cli("new", "review-commentary", "-o", tmp_path / "CON.yaml")
    assert result.exit_code == 2
    assert "CON 是 Windows 保留的设备名" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _gbk_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args], capture_output=True, cwd=cwd, env=env, check=False
    )


def test_check_json_is_utf8_whatever_the_console_code_page(tmp_path: Path) -> None:
    _forms(tmp_path, "𠮷祥.yaml")
    result = _gbk_run(tmp_path, "check", "--format", "json", "𠮷祥.yaml")
    assert result.returncode == 1, result.stderr.decode("gbk")
    report = json.loads(result.stdout.decode("utf-8"))
    assert report["files"][0]["path"] == "𠮷祥.yaml"
    assert report["files"][0]["findings"][0]["message"].startswith("“XXX”")


def test_a_written_path_the_stream_cannot_encode_is_printed_unescaped(tmp_path: Path) -> None:
    _forms(tmp_path, "𠮷祥.yaml", "普通.yaml")
    result = _gbk_run(tmp_path, "render", "𠮷祥.yaml", "普通.yaml")
    assert result.returncode == 0, result.stderr.decode("gbk")
    lines = result.stdout.splitlines()
    # The path GBK can hold stays GBK (a batch file reads it so); the other is UTF-8.
    assert lines == [
        str(Path("output") / "𠮷祥.docx").encode("utf-8"),
        str(Path("output") / "普通.docx").encode("gbk"),
    ]


class _FakeKey:
    def __init__(self, value: str) -> None:
        self.value = value

    def __enter__(self) -> _FakeKey:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


def _fake_winreg(installed: dict[tuple[int, int], str]) -> types.ModuleType:
    """A winreg whose UNO InstallPath key exists only in the given (hive, view) pairs."""
    fake = types.ModuleType("winreg")
    fake.HKEY_LOCAL_MACHINE, fake.HKEY_CURRENT_USER = 1, 2  # type: ignore[attr-defined]
    fake.KEY_READ, fake.KEY_WOW64_64KEY, fake.KEY_WOW64_32KEY = 0x20019, 0x100, 0x200  # type: ignore[attr-defined]

    def open_key(hive: int, key: str, reserved: int, access: int) -> _FakeKey:
        assert key == r"SOFTWARE\LibreOffice\UNO\InstallPath" and reserved == 0
        value = installed.get((hive, access & 0x300))
        if value is None:
            raise FileNotFoundError(key)
        return _FakeKey(value)

    def query_value(key: _FakeKey, name: str) -> tuple[str, int]:
        assert name == ""  # the key's default value
        return key.value, 1

    fake.OpenKey, fake.QueryValueEx = open_key, query_value  # type: ignore[attr-defined]
    return fake


def test_libreoffice_is_found_through_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed on D:\\ (here tmp_path), in the 32-bit view of HKLM: found, before the usual places."""
    from drafter.writers import pdf

    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.com").write_bytes(b"")
    monkeypatch.setitem(sys.modules, "winreg", _fake_winreg({(1, 0x200): str(program)}))
    monkeypatch.setattr(pdf.sys, "platform", "win32")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.delenv(pdf.ENV_OVERRIDE, raising=False)
    assert pdf._usual_places()[:2] == [program / "soffice.com", program / "soffice.exe"]
    assert pdf.find_soffice() == str(program / "soffice.com")


def test_a_registry_without_libreoffice_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.writers import pdf

    monkeypatch.setitem(sys.modules, "winreg", _fake_winreg({}))
    assert pdf._registered_program_folders() == []


def test_the_progress_bar_line_counts_and_estimates() -> None:
    from drafter.reporting import BarProgress, bar_line, cells

    assert bar_line(2, 8, 10.0, 8) == "生成讲话稿 ##------ 2/8 已用 0:10 剩余 0:30"
    assert bar_line(0, 8, 0.0, 8) == "生成讲话稿 -------- 0/8 已用 0:00 剩余 -:--"
    widest = bar_line(999, 999, 5999.0, BarProgress.WIDTH)
    assert cells(widest) < 80  # one line in the narrowest Windows console


def test_messages_go_above_the_bar(capsys: pytest.CaptureFixture[str]) -> None:
    from drafter.commands.render import RenderResult
    from drafter.errors import Diagnostic
    from drafter.reporting import BarProgress

    warning = Diagnostic("提示", "一.yaml")
    with BarProgress(2) as bar:
        bar.show(RenderResult(Path("一.yaml"), warnings=[warning]))
        bar.show(RenderResult(Path("二.yaml")))
    screen = capsys.readouterr().err
    blank = "\r" + " " * 59 + "\r"
    assert screen.startswith("生成讲话稿 " + "-" * 24 + " 0/2 已用 0:00 剩余 -:--" + blank)
    assert f"{blank}{warning.format()}\n生成讲话稿" in screen  # on its own line, bar redrawn
    assert " 2/2 " in screen.rsplit("\r", 1)[1] and screen.endswith("\n")


@pytest.mark.parametrize("verb", ["new", "extract"])
def test_a_folder_that_cannot_be_made_is_explained_not_a_traceback(
    tmp_path: Path, verb: str
) -> None:
    from .conftest import REFERENCE

    (tmp_path / "讲话稿").write_text("", encoding="utf-8")  # a file where the folder would go
    target = tmp_path / "讲话稿" / "新表单.yaml"
    source = "review-commentary" if verb == "new" else str(REFERENCE)
    result = run_cli(verb, source, "-o", target)
    assert result.exit_code == 2
    assert f"{target}: 错误: 无法创建文件夹 {tmp_path / '讲话稿'}：同名文件已存在" in result.stderr
