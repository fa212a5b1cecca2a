"""Layout presets: page, grid, fonts and sizes for each kind of block, read from YAML style files.

A style file has the preset's own shape and is checked like a form: every problem at once,
each with its file, line and column. `base:` names a preset (or another style file) whose
settings fill in whatever the file leaves out, key by key, so `body: {size: 小三}` keeps
the base's body font.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config.closest import closest
from .config.located_yaml import LoadedForm, Path_, parse_form, read_text
from .errors import Diagnostic, PresetError
from .infra.file_memo import memoized_on_files, reads_file
from .infra.resources import PACKAGE_DIR

STYLES_DIR = PACKAGE_DIR / "styles"
DEFAULT_PRESET = "gbt9704"
PAGE_NUMBER_GAP_MM = 7.0  # GB/T 9704 7.5: the page number's dash sits 7 mm below the type area

# Chinese type sizes in points (字号).
CN_SIZES = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
}  # fmt: skip
LEAD_STYLES = ("none", "bold", "kaiti")
# A writer may name the lead emphasis in Chinese.
LEAD_ALIASES = {"不强调": "none", "无": "none", "加粗": "bold", "粗体": "bold", "楷体": "kaiti"}
ROLES = {
    "title": "标题", "byline": "讲话人和日期", "salutation": "称谓", "body": "正文",
    "heading1": "一级标题", "heading2": "二级标题", "page_number": "页码",
}  # fmt: skip
FONT_KEYS = {"font": "字体", "size": "字号", "bold": "加粗"}
SECTIONS = {
    "page": ("页面", {
        "width": "纸张宽度", "height": "纸张高度",
        "top": "上边距", "bottom": "下边距", "left": "左边距", "right": "右边距",
    }),
    "grid": ("行数和字数", {"lines": "每页行数", "chars": "每行字数", "line_spacing": "行距"}),
    **{role: (label, FONT_KEYS) for role, label in ROLES.items()},
}  # fmt: skip
SCALARS = {
    "name": "版式名称", "label": "版式说明", "base": "基于的版式", "latin_font": "西文和数字字体",
    "lead": "“一是”“一要”的强调方式", "lead_font": "楷体强调所用字体",
}  # fmt: skip
# Settings a complete preset must have (after merging its base), as leaf paths.
REQUIRED: tuple[Path_, ...] = (
    *(("page", key) for key in SECTIONS["page"][1]),
    *(("grid", key) for key in SECTIONS["grid"][1]),
    *((role, key) for role in ROLES for key in ("font", "size")),
)
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|磅|mm|毫米)?\s*$", re.IGNORECASE)
_TRUE = {"true", "yes", "是", "加粗"}
_FALSE = {"false", "no", "否", "不加粗"}


@dataclass(frozen=True, slots=True)
class FontSpec:
    """The East Asian font, size in points and weight of one kind of block."""

    name: str
    size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Preset:
    """Everything a page-laying writer needs to know about the office's layout."""

    name: str
    label: str
    page_mm: tuple[float, float]  # width, height
    margins_mm: tuple[float, float, float, float]  # top, bottom, left, right
    lines_per_page: int
    chars_per_line: int
    line_spacing_pt: float
    latin_font: str
    title: FontSpec
    byline: FontSpec
    salutation: FontSpec
    body: FontSpec
    heading1: FontSpec
    heading2: FontSpec
    page_number: FontSpec
    lead: str
    lead_font: str
    # A Word file whose styles, page setup and footers the .docx writer takes (--reference-doc).
    reference_doc: str = ""

    @property
    def text_width_mm(self) -> float:
        return self.page_mm[0] - self.margins_mm[2] - self.margins_mm[3]

    @property
    def grid_pitch_pt(self) -> float:
        """Width of one character cell of the grid (the type area's width / chars a line)."""
        return self.text_width_mm * 72 / 25.4 / self.chars_per_line

    @property
    def title_chars(self) -> int:
        """How many title-size characters fit on one line of the type area."""
        title_em_mm = self.title.size * 25.4 / 72
        return max(1, int(self.text_width_mm / title_em_mm + 1e-6))

    def with_reference_doc(self, path: str | Path | None) -> Preset:
        """This preset with a reference .docx (or without one when `path` is empty)."""
        return dataclasses.replace(self, reference_doc=str(path) if path else "")


