"""What web pages, document libraries and PDFs add to a speech, as data (configs/extract).

`configs/extract/boilerplate.yaml` lists site lines (publication lines, share buttons,
uploader and page counters, a lead-in summary) and stretches inside lines (a site's
watermark, 此处隐藏N个字). Reading moves them out of the speech into the form's comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config.located_yaml import RULE_FILE, parse_located, read_text
from ..config.options import Anything, Choice, ListOf, Mapping, Number, Reading, Text
from ..errors import RuleError
from ..infra.file_memo import memoized_on_files
from ..infra.resources import builtin_dir

LINE, INLINE = "line", "inline"
DEFAULT_MAX_LINE = 120  # a paragraph of the speech may begin with 时间; a site's line is short
_RULE = Mapping(
    "网页信息规则",
    {
        "id": Text("规则编号", required=True),
        "kind": Choice("位置", choices={LINE: "整行", INLINE: "行内"}, required=True),
        "pattern": Text("正则表达式", required=True, strip=False),
        "max_length": Number("最多字数", low=1, high=10_000, integer=True),
        "examples": Mapping(
            "示例",
            {
                "bad": ListOf(Text(strip=False), "应移出的写法"),
                "good": ListOf(Text(strip=False), "不应移出的正文"),
            },
            where="examples 中",
            noun="字段",
        ),
    },
    where="规则中",
    noun="字段",
)
_FILE = Mapping("网页信息规则文件", {"rules": Anything("规则列表")}, where="文件顶层")


@dataclass(frozen=True)
class SiteRule:
    """One kind of site text: a whole line, or a stretch inside a line."""

    id: str
    kind: str
    pattern: re.Pattern[str]
    max_length: int = DEFAULT_MAX_LINE
    bad: tuple[str, ...] = ()
    good: tuple[str, ...] = ()

    def whole_line(self, text: str) -> bool:
        return (
            self.kind == LINE
            and len(text) <= self.max_length
            and self.pattern.search(text.strip()) is not None
        )


def boilerplate_file() -> Path:
    return builtin_dir("configs") / "extract" / "boilerplate.yaml"


def site_rules() -> tuple[SiteRule, ...]:
    """The rules of the built-in boilerplate file."""
    return read_site_rules(boilerplate_file())


@memoized_on_files(key=lambda path: str(path), files=lambda path: [Path(path)])
def read_site_rules(path: Path) -> tuple[SiteRule, ...]:
    """The rules of a boilerplate file; a RuleError lists every problem at its line."""
    loaded = parse_located(read_text(path, RULE_FILE), str(path), RULE_FILE)
    reading = Reading(loaded)
    _FILE.read(loaded.data, (), reading)
    entries = loaded.data.get("rules")
    rules: list[SiteRule] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        values = _RULE.read(entry, ("rules", index), reading) or {}
        if "pattern" not in values or "id" not in values or "kind" not in values:
            continue
        try:
            pattern = re.compile(values["pattern"])
        except re.error as exc:
            reading.fail(("rules", index, "pattern"), f"正则表达式无法使用（{exc}）")
            continue
        examples = values.get("examples", {})
        rules.append(
            SiteRule(
                values["id"],
                values["kind"],
                pattern,
                int(values.get("max_length") or DEFAULT_MAX_LINE),
                tuple(examples.get("bad", ())),
                tuple(examples.get("good", ())),
            )
        )
    problems = reading.all_problems()
    if problems:
        raise RuleError(diagnostics=problems)
    return tuple(rules)


def site_line(text: str) -> SiteRule | None:
    """The rule saying a whole line is site text, if one does."""
    return next((rule for rule in site_rules() if rule.whole_line(text)), None)


def site_stretches(text: str) -> list[tuple[int, int]]:
    """Where site text sits inside a line (watermarks, 此处隐藏N个字), in order, not overlapping."""
    found: list[tuple[int, int]] = []
    for rule in site_rules():
        if rule.kind != INLINE:
            continue
        found.extend(m.span() for m in rule.pattern.finditer(text) if m.end() > m.start())
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
