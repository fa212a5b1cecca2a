import pytest

from drafter.cn.numerals import cn_count, cn_number, cn_ordinal, cn_paren


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
        (21, "二十一"), (30, "三十"), (55, "五十五"), (99, "九十九"), (100, "一百"),
        (101, "一百零一"), (110, "一百一十"), (1001, "一千零一"), (1010, "一千零一十"),
    ],
)  # fmt: skip
def test_cn_number_writes_chinese_numerals(n: int, expected: str) -> None:
    assert cn_number(n) == expected


def test_every_number_from_1_to_99_is_distinct_and_well_formed() -> None:
    written = [cn_number(n) for n in range(1, 100)]
    assert len(set(written)) == 99
    assert all(not w.startswith("一十") and "零" not in w for w in written)


def test_two_as_a_quantity_is_liang() -> None:
    assert cn_count(2) == "两"
    assert cn_count(3) == "三"
    assert cn_count(12) == "十二"


def test_ordinal_suffixes() -> None:
    assert cn_ordinal(11) == "十一、"
    assert cn_ordinal(11, "是") == "十一是"
    assert cn_ordinal(99, "要") == "九十九要"
    assert cn_paren(20) == "（二十）"


@pytest.mark.parametrize("bad", [-1, 10_000, 1.5, True])
def test_out_of_range_numbers_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        cn_number(bad)  # type: ignore[arg-type]
