"""Long runs of spaces, long parentheses and long titles take linear time, not minutes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
from hypothesis import given
from hypothesis import strategies as st

from drafter.markup import _drop_source_breaks
from drafter.writers.linebreak import MAX_BALANCED_CHARS, balance_lines, text_width

from .hostile import run_limited

FormMaker = Callable[..., Path]
SPACES = 200_000  # a 200 KB form: quadratic scanning took hours on this, linear takes a second


def purpose(make_form: FormMaker, text: str) -> Path:
    return make_form(lambda d: d["meeting"].update(purpose=text))


@given(st.text(alphabet=" \t\r\n甲a", max_size=30))
def test_source_breaks_are_dropped_as_the_old_pattern_did(text: str) -> None:
    assert _drop_source_breaks(text) == re.sub(r"[ \t\r]*\n[ \t\r\n]*", "", text)


def test_a_form_with_a_long_run_of_spaces_renders_and_checks(
    make_form: FormMaker, tmp_path: Path
) -> None:
    form = purpose(make_form, "这既是" + " " * SPACES + "也是平台")
    result = run_limited("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / f"{form.stem}.txt").read_text(encoding="utf-8")
    assert re.search("这既是 +也是平台", text)
    assert run_limited("check", form).returncode in (0, 1)


def test_a_half_width_comma_after_a_long_run_of_spaces_is_still_found(
    make_form: FormMaker,
) -> None:
    form = purpose(make_form, "这既是" + " " * SPACES + ",也是平台")
    result = run_limited("check", form)
    assert result.returncode == 1
    assert "中文里用了半角逗号" in result.stdout + result.stderr


def test_a_long_unclosed_parenthesis_is_checked_in_linear_time(make_form: FormMaker) -> None:
    form = purpose(make_form, "这既是(" + "平台" * (SPACES // 2))
    result = run_limited("check", form)
    assert result.returncode in (0, 1), result.stderr
    assert "半角括号" not in result.stdout + result.stderr


def test_a_long_title_is_filled_line_by_line_with_a_warning(
    make_form: FormMaker, tmp_path: Path
) -> None:
    title = "关于进一步加强基层党组织建设工作的意见" * 1000  # 19,000 characters
    form = make_form(lambda d: d.update(title=title))
    result = run_limited("render", form, "-f", "docx", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "不再逐行均衡" in line)
    assert re.match(rf"{re.escape(str(form))}:\d+:\d+: 警告: 标题有 {len(title)} 个字", warning)
    written = docx.Document(str(tmp_path / "out" / f"{form.stem}.docx"))
    assert written.paragraphs[0].text.replace("\n", "") == title


def test_a_title_over_the_limit_keeps_lines_within_the_width() -> None:
    title = "关于进一步加强基层党组织建设工作的意见，" * 20
    assert len(title) > MAX_BALANCED_CHARS
    lines = balance_lines(title, 22)
    assert "".join(lines) == title
    assert all(text_width(line) <= 22 for line in lines)
    assert all(not line.startswith("，") for line in lines)


def test_a_title_within_the_limit_is_still_balanced() -> None:
    title = "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话" * 4  # 108 characters
    lines = balance_lines(title, 22)
    assert max(map(text_width, lines)) - min(map(text_width, lines)) <= 4
