"""A pack reads nothing outside its folder, and names drafter makes are valid on Windows."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import jinja2
import pytest

from drafter.errors import TemplateSecurityError
from drafter.infra.paths import file_name_problem, is_inside
from drafter.packs.confined_loader import ConfinedLoader

ROOT = Path(__file__).resolve().parents[1]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")


def _env(*roots: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=ConfinedLoader(tuple(roots)))


def test_templates_inside_the_pack_load(tmp_path: Path) -> None:
    (tmp_path / "speech.j2").write_text("同志们", encoding="utf-8")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "a.j2").write_text("{% include 'speech.j2' %}！", encoding="utf-8")
    assert _env(tmp_path).get_template("parts/a.j2").render() == "同志们！"


def test_parent_folder_names_are_not_found(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    with pytest.raises(jinja2.TemplateNotFound):
        _env(pack).get_template("../secret.txt")


@POSIX
def test_a_link_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "leak.j2").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(TemplateSecurityError, match="以外"):
        _env(pack).get_template("leak.j2")


@POSIX
def test_a_link_to_the_root_folder_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "root").symlink_to("/")
    with pytest.raises(TemplateSecurityError):
        _env(pack).get_template("root/etc/hostname")


@POSIX
def test_a_link_inside_the_pack_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.j2").write_text("好", encoding="utf-8")
    (tmp_path / "alias.j2").symlink_to(tmp_path / "real.j2")
    assert _env(tmp_path).get_template("alias.j2").render() == "好"


def test_a_template_that_is_not_utf8_is_explained(tmp_path: Path) -> None:
    (tmp_path / "gbk.j2").write_bytes("同志们".encode("gbk"))
    with pytest.raises(TemplateSecurityError, match="UTF-8"):
        _env(tmp_path).get_template("gbk.j2")


def test_an_edited_template_is_seen_again(tmp_path: Path) -> None:
    path = tmp_path / "speech.j2"
    path.write_text("旧", encoding="utf-8")
    env = _env(tmp_path)
    assert env.get_template("speech.j2").render() == "旧"
    path.write_text("新的", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert env.get_template("speech.j2").render() == "新的"


def test_is_inside(tmp_path: Path) -> None:
    assert is_inside(tmp_path, tmp_path / "a" / "b")
    assert not is_inside(tmp_path / "a", tmp_path / "b")
    assert not is_inside(tmp_path, tmp_path / ".." / "x")


@pytest.mark.parametrize(
    "name",
    [
        "CON",
        "con.yaml",
        "AUX.docx",
        "COM1.txt",
        "a:b",
        "a/b",
        "..",
        "",
        "讲话.",
        "x\x01",
        "述" * 90,
    ],
)
def test_names_windows_cannot_hold_are_explained(name: str) -> None:
    assert file_name_problem(name)


@pytest.mark.parametrize("name", ["2026年述职评议.yaml", "review-commentary", "console.yaml"])
def test_ordinary_names_pass(name: str) -> None:
    assert file_name_problem(name) is None


@POSIX
def test_render_refuses_a_pack_that_links_outside(tmp_path: Path) -> None:
    from .conftest import CONFIGS, run_drafter, write_variant

    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    pack = tmp_path / "work" / "templates" / "leaky"
    shutil.copytree(ROOT / "templates" / "review-commentary", pack)
    manifest = pack / "template.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("id: review-commentary", "id: leaky", 1),
        encoding="utf-8",
    )
    (pack / "leak.j2").symlink_to(secret)
    speech = pack / "speech.j2"
    speech.write_text(
        speech.read_text(encoding="utf-8") + "\n{% include 'leak.j2' %}\n", encoding="utf-8"
    )
    form = write_variant(
        CONFIGS / "review-commentary.example.yaml",
        tmp_path / "work" / "form.yaml",
        lambda data: data.update(template="leaky"),
    )
    result = run_drafter("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "以外" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or "机密" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*")
    )
