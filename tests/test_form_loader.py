from pathlib import Path

import pytest

from drafter.errors import FormError
from drafter.form_loader import load_form, parse_form


def test_scalars_stay_text_whatever_yaml_1_1_thinks_they_are() -> None:
    form = parse_form("time: 14:30\nflag: no\nyear: 2021\nratio: 1e3\nday: 2021-01-26\n", "f.yaml")
    assert form.data == {
        "time": "14:30",
        "flag": "no",
        "year": "2021",
        "ratio": "1e3",
        "day": "2021-01-26",
    }


def test_empty_value_is_none() -> None:
    assert parse_form("a:\nb: ~\nc: ''\n", "f.yaml").data == {"a": None, "b": None, "c": ""}


def test_every_key_and_value_keeps_its_line_and_column() -> None:
    form = parse_form("meeting:\n  name: 会议\nlist:\n  - one\n  - two\n", "f.yaml")
    assert form.keys[("meeting", "name")] == (2, 3)
    assert form.values[("meeting", "name")] == (2, 9)
    assert form.values[("list", 1)] == (5, 5)


def test_duplicate_key_is_a_problem_naming_both_lines() -> None:
    form = parse_form("title: 一\nother: x\ntitle: 二\n", "f.yaml")
    assert form.data["title"] == "一"
    [problem] = form.problems
    assert (problem.line, problem.column) == (3, 1)
    assert "第 1 行" in problem.message and "第 3 行" in problem.message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(FormError, match="过大"):
        parse_form("\n".join(lines) + "\n", "bomb.yaml")


def test_control_characters_are_removed_with_a_located_warning() -> None:
    form = parse_form("title: 讲\x0b话\x00稿\n", "f.yaml")
    assert form.data["title"] == "讲话稿"
    assert [(w.line, w.column, w.severity) for w in form.warnings] == [
        (1, 9, "warning"),
        (1, 11, "warning"),
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "空的"),
        ("- a\n- b\n", "最外层"),
        ("title: 'open\n", "引号"),
        ("title:\n\t- a\n", "Tab"),
    ],
)
def test_unreadable_forms_are_located_errors(text: str, fragment: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(text, "f.yaml")
    [diagnostic] = caught.value.diagnostics
    assert fragment in diagnostic.message
    assert diagnostic.path == "f.yaml"


def test_utf8_bom_and_utf16_files_load(tmp_path: Path) -> None:
    for encoding in ("utf-8-sig", "utf-16"):
        path = tmp_path / f"{encoding}.yaml"
        path.write_text("title: 讲话\n", encoding=encoding)
        assert load_form(path).data == {"title": "讲话"}


def test_non_utf8_file_names_the_byte_and_suggests_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("title: ok\nname: 讲话\n".encode("gbk"))
    with pytest.raises(FormError) as caught:
        load_form(path)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.line == 2
    assert "UTF-8" in diagnostic.message


def test_missing_file_and_directory_are_errors(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="找不到"):
        load_form(tmp_path / "nope.yaml")
    with pytest.raises(FormError, match="文件夹"):
        load_form(tmp_path)
