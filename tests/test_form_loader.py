from pathlib import Path

import pytest

from drafter.config.excerpt import caret_excerpt, display_width
from drafter.config.located_yaml import load_located, parse_located
from drafter.errors import FormError

from .conftest import run_cli


def test_scalars_stay_text_whatever_yaml_1_1_thinks_they_are() -> None:
    form = parse_located(
        "time: 14:30\nflag: no\nyear: 2021\nratio: 1e3\nday: 2021-01-26\n", "f.yaml"
    )
    assert form.data == {
        "time": "14:30",
        "flag": "no",
        "year": "2021",
        "ratio": "1e3",
        "day": "2021-01-26",
    }


def test_empty_value_is_none() -> None:
    assert parse_located("a:\nb: ~\nc: ''\n", "f.yaml").data == {"a": None, "b": None, "c": ""}


def test_only_plain_null_words_are_empty() -> None:
    text = 'a: null\nb: NULL\nc: Null\nd: "null"\ne: nul\nf: !!str ~\ng: [~, "~"]\n'
    assert parse_located(text, "f.yaml").data == {
        "a": None,
        "b": None,
        "c": None,
        "d": "null",
        "e": "nul",
        "f": "~",
        "g": [None, "~"],
    }


def test_every_key_and_value_keeps_its_line_and_column() -> None:
    form = parse_located("meeting:\n  name: 会议\nlist:\n  - one\n  - two\n", "f.yaml")
    assert form.keys[("meeting", "name")] == (2, 3)
    assert form.values[("meeting", "name")] == (2, 9)
    assert form.values[("list", 1)] == (5, 5)


def test_duplicate_key_is_a_problem_naming_both_lines() -> None:
    form = parse_located("title: 一\nother: x\ntitle: 二\n", "f.yaml")
    assert form.data["title"] == "一"
    [problem] = form.problems
    assert (problem.line, problem.column) == (3, 1)
    assert "第 1 行" in problem.message and "第 3 行" in problem.message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(FormError, match="过大"):
        parse_located("\n".join(lines) + "\n", "bomb.yaml")


def test_control_characters_are_removed_with_one_located_warning_per_line() -> None:
    form = parse_located("title: 讲\x0b话\x00稿\nname: 会\x0b议\n", "f.yaml")
    assert form.data == {"title": "讲话稿", "name": "会议"}
    assert [(w.line, w.column, w.severity) for w in form.warnings] == [
        (1, 9, "warning"),
        (2, 8, "warning"),
    ]
    assert "U+000B、U+0000" in form.warnings[0].message and "共 2 个" in form.warnings[0].message


def test_control_characters_written_as_escapes_are_removed_too() -> None:
    form = parse_located('title: "讲\\v话\\x00稿"\n', "f.yaml")
    assert form.data["title"] == "讲话稿"
    [warning] = form.warnings
    assert (warning.line, warning.column) == (1, 8) and "U+000B" in warning.message


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
        parse_located(text, "f.yaml")
    [diagnostic] = caught.value.diagnostics
    assert fragment in diagnostic.message
    assert diagnostic.path == "f.yaml"


def test_utf8_bom_and_utf16_files_load(tmp_path: Path) -> None:
    for encoding in ("utf-8-sig", "utf-16"):
        path = tmp_path / f"{encoding}.yaml"
        path.write_text("title: 讲话\n", encoding=encoding)
        assert load_located(path).data == {"title": "讲话"}


def test_undecodable_file_names_the_byte_and_line_and_suggests_utf8(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes("title: 讲话\n".encode() + b"name: \xff\xfe\x80\n")
    with pytest.raises(FormError) as caught:
        load_located(path)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column) == (2, 7)
    assert "第 21 个字节 0xFF" in diagnostic.message
    assert "另存为" in diagnostic.message and "UTF-8" in diagnostic.message