def builtin_presets() -> list[str]:
    """Names of the presets shipped with drafter."""
    return sorted(p.stem for p in STYLES_DIR.glob("*.yaml"))


def preset_label(name: str) -> str:
    """The one-line Chinese description of a built-in preset."""
    form = parse_form(read_text(STYLES_DIR / f"{name}.yaml"), name)
    return str(form.data.get("label") or "")


def locate_preset(name_or_path: str, relative_to: Path | None = None) -> Path:
    """The style file a name or path means: a built-in name first, then a file path."""
    builtin = STYLES_DIR / f"{name_or_path}.yaml"
    if builtin.is_file():
        return builtin
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return path
    close = closest(name_or_path, builtin_presets())
    hint = f"是否想写 {close}？" if close else ""
    raise PresetError(
        f"没有名为 {name_or_path} 的版式；{hint}可用：{'、'.join(builtin_presets())}，或给出样式文件路径"
    )


# Keyed with the working folder: the same relative path from another folder is another file.
@memoized_on_files(key=lambda name_or_path=DEFAULT_PRESET: (name_or_path, os.getcwd()))
def load_preset(name_or_path: str = DEFAULT_PRESET) -> Preset:
    """Load a built-in preset by name, or a style file by path; every problem raised at once."""
    chain = _read_chain(name_or_path, None, seen=())
    problems: list[Diagnostic] = []
    settings: dict[Path_, Any] = {}
    for form in chain:  # base first, so each file overrides the one it is based on
        settings.update(_check_file(form, problems))
    top = chain[-1]
    problems += _missing(settings, top)
    if not problems:
        problems += _check_page(settings, top)
    if problems:
        raise PresetError(diagnostics=problems)
    return _build(settings, top)


@reads_file(lambda name_or_path, relative_to, seen: locate_preset(name_or_path, relative_to))
def _read_chain(
    name_or_path: str, relative_to: Path | None, seen: tuple[Path, ...]
) -> list[LoadedForm]:
    """A style file and the files its `base:` refers to, base first."""
    path = locate_preset(name_or_path, relative_to)
    form = parse_form(read_text(path), str(path))
    if form.problems:
        raise PresetError(diagnostics=form.problems)
    base = form.data.get("base")
    if not base:
        return [form]
    if not isinstance(base, str):
        raise PresetError(
            diagnostics=[form.diagnostic(("base",), "base 应为版式名称或样式文件路径")]
        )
    resolved = path.resolve()
    if resolved in seen:
        raise PresetError(
            diagnostics=[form.diagnostic(("base",), f"版式 {base} 通过 base 引用了自身")]
        )
    try:
        parents = _read_chain(base.strip(), path.parent, (*seen, resolved))
    except PresetError as exc:
        if exc.diagnostics and exc.diagnostics[0].path is None:
            located = form.diagnostic(("base",), exc.diagnostics[0].message)
            raise PresetError(diagnostics=[located]) from None
        raise
    return [*parents, form]


# ---------------------------------------------------------------- checking one file


def _check_file(form: LoadedForm, problems: list[Diagnostic]) -> dict[Path_, Any]:
    """The settings one style file makes, as leaf path → parsed value; problems collected."""
    out: dict[Path_, Any] = {}
    for key, value in form.data.items():
        if key in SCALARS:
            parsed = _parse_scalar(form, (key,), value, problems)
            if parsed is not None:
                out[(key,)] = parsed
        elif key in SECTIONS:
            out.update(_check_section(form, key, value, problems))
        else:
            problems.append(_unknown(form, (key,), key, {**SCALARS, **_section_labels()}))
    return out


