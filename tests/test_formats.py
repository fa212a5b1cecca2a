"""The HTML page looks like the printed speech and stands alone; the .docx carries its metadata."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from drafter.presets import load_preset
from drafter.writers.linebreak import balance_lines

from .conftest import EXAMPLE, run_cli

FormMaker = Callable[..., Path]
TITLE = "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话"
MARKUP = '<b>粗体</b> & "引号" {{ 7*7 }}'


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[str] = field(default_factory=list)  # tags directly inside


class PageParser(HTMLParser):
    """Elements with their classes and text, the style sheet, and every attribute value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.css = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        if self.open:
            self.open[-1].children.append(tag)
        self.elements.append(element)
        if tag not in ("br", "meta"):
            self.open.append(element)
        elif tag == "br":
            for parent in self.open:
                parent.text += "\n"

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1].tag == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1].tag == "style":
            self.css += data
        for element in self.open:
            element.text += data

    def by_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs.get("class", "").split()]

    def rule(self, selector: str) -> str:
        """The declarations of the first CSS rule whose selector is exactly `selector`."""
        match = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", self.css)
        assert match, selector
        return match.group(1)


def page_of(path: Path) -> tuple[str, PageParser]:
    source = path.read_text(encoding="utf-8")
    parser = PageParser()
    parser.feed(source)
    return source, parser


@pytest.fixture(scope="module")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, PageParser]:
    out = tmp_path_factory.mktemp("html")
    result = run_cli("render", EXAMPLE, "-f", "html", "-f", "txt", "-o", out)
    assert result.exit_code == 0, result.stderr
    return page_of(out / "review-commentary.example.html")


def test_html_is_one_page_in_chinese_with_its_title(example_html: tuple[str, PageParser]) -> None:
    source, page = example_html
    assert source.startswith("<!DOCTYPE html>")
    [root] = [e for e in page.elements if e.tag == "html"]
    assert root.attrs["lang"] == "zh-CN"
    [title] = [e for e in page.elements if e.tag == "title"]
    assert title.text == TITLE
    generator = [e for e in page.elements if e.attrs.get("name") == "generator"]
    assert generator and generator[0].attrs["content"].startswith("drafter ")


def test_html_title_is_balanced_like_the_docx(example_html: tuple[str, PageParser]) -> None:
    _, page = example_html
    [title] = page.by_class("title")
    assert title.tag == "h1"
    assert title.text.split("\n") == balance_lines(TITLE, load_preset("gbt9704").title_chars)


def test_html_has_the_speech_structure(example_html: tuple[str, PageParser]) -> None:
    _, page = example_html
    assert [e.text for e in page.by_class("byline")] == ["（2021年1月26日）"]
    headings = page.by_class("heading1")
    assert [h.tag for h in headings] == ["h2", "h2", "h2"]
    assert [h.text[:2] for h in headings] == ["一、", "二、", "三、"]
    leads = page.by_class("lead")
    assert [lead.text[:2] for lead in leads[:3]] == ["一是", "二是", "三是"]
    assert all(lead.tag == "span" for lead in leads)
    assert page.by_class("thanks")[-1].text == "谢谢大家！"


def test_html_carries_the_same_text_as_the_txt(
    example_html: tuple[str, PageParser], tmp_path: Path
) -> None:
    _, page = example_html
    [main] = [e for e in page.elements if e.tag == "main"]
    txt = run_cli("render", EXAMPLE, "-f", "txt", "-o", "-").stdout
    assert re.sub(r"\s", "", main.text) == re.sub(r"\s", "", txt)


def test_html_page_is_a4_with_the_preset_margins(example_html: tuple[str, PageParser]) -> None:
    _, page = example_html
    sheet = page.rule(".page")
    assert "width: 210mm" in sheet and "min-height: 297mm" in sheet
    assert "padding: 37mm 26mm 35mm 28mm" in sheet
    assert "@page { size: 210mm 297mm; margin: 37mm 26mm 35mm 28mm; }" in page.css
    assert 'counter(page) " —"' in page.css  # printed pages are numbered — 1 —


