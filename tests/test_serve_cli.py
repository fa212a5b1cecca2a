"""`drafter serve` on the command line: where it listens, what it prints, how it starts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.commands import serve as serve_module
from drafter.infra import console
from drafter.web.server import Server, bind_server

from .conftest import EXAMPLE


class Stopped:
    """A server that returns at once, as if the writer pressed Ctrl+C."""

    def __init__(self, real: Server) -> None:
        self.real = real
        self.url = real.url
        self.folder = real.folder
        self.access = real.access

    def run(self) -> None:
        self.real.close()
        raise KeyboardInterrupt

    def close(self) -> None:
        self.real.close()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Servers the command started (stopped at once) and URLs it opened in a browser."""
    seen: list[Any] = []

    def start(
        folder: Path | None, host: str = "127.0.0.1", port: int = 0, users: Path | None = None
    ) -> Stopped:
        server = Stopped(bind_server(folder or Path.cwd(), host, 0, users))
        seen.append(server)
        return server

    monkeypatch.setattr(serve_module, "serve_command", start)
    monkeypatch.setattr("webbrowser.open", lambda url: seen.append(url))
    return seen


def test_serve_prints_the_loopback_address_and_how_to_stop(
    tmp_path: Path, started: list[Any]
) -> None:
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    result = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert started[0].url.startswith("http://127.0.0.1:") and started[0].url in result.stdout
    assert "Ctrl+C" in result.stdout and "token" not in result.stdout


def test_serving_beyond_this_pc_prints_the_token_once_and_says_what_it_is(
    tmp_path: Path, started: list[Any]
) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    token = started[0].access.token
    assert token and result.stdout.count(token) == 1 and "访问令牌" in result.stdout


def test_open_opens_the_browser_at_the_address(tmp_path: Path, started: list[Any]) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--open"])
    assert result.exit_code == 0, result.output
    assert started[1] == started[0].url


def test_the_program_double_clicked_alone_opens_the_browser_editor(
    tmp_path: Path, started: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "console_process_count", lambda: 1)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [], input="x")
    assert result.exit_code == 0, result.output
    assert started[0].folder == tmp_path.resolve() and started[1] == started[0].url


def test_a_folder_that_is_not_there_is_a_chinese_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "没有")])
    assert result.exit_code == 2
    assert "不是文件夹" in result.stderr


def test_a_port_in_use_is_a_chinese_usage_error(tmp_path: Path) -> None:
    first = bind_server(tmp_path, "127.0.0.1", 0)
    try:
        result = CliRunner().invoke(main, ["serve", str(tmp_path), "--port", str(first.port)])
    finally:
        first.close()
    assert result.exit_code == 2
    assert "端口已被占用" in result.stderr and "Traceback" not in result.output


def test_with_a_users_file_each_user_has_a_word_and_no_token_is_printed(
    tmp_path: Path, started: list[Any]
) -> None:
    users = tmp_path / "用户.yaml"
    users.write_text("张三: zhangsan-口令-2026\n李四: lisi-口令-2026-abc\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["serve", str(tmp_path), "--host", "0.0.0.0", "--users", str(users)]
    )
    assert result.exit_code == 0, result.output
    assert started[0].access.token is None and "2 位用户" in result.stdout
    assert "zhangsan" not in result.stdout


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("张三: 短\n", "至少要 12 个字符"),
        ("张三: same-word-123456\n李四: same-word-123456\n", "与 张三 的相同"),
        ("# 空的\n", "用户文件是空的"),
        ("{}\n", "没有用户"),
        ("- 张三\n", "“键: 值”"),
    ],
)
def test_a_bad_users_file_is_a_located_chinese_error(tmp_path: Path, text: str, words: str) -> None:
    users = tmp_path / "用户.yaml"
    users.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--users", str(users)])
    assert result.exit_code == 2
    assert words in result.stderr and "用户.yaml" in result.stderr


def test_without_a_folder_serve_opens_the_settings_forms_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "共享" / "讲话稿表单"
    shared.mkdir(parents=True)
    settings = tmp_path / "共享" / "settings.yaml"
    settings.write_text("forms_folder: 讲话稿表单\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_CONFIG", str(settings))
    server = serve_module.serve_command(None, port=0)
    try:
        assert Path(server.folder).resolve() == shared.resolve()
    finally:
        server.close()
    monkeypatch.delenv("DRAFTER_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing"))  # no settings file at all
    monkeypatch.chdir(shared.parent)
    server = serve_module.serve_command(None, port=0)
    try:
        assert Path(server.folder).resolve() == shared.parent.resolve()
    finally:
        server.close()
