"""Style files, `drafter styles`, and --reference-doc: an office's own layout, checked like forms."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from drafter.config.options import CN_SIZES
from drafter.presets import STYLES_DIR, FontSpec, builtin_presets, load_preset

from .conftest import EXAMPLE, run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def style_file(folder: Path, text: str, name: str = "我的版式.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def render_docx(folder: Path, *options: str | Path) -> Path:
    result = run_cli("render", EXAMPLE, "-o", folder, *options)
    assert result.exit_code == 0, result.stderr
    return folder / "review-commentary.example.docx"


def part(path: Path, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def paragraphs(body: etree._Element, style_id: str) -> list[etree._Element]:
    return body.xpath(f"//w:p[w:pPr/w:pStyle/@w:val='{style_id}']", namespaces=NS)


def val(element: etree._Element | None) -> str | None:
    assert element is not None
    return element.get(f"{{{W}}}val")


# ---------------------------------------------------------------- style files


def test_custom_style_with_xiaosan_body_and_no_lead_emphasis(tmp_path: Path) -> None:
    style = style_file(tmp_path, "base: gbt9704\nbody: {size: 小三}\nlead: none\n")
    body = part(render_docx(tmp_path, "--style", style))
    body_paragraphs = paragraphs(body, "DrafterBody")
    for paragraph in body_paragraphs:
        for size in paragraph.xpath("w:r/w:rPr/w:sz", namespaces=NS):
            assert val(size) == "30"  # 15 pt in half-points
    leads = [p.find("w:r", NS) for p in body_paragraphs[1:4]]
    for lead in leads:
        assert "".join(lead.itertext()).startswith(("一是", "二是", "三是"))
        assert val(lead.find("w:rPr/w:b", NS)) == "0"
    # The body font came from the base preset: only the size was changed.
    fonts = body_paragraphs[0].find("w:r/w:rPr/w:rFonts", NS)
    assert fonts.get(f"{{{W}}}eastAsia") == "仿宋_GB2312"


def test_style_with_a_typo_is_refused_with_its_line(tmp_path: Path) -> None:
    style = style_file(tmp_path, "base: gbt9704\nlead: none\nbdoy: {size: 小三}\n")
    result = run_cli("render", EXAMPLE, "--style", style, "-o", tmp_path)
    assert result.exit_code == 2
    assert f"{style}:3:1: 错误: 样式文件中没有设置项 bdoy，是否想写 body（正文）？" in result.stderr
    assert not list(tmp_path.glob("*.docx"))


def test_style_problems_are_all_reported_at_once(tmp_path: Path) -> None:
    style = style_file(
        tmp_path,
        "base: gbt9704\n"
        "body: {font: 仿宋, szie: 小三}\n"
        "title: {size: 大二}\n"
        "page:\n  top: 三十七\n"
        "grid: {lines: 22.5}\n"
        "lead: 斜体\n",
    )
    result = run_cli("render", EXAMPLE, "--style", style)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(": 错误: ")[0] for line in lines] == [
        f"{style}:2:18", f"{style}:3:15", f"{style}:5:8", f"{style}:6:15", f"{style}:7:7",
    ]  # fmt: skip
    assert "是否想写 size（字号）" in lines[0]
    assert "大二 无法识别" in lines[1] and "小三" in lines[1]
    assert "应为毫米数" in lines[2] and "应为整数" in lines[3]
    assert "none（不强调）" in lines[4]


@pytest.mark.parametrize(
    ("written", "points"),
    [
        ("小三", 15), ("15", 15), ("15.5", 15.5), ("15磅", 15), ("14pt", 14), ("小五号", 9),
        ("五号", 10.5), ("小四", 12), ("小四号", 12), ("10.5磅", 10.5), ("10.5pt", 10.5),
        ("10.5 PT", 10.5), ("三号字", 16), ("小初号", 36), ("5号", 10.5), ("１６磅", 16),
    ],
)  # fmt: skip
def test_sizes_accept_chinese_names_and_points(tmp_path: Path, written: str, points: float) -> None:
    style = style_file(tmp_path, f"base: gbt9704\nbody: {{size: {written}}}\n")
    assert load_preset(str(style)).body.size == points


def test_every_chinese_size_name_is_known() -> None:
    assert CN_SIZES["三号"] == 16 and CN_SIZES["小三"] == 15 and CN_SIZES["二号"] == 22


def test_lead_emphasis_may_be_written_in_chinese(tmp_path: Path) -> None:
    style = style_file(tmp_path, "base: gbt9704\nlead: 楷体\nlead_font: 楷体\n")
    assert load_preset(str(style)).lead == "kaiti"


def test_a_style_without_base_must_be_complete(tmp_path: Path) -> None:
    style = style_file(tmp_path, "body: {font: 仿宋, size: 三号}\n")
    result = run_cli("render", EXAMPLE, "--style", style)
    assert result.exit_code == 2
    assert "版式缺少 纸张宽度（page.width）" in result.stderr
    assert "base: gbt9704" in result.stderr


def test_a_missing_base_is_located_at_the_base_line(tmp_path: Path) -> None:
    style = style_file(tmp_path, "name: x\nbase: gbt970\n")
    result = run_cli("render", EXAMPLE, "--style", style)
    assert result.exit_code == 2
    assert f"{style}:2:7: 错误: 没有名为 gbt970 的版式；是否想写 gbt9704？" in result.stderr


def test_a_style_may_build_on_another_style_file_beside_it(tmp_path: Path) -> None:
    style_file(tmp_path, "base: windows\nbody: {size: 小三}\n", "office.yaml")
    style = style_file(tmp_path, "base: office.yaml\nlead: none\n")
    preset = load_preset(str(style))
    assert (preset.body.name, preset.body.size, preset.lead) == ("仿宋", 15, "none")


def test_built_in_presets_are_valid() -> None:
    assert builtin_presets() == ["gbt9704", "windows"]
    for name in builtin_presets():
        assert load_preset(name).page_mm == (210, 297)


# ---------------------------------------------------------------- drafter styles


def test_styles_lists_the_presets_with_their_labels() -> None:
    result = run_cli("styles")
    assert result.exit_code == 0
    assert "gbt9704  GB/T 9704-2012 公文格式" in result.stdout
    assert "windows  Windows 常用字体" in result.stdout
    assert "drafter styles gbt9704 -o 我的版式.yaml" in result.stdout


def test_styles_prints_a_preset_with_its_comments() -> None:
    result = run_cli("styles", "gbt9704")
    assert result.exit_code == 0
    assert result.stdout == (STYLES_DIR / "gbt9704.yaml").read_text(encoding="utf-8")
    assert "# 版式预设" in result.stdout


def test_styles_saves_a_copy_that_renders_after_editing(tmp_path: Path) -> None:
    copy = tmp_path / "单位版式.yaml"
    result = run_cli("styles", "gbt9704", "-o", copy)
    assert result.exit_code == 0
    text = copy.read_text(encoding="utf-8")
    assert "name: 单位版式" in text
    edited = text.replace(
        "body:        {font: 仿宋_GB2312, size: 三号}", "body: {font: 仿宋, size: 小三}"
    )
    copy.write_text(edited, encoding="utf-8")
    assert load_preset(str(copy)).body == FontSpec("仿宋", 15.0)
    assert run_cli("styles", "gbt9704", "-o", copy).exit_code == 2  # never overwritten


def test_styles_checks_a_style_file_before_printing_it(tmp_path: Path) -> None:
    style = style_file(tmp_path, "base: gbt9704\ntitel: {size: 二号}\n")
    result = run_cli("styles", style)
    assert result.exit_code == 2
    assert (
        f"{style}:2:1: 错误: 样式文件中没有设置项 titel，是否想写 title（标题）？" in result.stderr
    )


def test_styles_with_an_unknown_name_suggests_one() -> None:
    result = run_cli("styles", "window")
    assert result.exit_code == 2
    assert "是否想写 windows" in result.stderr


# ---------------------------------------------------------------- --reference-doc


@pytest.fixture
def office_reference(tmp_path: Path) -> Path:
    """A drafter document the office restyled in Word: 宋体 15 pt body, 30 mm left margin, a header."""
    made = render_docx(tmp_path / "made")
    document = docx.Document(str(made))
    body_style = document.styles["讲话稿正文"]
    body_style.font.size = Pt(15)
    body_style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    section = document.sections[0]
    section.left_margin = Mm(30)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "内部资料 注意保存"
    path = tmp_path / "单位模板.docx"
    document.save(str(path))
    return path


def test_reference_doc_gives_its_paragraph_styles(office_reference: Path, tmp_path: Path) -> None:
    made = render_docx(tmp_path / "out", "--reference-doc", office_reference)
    styles = part(made, "word/styles.xml")
    [body_style] = styles.xpath("//w:style[@w:styleId='DrafterBody']", namespaces=NS)
    assert val(body_style.find("w:rPr/w:sz", NS)) == "30"
    body = part(made)
    body_paragraphs = paragraphs(body, "DrafterBody")
    assert len(body_paragraphs) == 14
    for paragraph in body_paragraphs:
        # No direct size, indent or spacing: the office's style decides.
        assert paragraph.find("w:pPr/w:ind", NS) is None
        assert not paragraph.xpath("w:r/w:rPr/w:sz", namespaces=NS)
        for fonts in paragraph.xpath("w:r/w:rPr/w:rFonts", namespaces=NS):
            assert fonts.get(f"{{{W}}}eastAsia") == "宋体"


def test_reference_doc_gives_its_page_setup_and_header(
    office_reference: Path, tmp_path: Path
) -> None:
    made = render_docx(tmp_path / "out", "--reference-doc", office_reference)
    document = docx.Document(str(made))
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.top_margin.mm) == 37
    assert section.header.paragraphs[0].text == "内部资料 注意保存"
    assert section.footer.paragraphs[0].text == "— 1 —"  # the reference's footers are kept
    texts = [p.text for p in document.paragraphs]
    assert texts[-1] == "谢谢大家！"
    assert sum("谢谢大家" in t for t in texts) == 1  # the reference's own text is gone


def test_reference_doc_without_our_styles_uses_words_built_in_ones(tmp_path: Path) -> None:
    plain = docx.Document()
    section = plain.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    plain.add_paragraph("旧内容", style="Title")
    reference = tmp_path / "plain.docx"
    plain.save(str(reference))
    made = render_docx(tmp_path / "out", "--reference-doc", reference)
    document = docx.Document(str(made))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Body Text"} <= styles
    assert "讲话稿署名" in styles  # no built-in byline style: drafter's own is added
    assert document.sections[0].footer.paragraphs[0].text.startswith("— ")  # numbered anyway


def test_reference_doc_output_is_protected_like_any_other(
    office_reference: Path, tmp_path: Path
) -> None:
    made = render_docx(tmp_path / "out", "--reference-doc", office_reference)
    with zipfile.ZipFile(made) as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
    assert custom.count('name="DrafterFingerprint"') == 1
    render_docx(tmp_path / "out", "--reference-doc", office_reference)  # unedited: replaced


def test_a_word_template_dotx_can_be_the_reference(office_reference: Path, tmp_path: Path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(office_reference) as source, zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            blob = source.read(item)
            if item.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, blob)
    template = tmp_path / "单位模板.dotx"
    template.write_bytes(data.getvalue())
    made = render_docx(tmp_path / "out", "--reference-doc", template)
    assert docx.Document(str(made)).sections[0].header.paragraphs[0].text == "内部资料 注意保存"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0 binary Word 97", "不是 Word 2007 及以后的 .docx 格式"),
        ("missing.docx", None, "找不到参考文档"),
    ],
)
def test_an_unusable_reference_doc_is_a_usage_error(
    tmp_path: Path, name: str, content: bytes | None, fragment: str
) -> None:
    reference = tmp_path / name
    if content is not None:
        reference.write_bytes(content)
    result = run_cli("render", EXAMPLE, "--reference-doc", reference, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert fragment in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
