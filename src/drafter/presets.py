"""Layout presets: page, grid, fonts and sizes for each kind of block, read from YAML style files.

A style file has the preset's own shape and is checked like a form: every problem at once,
each with its file, line and column. `base:` names a preset (or another style file) whose
settings fill in whatever the file leaves out, key by key, so `body: {size: 小三}` keeps
the base's body font.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config.closest import closest
from .config.located_yaml import STYLE_FILE, LocatedYaml, Path_, parse_located, read_text
from .config.options import (
    MM_UNITS,
    PT_UNITS,
    Choice,
    Mapping,
    Number,
    Option,
    Reading,
    Size,
    Text,
    YesNo,
)
from .errors import Diagnostic, PresetError, shortened
from .infra.file_memo import memoized_on_files, reads_file
from .infra.resources import PACKAGE_DIR

STYLES_DIR = PACKAGE_DIR / "styles"
DEFAULT_PRESET = "gbt9704"
PAGE_NUMBER_GAP_MM = 7.0  # GB/T 9704 7.5: the page number's dash sits 7 mm below the type area

LEAD_CHOICES = {"none": "不强调", "bold": "加粗", "kaiti": "楷体"}
# A writer may name the lead emphasis in Chinese.
LEAD_ALIASES = {"不强调": "none", "无": "none", "加粗": "bold", "粗体": "bold", "楷体": "kaiti"}
ROLES = {
    "title": "标题", "byline": "讲话人和日期", "salutation": "称谓", "body": "正文",
    "heading1": "一级标题", "heading2": "二级标题", "page_number": "页码",
}  # fmt: skip


# Word's own limits: a page at most 22 inches a side, font names of at most 31 characters.
MAX_PAGE_MM = 558.8
MAX_FONT_NAME = 31


def _mm(label: str, low: float, high: float) -> Number:
    return Number(
        label, low=low, high=high, units=MM_UNITS, hint="应为毫米数，如 37 或 37mm", blank=False
    )


def _count(label: str) -> Number:
    return Number(label, low=1, high=200, integer=True, hint="应为整数，如 22", blank=False)


def _font_name(label: str, **kwargs: Any) -> Text:
    return Text(label, max_length=MAX_FONT_NAME, **kwargs)


def _font(role: str, label: str) -> Mapping:
    """A block's font settings; `bold: 加粗` reads as well as `bold: 是`."""
    bold = YesNo("加粗", aliases={"加粗": True, "不加粗": False}, blank=False)
    return Mapping(
        label,
        {"font": _font_name("字体", blank=False), "size": Size("字号", blank=False), "bold": bold},
        where=f"「{label}（{role}）」中",
        example="{font: 仿宋, size: 三号}",
    )


# A style file, key by key: what each setting is called and how its value is read.
STYLE_FILE_OPTIONS = Mapping(
    "样式文件",
    {
        "name": Text("版式名称"),
        "label": Text("版式说明"),
        "base": Text("基于的版式"),
        "latin_font": _font_name("西文和数字字体"),
        "lead": Choice("“一是”“一要”的强调方式", choices=LEAD_CHOICES, aliases=LEAD_ALIASES),
        "lead_font": _font_name("楷体强调所用字体"),
        "page": Mapping(
            "页面",
            {
                "width": _mm("纸张宽度", 50, MAX_PAGE_MM), "height": _mm("纸张高度", 50, MAX_PAGE_MM),
                "top": _mm("上边距", 0, 300), "bottom": _mm("下边距", 0, 300),
                "left": _mm("左边距", 0, 300), "right": _mm("右边距", 0, 300),
            },
            where="「页面（page）」中",
            example="width: 210",
        ),
        "grid": Mapping(
            "行数和字数",
            {
                "lines": _count("每页行数"),
                "chars": _count("每行字数"),
                "line_spacing": Number(
                    "行距", low=4, high=200, units=PT_UNITS,
                    hint="应为磅值，如 28.95 或 28.95磅", blank=False,
                ),
            },
            where="「行数和字数（grid）」中",
            example="lines: 22",
        ),
        **{role: _font(role, label) for role, label in ROLES.items()},
    },
    where="样式文件中",
)  # fmt: skip
# Settings a complete preset must have (after merging its base), as leaf paths.
REQUIRED: tuple[Path_, ...] = (
    *(("page", key) for key in ("width", "height", "top", "bottom", "left", "right")),
    *(("grid", key) for key in ("lines", "chars", "line_spacing")),
    *((role, key) for role in ROLES for key in ("font", "size")),
)


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
    form = parse_located(read_text(STYLES_DIR / f"{name}.yaml", STYLE_FILE), name, STYLE_FILE)
    return str(form.data.get("label") or "")


def locate_preset(name_or_path: str, relative_to: Path | None = None) -> Path:
    """The style file a name or path means: a built-in name first, then a file path."""
    builtin = STYLES_DIR / f"{name_or_path}.yaml"
    if os.path.isfile(builtin):  # unlike Path.is_file, False for a name too long for the system
        return builtin
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.suffix.lower() in (".yaml", ".yml") or os.path.exists(path):
        return path
    close = closest(name_or_path, builtin_presets())
    hint = f"是否想写 {close}？" if close else ""
    raise PresetError(
        f"没有名为 {shortened(name_or_path)} 的版式；{hint}可用：{'、'.join(builtin_presets())}，或给出样式文件路径"
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
) -> list[LocatedYaml]:
    """A style file and the files its `base:` refers to, base first."""
    path = locate_preset(name_or_path, relative_to)
    form = parse_located(read_text(path, STYLE_FILE), str(path), STYLE_FILE)
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
            diagnostics=[form.diagnostic(("base",), f"版式 {shortened(base)} 通过 base 引用了自身")]
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


def _check_file(form: LocatedYaml, problems: list[Diagnostic]) -> dict[Path_, Any]:
    """The settings one style file makes, as leaf path → parsed value; problems collected."""
    reading = Reading(form, _name)
    values = STYLE_FILE_OPTIONS.read(form.data, (), reading) or {}
    problems += sorted(reading.problems, key=lambda d: (d.line or 0, d.column or 0))
    out: dict[Path_, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out.update({(key, leaf): setting for leaf, setting in value.items()})
        else:
            out[(key,)] = value
    return out


def _name(path: Path_, label: str) -> str:
    """A setting's Chinese name with its key path: 正文字号（body.size）."""
    role = ROLES.get(str(path[0]), "") if len(path) > 1 else ""
    return f"{role}{label}（{'.'.join(map(str, path))}）"


def _label(path: Path_) -> str:
    option: Option[Any] = STYLE_FILE_OPTIONS
    for step in path:
        assert isinstance(option, Mapping)
        option = option.options[str(step)]
    return option.label


# ---------------------------------------------------------------- the merged preset


def _missing(settings: dict[Path_, Any], top: LocatedYaml) -> list[Diagnostic]:
    """A problem for each required setting that neither the file nor its bases give."""
    problems = []
    for path in REQUIRED:
        if path not in settings:
            problems.append(
                top.diagnostic(
                    path[:1],
                    f"版式缺少 {_name(path, _label(path))}；请补上，或写 base: {DEFAULT_PRESET} 沿用内置版式的设置",
                )
            )
    return problems


def _check_page(settings: dict[Path_, Any], top: LocatedYaml) -> list[Diagnostic]:
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


def _build(settings: dict[Path_, Any], top: LocatedYaml) -> Preset:
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
