"""The Chinese-text layer: numerals read back, dates in every spelling, ordinal markers."""

import datetime as dt

import pytest

from drafter.cn.dates import byline_date, cn_date, find_date, is_byline_date, parse_date
from drafter.cn.numerals import cn_count, cn_number, cn_value
from drafter.cn.ordinals import (
    Marker,
    clause_markers,
    heading_marker,
    is_heading,
    marker_at,
    ordinal_label,
)
from drafter.cn.series import follows, series_items, series_run

DAY = dt.date(2021, 1, 26)


def test_cn_value_reads_back_every_number_cn_number_writes_from_1_to_99() -> None:
    assert [cn_value(cn_number(n)) for n in range(1, 100)] == list(range(1, 100))


def test_cn_value_reads_liang_as_two_and_refuses_what_is_not_a_numeral() -> None:
    assert cn_value("两") == cn_value(cn_count(2)) == 2
    assert [cn_value(text) for text in ("", "零", "十十", "一百", "二是", "三两")] == [None] * 6


@pytest.mark.parametrize(
    "text",
    ["2021-01-26", "2021-1-26", "2021/1/26", "2021.01.26", "2021年1月26日", " 2021 年 1 月 26 日 "],
)
def test_parse_date_reads_each_spelling_a_form_may_use(text: str) -> None:
    assert parse_date(text) == DAY


@pytest.mark.parametrize("text", ["2021-02-30", "2021年13月1日", "二〇二一年一月", "26.1.2021", ""])
def test_parse_date_refuses_impossible_dates_and_other_text(text: str) -> None:
    assert parse_date(text) is None


def test_a_byline_date_is_written_in_brackets_unless_brackets_are_optional() -> None:
    assert is_byline_date("（2021年1月26日）") and is_byline_date("(2021年1月26日)")
    assert not is_byline_date("2021年1月26日")
    assert is_byline_date("2021年1月26日", brackets_optional=True)
    assert byline_date("（2021年1月26日）") == byline_date("2021年1月26日") == DAY
    assert byline_date("（2021年2月30日）") is None


def test_find_date_takes_the_first_real_date_in_a_line() -> None:
    assert find_date("发布时间：2021-01-26 10:30 来源：本站") == DAY
    assert find_date("2021年2月30日（有误），更正为2021年1月26日") == DAY
    assert find_date("没有日期的一行") is None


def test_cn_date_prints_a_date_as_speeches_do() -> None:
    assert cn_date(DAY) == cn_date("2021-01-26") == "2021年1月26日"


def test_heading_markers_read_the_number_of_each_level() -> None:
    assert heading_marker("三、突出政治统领", 1, block=4) == Marker(0, 2, "h1", 3, block=4)
    assert heading_marker("（十二）压实责任", 2) == Marker(0, 4, "h2", 12)
    assert heading_marker("突出政治统领", 1) is None


def test_clause_markers_find_run_in_ordinals_that_open_a_clause_only() -> None:
    text = "一是抓责任。二要抓落实；第三，抓考核。统一是前提。其二，抓整改。"
    found = [(m.label, m.start, m.series) for m in clause_markers(text)]
    assert sorted(found, key=lambda item: item[1]) == [
        ("一是", 0, "cn是"),
        ("二要", 6, "cn要"),
        ("第三", 12, "nth"),
        ("其二", 25, "qi"),
    ]


def test_clause_markers_skip_words_that_only_look_like_ordinals() -> None:
    assert list(clause_markers("一要素齐全。二是抓好。三要件不全。")) == [
        Marker(6, 8, "cn", 2, "是")
    ]


def test_marker_at_recognises_series_items_at_a_place() -> None:
    assert marker_at("一是加强领导") == Marker(0, 2, "cn", 1, "是")
    assert marker_at("第二，加强领导") == Marker(0, 3, "nth", 2)
    assert marker_at("然后。其次，加强领导", 3) == Marker(3, 6, "word", 2)
    assert marker_at("最后，加强领导") == Marker(0, 3, "word", None)
    assert marker_at("加强领导") is None


def test_a_series_goes_on_only_with_the_next_number_of_the_same_kind() -> None:
    first = Marker(0, 2, "cn", 1, "是")
    assert follows(Marker(9, 11, "cn", 2, "是"), first, 1)
    assert not follows(Marker(9, 11, "cn", 2, "要"), first, 1)
    assert not follows(Marker(9, 11, "cn", 3, "是"), first, 1)
    assert follows(Marker(9, 11, "word", None), Marker(0, 2, "word", 1), 4)


def test_ordinal_labels_write_each_kind_of_series() -> None:
    labels = [ordinal_label(series, 3) for series in ("h1", "h2", "cn是", "cn要", "nth", "qi")]
    assert labels == ["三、", "（三）", "三是", "三要", "第三", "其三"]


def test_a_heading_is_one_short_line_without_a_sentence_inside() -> None:
    assert is_heading("一、突出政治统领。")
    assert not is_heading("一、突出政治统领。要把政治建设摆在首位。")
    assert not is_heading("一、" + "长" * 60)


def test_series_items_cut_a_paragraph_at_each_following_item_only() -> None:
    text = "一是抓责任，统一是前提。二是抓落实。四是抓考核。三是抓整改。"
    first = marker_at(text)
    assert first is not None
    items = series_items(text, first, 0)
    assert [(m.label, m.start) for m in items] == [("一是", 0), ("二是", 12), ("三是", 24)]


def test_series_items_end_at_zuihou() -> None:
    text = "首先，学习。其次，对照。最后，整改。再次，巩固。"
    first = marker_at(text)
    assert first is not None
    assert [m.number for m in series_items(text, first, 0)] == [1, 2, None]


def test_a_series_run_stops_at_a_gap_or_a_heading() -> None:
    one, two, four = (Marker(0, 2, "cn", n, "要", block=n) for n in (1, 2, 4))
    heading = Marker(0, 2, "h1", 2, block=3)
    assert series_run([one, two, four]) == [one, two]
    assert series_run([one, heading, two]) == [one]
    assert series_run([one, Marker(0, 2, "cn", 2, "是", block=1), two]) == [one, two]
