"""`drafter serve` at the HTTP level: every bad request a clear Chinese refusal with its status.

Each refusal leaves nothing written outside FOLDER, and the server keeps serving after it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import urllib.parse
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.web.server import Server

from .conftest import EXAMPLE, REFERENCE
from .serving import Answer, csrf_of, post_json, request, serving

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside FOLDER holding a secret form; nothing may reach or change it."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.yaml").write_text("template: review-commentary\ntitle: 机密\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, outside: Path) -> Path:
    served = tmp_path_factory.mktemp("served")
    shutil.copy(EXAMPLE, served / "example.yaml")
    with contextlib.suppress(OSError):  # Windows without the symlink privilege
        os.symlink(outside / "secret.yaml", served / "link.yaml")
    return served


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    with serving(folder) as running:
        yield running


@pytest.fixture(scope="module")
def csrf(server: Server) -> str:
    return csrf_of(server)


@pytest.fixture(autouse=True)
def nothing_outside_changes(outside: Path, server: Server) -> Iterator[None]:
    before = sorted((p.name, p.read_bytes()) for p in outside.iterdir())
    yield
    assert sorted((p.name, p.read_bytes()) for p in outside.iterdir()) == before
    assert request(server, "GET", "/api/forms").status == 200  # still serving


def refused(answer: Answer, status: int, *words: str) -> str:
    """The refusal's message, checked to be Chinese, with its status and words."""
    assert answer.status == status, answer.body[:500]
    assert b"Traceback" not in answer.body
    message = answer.json()["error"]
    assert HAN.search(message), message
    for word in words:
        assert word in message
    return str(message)


def query(name: str) -> str:
    return urllib.parse.quote(name)


@pytest.mark.parametrize(
    "name", ["../secret.yaml", "..\\secret.yaml", "/etc/passwd.yaml", "sub/../example.yaml", ".."]
)
def test_a_path_instead_of_a_form_name_is_refused(server: Server, name: str) -> None:
    refused(request(server, "GET", f"/api/form?name={query(name)}"), 403)


def test_a_link_leading_out_of_the_folder_is_refused_and_not_listed(
    server: Server, folder: Path, csrf: str
) -> None:
    if not (folder / "link.yaml").is_symlink():
        pytest.skip("这台电脑不能创建符号链接")
    refused(request(server, "GET", "/api/form?name=link.yaml"), 403, "以外")
    names = [form["name"] for form in request(server, "GET", "/api/forms").json()["forms"]]
    assert "link.yaml" not in names
    saved = post_json(
        server, "/api/save", {"name": "link.yaml", "version": "x", "text": "title: 改"}, csrf
    )
    refused(saved, 403)


def test_a_save_to_a_path_outside_writes_nothing(server: Server, csrf: str) -> None:
    answer = post_json(
        server, "/api/save", {"name": "../secret.yaml", "version": "x", "text": "x"}, csrf
    )
    refused(answer, 403)


def test_an_oversized_body_is_refused_before_it_is_read(server: Server, csrf: str) -> None:
    body = b"{" + b" " * (5 * 1024 * 1024) + b"}"
    headers = {"Content-Type": "application/json", "X-Drafter-Csrf": csrf}
    refused(request(server, "POST", "/api/preview", body, headers), 413, "太大")


def test_an_oversized_upload_is_refused(server: Server, csrf: str) -> None:
    body, kind = multipart("big.txt", b"x" * (11 * 1024 * 1024))
    headers = {"Content-Type": kind, "X-Drafter-Csrf": csrf}
    refused(request(server, "POST", "/api/extract", body, headers), 413, "太大")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"{not json", "JSON"),
        (b"[1, 2]", "JSON 对象"),
        (b"", "JSON"),
        ('{"name": "example.yaml", "data": "文字"}'.encode(), "JSON 对象"),
        (b'{"name": 5, "data": {}}', "文件名"),
    ],
)
def test_a_malformed_post_is_refused(server: Server, csrf: str, body: bytes, words: str) -> None:
    headers = {"Content-Type": "application/json", "X-Drafter-Csrf": csrf}
    refused(request(server, "POST", "/api/preview", body, headers), 400, words)


def test_a_malformed_upload_is_refused(server: Server, csrf: str) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=xyz", "X-Drafter-Csrf": csrf}
    answer = request(server, "POST", "/api/extract", b"--xyz\r\ngarbage", headers)
    assert answer.status == 400
    assert HAN.search(answer.json()["error"])


def test_a_body_that_is_not_utf8_is_refused(server: Server, csrf: str) -> None:
    headers = {"Content-Type": "application/json", "X-Drafter-Csrf": csrf}
    body = '{"name": "example.yaml"}'.encode("gbk") + b"\xff\xfe"
    refused(request(server, "POST", "/api/preview", body, headers), 400, "UTF-8")


