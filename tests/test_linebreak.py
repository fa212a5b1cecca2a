"""Balanced title lines that obey Chinese line-breaking rules."""

from __future__ import annotations

import pytest

from drafter.writers.linebreak import NO_LINE_END, NO_LINE_START, balance_lines, text_width

LONG_TITLE = "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话"  # 27 characters


def test_short_title_stays_on_one_line() -> None:
    assert balance_lines("在述职评议会议上的讲话", 20) == ["在述职评议会议上的讲话"]


def test_title_exactly_one_line_long_is_not_split() -> None:
    title = "一" * 20
    assert balance_lines(title, 20) == [title]


def test_long_title_splits_into_two_near_equal_lines() -> None:
    lines = balance_lines(LONG_TITLE, 20)
    assert "".join(lines) == LONG_TITLE
    assert [len(line) for line in lines] == [13, 14]
    assert lines == ["在基层党组织书记抓基层党建", "工作述职评议会议上的点评讲话"]


def test_title_words_are_not_split_across_lines() -> None:
    assert balance_lines("在2025年度党风廉政建设述职述廉评议会议上的点评讲话", 20) == [
        "在2025年度党风廉政建设",
        "述职述廉评议会议上的点评讲话",
    ]


def test_odd_split_puts_the_longer_line_first() -> None:
    # The segmenter reads 一一 as a word; 的 stays one word, so every break ties.
    first, second = balance_lines("的" * 21, 20)
    assert len(first) == 11 and len(second) == 10


def test_very_long_title_splits_into_three_lines() -> None:
    title = LONG_TITLE + "暨二〇二四年度全面从严治党工作部署会议"  # 46 characters
    lines = balance_lines(title, 20)
    assert len(lines) == 3
    assert "".join(lines) == title
    # Words stay whole first (GB/T 9704 7.3.1: 词意完整), then lines are as even as they can be.
    assert all(len(line) <= 20 for line in lines)
    assert max(map(len, lines)) - min(map(len, lines)) <= 6


def test_line_never_starts_with_closing_punctuation() -> None:
    title = "在“不忘初心、牢记使命”主题教育总结大会上的讲话"
    for width in range(8, 20):
        for line in balance_lines(title, width)[1:]:
            assert line[0] not in NO_LINE_START, (width, line)


def test_line_never_ends_with_opening_punctuation() -> None:
    title = "在学习贯彻《中国共产党章程》和“两个确立”专题研讨班上的讲话"
    for width in range(8, 22):
        for line in balance_lines(title, width)[:-1]:
            assert line[-1] not in NO_LINE_END, (width, line)


def test_closing_mark_stays_with_the_character_before_it() -> None:
    # An even split would start the second line with ，
    lines = balance_lines("一二三四五六七八九十，一二三四五六七八九", 12)
    assert lines[1][0] != "，"
    assert "".join(lines) == "一二三四五六七八九十，一二三四五六七八九"


@pytest.mark.parametrize("word", ["COVID-19", "2024", "5G", "WTO"])
def test_ascii_words_are_never_split(word: str) -> None:
    title = f"在全市{word}工作推进暨经验交流现场会议上的总结讲话"
    for width in range(6, 20):
        assert any(word in line for line in balance_lines(title, width)), width


def test_ascii_letters_count_half_a_character() -> None:
    assert text_width("ABCD") == 2
    assert text_width("讲话") == 2
    assert balance_lines("在ABCDEFGHIJKLMNOPQRST会议上的讲话", 20) == [
        "在ABCDEFGHIJKLMNOPQRST会议上的讲话"
    ]


def test_lines_never_exceed_the_limit_when_a_break_exists() -> None:
    for width in range(4, 30):
        assert all(text_width(line) <= width for line in balance_lines(LONG_TITLE, width))


def test_word_longer_than_a_line_overflows_whole() -> None:
    word = "A" * 50
    lines = balance_lines(f"关于{word}的讲话", 10)
    assert any(word in line for line in lines)


def test_explicit_newline_forces_a_break() -> None:
    assert balance_lines("在会议上的讲话\n（讨论稿）", 20) == ["在会议上的讲话", "（讨论稿）"]


def test_paired_dashes_stay_together() -> None:
    title = "一二三四五六七八九——一二三四五六七八九"
    for width in range(5, 20):
        lines = balance_lines(title, width)
        assert any("——" in line for line in lines), lines
        assert not any(line.startswith("—") for line in lines), lines
