"""Layout presets: page, grid, fonts and sizes for each kind of block, read from YAML style files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import PresetError
from .form_loader import LoadedForm, Path_, parse_form, read_text
from .resources import PACKAGE_DIR

STYLES_DIR = PACKAGE_DIR / "styles"
DEFAULT_PRESET = "gbt9704"

# Chinese type sizes in points (字号).
CN_SIZES = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
}  # fmt: skip
LEAD_STYLES = ("none", "bold", "kaiti")
ROLES = ("title", "byline", "salutation", "body", "heading1", "heading2", "page_number")
_POINTS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:pt|磅)?\s*$", re.IGNORECASE)


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

    @property
    def text_width_mm(self) -> float:
        return self.page_mm[0] - self.margins_mm[2] - self.margins_mm[3]


def builtin_presets() -> list[str]:
    """Names of the presets shipped with drafter."""
    return sorted(p.stem for p in STYLES_DIR.glob("*.yaml"))


@cache
def load_preset(name_or_path: str = DEFAULT_PRESET) -> Preset:
    """Load a built-in preset by name, or a style file by path."""
    raw, form = _load_raw(name_or_path, seen=())
    return _build(raw, form)


def _locate(name_or_path: str) -> Path:
    builtin = STYLES_DIR / f"{name_or_path}.yaml"
    if builtin.is_file():
        return builtin
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return path
    raise PresetError(
        f"没有名为 {name_or_path} 的版式；可用：{'、'.join(builtin_presets())}，或给出样式文件路径"
    )


def _load_raw(name_or_path: str, seen: tuple[str, ...]) -> tuple[dict[str, Any], LoadedForm]:
    """Read a style file, merging it over its `base:` preset."""
    path = _locate(name_or_path)
    form = parse_form(read_text(path), str(path))
    if form.problems:
        raise PresetError(diagnostics=form.problems)
    raw = dict(form.data)
    base = raw.pop("base", None)
    if base:
        if base in seen:
            raise PresetError(
                f"版式 {base} 通过 base 引用了自身", path=form.path, line=form.where(("base",))[0]
            )
        parent, _ = _load_raw(base, (*seen, name_or_path))
        raw = {**parent, **raw}
    return raw, form


def _build(raw: dict[str, Any], form: LoadedForm) -> Preset:
    def fail(path: Path_, message: str) -> PresetError:
        return PresetError(diagnostics=[form.diagnostic(path, message)])

    def section(key: str) -> dict[str, Any]:
        value = raw.get(key)
        if not isinstance(value, dict):
            raise fail((key,), f"版式缺少 {key}，或它不是“键: 值”条目")
        return value

    def number(path: Path_, value: Any) -> float:
        match = _POINTS.match(str(value)) if value is not None else None
        if not match:
            raise fail(path, f"{'.'.join(map(str, path))} 应为数字，这里是 {value}")
        return float(match.group(1))

    def size(path: Path_, value: Any) -> float:
        if isinstance(value, str) and value.strip() in CN_SIZES:
            return CN_SIZES[value.strip()]
        try:
            return number(path, value)
        except PresetError:
            raise fail(
                path, f"字号 {value} 无法识别；可写中文字号（如 三号、小三）或磅值（如 16）"
            ) from None

    def font(key: str) -> FontSpec:
        spec = section(key)
        if not spec.get("font"):
            raise fail((key,), f"{key} 缺少字体名称 font")
        bold = str(spec.get("bold") or "false").lower() in ("true", "yes", "是")
        return FontSpec(spec["font"], size((key, "size"), spec.get("size")), bold)

    page = section("page")
    grid = section("grid")
    lead = str(raw.get("lead") or "bold")
    if lead not in LEAD_STYLES:
        raise fail(("lead",), f"lead 应为 {'、'.join(LEAD_STYLES)} 之一，这里是 {lead}")
    return Preset(
        name=str(raw.get("name") or Path(form.path).stem),
        label=str(raw.get("label") or ""),
        page_mm=(
            number(("page", "width"), page.get("width")),
            number(("page", "height"), page.get("height")),
        ),
        margins_mm=tuple(
            number(("page", side), page.get(side)) for side in ("top", "bottom", "left", "right")
        ),  # type: ignore[arg-type]
        lines_per_page=int(number(("grid", "lines"), grid.get("lines"))),
        chars_per_line=int(number(("grid", "chars"), grid.get("chars"))),
        line_spacing_pt=number(("grid", "line_spacing"), grid.get("line_spacing")),
        latin_font=str(raw.get("latin_font") or "Times New Roman"),
        lead=lead,
        lead_font=str(raw.get("lead_font") or "楷体"),
        **{role: font(role) for role in ROLES},
    )
