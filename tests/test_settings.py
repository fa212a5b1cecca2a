"""The office settings file: found, read like every YAML file, overridden by the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document as open_docx

from drafter.config.settings import BESIDE_FORM, load_settings, searched_paths

from .conftest import EXAMPLE, run_cli


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where DRAFTER_CONFIG points; the test writes it."""
    path = tmp_path / "共享" / "settings.yaml"
    path.parent.mkdir()
    monkeypatch.setenv("DRAFTER_CONFIG", str(path))
    return path


@pytest.fixture
def form(tmp_path: Path) -> Path:
    target = tmp_path / "表单" / "讲话.yaml"
    target.parent.mkdir()
    shutil.copyfile(EXAMPLE, target)
    return target


def _body_font(docx: Path) -> str:
    body = open_docx(str(docx)).paragraphs[-1].runs[0]
    east_asia = body._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    return str(east_asia)


@pytest.mark.parametrize(
    ("platform", "variable"), [("linux", "XDG_CONFIG_HOME"), ("win32", "APPDATA")]
)
def test_the_user_config_folder_is_searched_without_drafter_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, variable: str
) -> None:
    monkeypatch.delenv("DRAFTER_CONFIG", raising=False)
    monkeypatch.setenv(variable, str(tmp_path))
    monkeypatch.setattr("sys.platform", platform)
    folder = tmp_path / "drafter"
    assert searched_paths() == [folder / "settings.yaml", folder / "设置.yaml"]
    folder.mkdir()
    (folder / "设置.yaml").write_text("style: windows\n", encoding="utf-8")
    assert load_settings().style == "windows"


def test_paths_are_relative_to_the_settings_file(settings_file: Path) -> None:
    settings_file.write_text(
        "style: 样式/本单位.yaml\nreference_doc: 单位模板.docx\noutput: 讲话稿\n"
        "template_folders:\n  - 模板\n",
        encoding="utf-8",
    )
    settings = load_settings()
    folder = settings_file.parent.resolve()
    assert settings.style == str(folder / "样式" / "本单位.yaml")
    assert settings.reference_doc == folder / "单位模板.docx"
    assert settings.output == str(folder / "讲话稿")
    assert settings.template_folders == (folder / "模板",)


def test_the_default_style_applies_and_the_command_line_overrides_it(
    settings_file: Path, form: Path, tmp_path: Path
) -> None:
    settings_file.write_text("style: windows\n", encoding="utf-8")
    assert run_cli("render", form, "-o", tmp_path / "a").exit_code == 0
    assert _body_font(tmp_path / "a" / "讲话.docx") == "仿宋"
    assert run_cli("render", form, "-o", tmp_path / "b", "--style", "gbt9704").exit_code == 0
    assert _body_font(tmp_path / "b" / "讲话.docx") == "仿宋_GB2312"


def test_output_beside_the_form(settings_file: Path, form: Path) -> None:
    settings_file.write_text(f"output: {BESIDE_FORM}\n", encoding="utf-8")
    result = run_cli("render", form, "-f", "txt")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(form.with_suffix(".txt"))
    assert form.with_suffix(".txt").read_text(encoding="utf-8").startswith("在")


def test_output_to_a_fixed_folder(settings_file: Path, form: Path) -> None:
    settings_file.write_text("output: 讲话稿\n", encoding="utf-8")
    assert run_cli("render", form, "-f", "txt").exit_code == 0
    assert (settings_file.parent / "讲话稿" / "讲话.txt").is_file()


