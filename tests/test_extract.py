"""`drafter extract`: last year's speech becomes this year's form, and nothing in it is lost."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import Result

from drafter.config.located_yaml import load_located
from drafter.extract.registry import extractable
from drafter.packs.finder import find_pack

from .conftest import CONFIGS, EXAMPLE, MODEL_ORIGINAL, SPEECHES, run_cli, run_drafter
from .test_extract_shapes import copied_pack
from .test_rendering import normalize, reference_body

Render = Callable[[Path], str]
EXTRACTABLE = {pack.id for pack in extractable()}
EXTRACTABLE_FORMS = sorted(
    path
    for path in CONFIGS.glob("*.yaml")
    if yaml.safe_load(path.read_text(encoding="utf-8")).get("template") in EXTRACTABLE
)


def extract(speech: Path, form: Path, *args: str) -> Result:
    return run_cli("extract", speech, "-o", form, *args)


def extracted(speech: Path, form: Path, *args: str) -> dict[str, Any]:
    """Extract `speech` into `form` and return the form's data."""
    result = extract(speech, form, *args)
    assert result.exit_code == 0, result.stderr
    return load_located(form).data


def ratio(expected: str, produced: str) -> float:
    return difflib.SequenceMatcher(
        None, normalize(expected), normalize(produced), autojunk=False
    ).ratio()


def speech_from(render_text: Render, form: Path, target: Path) -> Path:
    """Render `form` and save the text as a speech file named `target`."""
    target.write_text(render_text(form), encoding="utf-8")
    return target


# ── acceptance ──────────────────────────────────────────────────────────────────────────