def test_an_unknown_pack_is_refused_with_the_packs_there_are(
    server: Server, folder: Path, csrf: str
) -> None:
    before = sorted(p.name for p in folder.iterdir())
    answer = post_json(server, "/api/new", {"pack": "no-such-pack", "name": "x"}, csrf)
    refused(answer, 404, "no-such-pack", "review-commentary")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_zip_bomb_docx_upload_is_refused_and_no_form_is_made(
    server: Server, folder: Path, csrf: str
) -> None:
    before = sorted(p.name for p in folder.iterdir())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" * (80 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    body, kind = multipart("炸弹.docx", buffer.getvalue())
    answer = request(
        server, "POST", "/api/extract", body, {"Content-Type": kind, "X-Drafter-Csrf": csrf}
    )
    refused(answer, 422, "不安全")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_an_upload_of_another_kind_of_file_is_refused(server: Server, csrf: str) -> None:
    body, kind = multipart("程序.exe", b"MZ")
    answer = request(
        server, "POST", "/api/extract", body, {"Content-Type": kind, "X-Drafter-Csrf": csrf}
    )
    refused(answer, 415, ".docx")


def test_a_change_without_the_pages_csrf_value_is_refused(server: Server) -> None:
    refused(post_json(server, "/api/new", {"pack": "review-commentary"}), 403, "CSRF")
    refused(post_json(server, "/api/new", {"pack": "review-commentary"}, "guess"), 403, "CSRF")


def test_a_foreign_host_name_is_refused_on_the_loopback(server: Server) -> None:
    refused(
        request(server, "GET", "/api/forms", headers={"Host": "evil.example"}), 403, "127.0.0.1"
    )


def test_an_unknown_page_and_method_are_refused_in_chinese(server: Server, csrf: str) -> None:
    page = request(server, "GET", "/nothing-here")
    assert page.status == 404 and "没有这个页面" in page.body.decode("utf-8")
    refused(request(server, "GET", "/api/nothing"), 404)
    assert request(server, "DELETE", "/api/forms", headers={"X-Drafter-Csrf": csrf}).status == 405


def test_a_save_from_an_old_version_is_refused_and_both_versions_are_kept(
    server: Server, folder: Path, csrf: str
) -> None:
    shutil.copy(EXAMPLE, folder / "old.yaml")
    before = (folder / "old.yaml").read_bytes()
    answer = post_json(
        server, "/api/save", {"name": "old.yaml", "version": "stale", "text": "template: x\n"}, csrf
    )
    message = refused(answer, 409, "已被修改")
    assert answer.json()["mine"] == "template: x\n"
    assert (folder / "old.yaml").read_bytes() == before
    kept = next((folder / ".drafter-history" / "old.yaml").glob("*.yaml"))
    assert kept.name in message and kept.read_text(encoding="utf-8") == "template: x\n"


def test_a_form_that_fails_to_load_opens_with_its_located_errors_for_the_text_view(
    server: Server, folder: Path, csrf: str
) -> None:
    (folder / "broken.yaml").write_text("template: review-commentary\ntitle: [\n", "utf-8")
    opened = request(server, "GET", "/api/form?name=broken.yaml").json()
    assert "fields" not in opened and opened["problems"][0]["line"]
    fixed = EXAMPLE.read_text(encoding="utf-8")
    saved = post_json(
        server,
        "/api/save",
        {"name": "broken.yaml", "version": opened["version"], "text": fixed},
        csrf,
    )
    assert saved.status == 200
    assert "fields" in request(server, "GET", "/api/form?name=broken.yaml").json()


def test_a_restored_version_comes_back_and_the_replaced_one_is_kept(
    server: Server, folder: Path, csrf: str
) -> None:
    shutil.copy(EXAMPLE, folder / "restore.yaml")
    original = (folder / "restore.yaml").read_bytes()
    opened = request(server, "GET", "/api/form?name=restore.yaml").json()
    data = opened["data"]
    data["speaker"] = "赵六"
    saved = post_json(
        server,
        "/api/save",
        {"name": "restore.yaml", "version": opened["version"], "data": data},
        csrf,
    ).json()
    versions = request(server, "GET", "/api/history?name=restore.yaml").json()["versions"]
    assert [v["why"] for v in versions] == ["保存前"]
    restored = post_json(
        server,
        "/api/restore",
        {"name": "restore.yaml", "version": saved["version"], "entry": versions[0]["name"]},
        csrf,
    )
    assert restored.status == 200
    assert (folder / "restore.yaml").read_bytes() == original
    refused(
        post_json(
            server,
            "/api/restore",
            {"name": "restore.yaml", "version": restored.json()["version"], "entry": "../x"},
            csrf,
        ),
        404,
    )