def test_a_shared_template_folder_comes_after_local_ones_before_built_ins(
    settings_file: Path, form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not a source checkout, whose templates/ would be local packs
    shared = settings_file.parent / "模板"
    settings_file.write_text("style: gbt9704\n", encoding="utf-8")
    assert run_cli("templates", "review-commentary", "-o", shared).exit_code == 0
    pack = (shared / "review-commentary").rename(shared / "shared-commentary")
    manifest = pack / "template.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "id: review-commentary", "id: shared-commentary"
        ),
        encoding="utf-8",
    )
    settings_file.write_text("template_folders:\n  - 模板\n", encoding="utf-8")
    listing = run_cli("templates")
    assert listing.exit_code == 0, listing.stderr
    assert f"共享 {pack.resolve()}" in listing.stdout
    assert listing.stdout.index("shared-commentary") < listing.stdout.index("review-commentary")
    shown = run_cli("templates", "shared-commentary")
    assert shown.exit_code == 0 and "来源：共享" in shown.stdout


def test_a_bad_settings_file_is_located_and_exits_2(settings_file: Path, form: Path) -> None:
    settings_file.write_text("stlye: windows\ntemplate_folders:\n  a: b\n", encoding="utf-8")
    result = run_cli("render", form)
    assert result.exit_code == 2
    assert f"{settings_file}:1:1: 错误: 设置文件中没有设置项 stlye，是否想写 style" in result.stderr
    assert (
        f"{settings_file}:3:3: 错误: 其他模板文件夹（如共享文件夹）（template_folders）应为列表"
        in (result.stderr)
    )


def test_a_settings_file_that_is_not_yaml_is_located(settings_file: Path, form: Path) -> None:
    settings_file.write_text("style: [windows\n", encoding="utf-8")
    result = run_cli("render", form)
    assert result.exit_code == 2
    assert f"{settings_file}:1:8: 错误: 以“[”开头的文字会被 YAML 当作特殊符号" in result.stderr


def test_drafter_config_naming_a_missing_file_is_an_error(settings_file: Path) -> None:
    result = run_cli("settings")
    assert result.exit_code == 2
    assert f"{settings_file}: 错误: 环境变量 DRAFTER_CONFIG 指向的设置文件不存在" in result.stderr


def test_settings_init_writes_a_commented_file_that_reads_back(settings_file: Path) -> None:
    result = run_cli("settings", "--init")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(settings_file)
    assert settings_file.read_bytes().startswith(b"\xef\xbb\xbf# drafter")
    assert load_settings().style == "gbt9704"
    again = run_cli("settings", "--init")
    assert again.exit_code == 2 and "设置文件已经存在" in again.stderr


def test_settings_shows_the_file_and_what_is_in_force(settings_file: Path) -> None:
    settings_file.write_text("style: windows\noutput: 表单旁边\n", encoding="utf-8")
    result = run_cli("settings")
    assert result.exit_code == 0, result.stderr
    assert f"{settings_file}（正在使用）" in result.stdout
    assert "style: windows" in result.stdout
    assert "output: 表单旁边" in result.stdout


def test_templates_copy_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    first = run_cli("templates", "review-commentary", "-o", tmp_path)
    assert first.exit_code == 0, first.stderr
    copied = tmp_path / "review-commentary"
    assert (copied / "template.yaml").is_file()
    again = run_cli("templates", "review-commentary", "-o", tmp_path)
    assert again.exit_code == 2 and f"{copied}: 错误: 这个文件夹已经存在" in again.stderr
    assert run_cli("templates", "review-commentary", "-o", tmp_path, "--force").exit_code == 0


def test_a_copied_pack_renders_the_same_speech_from_templates(
    tmp_path: Path, form: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy still extends the built-in base layout it inherits from."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("render", form, "-f", "txt", "-o", tmp_path / "built-in").exit_code == 0
    assert run_cli("templates", "review-commentary", "-o", form.parent / "templates").exit_code == 0
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "copied")
    assert result.exit_code == 0, result.stderr
    assert "使用的是本地模板" not in result.stderr  # an unchanged copy: nothing to warn about
    copied = (tmp_path / "copied" / "讲话.txt").read_text(encoding="utf-8")
    assert copied == (tmp_path / "built-in" / "讲话.txt").read_text(encoding="utf-8")