def _section_labels() -> dict[str, str]:
    return {key: label for key, (label, _) in SECTIONS.items()}


def _check_section(
    form: LoadedForm, key: str, value: Any, problems: list[Diagnostic]
) -> dict[Path_, Any]:
    label, keys = SECTIONS[key]
    if not isinstance(value, dict):
        problems.append(
            form.diagnostic((key,), f"「{label}（{key}）」应写成“键: 值”条目，如 {_example(key)}")
        )
        return {}
    out: dict[Path_, Any] = {}
    for child, child_value in value.items():
        path = (key, child)
        if child not in keys:
            problems.append(_unknown(form, path, child, keys, where=f"「{label}（{key}）」"))
            continue
        parsed = _parse_leaf(form, path, child_value, problems)
        if parsed is not None:
            out[path] = parsed
    return out


def _example(key: str) -> str:
    if key in ROLES:
        return "{font: 仿宋, size: 三号}"
    return "width: 210" if key == "page" else "lines: 22"


def _unknown(
    form: LoadedForm, path: Path_, key: str, choices: dict[str, str], where: str = "样式文件"
) -> Diagnostic:
    """An unknown key, with the closest known key or the list of keys allowed there."""
    close = closest(key, choices)
    if close:
        message = f"{where}中没有设置项 {key}，是否想写 {close}（{choices[close]}）？"
    else:
        listed = "、".join(f"{k}（{label}）" for k, label in choices.items())
        message = f"{where}中没有设置项 {key}；这里可以写：{listed}"
    return form.diagnostic(path, message, at_key=True)


def _name(path: Path_) -> str:
    """A setting's Chinese name with its key path: 正文字号（body.size）."""
    dotted = ".".join(map(str, path))
    if len(path) == 1:
        return f"{SCALARS.get(str(path[0]), path[0])}（{dotted}）"
    section_label, keys = SECTIONS[str(path[0])]
    leaf = keys[str(path[1])]
    return f"{section_label if path[0] in ROLES else ''}{leaf}（{dotted}）"


# Each leaf's parser: (kind, lowest, highest) where kind picks the parsing function.
_LIMITS: dict[str, tuple[str, float, float]] = {
    "width": ("mm", 50, 1000), "height": ("mm", 50, 1000),
    "top": ("mm", 0, 300), "bottom": ("mm", 0, 300), "left": ("mm", 0, 300), "right": ("mm", 0, 300),
    "lines": ("count", 1, 200), "chars": ("count", 1, 200), "line_spacing": ("pt", 4, 200),
    "size": ("size", 4, 200),
}  # fmt: skip


def _parse_leaf(form: LoadedForm, path: Path_, value: Any, problems: list[Diagnostic]) -> Any:
    """Parse one section setting; None (with a problem recorded) when it is unusable."""
    key = str(path[-1])

    def fail(message: str) -> None:
        problems.append(form.diagnostic(path, message))

    if not isinstance(value, str) or not value.strip():
        fail(f"{_name(path)}应填写一个值，这里{'是空的' if value is None else '写成了列表或条目'}")
        return None
    text = value.strip()
    if key == "font":
        return text
    if key == "bold":
        return _parse_bool(text, path, fail)
    kind, low, high = _LIMITS[key]
    number = _parse_number(text, kind, path, fail)
    if number is None:
        return None
    if not low <= number <= high:
        fail(f"{_name(path)}为 {text}，超出了合理范围（{low:g}～{high:g}）")
        return None
    return int(number) if kind == "count" else number


