"""Chinese numerals and the ordinal forms speeches number their parts with."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def cn_number(n: int) -> str:
    """Write 1–9999 as Chinese numerals: 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五."""
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 9999:
        raise ValueError(f"只能写出 0 到 9999 的中文数字，收到：{n!r}")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    out: list[str] = []
    rest = n
    zero_pending = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(DIGITS[digit] + unit)
        elif out:
            zero_pending = True
    if rest:
        if zero_pending:
            out.append("零")
        out.append(DIGITS[rest])
    return "".join(out)


def cn_count(n: int) -> str:
    """Write a quantity before a measure word: 2 → 两 (我讲两点意见), otherwise as cn_number."""
    return "两" if n == 2 else cn_number(n)


def cn_ordinal(n: int, suffix: str = "、") -> str:
    """Number a part: (3) → 三、, (3, "是") → 三是, (3, "要") → 三要."""
    return cn_number(n) + suffix


def cn_paren(n: int) -> str:
    """Number a second-level part: 3 → （三）."""
    return f"（{cn_number(n)}）"


# Every numeral cn_number writes for 1–99, read back; 两 is how a count before a measure word
# is spoken (我讲两点意见).
_VALUES = {cn_number(n): n for n in range(1, 100)} | {"两": 2}


def cn_value(numeral: str) -> int | None:
    """Read 一 … 九十九 (and 两) back as a number; None for anything else."""
    return _VALUES.get(numeral)