def test_scraped_model_speech_extracts_to_a_form_that_renders_the_model_speech(
    tmp_path: Path,
) -> None:
    made = run_drafter("extract", MODEL_ORIGINAL, "-o", "f.yaml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    rendered = run_drafter("render", "f.yaml", "-f", "txt", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    produced = (tmp_path / "output" / "f.txt").read_text(encoding="utf-8")
    assert ratio(reference_body(), produced) >= 0.97


@pytest.mark.parametrize("shipped", EXTRACTABLE_FORMS, ids=lambda p: p.stem)
def test_extract_render_extract_is_a_fixed_point(
    shipped: Path, tmp_path: Path, render_text: Render
) -> None:
    first = tmp_path / "first.yaml"
    data = extracted(speech_from(render_text, shipped, tmp_path / "speech.txt"), first)
    again = extracted(speech_from(render_text, first, tmp_path / "again.txt"), tmp_path / "2.yaml")
    assert again == data
    assert render_text(first) == render_text(shipped)


def test_every_review_commentary_form_is_covered_by_the_fixed_point_test() -> None:
    names = {path.name for path in EXTRACTABLE_FORMS}
    assert {
        "review-commentary.example.yaml",
        "review-commentary.minimal.yaml",
        "review-commentary.party-conduct.yaml",
        "review-commentary.ideology.yaml",
    } <= names


def test_extracted_example_holds_the_example_forms_values(
    tmp_path: Path, render_text: Render
) -> None:
    data = extracted(speech_from(render_text, EXAMPLE, tmp_path / "s.txt"), tmp_path / "f.yaml")
    shipped = load_located(EXAMPLE).data
    assert _trimmed(data) == _trimmed(shipped)


def with_parts(
    achievements: int, sections: int, optional: bool
) -> Callable[[dict[str, Any]], None]:
    """An edit giving the example form these counts, with or without its optional parts."""

    def edit(data: dict[str, Any]) -> None:
        data["achievements"] = [
            {
                "point": f"第{i}项成绩的要点",
                "detail": f"第{i}项成绩的做法。" if optional else None,
                "examples": [{"who": f"第{i}位同志", "did": "做了工作。"}] if i % 2 else None,
            }
            for i in range(1, achievements + 1)
        ]
        data["problems"]["items"] = [{"point": f"问题{i}"} for i in range(1, sections + 2)]
        data["measures"]["sections"] = [
            {"heading": f"第{i}部分", "points": [{"point": f"要求{i}-{j}"} for j in (1, 2)]}
            for i in range(1, sections + 1)
        ]
        if not optional:
            for part, key in [("meeting", "purpose"), ("assessment", "conclusion")]:
                data[part][key] = None
            data["assessment"]["review"] = data["problems"]["context"] = None
            data["problems"]["impact"] = None
            data["thanks"] = "否"
        else:
            data["closing"] = ["同志们，让我们共同努力！", "希望大家再接再厉。"]

    return edit


@pytest.mark.parametrize(
    ("achievements", "sections", "optional"), [(1, 1, False), (4, 5, True), (12, 3, False)]
)
def test_any_number_of_parts_comes_back_as_it_was_written(
    achievements: int,
    sections: int,
    optional: bool,
    make_form: Callable[..., Path],
    render_text: Render,
    tmp_path: Path,
) -> None:
    form = make_form(with_parts(achievements, sections, optional))
    data = extracted(speech_from(render_text, form, tmp_path / "s.txt"), tmp_path / "f.yaml")
    assert _trimmed(data) == _trimmed(load_located(form).data)


def _trimmed(value: Any) -> Any:
    """Form data without empty fields and without the final 。 a value may or may not carry."""
    if isinstance(value, dict):
        return {k: _trimmed(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [_trimmed(v) for v in value]
    return value.rstrip("。") if isinstance(value, str) else value


# ── choosing the template ───────────────────────────────────────────────────────────────


def test_extract_says_which_template_it_chose_and_why(tmp_path: Path) -> None:
    result = extract(SPEECHES / "two-achievements-one-section.txt", tmp_path / "f.yaml")
    assert result.exit_code == 0, result.stderr
    choice = next(line for line in result.stderr.splitlines() if "提示: 选用模板" in line)
    assert "选用模板 review-commentary（述职评议点评讲话）" in choice
    assert "按它重新生成的讲话与原文相似度" in choice and "找到了全部 9 个部分" in choice
    assert "其他模板不如它吻合（" in choice and "review-commentary-3part：相似度" in choice
    assert "找到了：开头（按照……统一要求）" in choice and "主要成绩（2 项）" in choice


def test_a_three_part_speech_is_read_into_the_three_part_template(
    tmp_path: Path, render_text: Render
) -> None:
    shipped = CONFIGS / "review-commentary-3part.example.yaml"
    speech = speech_from(render_text, shipped, tmp_path / "s.txt")
    result = extract(speech, tmp_path / "f.yaml")
    assert result.exit_code == 0, result.stderr
    assert "选用模板 review-commentary-3part（述职评议点评讲话（三段式））" in result.stderr
    assert _trimmed(load_located(tmp_path / "f.yaml").data) == _trimmed(load_located(shipped).data)


def test_a_speech_of_another_kind_is_an_input_error_saying_what_was_found(
    tmp_path: Path, render_text: Render
) -> None:
    other = tmp_path / "通知.txt"
    other.write_text(
        "关于做好2026年春节期间值班工作的通知\n各科室：\n春节将至，为确保节日期间各项工作正常运转，"
        "现将值班安排通知如下。\n值班时间为2月16日至2月22日，每天安排一名班子成员带班。\n办公室\n",
        encoding="utf-8",
    )
    result = extract(other, tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert f"{other}: 错误: 无法确定这篇讲话适用哪个模板" in result.stderr
    assert (
        "按 review-commentary（述职评议点评讲话）提取，重新生成的讲话与原文相似度" in result.stderr
    )
    assert "（至少要 80%）" in result.stderr
    assert (
        "找到了：" in result.stderr
        and "没有找到：" in result.stderr
        and "述职情况（刚才，……就……进行了述职）" in result.stderr
    )
    assert "照样提取" in result.stderr
    assert not (tmp_path / "f.yaml").exists()


def test_naming_the_template_extracts_even_a_poor_match_keeping_the_rest(
    tmp_path: Path, render_text: Render
) -> None:
    other = speech_from(
        render_text, CONFIGS / "commendation-speech.example.yaml", tmp_path / "表彰.txt"
    )
    data = extracted(other, tmp_path / "f.yaml", "--template", "review-commentary")
    assert data["unplaced"], "text no field holds is kept"


def test_a_template_without_a_recogniser_is_a_usage_error(tmp_path: Path) -> None:
    pack = copied_pack(tmp_path, "commendation-speech", "plain-commendation")
    (pack / "extract.yaml").unlink()
    speech = SPEECHES / "two-achievements-one-section.txt"
    result = extract(speech, tmp_path / "f.yaml", "--template", str(pack))
    assert result.exit_code == 2
    assert "模板 plain-commendation（表彰大会讲话）暂不支持 drafter extract" in result.stderr
    assert "支持的模板：" in result.stderr and "review-commentary" in result.stderr


# ── nothing lost ────────────────────────────────────────────────────────────────────────


def test_a_paragraph_no_field_holds_is_kept_whole_and_named_by_position(tmp_path: Path) -> None:
    speech = SPEECHES / "extra-paragraph.txt"
    lost = speech.read_text(encoding="utf-8").splitlines()[8]
    assert lost.startswith("总之")
    result = extract(speech, tmp_path / "f.yaml")
    assert result.exit_code == 0, result.stderr
    assert load_located(tmp_path / "f.yaml").data["unplaced"] == [lost]
    warning = next(line for line in result.stderr.splitlines() if "unplaced" in line)
    assert warning.startswith(f"{speech}:9:1: 警告: ")
    assert "总之，这些成绩的取得" in warning


def speech_with_extra_paragraph(tmp_path: Path, render_text: Render) -> tuple[Path, int]:
    """The 3part example's rendering with an unplaceable paragraph before its 二、 heading."""
    lines = render_text(CONFIGS / "review-commentary-3part.example.yaml").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("二、"))
    lines.insert(at, "　　总之，这些成绩来之不易，值得倍加珍惜。")
    speech = tmp_path / "s.txt"
    speech.write_text("\n".join(lines), encoding="utf-8")
    return speech, at + 1


def test_the_3part_pack_keeps_leftovers_in_unplaced(tmp_path: Path, render_text: Render) -> None:
    speech, line = speech_with_extra_paragraph(tmp_path, render_text)
    result = extract(speech, tmp_path / "f.yaml")
    assert result.exit_code == 0, result.stderr
    assert f"{speech}:{line}:3: 警告: " in result.stderr
    data = load_located(tmp_path / "f.yaml").data
    assert data["unplaced"] == ["总之，这些成绩来之不易，值得倍加珍惜。"]


def test_a_pack_without_unplaced_keeps_leftovers_in_the_forms_comments(
    tmp_path: Path, render_text: Render
) -> None:
    speech, line = speech_with_extra_paragraph(tmp_path, render_text)
    pack = tmp_path / "templates" / "review-commentary-3part"
    shutil.copytree(find_pack("review-commentary-3part").directory, pack)
    manifest = pack / "template.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("  unplaced:")], encoding="utf-8")
    result = extract(speech, tmp_path / "f.yaml", "--template", str(pack))
    assert result.exit_code == 0, result.stderr
    assert f"{speech}:{line}:3: 警告: " in result.stderr
    assert "已原文保存在表单开头的注释中" in result.stderr
    form_text = (tmp_path / "f.yaml").read_text(encoding="utf-8-sig")
    assert "#   总之，这些成绩来之不易，值得倍加珍惜。" in form_text


def test_page_chrome_is_left_out_of_the_speech_but_kept_as_comments(tmp_path: Path) -> None:
    form = tmp_path / "f.yaml"
    result = extract(MODEL_ORIGINAL, form)
    assert result.exit_code == 0, result.stderr
    assert f"{MODEL_ORIGINAL}:2:1: 警告: 这一行是网页信息，不是讲话内容，已略去" in result.stderr
    assert f"{MODEL_ORIGINAL}:23:1: 警告: " in result.stderr
    text = form.read_text(encoding="utf-8-sig")
    assert "#   第 2 行第 1 列：发布时间：2021-01-26 来源：党课讲稿 点击：" in text
    assert "#   第 23 行第 1 列：相关热词搜索：述职 评议 党建工作 基层党组织 基层" in text
    assert "#   第 24 行第 1 列：热点文章阅读" in text
    assert "发布时间" not in yaml.safe_dump(load_located(form).data, allow_unicode=True)


def test_wording_the_template_prints_differently_is_warned_and_kept_in_comments(
    tmp_path: Path,
) -> None:
    form = tmp_path / "f.yaml"
    result = extract(MODEL_ORIGINAL, form)
    assert (
        "警告: 按表单重新生成时这里与原文不同：原文“态长效。比如XXX同志组”，生成为“态长效。比如，XXX同志组”"
        in result.stderr
    )
    changed = "原文“摆了自己在抓党建工作中的”，生成为“摆了自己在抓基层党建工作中的”"
    assert changed in form.read_text(encoding="utf-8-sig")


def test_a_line_broken_by_the_web_page_is_joined_and_noted(tmp_path: Path) -> None:
    result = extract(MODEL_ORIGINAL, tmp_path / "f.yaml")
    assert f"{MODEL_ORIGINAL}:15:235: 提示: 这一行以“；”结尾" in result.stderr
    point = load_located(tmp_path / "f.yaml").data["measures"]["sections"][1]["points"][2]
    assert "要加强监管，规范运行；针对群众反映强烈的问题" in point["detail"]


# ── cleaning scraped text ───────────────────────────────────────────────────────────────


def test_scraped_text_is_cleaned_with_the_check_fixes_each_one_listed(tmp_path: Path) -> None:
    form = tmp_path / "f.yaml"
    result = extract(MODEL_ORIGINAL, form)
    fixes = [line for line in result.stderr.splitlines() if "已修改" in line]
    assert (
        f"{MODEL_ORIGINAL}:1:3: 已修改: [script.traditional] “層黨組織書” → “层党组织书”" in fixes
    )
    assert f"{MODEL_ORIGINAL}:1:8: 已修改: [script.pinyin] 删除“(shū)”" in fixes
    assert any("[punct.halfwidth-comma] “,” → “，”" in line for line in fixes)
    values = yaml.safe_dump(load_located(form).data, allow_unicode=True)
    assert "黨" not in values and "(shū)" not in values and "," not in values
    assert MODEL_ORIGINAL.read_text(encoding="utf-8").startswith("在基層黨組織書(shū)記")


def test_a_scraped_copy_extracts_to_the_same_form_as_the_clean_speech(tmp_path: Path) -> None:
    clean = extracted(SPEECHES / "first-second-series.txt", tmp_path / "clean.yaml")
    scraped = extracted(SPEECHES / "scraped-first-second-series.txt", tmp_path / "scraped.yaml")
    assert scraped == clean


# ── the form it writes ──────────────────────────────────────────────────────────────────


def test_the_form_carries_the_comments_of_drafter_new_with_values_in_reading_order(
    tmp_path: Path,
) -> None:
    form = tmp_path / "f.yaml"
    data = extracted(SPEECHES / "two-achievements-one-section.txt", form)
    text = form.read_text(encoding="utf-8-sig")
    pack = find_pack("review-commentary")
    for _, spec in pack.schema.walk():
        assert f"# {spec.label}（{'必填' if spec.required else '选填'}" in text, spec.key
    assert list(data) == [spec.key for spec in pack.schema.fields]
    assert data["meeting"]["organizer"] == "市直机关工委"
    assert data["achievements"][1]["examples"][0]["who"] == "财务科党支部书记陈静同志"


def test_a_low_confidence_field_has_a_comment_to_check_it(tmp_path: Path) -> None:
    form = tmp_path / "f.yaml"
    extracted(SPEECHES / "first-second-series.txt", form)
    lines = form.read_text(encoding="utf-8-sig").splitlines()
    at = lines.index("achievements:")
    assert lines[at - 1] == "# 请核对：原文用“第一、第二……”编号，生成时写作“一是、二是……”"


def test_the_form_validates_renders_and_is_utf8_with_a_bom(
    tmp_path: Path, render_text: Render
) -> None:
    form = tmp_path / "f.yaml"
    extracted(SPEECHES / "six-achievements-problem-paragraphs.txt", form)
    assert form.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not load_located(form).problems
    assert "六是基础保障逐步完善。" in render_text(form)


def test_extract_refuses_to_overwrite_a_form_unless_forced(tmp_path: Path) -> None:
    form = tmp_path / "mine.yaml"
    form.write_text("title: 我已经写好的内容\n", encoding="utf-8")
    speech = SPEECHES / "two-achievements-one-section.txt"
    refused = extract(speech, form)
    assert refused.exit_code == 2
    assert f"{form}: 错误: 这个文件已经存在" in refused.stderr and "--force" in refused.stderr
    assert form.read_text(encoding="utf-8") == "title: 我已经写好的内容\n"
    assert extract(speech, form, "--force").exit_code == 0
    assert load_located(form).data["template"] == "review-commentary"


def test_the_form_is_named_after_the_speech_by_default(tmp_path: Path) -> None:
    speech = tmp_path / "2025年讲话.txt"
    speech.write_bytes((SPEECHES / "two-achievements-one-section.txt").read_bytes())
    result = run_drafter("extract", speech.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2025年讲话.yaml"
    assert "render 2025年讲话.yaml" in result.stderr


# ── reading .docx and .md ───────────────────────────────────────────────────────────────


def test_a_word_document_typed_by_hand_extracts_like_its_text(tmp_path: Path) -> None:
    speech = SPEECHES / "two-achievements-one-section.txt"
    document = docx.Document()
    for line in speech.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line.strip())
    document.save(str(tmp_path / "speech.docx"))
    from_word = extracted(tmp_path / "speech.docx", tmp_path / "word.yaml")
    assert from_word == extracted(speech, tmp_path / "text.yaml")


def test_a_word_document_drafter_wrote_extracts_to_the_same_form(tmp_path: Path) -> None:
    rendered = run_cli("render", EXAMPLE, "-o", tmp_path / "speech.docx")
    assert rendered.exit_code == 0, rendered.stderr
    from_word = extracted(tmp_path / "speech.docx", tmp_path / "word.yaml")
    assert _trimmed(from_word) == _trimmed(load_located(EXAMPLE).data)


def test_a_gbk_text_file_from_notepad_extracts_like_utf8(tmp_path: Path) -> None:
    speech = SPEECHES / "two-achievements-one-section.txt"
    gbk = tmp_path / "ansi.txt"
    gbk.write_bytes(speech.read_text(encoding="utf-8").encode("gbk"))
    assert extracted(gbk, tmp_path / "gbk.yaml") == extracted(speech, tmp_path / "utf8.yaml")


def test_markdown_headings_bold_leads_and_byline_are_read(tmp_path: Path) -> None:
    data = extracted(SPEECHES / "markdown-speech.md", tmp_path / "f.yaml")
    assert data["speaker"] == "周敏" and data["date"] == "2026-01-22"
    assert data["achievements"][0]["point"] == "党委领导下的院长负责制全面落实"
    assert [s["heading"] for s in data["measures"]["sections"]] == [
        "坚持党建引领，推动公立医院高质量发展",
        "压实工作责任，全面提升党建工作质量",
    ]


# ── bad input ───────────────────────────────────────────────────────────────────────────


def test_a_missing_speech_is_an_input_error(tmp_path: Path) -> None:
    result = extract(tmp_path / "没有这个文件.txt", tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert "没有这个文件.txt" in result.stderr and "Traceback" not in result.stderr


def test_a_form_given_as_the_speech_is_refused(tmp_path: Path) -> None:
    result = extract(EXAMPLE, tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert "只支持讲话稿文件（.txt、.text、.md、.markdown、.docx）" in result.stderr


def test_extract_help_is_chinese() -> None:
    result = run_cli("extract", "--help")
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    assert "从旧讲话稿（.txt、.md、.docx）提取一份填好的表单" in shown
    assert "不会覆盖，除非加 --force" in shown


def test_render_never_imports_extract(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from drafter.cli import main\n"
        "try:\n"
        f"    main(['render', {str(EXAMPLE)!r}, '-f', 'txt', '-o', {str(tmp_path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('drafter.extract')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
