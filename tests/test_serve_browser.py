"""`drafter serve` in a real headless Chromium: the writer's whole round trip, as they click it.

Debian's /usr/bin/chromium is driven through /usr/bin/chromedriver named explicitly (no
Selenium Manager download); the tests skip when either is missing. One browser and one
server serve the whole module.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.pipeline import draft_speech
from drafter.presets import load_preset
from drafter.web.server import Server
from drafter.writers import get_writer

from .conftest import EXAMPLE, ROOT
from .serving import request, serving, wait_until

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "docs" / "images" / "serve-editor.png"

webdriver = pytest.importorskip("selenium.webdriver")
if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
    pytest.skip("没有安装 chromium 和 chromedriver", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    with serving(folder) as running:
        yield running


@pytest.fixture(scope="module")
def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1600,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def path_key(path: tuple[str | int, ...]) -> str:
    """A field's key path as the page writes it (JSON.stringify)."""
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def field(browser: Any, *path: str | int) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f"[data-input='{path_key(path)}']")


def holder(browser: Any, *path: str | int) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f"[data-path='{path_key(path)}']")


def type_into(element: Any, text: str) -> None:
    element.clear()
    element.send_keys(text)


def preview_text(browser: Any) -> str:
    frame = browser.find_element(By.ID, "page")
    browser.switch_to.frame(frame)
    try:
        return str(browser.find_element(By.TAG_NAME, "body").text)
    finally:
        browser.switch_to.default_content()


def wait_preview(browser: Any, *words: str) -> str:
    """The preview's text once it holds every word (line breaks of a title ignored)."""

    def holding() -> str | None:
        text = preview_text(browser)
        return text if all(_squeezed(w) in _squeezed(text) for w in words) else None

    return str(wait_until(holding, f"预览中出现 {words}"))


def open_editor(browser: Any, base: str, name: str) -> None:
    browser.get(f"{base}/#/form/{name}")
    wait_until(lambda: preview_text(browser), "预览")


def status(browser: Any) -> str:
    return str(browser.find_element(By.ID, "status").text)


def docx_text(payload: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(payload)).paragraphs)


# ---------------------------------------------------------------------- the round trip


def test_a_new_form_edited_in_the_browser_previews_saves_and_renders_as_downloaded(
    browser: Any, base: str, server: Server, folder: Path, tmp_path: Path
) -> None:
    browser.get(base + "/")
    pack = wait_until(lambda: browser.find_element(By.ID, "new-pack"), "模板选择")
    pack.find_element(By.CSS_SELECTOR, "option[value='review-commentary']").click()
    type_into(browser.find_element(By.ID, "new-name"), "二〇二六年述职评议")
    browser.find_element(By.ID, "new-form").click()
    wait_until(lambda: preview_text(browser), "新表单的预览")
    assert (folder / "二〇二六年述职评议.yaml").is_file()

    type_into(field(browser, "title"), "在二〇二六年述职评议会议上的点评讲话")
    wait_preview(browser, "在二〇二六年述职评议会议上的点评讲话")

    achievements = holder(browser, "achievements")
    count = len(achievements.find_elements(By.CSS_SELECTOR, ":scope > .list > .item"))
    achievements.find_element(By.CSS_SELECTOR, ":scope > .list > button.add").click()
    type_into(field(browser, "achievements", count, "point"), "服务群众更加用心")
    new_item = holder(browser, "achievements", count)
    examples = new_item.find_element(By.CSS_SELECTOR, "[data-path$=',\"examples\"]'] > .list")
    for number, (who, did) in enumerate(
        (("张明同志", "走访群众一百户"), ("李华同志", "解决难题二十件"))
    ):
        examples.find_element(By.CSS_SELECTOR, ":scope > button.add").click()
        type_into(field(browser, "achievements", count, "examples", number, "who"), who)
        type_into(field(browser, "achievements", count, "examples", number, "did"), did)
    ordinal = "一二三四五六七八九"[count]
    wait_preview(browser, f"{ordinal}是服务群众更加用心", "李华同志解决难题二十件")
    point = holder(browser, "achievements", count, "point")
    wait_until(lambda: f"印作“{ordinal}是”" in point.text, "编辑页显示讲话稿中的序号")

    sections = holder(browser, "measures", "sections")
    for index, heading in ((1, "强化责任落实"), (2, "加强队伍建设")):
        sections.find_element(By.CSS_SELECTOR, ":scope > .list > button.add").click()
        type_into(field(browser, "measures", "sections", index, "heading"), heading)
        points = holder(browser, "measures", "sections", index, "points")
        points.find_element(By.CSS_SELECTOR, ":scope > .list > button.add").click()
        type_into(field(browser, "measures", "sections", index, "points", 0, "point"), "抓好落实")
    wait_preview(browser, "我讲三点意见", "三、加强队伍建设")
    items = sections.find_elements(By.CSS_SELECTOR, ":scope > .list > .item")
    items[-1].find_element(By.CSS_SELECTOR, ".controls button.remove").click()
    wait_preview(browser, "我讲两点意见")

    points = holder(browser, "measures", "sections", 0, "points")
    for index, point in ((1, "强化责任担当"), (2, "严明工作纪律")):
        points.find_element(By.CSS_SELECTOR, ":scope > .list > button.add").click()
        type_into(field(browser, "measures", "sections", 0, "points", index, "point"), point)
    wait_preview(browser, "二要强化责任担当", "三要严明工作纪律")
    points.find_elements(By.CSS_SELECTOR, ":scope > .list > .item")[1].find_element(
        By.CSS_SELECTOR, ".controls button.up"
    ).click()
    wait_preview(browser, "一要强化责任担当")

    browser.find_element(By.ID, "save").click()
    wait_until(lambda: "已保存" in status(browser), "保存")

    saved = folder / "二〇二六年述职评议.yaml"
    draft = draft_speech(saved)  # the YAML on disk validates
    assert "服务群众更加用心" in str(draft.document)
    rendered = tmp_path / "cli.docx"
    result = CliRunner().invoke(main, ["render", str(saved), "-o", str(rendered)])
    assert result.exit_code == 0, result.output
    answer = request(
        server, "GET", f"/api/download?name={urllib.parse.quote(saved.name)}&format=docx"
    )
    assert answer.status == 200
    assert docx_text(answer.body) == docx_text(rendered.read_bytes())