def test_missing_file_and_directory_are_errors(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="找不到"):
        load_located(tmp_path / "nope.yaml")
    with pytest.raises(FormError, match="文件夹"):
        load_located(tmp_path)


def test_syntax_error_echoes_the_line_with_a_caret_under_the_column() -> None:
    with pytest.raises(FormError) as caught:
        parse_located("meeting:\n  organizer: 党委\n  name： 会议\n  topic: 党建\n", "f.yaml")
    first, echo, caret = caught.value.diagnostics[0].format().splitlines()
    assert first.startswith("f.yaml:3:7: 错误: 键 name 后面用了中文冒号“：”")
    assert "改成“name: ”" in first
    assert echo.endswith("|   name： 会议")
    assert caret.index("^") == echo.index("：")


def test_caret_counts_chinese_characters_as_two_columns() -> None:
    echo, caret = caret_excerpt("title: 讲话稿x", 1, 11).splitlines()
    assert caret.index("^") == display_width(echo[: echo.index("x")])


def test_long_line_is_cut_around_the_caret() -> None:
    line = "detail: " + "担当，要有问责来保障；" * 20 + "X" + "。" * 50
    echo, caret = caret_excerpt(line, 9, line.index("X") + 1).splitlines()
    assert len(echo) < 80 and echo.endswith("...")
    assert display_width(echo[: echo.index("X")]) == caret.index("^")


def test_ten_megabyte_form_is_refused_with_a_size_message(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (10 * 1024 * 1024) + b"\ntitle: a\n")
    result = run_cli("render", path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{path}: 错误: 表单文件过大（10.0 MB）" in result.stderr
    assert "上限为 2 MB" in result.stderr


def test_bracket_nesting_that_would_crash_libyaml_is_refused() -> None:
    with pytest.raises(FormError, match="层次过深") as caught:
        parse_located("title: " + "[" * 100_000 + "]" * 100_000 + "\n", "f.yaml")
    assert (caught.value.diagnostics[0].line, caught.value.diagnostics[0].column) == (1, 48)


def test_indentation_nested_past_the_limit_is_refused() -> None:
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(60))
    with pytest.raises(FormError, match="层次过深"):
        parse_located(text, "f.yaml")


def test_alias_referring_to_itself_is_refused() -> None:
    with pytest.raises(FormError, match="循环"):
        parse_located("a: &a [x, *a]\n", "f.yaml")


def test_text_continued_on_an_indented_line_is_still_one_text() -> None:
    form = parse_located("detail: 第一句，\n  接着写第二句。\n", "f.yaml")
    assert form.data == {"detail": "第一句， 接着写第二句。"}
    assert not form.problems


def test_a_field_swallowed_into_the_text_above_is_a_problem() -> None:
    text = "achievements:\n  - point: 党建\n      detail：具体做法\n"  # YAML reads 党建 detail：…
    [problem] = parse_located(text, "f.yaml").problems
    assert (problem.line, problem.column) == (3, 13) and "中文冒号" in problem.message


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_keep_line_numbers(newline: str) -> None:
    form = parse_located(newline.join(["a: 1", "b: 2", "a: 3", ""]), "f.yaml")
    assert form.data == {"a": "1", "b": "2"}
    assert form.problems[0].line == 3


def test_missing_file_suggests_the_name_it_resembles(tmp_path: Path) -> None:
    (tmp_path / "2026年述职评议.yml").write_text("template: x\n", encoding="utf-8")  # a form
    with pytest.raises(FormError, match=r"是否想写 .*2026年述职评议\.yml"):
        load_located(tmp_path / "2026年述职评议.yaml")


def test_folder_given_as_form_lists_the_forms_inside(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(FormError, match=r"其中的表单有：a\.yaml"):
        load_located(tmp_path)


def test_word_document_given_as_form_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "讲话.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(FormError, match=r"这是 Word 文档（\.docx）或压缩包，不是 YAML 表单"):
        load_located(path)
