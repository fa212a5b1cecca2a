"""HTML writer: one self-contained page that looks like the printed speech.

An A4-wide sheet with the preset's margins, fonts, sizes, exact line height, indents and
lead emphasis; printing it from a browser gives A4 pages numbered “— 1 —” on the outer side.
Everything is inline: fonts are named (with CJK fallbacks found on Windows, macOS and
Linux), never fetched, so the file can be mailed or opened offline. A writer's text is
escaped, so `<b>` in a form prints as typed.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from .. import __version__
from ..model import Block, Byline, Document, Heading, Paragraph, Run, Salutation, Thanks, Title
from ..presets import PAGE_NUMBER_GAP_MM, FontSpec, Preset
from .linebreak import balance_lines, clean_text

LATIN_FACE = "drafter-latin"
# Fonts of the same kind that browsers are likely to find when the preset's own is missing.
_SONG = (
    "宋体",
    "SimSun",
    "NSimSun",
    "STSong",
    "Songti SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
)
FALLBACKS: dict[str, tuple[str, ...]] = {
    "fangsong": ("仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312", "STFangsong", *_SONG[3:]),
    "kaiti": ("楷体", "KaiTi", "楷体_GB2312", "KaiTi_GB2312", "STKaiti", "Kaiti SC", *_SONG[4:]),
    "heiti": (
        "黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "PingFang SC", "Heiti SC",
        "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    ),
    "title": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", *_SONG),
    "song": _SONG,
}  # fmt: skip
# Substrings of a font name → its kind; the first match wins (小标宋 before 宋).
_KINDS = (
    ("仿宋", "fangsong"), ("fangsong", "fangsong"), ("楷", "kaiti"), ("kai", "kaiti"),
    ("黑", "heiti"), ("hei", "heiti"), ("标宋", "title"), ("中宋", "title"), ("宋", "song"),
    ("song", "song"),
)  # fmt: skip
# Basic Latin and Latin-1 letters and digits go to the Latin font, as Word's ascii/hAnsi slots
# do; curly quotes, dashes and ellipses stay in the CJK font (full width), as w:hint does.
_LATIN_RANGE = "U+0020-007E, U+00A0-00FF"


def write_html(document: Document, preset: Preset) -> bytes:
    """Render as one HTML5 page laid out like the preset's printed page."""
    meta = document.meta
    title = meta.title or next((b.text for b in document.blocks if isinstance(b, Title)), "")
    head = [
        '<meta charset="utf-8">',
        f"<title>{_escape(title)}</title>",
        f'<meta name="generator" content="drafter {__version__}">',
    ]
    if meta.author:
        head.append(f'<meta name="author" content="{_escape(meta.author)}">')
    if meta.date:
        head.append(f'<meta name="date" content="{_escape(meta.date)}">')
    body = "\n".join(_blocks(document.blocks, preset))
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        + "\n".join(head)
        + f"\n<style>\n{stylesheet(preset)}</style>\n</head>\n<body>\n"
        + f'<main class="page">\n{body}\n</main>\n</body>\n</html>\n'
    )
    return page.encode("utf-8")


# ---------------------------------------------------------------- body


def _blocks(blocks: tuple[Block, ...], preset: Preset) -> Iterator[str]:
    for block in blocks:
        match block:
            case Title(text=text):
                lines = balance_lines(clean_text(text), preset.title_chars)
                yield f'<h1 class="title">{"<br>".join(_escape(line) for line in lines)}</h1>'
            case Byline(lines=lines):
                for line in lines:
                    yield f'<p class="byline">{_text(line)}</p>'
            case Salutation(text=text):
                yield f'<p class="salutation">{_text(text)}</p>'
            case Heading(level=level, text=text):
                yield f'<h{level + 1} class="heading{level}">{_text(text)}</h{level + 1}>'
            case Paragraph(runs=runs):
                yield f'<p class="body">{_runs(runs)}</p>'
            case Thanks(runs=runs):
                yield f'<p class="thanks">{_runs(runs)}</p>'


def _runs(runs: tuple[Run, ...]) -> str:
    return "".join(
        f'<span class="lead">{_text(run.text)}</span>' if run.lead else _text(run.text)
        for run in runs
    )


def _text(text: str) -> str:
    """A writer's text, escaped, with its line breaks kept."""
    return "<br>".join(html.escape(line, quote=True) for line in clean_text(text).split("\n"))