def test_an_emptied_required_field_is_marked_and_a_finding_is_fixed_in_one_click(
    browser: Any, base: str, folder: Path
) -> None:
    shutil.copy(EXAMPLE, folder / "必填.yaml")
    before = (folder / "必填.yaml").read_bytes()
    open_editor(browser, base, "必填.yaml")

    field(browser, "meeting", "name").clear()
    error = wait_until(
        lambda: holder(browser, "meeting", "name").find_element(By.CLASS_NAME, "field-error"),
        "必填项的错误提示",
    )
    assert "必填项「会议情况 › 会议名称（name）」不能为空" in error.text
    browser.find_element(By.ID, "save").click()
    alert = wait_until(lambda: browser.switch_to.alert, "保存前的警告")
    assert "错误" in alert.text
    alert.dismiss()
    assert (folder / "必填.yaml").read_bytes() == before
    type_into(field(browser, "meeting", "name"), "党组织书记抓基层党建工作述职评议会议")

    type_into(field(browser, "date"), "2026-11-28")
    type_into(field(browser, "meeting", "purpose"), "深入贯彻落实党的十九大精神")
    fix = wait_until(
        lambda: holder(browser, "meeting", "purpose").find_element(
            By.CSS_SELECTOR, ".finding .fix"
        ),
        "提法的修改按钮",
    )
    assert "二十大精神" in fix.text
    fix.click()
    wait_until(
        lambda: (
            field(browser, "meeting", "purpose").get_attribute("value")
            == "深入贯彻落实党的二十大精神"
        ),
        "修改后的文字",
    )
    wait_preview(browser, "深入贯彻落实党的二十大精神")


def test_a_save_over_another_sessions_save_is_refused_and_both_versions_are_kept(
    browser: Any, base: str, folder: Path
) -> None:
    shutil.copy(EXAMPLE, folder / "两人.yaml")
    open_editor(browser, base, "两人.yaml")
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    open_editor(browser, base, "两人.yaml")
    second = browser.current_window_handle

    browser.switch_to.window(first)
    type_into(field(browser, "speaker"), "王一")
    wait_preview(browser, "王一")
    browser.find_element(By.ID, "save").click()
    wait_until(lambda: "已保存" in status(browser), "第一次保存")

    browser.switch_to.window(second)
    type_into(field(browser, "speaker"), "李二")
    wait_preview(browser, "李二")
    browser.find_element(By.ID, "save").click()
    conflict = wait_until(lambda: browser.find_element(By.ID, "conflict"), "冲突说明")
    assert "已被修改" in conflict.text
    assert "李二" in conflict.find_element(By.CSS_SELECTOR, "textarea.mine").get_attribute("value")
    browser.close()
    browser.switch_to.window(first)

    on_disk = (folder / "两人.yaml").read_text(encoding="utf-8")
    assert "speaker: 王一" in on_disk and "李二" not in on_disk
    kept = list((folder / ".drafter-history" / "两人.yaml").glob("*-未保存的修改.yaml"))
    assert len(kept) == 1 and "speaker: 李二" in kept[0].read_text(encoding="utf-8")


