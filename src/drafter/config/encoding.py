"""Decode form files as Windows editors save them.

UTF-8 (with or without a BOM) and BOM-marked UTF-16/32 are read as they are. Notepad's
"ANSI" on Chinese Windows and older WPS save GBK; such a file is recognised with
charset-normalizer (imported only then) and read as GB18030, its superset, with a warning.
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
# Encodings charset-normalizer may name → (codec to decode with, name shown to the writer).
# GB comes first: drafter's writers use Simplified Chinese Windows, where short texts that
# are valid in both GBK and Big5 are GBK. Other guesses (Latin-1, UTF-16 without a BOM…)
# would turn a damaged file into mojibake, so they are refused instead.
_GB = ("gb18030", "GBK/GB18030")
_BIG5 = ("cp950", "Big5")
_CHINESE = {
    "gb18030": _GB,
    "gbk": _GB,
    "gb2312": _GB,
    "big5": _BIG5,
    "big5hkscs": _BIG5,
    "cp950": _BIG5,
}
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
    """A Chinese encoding charset-normalizer finds plausible for `raw`, GB preferred."""
    from charset_normalizer import from_bytes  # deferred: start-up speed

    named = [
        name
        for match in from_bytes(raw)
        for name in (match.encoding, *match.could_be_from_charset)
        if name in _CHINESE
    ]
    if not named:
        return None
    return _GB if any(_CHINESE[name] == _GB for name in named) else _CHINESE[named[0]]


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
