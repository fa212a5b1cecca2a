"""`drafter serve` in a real headless Firefox: the pages work there too, not only in Chromium.

Firefox is driven through its own Marionette protocol (tests/marionette.py); the tests skip
when Firefox is not installed (CI installs Debian's firefox-esr).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drafter.web.server import Server

from .conftest import EXAMPLE
from .marionette import FIREFOX, Firefox
from .serving import serving, wait_until

if FIREFOX is None:
    pytest.skip("没有安装 Firefox", allow_module_level=True)

# Set a field as typing does: its value, then the events the page listens for.
TYPE = """
const field = document.querySelector(`[data-input='${arguments[0]}']`);
field.value = arguments[1];
field.dispatchEvent(new Event("input", { bubbles: true }));
field.dispatchEvent(new Event("change", { bubbles: true }));
return field.value;
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("served-firefox")


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    with serving(folder) as running:
        yield running


@pytest.fixture(scope="module")
def firefox() -> Iterator[Firefox]:
    browser = Firefox()
    yield browser
    browser.close()


def key(*path: str | int) -> str:
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def squeezed(text: str) -> str:
    return "".join(text.split())


def preview_holds(firefox: Firefox, *words: str) -> Any:
    return wait_until(
        lambda: all(w in squeezed(firefox.frame_text("#page")) for w in words),
        f"预览中出现 {words}",
    )


def test_the_home_page_lists_the_forms(firefox: Firefox, server: Server, folder: Path) -> None:
    shutil.copy(EXAMPLE, folder / "火狐首页.yaml")
    firefox.get(f"http://127.0.0.1:{server.port}/")
    wait_until(lambda: "火狐首页.yaml" in firefox.run("return document.body.innerText"), "表单列表")


def test_an_edit_previews_and_saves_in_place_keeping_the_rest_byte_for_byte(
    firefox: Firefox, server: Server, folder: Path
) -> None:
    target = folder / "火狐.yaml"
    shutil.copy(EXAMPLE, target)
    before = target.read_bytes()
    firefox.get(f"http://127.0.0.1:{server.port}/#/form/火狐.yaml")
    preview_holds(firefox, "述职评议会议上的点评讲话")

    firefox.run(TYPE, key("meeting", "topic"), "抓党风廉政建设工作")
    preview_holds(firefox, "就抓党风廉政建设工作进行了述职")
    firefox.run(TYPE, key("meeting", "opening"), "根据会议安排")  # a choice: a select
    preview_holds(firefox, "根据会议安排，今天我们召开")

    firefox.run('document.getElementById("save").click(); return true;')
    wait_until(
        lambda: "已保存" in firefox.run('return document.getElementById("status").innerText'),
        "保存",
    )
    saved = target.read_text(encoding="utf-8")
    assert "  topic: 抓党风廉政建设工作\n" in saved and "opening: 根据会议安排" in saved
    untouched = [line for line in before.decode("utf-8").splitlines() if "topic:" not in line]
    assert all(line in saved.splitlines() for line in untouched)