def test_a_hand_commented_form_keeps_its_comments_and_untouched_lines_byte_for_byte(
    browser: Any, base: str, folder: Path
) -> None:
    target = folder / "注释.yaml"
    shutil.copy(EXAMPLE, target)
    before = target.read_bytes()
    open_editor(browser, base, "注释.yaml")
    type_into(field(browser, "meeting", "topic"), "抓党风廉政建设工作")
    wait_preview(browser, "抓党风廉政建设工作")
    browser.find_element(By.ID, "save").click()
    wait_until(lambda: "已保存" in status(browser), "保存")
    expected = before.replace(
        "  topic: 抓基层党建工作\n".encode(), "  topic: 抓党风廉政建设工作\n".encode()
    )
    assert target.read_bytes() == expected


def test_a_choice_is_a_select_of_its_values_with_what_each_prints(
    browser: Any, base: str, folder: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    target = folder / "开场.yaml"
    shutil.copy(EXAMPLE, target)
    open_editor(browser, base, "开场.yaml")
    select = Select(field(browser, "meeting", "opening"))
    shown = [option.text for option in select.options]
    assert shown[0] == "（默认：按照统一要求）"
    assert "根据会议安排：根据会议安排，今天我们召开（会议名称）" in shown
    select.select_by_value("根据会议安排")
    wait_preview(browser, "根据会议安排，今天我们召开")
    browser.find_element(By.ID, "save").click()
    wait_until(lambda: "已保存" in status(browser), "保存")
    assert "opening: 根据会议安排" in target.read_text(encoding="utf-8")


def test_the_model_speech_uploaded_as_an_old_speech_becomes_a_form_whose_preview_matches(
    browser: Any, base: str, tmp_path: Path
) -> None:
    draft = draft_speech(EXAMPLE)
    speech = tmp_path / "范文.docx"
    speech.write_bytes(get_writer("docx")(draft.document, load_preset()))
    model_text = get_writer("txt")(draft.document, load_preset()).decode("utf-8")

    browser.get(base + "/")
    upload = wait_until(lambda: browser.find_element(By.ID, "upload-file"), "上传框")
    upload.send_keys(str(speech))
    browser.find_element(By.ID, "upload").click()
    link = wait_until(lambda: browser.find_element(By.ID, "open-extracted"), "提取结果")
    assert "未归位" in browser.find_element(By.ID, "upload-result").text or "全部放入" in (
        browser.find_element(By.ID, "upload-result").text
    )
    link.click()
    shown = wait_preview(browser, "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话")
    assert _squeezed(shown) == _squeezed(model_text)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_the_readme_screenshot_shows_the_editor_beside_its_preview(
    browser: Any, base: str, folder: Path, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLE, folder / "2026年述职评议.yaml")
    open_editor(browser, base, "2026年述职评议.yaml")
    wait_until(lambda: browser.find_element(By.ID, "length").text, "篇幅")
    shown = holder(browser, "assessment", "review")  # then the numbered achievements below
    browser.execute_script("arguments[0].scrollIntoView();", shown)
    wait_until(lambda: "印作“一是”" in holder(browser, "achievements", 0, "point").text, "序号")
    time.sleep(0.5)  # the frame paints after its text is there
    target = SCREENSHOT if os.environ.get("DRAFTER_WRITE_SCREENSHOT") else tmp_path / "shot.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(target))
    assert target.read_bytes().startswith(b"\x89PNG")


def test_a_form_that_fails_to_load_shows_its_errors_and_is_fixed_in_the_text_view(
    browser: Any, base: str, folder: Path
) -> None:
    (folder / "坏了.yaml").write_text("template: review-commentary\ntitle: [\n", encoding="utf-8")
    browser.get(f"{base}/#/form/坏了.yaml")
    area = wait_until(lambda: browser.find_element(By.ID, "text"), "文字视图")
    problems = browser.find_element(By.CSS_SELECTOR, ".text-view .problems").text
    assert "第 3 行第 1 列" in problems and "方括号" in problems
    browser.execute_script(
        "arguments[0].value = arguments[1];", area, EXAMPLE.read_text(encoding="utf-8")
    )
    browser.find_element(By.ID, "save-text").click()
    wait_preview(browser, "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话")
    assert (folder / "坏了.yaml").read_bytes() == EXAMPLE.read_bytes()
