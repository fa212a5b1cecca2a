"""`drafter new`: a commented form that validates and renders as it stands, never over a file."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import docx
import pytest

from drafter.config.located_yaml import load_located
from drafter.infra.resources import builtin_dir
from drafter.packs.fields import validate
from drafter.packs.finder import find_pack, load_pack
from drafter.packs.scaffold import scaffold_form
from drafter.pipeline import draft_speech

from .conftest import run_cli, run_drafter

BUILTIN_PACKS = sorted(p.parent.name for p in builtin_dir("templates").glob("*/template.yaml"))


def scaffold(tmp_path: Path, template: str = "review-commentary") -> Path:
    form = tmp_path / "f.yaml"
    result = run_cli("new", template, "-o", form)
    assert result.exit_code == 0, result.stderr
    return form


def comments_above(lines: list[str], line: int) -> str:
    """The comment block right above a (1-based) line."""
    block: list[str] = []
    for text in reversed(lines[: line - 1]):
        if not text.strip().startswith("#"):
            break
        block.insert(0, text.strip())
    return "\n".join(block)


def test_new_then_render_succeeds_as_a_writer_would_run_it(tmp_path: Path) -> None:
    made = run_drafter("new", "review-commentary", "-o", "f.yaml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "f.yaml"
    rendered = run_drafter("render", "f.yaml", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert "错误" not in rendered.stderr
    speech = docx.Document(str(tmp_path / "output" / "f.docx"))
    text = "\n".join(p.text for p in speech.paragraphs)
    assert "按照区教育局党委统一要求" in text and "党建责任落实到位" in text


@pytest.mark.parametrize("template", BUILTIN_PACKS)
def test_scaffold_of_every_builtin_pack_validates_and_renders(
    template: str, tmp_path: Path
) -> None:
    form = scaffold(tmp_path, template)
    loaded = load_located(form)
    assert not loaded.problems and not loaded.warnings
    draft = draft_speech(form)
    assert draft.pack.id == template and draft.document.blocks


def test_scaffold_is_filled_with_the_manifest_examples(tmp_path: Path) -> None:
    data = load_located(scaffold(tmp_path)).data
    assert data["meeting"]["organizer"] == "区教育局党委"
    assert data["assessment"]["impressions"][:3] == [
        "大家准备得很充分",
        "总结成绩实事求是",
        "查摆问题具体深入",
    ]
    assert data["achievements"][0]["examples"][0]["who"] == "XXX同志"


@pytest.mark.parametrize("template", BUILTIN_PACKS)
def test_every_field_has_a_chinese_comment_with_label_and_whether_required(
    template: str, tmp_path: Path
) -> None:
    form = scaffold(tmp_path, template)
    lines = form.read_text(encoding="utf-8-sig").splitlines()
    loaded = load_located(form)
    pack = find_pack(template)
    specs = dict(pack.schema.walk())
    written = set()
    for path, (line, _) in loaded.keys.items():
        field_path = tuple(step for step in path if isinstance(step, str))
        spec = specs[field_path]
        comment = comments_above(lines, line)
        assert spec.label in comment, (path, comment)
        assert ("必填" if spec.required else "选填") in comment, (path, comment)
        written.add(field_path)
    assert written == set(specs), "every declared field is in the scaffold"


def test_comment_quotes_the_model_speech_example(tmp_path: Path) -> None:
    lines = scaffold(tmp_path).read_text(encoding="utf-8-sig").splitlines()
    organizer = next(i for i, text in enumerate(lines, 1) if "organizer:" in text)
    comment = comments_above(lines, organizer)
    assert "组织单位（选填）：用于“按照（组织单位）统一要求”" in comment
    assert "范文示例：区教育局党委" in comment


def test_header_says_how_to_point_an_editor_at_the_schema(tmp_path: Path) -> None:
    text = scaffold(tmp_path).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=review-commentary.schema.json"
    assert "drafter schema review-commentary -o review-commentary.schema.json" in text
    assert "drafter render f.yaml" in text


def test_new_form_is_utf8_with_a_bom_so_old_notepad_reads_it(tmp_path: Path) -> None:
    raw = scaffold(tmp_path).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    raw.decode("utf-8-sig")


def test_new_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    form = tmp_path / "mine.yaml"
    form.write_text("title: 我已经写好的内容\n", encoding="utf-8")
    result = run_cli("new", "review-commentary", "-o", form)
    assert result.exit_code == 2
    assert f"{form}: 错误: 这个文件已经存在" in result.stderr and "不会改写" in result.stderr
    assert form.read_text(encoding="utf-8") == "title: 我已经写好的内容\n"


def test_new_writes_template_name_dot_yaml_in_the_current_folder_by_default(
    tmp_path: Path,
) -> None:
    result = run_drafter("new", "review-commentary", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "review-commentary.yaml"
    assert (tmp_path / "review-commentary.yaml").is_file()
    assert "drafter render review-commentary.yaml" in result.stderr


def test_new_into_a_folder_or_without_suffix_names_the_form_sensibly(tmp_path: Path) -> None:
    assert run_cli("new", "review-commentary", "-o", tmp_path).exit_code == 0
    assert (tmp_path / "review-commentary.yaml").is_file()
    unsuffixed = tmp_path / "sub" / "2026年述职评议"
    assert run_cli("new", "review-commentary", "-o", unsuffixed).exit_code == 0
    assert (tmp_path / "sub" / "2026年述职评议.yaml").is_file()


def test_new_with_an_unknown_template_suggests_the_closest(tmp_path: Path) -> None:
    result = run_cli("new", "review-comentary", "-o", tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert "没有名为 review-comentary 的模板，是否想写 review-commentary？" in result.stderr
    assert not (tmp_path / "f.yaml").exists()


def test_new_help_is_chinese_and_says_where_the_form_goes() -> None:
    result = run_cli("new", "--help")
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())  # undo click's wrapping
    assert "生成一份新表单" in shown and "默认为当前文件夹中的 <模板>.yaml" in shown
    assert "不会覆盖" in shown


TRICKY_PACK = """\
id: tricky
name: 测试模板
fields:
  title:
    label: 标题
    example: "[2021]年: 总结"
  starred:
    label: 重点
    example: "*重要* 事项 # 不是注释"
  year:
    label: 年份
    example: 2021
  answer:
    label: 回答
    example: "否"
  needed:
    label: 必填文字
    required: true
  when:
    label: 日期
    type: date
    required: true
  items:
    label: 条目
    type: list
    required: true
    item:
      label: 条目
      type: object
      fields:
        name:
          label: 名称
          required: true
"""


def test_scaffold_quotes_examples_yaml_would_misread_and_fills_required_fields(
    tmp_path: Path,
) -> None:
    pack_dir = tmp_path / "tricky"
    pack_dir.mkdir()
    (pack_dir / "template.yaml").write_text(TRICKY_PACK, encoding="utf-8")
    pack = load_pack(pack_dir, "指定路径")
    form = tmp_path / "tricky.yaml"
    form.write_text(scaffold_form(pack, form.name), encoding="utf-8")
    loaded = load_located(form)
    data = validate(loaded, pack.schema)
    assert data["title"] == "[2021]年: 总结"
    assert data["starred"] == "*重要* 事项 # 不是注释"
    assert data["year"] == "2021" and data["answer"] == "否"
    assert data["needed"] == "【请填写必填文字】"
    assert data["when"] == dt.date.today()
    assert data["items"] == [{"name": "【请填写名称】"}]