def test_off_the_loopback_every_request_needs_the_token(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    with serving(tmp_path, host="0.0.0.0") as server:
        assert server.access.token and f"token={server.access.token}" in server.url
        refused(request(server, "GET", "/api/forms"), 401, "令牌")
        refused(request(server, "GET", "/api/forms?token=wrong"), 401, "令牌")
        first = request(server, "GET", f"/?token={server.access.token}")
        assert first.status == 303
        cookie = first.headers["Set-Cookie"].split(";")[0]
        assert "HttpOnly" in first.headers["Set-Cookie"]
        listed = request(server, "GET", "/api/forms", headers={"Cookie": cookie})
        assert listed.status == 200 and listed.json()["forms"][0]["name"] == "example.yaml"


def multipart(name: str, payload: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body holding one file field called `file`."""
    boundary = "drafter-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + payload + f"\r\n--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def test_json_answers_declare_utf8(server: Server) -> None:
    answer = request(server, "GET", "/api/forms")
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(answer.body)["forms"]


def test_saving_a_new_form_unchanged_leaves_its_bytes_alone(
    server: Server, folder: Path, csrf: str
) -> None:
    name = post_json(server, "/api/new", {"pack": "review-commentary", "name": "原样"}, csrf).json()
    assert name == {"name": "原样.yaml"}
    before = (folder / "原样.yaml").read_bytes()
    opened = request(server, "GET", f"/api/form?name={query('原样.yaml')}").json()
    body = {"name": "原样.yaml", "version": opened["version"], "data": opened["data"]}
    assert post_json(server, "/api/save", body, csrf).status == 200
    assert (folder / "原样.yaml").read_bytes() == before


def test_a_fault_in_drafter_is_a_chinese_500_not_a_traceback_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafter.web.workspace import Workspace

    def broken(self: Workspace) -> None:
        raise ValueError("an unexpected fault")

    with monkeypatch.context() as patched, serving(tmp_path) as server:
        patched.setattr(Workspace, "forms", broken)
        answer = request(server, "GET", "/api/forms")
        refused(answer, 500, "维护人员")
        assert b"unexpected" not in answer.body
        assert request(server, "GET", "/").status == 200


def test_the_text_view_keeps_the_forms_windows_line_ends(
    server: Server, folder: Path, csrf: str
) -> None:
    original = EXAMPLE.read_bytes().replace(b"\n", b"\r\n")
    (folder / "crlf.yaml").write_bytes(original)
    opened = request(server, "GET", "/api/form?name=crlf.yaml").json()
    text = opened["text"].replace("\r\n", "\n").replace("XXX党委", "市委")
    body = {"name": "crlf.yaml", "version": opened["version"], "text": text}
    assert post_json(server, "/api/save", body, csrf).status == 200
    assert (folder / "crlf.yaml").read_bytes() == original.replace(
        "XXX党委".encode(), "市委".encode()
    )


def test_an_uploaded_old_speech_becomes_a_form_named_after_it(
    server: Server, folder: Path, csrf: str
) -> None:
    body, kind = multipart("去年讲话.txt", REFERENCE.read_bytes())
    answer = request(
        server, "POST", "/api/extract", body, {"Content-Type": kind, "X-Drafter-Csrf": csrf}
    )
    assert answer.status == 200, answer.body[:300]
    got = answer.json()
    assert got["name"] == "去年讲话.yaml" and got["pack"] == "review-commentary"
    assert (folder / "去年讲话.yaml").read_bytes().startswith(b"\xef\xbb\xbf")  # as extract writes


def test_with_a_users_file_each_word_opens_the_server_and_nothing_else_does(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    users.write_text("张三: zhangsan-word-2026\n李四: lisi-word-2026-x\n", encoding="utf-8")
    with serving(tmp_path, host="0.0.0.0", users=users) as server:
        assert server.access.token is None and "token" not in server.url
        refused(request(server, "GET", "/api/forms"), 401, "口令")
        refused(request(server, "GET", "/api/forms?token=zhangsan-word-2027"), 401)
        first = request(server, "GET", "/?token=lisi-word-2026-x")
        assert first.status == 303
        cookie = first.headers["Set-Cookie"].split(";")[0]
        assert request(server, "GET", "/api/forms", headers={"Cookie": cookie}).status == 200


def test_a_history_folder_linked_out_of_the_folder_is_refused_and_the_form_kept(
    tmp_path: Path,
) -> None:
    served, elsewhere = tmp_path / "served", tmp_path / "elsewhere"
    served.mkdir()
    elsewhere.mkdir()
    shutil.copy(EXAMPLE, served / "表单.yaml")
    try:
        os.symlink(elsewhere, served / ".drafter-history", target_is_directory=True)
    except OSError:
        pytest.skip("这台电脑不能创建符号链接")
    before = (served / "表单.yaml").read_bytes()
    with serving(served) as running:
        token = csrf_of(running)
        opened = request(running, "GET", f"/api/form?name={query('表单.yaml')}").json()
        text = before.decode("utf-8").replace("抓基层党建工作", "抓党风廉政建设工作")
        body = {"name": "表单.yaml", "version": opened["version"], "text": text}
        refused(post_json(running, "/api/save", body, token), 403, ".drafter-history")
        assert request(running, "GET", "/api/forms").status == 200  # still serving
    assert (served / "表单.yaml").read_bytes() == before
    assert list(elsewhere.iterdir()) == []