def _parse_number(text: str, kind: str, path: Path_, fail: Callable[[str], None]) -> float | None:
    if kind == "size" and text in CN_SIZES:
        return CN_SIZES[text]
    match = _NUMBER.match(text)
    unit = (match.group(2) or "").lower() if match else ""
    fits = {"mm": ("", "mm", "毫米"), "pt": ("", "pt", "磅"), "size": ("", "pt", "磅")}
    if match and unit in fits.get(kind, ("",)):
        if kind == "count" and "." in match.group(1):
            match = None
        else:
            return float(match.group(1))
    hints = {
        "size": f"可写中文字号（如 三号、小三，可用：{'、'.join(CN_SIZES)}）或磅值（如 16、15.5磅）",
        "mm": "应为毫米数，如 37 或 37mm",
        "pt": "应为磅值，如 28.95 或 28.95磅",
        "count": "应为整数，如 22",
    }
    fail(f"{_name(path)}的值 {text} 无法识别；{hints[kind]}")
    return None


def _parse_bool(text: str, path: Path_, fail: Callable[[str], None]) -> bool | None:
    word = text.lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    fail(f"{_name(path)}应为 true（是）或 false（否），这里写成了 {text}")
    return None


def _parse_scalar(form: LoadedForm, path: Path_, value: Any, problems: list[Diagnostic]) -> Any:
    """Parse a top-level setting (name, label, base, latin_font, lead, lead_font)."""
    if not isinstance(value, str) or not value.strip():
        if value is not None:
            problems.append(form.diagnostic(path, f"{_name(path)}应为一段文字"))
        return None
    text = value.strip()
    if path == ("lead",):
        lead = LEAD_ALIASES.get(text, text.lower())
        if lead not in LEAD_STYLES:
            problems.append(
                form.diagnostic(
                    path,
                    f"{_name(path)}应为 none（不强调）、bold（加粗）或 kaiti（楷体）之一，这里写成了 {text}",
                )
            )
            return None
        return lead
    return text


# ---------------------------------------------------------------- the merged preset


def _missing(settings: dict[Path_, Any], top: LoadedForm) -> list[Diagnostic]:
    """A problem for each required setting that neither the file nor its bases give."""
    problems = []
    for path in REQUIRED:
        if path not in settings:
            problems.append(
                top.diagnostic(
                    path[:1],
                    f"版式缺少 {_name(path)}；请补上，或写 base: {DEFAULT_PRESET} 沿用内置版式的设置",
                )
            )
    return problems


def _check_page(settings: dict[Path_, Any], top: LoadedForm) -> list[Diagnostic]:
    """The margins must leave room for text."""
    width, height = settings[("page", "width")], settings[("page", "height")]
    left, right = settings[("page", "left")], settings[("page", "right")]
    top_mm, bottom = settings[("page", "top")], settings[("page", "bottom")]
    if left + right >= width - 20 or top_mm + bottom >= height - 20:
        return [
            top.diagnostic(
                ("page",), "页边距太大，页面上几乎没有写字的地方；请检查页边距和纸张尺寸"
            )
        ]
    return []


def _build(settings: dict[Path_, Any], top: LoadedForm) -> Preset:
    def font(role: str) -> FontSpec:
        return FontSpec(
            settings[(role, "font")], settings[(role, "size")], settings.get((role, "bold"), False)
        )

    def page(key: str) -> float:
        return float(settings[("page", key)])

    return Preset(
        name=settings.get(("name",)) or Path(top.path).stem,
        label=settings.get(("label",), ""),
        page_mm=(page("width"), page("height")),
        margins_mm=(page("top"), page("bottom"), page("left"), page("right")),
        lines_per_page=settings[("grid", "lines")],
        chars_per_line=settings[("grid", "chars")],
        line_spacing_pt=settings[("grid", "line_spacing")],
        latin_font=settings.get(("latin_font",), "Times New Roman"),
        lead=settings.get(("lead",), "bold"),
        lead_font=settings.get(("lead_font",), "楷体"),
        **{role: font(role) for role in ROLES},  # type: ignore[arg-type]
    )