def test_html_fonts_follow_the_preset_with_cjk_fallbacks(
    example_html: tuple[str, PageParser],
) -> None:
    _, page = example_html
    body = page.rule(".body")
    assert re.search(r'font-family: drafter-latin, "仿宋_GB2312", "仿宋", "FangSong".*serif;', body)
    assert "Noto Serif CJK SC" in body
    assert "font-size: 16pt" in body and "text-indent: 2em" in body
    assert "text-align: justify" in body
    title = page.rule(".title")
    assert '"方正小标宋简体"' in title and "font-size: 22pt" in title
    assert "text-align: center" in title and "font-weight: normal" in title
    heading = page.rule(".heading1")
    assert '"黑体"' in heading and "sans-serif" in heading
    assert '"楷体_GB2312"' in page.rule(".heading2")
    assert "line-height: 28.95pt" in page.css
    assert 'local("Times New Roman")' in page.css  # Latin letters and digits, as in Word


def test_html_leads_are_bold_as_in_word(example_html: tuple[str, PageParser]) -> None:
    _, page = example_html
    assert "font-weight: bold" in page.rule(".lead")


def test_html_makes_no_external_reference(example_html: tuple[str, PageParser]) -> None:
    source, page = example_html
    for element in page.elements:
        assert not {"src", "href"} & set(element.attrs), element
        assert element.tag not in ("link", "script", "img", "iframe")
    assert "@import" not in page.css and "url(" not in page.css
    assert "http" not in source and "//" not in source.replace("<!DOCTYPE", "")


def test_html_prints_user_markup_literally(make_form: FormMaker, tmp_path: Path) -> None:
    form = make_form(lambda d: d["meeting"].update(organizer=MARKUP))
    assert run_cli("render", form, "-f", "html", "-o", tmp_path).exit_code == 0
    source, page = page_of(tmp_path / f"{form.stem}.html")
    assert not [e for e in page.elements if e.tag == "b"]
    assert MARKUP in page.by_class("body")[0].text
    assert "&lt;b&gt;" in source


def test_a_font_name_cannot_break_out_of_the_style_sheet(tmp_path: Path) -> None:
    style = tmp_path / "style.yaml"
    style.write_text('base: gbt9704\nbody: {font: "仿宋</style><script>"}\n', encoding="utf-8")
    result = run_cli("render", EXAMPLE, "-f", "html", "--style", style, "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    source, page = page_of(tmp_path / "review-commentary.example.html")
    assert source.count("</style>") == 1
    assert not [e for e in page.elements if e.tag == "script"]


def test_html_follows_the_windows_preset() -> None:
    source = run_cli("render", EXAMPLE, "-f", "html", "--style", "windows", "-o", "-").stdout
    page = PageParser()
    page.feed(source)
    title = page.rule(".title")
    assert '"宋体"' in title and "font-weight: bold" in title
    assert '"仿宋"' in page.rule(".body")


# ---------------------------------------------------------------- .docx metadata


def core(path: Path) -> docx.opc.coreprops.CoreProperties:
    return docx.Document(str(path)).core_properties


@pytest.fixture
def speech_docx(make_form: FormMaker, tmp_path: Path) -> Path:
    form = make_form(lambda d: d.update(speaker="王建平", date="2021-01-26"), name="speech.yaml")
    assert run_cli("render", form, "-o", tmp_path).exit_code == 0
    return tmp_path / "speech.docx"


def test_docx_core_properties_carry_title_speaker_date_and_language(speech_docx: Path) -> None:
    props = core(speech_docx)
    assert props.title == TITLE
    assert props.author == "王建平"
    assert props.created is not None and props.created.date().isoformat() == "2021-01-26"
    assert props.language == "zh-CN"


def test_docx_names_drafter_as_its_generator(speech_docx: Path) -> None:
    props = core(speech_docx)
    assert props.last_modified_by.startswith("drafter ")
    assert props.comments.startswith("由 drafter ")
    with zipfile.ZipFile(speech_docx) as package:
        app = package.read("docProps/app.xml").decode("utf-8")
        custom = package.read("docProps/custom.xml").decode("utf-8")
    assert re.search(r"<Application>drafter \d+\.\d+\.\d+</Application>", app)
    assert 'name="Generator"' in custom and 'name="DrafterFingerprint"' in custom
