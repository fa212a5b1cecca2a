"""A pack is found by its Chinese name from its manifest as well as by its id."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafter.errors import UsageError
from drafter.packs.finder import find_pack

from .conftest import EXAMPLE, run_cli


@pytest.mark.parametrize(
    ("name", "pack_id"),
    [
        ("述职评议点评讲话", "review-commentary"),
        ("述职评议", "review-commentary"),  # the variants only extend this name
        ("述职评议点评讲话（三段式）", "review-commentary-3part"),
        ("民主生活会", "democratic-life-commentary"),
        ("表彰大会讲话", "commendation-speech"),
    ],
)
def test_a_chinese_name_or_part_of_one_finds_the_pack(name: str, pack_id: str) -> None:
    assert find_pack(name).id == pack_id


def test_a_name_several_packs_share_lists_them() -> None:
    with pytest.raises(UsageError, match="有几个模板的名称含有“点评讲话”") as caught:
        find_pack("点评讲话")
    assert "org-life-commentary（组织生活会点评讲话）" in str(caught.value)


def test_new_with_a_chinese_name_writes_the_form_of_that_pack(tmp_path: Path) -> None:
    form = tmp_path / "表单.yaml"
    result = run_cli("new", "述职评议", "-o", form)
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(form.read_text(encoding="utf-8"))["template"] == "review-commentary"


@pytest.mark.parametrize("command", [("templates",), ("schema",)])
def test_templates_and_schema_take_a_chinese_name(command: tuple[str, ...]) -> None:
    result = run_cli(*command, "组织生活会点评讲话")
    assert result.exit_code == 0, result.stderr
    assert "组织生活会" in result.output or "\\u7ec4\\u7ec7" in result.output


def test_render_template_option_takes_a_chinese_name(tmp_path: Path) -> None:
    result = run_cli(
        "render", EXAMPLE, "--template", "述职评议点评讲话", "-f", "txt", "-o", tmp_path
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / f"{EXAMPLE.stem}.txt").exists()