def _escape(text: str) -> str:
    return html.escape(clean_text(text), quote=True)


# ---------------------------------------------------------------- style sheet


def stylesheet(preset: Preset) -> str:
    """The page's CSS: sheet and print page, then one rule per kind of block."""
    top, bottom, left, right = preset.margins_mm
    width, height = preset.page_mm
    line = f"{preset.line_spacing_pt:g}pt"
    number = preset.page_number
    number_box = (
        f'content: "— " counter(page) " —"; {_font(number, preset)} vertical-align: top; '
        f"padding-top: {max(0.0, PAGE_NUMBER_GAP_MM - number.size * 25.4 / 72 / 2):.1f}mm;"
    )
    rules = [
        f"@font-face {{ font-family: {LATIN_FACE}; src: {_latin_sources(preset)}; "
        f"unicode-range: {_LATIN_RANGE}; }}",
        f"@page {{ size: {width:g}mm {height:g}mm; margin: {top:g}mm {right:g}mm {bottom:g}mm {left:g}mm; }}",
        f"@page :right {{ @bottom-right {{ {number_box} padding-right: {number.size:g}pt; }} }}",
        f"@page :left {{ @bottom-left {{ {number_box} padding-left: {number.size:g}pt; }} }}",
        "html { background: #e9e9e9; }",
        "body { margin: 0; padding: 10mm 0; }",
        f".page {{ box-sizing: border-box; width: {width:g}mm; min-height: {height:g}mm; "
        f"margin: 0 auto; padding: {top:g}mm {right:g}mm {bottom:g}mm {left:g}mm; background: #fff; "
        "color: #000; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); }",
        # Element selectors only: every class rule below must win over this reset.
        f"h1, h2, h3, p {{ margin: 0; line-height: {line}; font-weight: normal; text-indent: 0; }}",
        # One blank line after the title group, as in the .docx.
        f".title + :not(.byline), .byline + :not(.byline) {{ margin-top: {line}; }}",
        f".title {{ {_font(preset.title, preset)} text-align: center; }}",
        f".byline {{ {_font(preset.byline, preset)} text-align: center; }}",
        f".salutation {{ {_font(preset.salutation, preset)} text-align: left; }}",
        *(
            f".{name} {{ {_font(font, preset, grid=True)} text-align: justify; text-indent: 2em; }}"
            for name, font in (
                ("body", preset.body),
                ("thanks", preset.body),
                ("heading1", preset.heading1),
                ("heading2", preset.heading2),
            )
        ),
        f".lead {{ {_lead(preset)} }}",
        "@media print { html { background: none; } body { padding: 0; } "
        ".page { width: auto; min-height: 0; padding: 0; box-shadow: none; } }",
    ]
    return "\n".join(rules) + "\n"


def _font(font: FontSpec, preset: Preset, *, grid: bool = False) -> str:
    """font-family, size and weight of a role; body-size text keeps the grid's characters a line."""
    css = f"font-family: {font_stack(font.name)}; font-size: {font.size:g}pt; "
    css += f"font-weight: {'bold' if font.bold else 'normal'};"
    if grid and font.size == preset.body.size:
        css += f" letter-spacing: {preset.grid_pitch_pt - font.size:.2f}pt;"
    return css


def _lead(preset: Preset) -> str:
    if preset.lead == "bold":
        return "font-weight: bold;"
    if preset.lead == "kaiti":
        return f"font-family: {font_stack(preset.lead_font)};"
    return "font-weight: inherit;"


def font_stack(name: str) -> str:
    """CSS font-family: Latin face, the named font, same-kind CJK fallbacks, a generic family."""
    kind = next((k for part, k in _KINDS if part in name.lower()), "")
    names = dict.fromkeys([name, *FALLBACKS.get(kind, ())])
    generic = "sans-serif" if kind == "heiti" else "serif"
    return ", ".join([LATIN_FACE, *(_css_string(n) for n in names), generic])


def _latin_sources(preset: Preset) -> str:
    """local() faces only: nothing is downloaded."""
    faces = dict.fromkeys([preset.latin_font, "Times New Roman", "Liberation Serif", "Tinos"])
    return ", ".join(f"local({_css_string(face)})" for face in faces)


def _css_string(text: str) -> str:
    """A CSS string literal; `<` is escaped so a font name cannot end the style element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + "".join(ch for ch in escaped if ch >= " ") + '"'
