"""Decode form files as Windows editors save them.

UTF-8 (with or without a BOM) and BOM-marked UTF-16/32 are read as they are. Notepad's
"ANSI" on Chinese Windows and older WPS save GBK; such a file is read as GB18030, its
superset, with a warning. Big5 (Taiwan, Hong Kong) is told from GBK by which encoding turns
the bytes into characters Chinese text is made of; anything else is refused rather than
read as mojibake.
"""

from __future__ import annotations

import codecs

from ..errors import Diagnostic, FormError, Severity

# UTF-32-LE's BOM begins with UTF-16-LE's, so the longer marks are tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# (codec to decode with, name shown to the writer). GB comes first: drafter's writers use
# Simplified Chinese Windows, where a text that reads as Chinese in both is GBK.
_GB = ("gb18030", "GBK/GB18030")
_BIG5 = ("cp950", "Big5")
# Where each encoding keeps the characters ordinary text is made of (first bytes, lowest
# second byte): GB2312's punctuation, full-width forms and both levels of hanzi; Big5's
# symbols and its 5,401 frequent characters (常用字). Rare characters, kana, Greek or box
# drawing in quantity mean the bytes were written in another encoding.
_ORDINARY = {
    _GB[0]: (frozenset(range(0xA1, 0xA4)) | frozenset(range(0xB0, 0xF8)), 0xA1),
    _BIG5[0]: (frozenset(range(0xA1, 0xC7)), 0x40),
}
# A share of ordinary characters above this is Chinese text; GB wins within the margin.
_PLAUSIBLE = 0.8
_GB_MARGIN = 0.1
_NOT_TEXT = (
    (b"PK\x03\x04", "Word 文档（.docx）或压缩包"),
    (b"\xd0\xcf\x11\xe0", "Word/WPS 文档（.doc/.wps）或 Excel 表格"),
    (b"%PDF", "PDF 文件"),
)
_SHOWN_AS = {
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    _GB[0]: _GB[1],
    _BIG5[0]: _BIG5[1],
}
SAVE_AS_UTF8 = "请用记事本或 WPS 打开它，“另存为”时编码选择 UTF-8，再运行一次"


def decode_form(raw: bytes, shown: str, kind: str = "表单") -> tuple[str, list[Diagnostic]]:
    """The text of a YAML file (form by default) and a warning if its encoding had to be guessed."""
    for signature, what in _NOT_TEXT:
        if raw.startswith(signature):
            hint = "；drafter 需要 .yaml 表单文件（可运行 drafter new 模板名 生成一份）"
            if signature == b"PK\x03\x04":
                hint = f"{hint}；要从旧讲话稿提取表单，请运行 drafter extract 讲话稿.docx"
            raise FormError(
                f"这是 {what}，不是 YAML {kind}{hint if kind == '表单' else ''}", path=shown
            )
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, codec, shown), []
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        failure = exc
    if _began_as_utf8(raw[: failure.start]):
        raise _undecodable(
            raw, "utf-8", failure, shown, "文件按 UTF-8 保存，但这里混入了无法识别的字节"
        )
    guess = _guess_chinese(raw)
    if guess is None:
        raise _undecodable(
            raw, "utf-8", failure, shown, "文件不是 UTF-8 编码，也不像 GBK 等中文编码"
        )
    codec, name = guess
    text = _strict(raw, codec, shown)
    warning = Diagnostic(
        f"文件不是 UTF-8 编码，已按 {name} 编码读取；如果生成的文字有乱码，{SAVE_AS_UTF8}",
        shown,
        1,
        1,
        Severity.WARNING,
    )
    return text, [warning]


def _strict(raw: bytes, codec: str, shown: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        name = _SHOWN_AS.get(codec, codec.upper())
        raise _undecodable(
            raw, codec, exc, shown, f"文件按 {name} 编码读取时，这里有无法识别的字节"
        ) from None


def _began_as_utf8(valid_prefix: bytes) -> bool:
    """True if the bytes before the failure hold UTF-8 Chinese (3-byte) characters.

    GBK text almost never forms valid 3-byte UTF-8 sequences, so such a file is UTF-8
    with a damaged spot (truncated, or a pasted fragment), not GBK to be guessed at.
    """
    return any(ord(char) >= 0x800 for char in valid_prefix.decode("utf-8"))


def _guess_chinese(raw: bytes) -> tuple[str, str] | None:
    """GB or Big5 if `raw` reads as Chinese text in it (GB preferred), else None."""
    scores = {codec: _ordinary_share(raw, codec) for codec, _ in (_GB, _BIG5)}
    gb, big5 = scores[_GB[0]], scores[_BIG5[0]]
    if gb >= _PLAUSIBLE and gb + _GB_MARGIN >= big5:
        return _GB
    if big5 >= _PLAUSIBLE:
        return _BIG5
    return None


def _ordinary_share(raw: bytes, codec: str) -> float:
    """The share of non-ASCII characters that are ordinary text in `codec` (0 if it cannot decode)."""
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return 0.0
    leads, lowest_trail = _ORDINARY[codec]
    wide = [char for char in set(text) if ord(char) > 0x7F]
    counts = {char: text.count(char) for char in wide}
    total = sum(counts.values())
    if not total:
        return 0.0
    ordinary = 0
    for char, count in counts.items():
        encoded = char.encode(codec, errors="replace")
        if len(encoded) == 2 and encoded[0] in leads and encoded[1] >= lowest_trail:
            ordinary += count
    return ordinary / total


def _undecodable(
    raw: bytes, codec: str, exc: UnicodeDecodeError, shown: str, why: str
) -> FormError:
    """An error at the first bad byte: its offset, line and column, and the fix."""
    from .excerpt import caret_excerpt  # deferred: start-up speed

    before = raw[: exc.start].decode(codec, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    lines = raw.decode(codec, errors="replace").split("\n")
    source_line = lines[line - 1] if line <= len(lines) else ""
    byte = raw[exc.start]
    message = f"{why}（文件第 {exc.start + 1} 个字节 0x{byte:02X} 处）；{SAVE_AS_UTF8}"
    diagnostic = Diagnostic(
        message, shown, line, column, detail=caret_excerpt(source_line, line, column)
    )
    return FormError(diagnostics=[diagnostic])
