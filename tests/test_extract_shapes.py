"""A pack's shape (extract.yaml) is data: its language, its errors, and every pack having one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drafter.errors import TemplateError
from drafter.extract.registry import extractable
from drafter.extract.shapes import compile_shape, load_shape
from drafter.infra.resources import builtin_dir
from drafter.packs.finder import find_pack

from .conftest import SPEECHES, run_cli


def copied_pack(folder: Path, source: str, new_id: str) -> Path:
    """A copy of a built-in pack in folder/templates under another id."""
    pack = folder / "templates" / new_id
    shutil.copytree(find_pack(source).directory, pack)
    manifest = pack / "template.yaml"
    text = manifest.read_text(encoding="utf-8").replace(f"id: {source}", f"id: {new_id}")
    manifest.write_text(text, encoding="utf-8")
    return pack


def test_every_built_in_pack_is_extractable() -> None:
    packs = sorted(p.parent.name for p in builtin_dir("templates").glob("*/template.yaml"))
    assert sorted(pack.id for pack in extractable()) == packs


def test_a_slot_takes_a_clause_and_optional_parts_may_be_missing() -> None:
    shape = compile_shape("今天，{meeting.unit}召开{meeting.name}[，主题是{meeting.theme}]。")
    match = shape.pattern.search("今天，县水利局召开民主生活会。")
    assert match is not None
    values = {path: match.group(group) for group, (path, _) in shape.slots.items()}
    assert values == {
        "meeting.unit": "县水利局",
        "meeting.name": "民主生活会",
        "meeting.theme": None,
    }


def test_a_constant_slot_and_a_count() -> None:
    shape = compile_shape(
        "(根据会议安排，{meeting.opening=根据会议安排}|)今天我们召开会议。我讲{#}意见。"
    )
    match = shape.search("根据会议安排，今天我们召开会议。我讲三点意见。")
    assert match is not None
    assert [kind for _, kind in shape.slots.values()] == ["=根据会议安排"]
    assert match.span("g0")[0] >= 0


def test_a_shape_ending_in_a_slot_runs_to_the_end() -> None:
    shape = compile_shape("榜样的力量是无穷的。{learning.audience:text}")
    match = shape.search("榜样的力量是无穷的。全县教师要学习先进。")
    assert match is not None and match.group("g0") == "全县教师要学习先进。"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("今天{meeting.name", "没有对应的"),
        ("今天[召开", "没有配对"),
        ("{会议名称}", "不是字段路径"),
        ("{meeting.name:words}", "不是字段路径"),
    ],
)
def test_a_broken_shape_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        compile_shape(text)


def test_a_broken_extract_yaml_is_a_located_error(tmp_path: Path) -> None:
    pack = copied_pack(tmp_path, "commendation-speech", "my-commendation")
    (pack / "extract.yaml").write_text(
        'opening:\n  - name: 开头\n    shape: "今天，{meeting.name"\n  - shape: <nowhere>\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        load_shape(pack / "extract.yaml")
    messages = [(d.line, d.message) for d in caught.value.diagnostics]
    assert any(line == 3 and "“{”没有对应的“}”" in message for line, message in messages)
    assert any(line == 4 and "缺少 name" in message for line, message in messages)
    result = run_cli(
        "extract",
        SPEECHES / "two-achievements-one-section.txt",
        "-o",
        tmp_path / "f.yaml",
        "--template",
        str(pack),
    )
    assert result.exit_code == 2
    assert "extract.yaml:3:" in result.stderr


def test_a_local_pack_with_an_extract_yaml_is_extractable(tmp_path: Path) -> None:
    copied_pack(tmp_path, "org-life-commentary", "my-org-life")
    assert "my-org-life" in {p.id for p in extractable(tmp_path)}
