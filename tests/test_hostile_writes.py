"""Commands that write never replace a file drafter did not make, nor write outside their folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from drafter.config.located_yaml import load_located
from drafter.presets import load_preset

from .conftest import EXAMPLE, ROOT, run_cli

FILLED = "template: review-commentary\ntitle: 我填了一上午的标题\n"


def test_schema_does_not_replace_the_writers_filled_form(tmp_path: Path) -> None:
    form = tmp_path / "2026年述职评议.yaml"
    form.write_text(FILLED, encoding="utf-8")
    result = run_cli("schema", "review-commentary", "-o", form)
    assert result.exit_code == 2
    assert f"{form}: 错误: 这个文件已经存在，且不是 drafter 生成的 Schema" in result.stderr
    assert "--force" in result.stderr
    assert form.read_text(encoding="utf-8") == FILLED
    assert run_cli("schema", "review-commentary", "-o", form, "--force").exit_code == 0
    assert json.loads(form.read_text(encoding="utf-8"))["properties"]["template"]


def test_schema_replaces_a_schema_it_wrote(tmp_path: Path) -> None:
    target = tmp_path / "review-commentary.schema.json"
    assert run_cli("schema", "review-commentary", "-o", target).exit_code == 0
    target.write_text(target.read_text(encoding="utf-8").replace("  ", " "), encoding="utf-8")
    result = run_cli("schema", "review-commentary", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert '\n  "' in target.read_text(encoding="utf-8")


def test_styles_copy_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "我的版式.yaml"
    target.write_text("name: 我改过的版式\n", encoding="utf-8")
    result = run_cli("styles", "gbt9704", "-o", target)
    assert result.exit_code == 2 and "已存在" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "name: 我改过的版式\n"
    assert run_cli("styles", "gbt9704", "-o", target, "--force").exit_code == 0
    assert load_preset(str(target)).name == "我的版式"


@pytest.mark.parametrize("stem", ["版式 #1: 试用", "'引号'", "yes", "- 列表"])
def test_styles_copy_names_itself_safely_whatever_the_file_name(tmp_path: Path, stem: str) -> None:
    target = tmp_path / f"{stem}.yaml"
    result = run_cli("styles", "gbt9704", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert load_preset(str(target)).name == stem


def test_new_refuses_an_existing_form_unless_forced(tmp_path: Path) -> None:
    form = tmp_path / "表单.yaml"
    form.write_text(FILLED, encoding="utf-8")
    result = run_cli("new", "review-commentary", "-o", form)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert form.read_text(encoding="utf-8") == FILLED
    assert run_cli("new", "review-commentary", "-o", form, "--force").exit_code == 0
    assert load_located(form).data["template"] == "review-commentary"


def hostile_pack(folder: Path, pack_id: str, extra: str = "") -> Path:
    pack = folder / "shared"
    pack.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "review-commentary" / "speech.j2", pack / "speech.j2")
    manifest = (
        f"id: {json.dumps(pack_id)}\nname: 同事的模板\nentry: speech.j2\nfields:\n"
        "  title:\n    label: 标题\n" + extra
    )
    (pack / "template.yaml").write_text(manifest, encoding="utf-8")
    return pack


@pytest.mark.parametrize(
    "pack_id", ["../../escaped", "/tmp/drafter-escaped-abs/escaped", "..\\..\\escaped"]
)
def test_new_writes_only_into_the_working_folder_whatever_the_packs_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack_id: str
) -> None:
    pack = hostile_pack(tmp_path / "packs", pack_id)
    work = tmp_path / "a" / "b" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*")}
    result = run_cli("new", pack)
    written = {p for p in tmp_path.rglob("*")} - before
    assert not Path("/tmp/drafter-escaped-abs").exists()
    if result.exit_code == 0:
        assert written == {work / "escaped.yaml"}
    else:  # refusing such a pack outright is as good
        assert written == set()


def test_a_multi_line_help_stays_inside_its_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = (
        '    help: "第一行\\ninjected: 注入的键\\n- 注入的项\\u2028injected2: 又一个"\n'
        '  speaker:\n    label: "讲话人\\nlabel_injected: 1"\n'
        '    example: "张三\\nexample_injected: 2"\n'
    )
    pack = hostile_pack(tmp_path / "packs", "shared", extra)
    monkeypatch.chdir(tmp_path)
    result = run_cli("new", pack, "-o", tmp_path / "form.yaml")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "form.yaml").read_text(encoding="utf-8-sig")
    data = load_located(tmp_path / "form.yaml").data
    assert not {k for k in data if "injected" in str(k)}
    for line in text.splitlines():
        if "injected" in line and not line.lstrip().startswith("#"):
            assert line.lstrip().startswith("speaker:"), line  # the example, as a quoted value
    assert data["speaker"] == "张三\nexample_injected: 2"


def test_long_chinese_output_names_get_a_temporary_name_that_fits(tmp_path: Path) -> None:
    """255 bytes is the name limit; the temporary name no longer adds 15 to the target's."""
    stem = "二〇二六年度基层党组织书记抓基层党建工作述职评议会议上的点评讲话稿" * 3
    stem = stem[:80]  # 240 bytes in UTF-8: the .docx is 245, its old temporary name 260
    form = tmp_path / f"{stem}.yaml"
    shutil.copyfile(EXAMPLE, form)
    result = run_cli("render", form, "-f", "docx", "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code in (0, 1), result.stderr
    assert "File name too long" not in result.stderr and "无法写入" not in result.stderr
    names = sorted(os.listdir(tmp_path / "out"))
    assert names == [f"{stem}.docx", f"{stem}.txt"]
