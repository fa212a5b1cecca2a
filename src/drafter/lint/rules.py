"""Check rules as data: read configs/rules/*.yaml and --rules files, every mistake located.

A rule file is a mapping with an optional `family` (shown in reports) and a `rules` list.
Each rule has an `id`, either a `pattern` (literal text, or a regular expression with
`regex: true`) or a built-in `check`, a `message`, a `source` saying where the rule comes
from, and optionally `suggestion`, `replace` (the fix), `safe` (whether --fix may apply it
without --fix-all), `severity`, `since`/`until` (the speech dates it applies to), `allow`
(matches that are fine as written) and `examples` (bad and good text, used by the tests).
A later file's rule with the same `id` replaces the earlier one; `disabled: true` drops it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..config.closest import closest
from ..config.located_yaml import LoadedForm, Path_, parse_form, read_text
from ..errors import Diagnostic, FormError, RuleError, Severity
from ..infra.cache import cached
from ..infra.resources import builtin_dir
from .patterns import LazyPattern

# Han ideographs: CJK unified (with extension A) and compatibility ideographs, plus planes 2–3.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_TOKEN = r"\p{Han}"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_TRUE = {"true", "yes", "on", "是"}
_FALSE = {"false", "no", "off", "否"}
SEVERITIES = {
    "warning": Severity.WARNING,
    "警告": Severity.WARNING,
    "error": Severity.ERROR,
    "错误": Severity.ERROR,
}
FIELDS = {
    "id": "规则编号",
    "pattern": "匹配文字",
    "regex": "是否为正则表达式",
    "check": "内置检查",
    "message": "提示",
    "suggestion": "建议",
    "replace": "替换为",
    "safe": "是否可自动修改",
    "severity": "级别",
    "source": "依据",
    "since": "起始日期",
    "until": "截止日期",
    "allow": "允许的写法",
    "examples": "示例",
    "disabled": "停用",
}


@dataclass(frozen=True)
class Examples:
    """Text a rule must flag (bad) and must leave alone (good), at the date they are checked on."""

    bad: tuple[str, ...] = ()
    good: tuple[str, ...] = ()
    date: dt.date | None = None


@dataclass(frozen=True)
class Rule:
    """One check: what to look for, what to tell the writer, and when it applies."""

    id: str
    message: str
    source: str
    family: str = ""
    severity: Severity = Severity.WARNING
    pattern: LazyPattern | None = None
    check: str | None = None
    suggestion: str | None = None
    replace: str | None = None
    regex: bool = False
    safe: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    allow: frozenset[str] = frozenset()
    examples: Examples = Examples()
    origin: str = ""

    def applies_on(self, day: dt.date) -> bool:
        """Whether a speech given on `day` falls in this rule's [since, until) window."""
        return (self.since is None or day >= self.since) and (
            self.until is None or day < self.until
        )

    @property
    def on_document(self) -> bool:
        """Document checks read the speech's structure; all others read pieces of text."""
        from .structure import DOCUMENT_CHECKS

        return self.check in DOCUMENT_CHECKS


@dataclass(frozen=True)
class RuleSet:
    """Rules in the order they were loaded, later files overriding earlier ones by id."""

    rules: tuple[Rule, ...]

    def active(self, day: dt.date) -> list[Rule]:
        return [rule for rule in self.rules if rule.applies_on(day)]

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


def rules_dir() -> Path:
    """The built-in rule files: configs/rules/ in a checkout, drafter/configs/rules in a wheel."""
    return builtin_dir("configs") / "rules"


@cache
def builtin_rules() -> RuleSet:
    """The built-in rules, read once per process and kept parsed in the user cache."""
    # The pickle's name carries the digest of drafter's code and rule files: nothing else to key.
    return cached("rules", None, lambda: load_rules(()))


def load_rules(extra: Iterable[str | Path] = ()) -> RuleSet:
    """Built-in rules followed by each --rules file (or every *.yaml in a --rules folder)."""
    builtin = sorted(rules_dir().glob("*.yaml"))
    files = list(builtin)
    for entry in extra:
        files.extend(_rule_files(Path(entry)))
    chosen: dict[str, Rule] = {}
    problems: list[Diagnostic] = []
    for path in files:
        try:
            rules, disabled = read_rule_file(path, checked=path not in builtin)
        except RuleError as exc:
            problems.extend(exc.diagnostics)
            continue
        for rule_id in disabled:
            chosen.pop(rule_id, None)
        for rule in rules:
            chosen.pop(rule.id, None)  # an override moves to where it was loaded
            chosen[rule.id] = rule
    if problems:
        raise RuleError(diagnostics=problems)
    return RuleSet(tuple(chosen.values()))


def _rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not found:
            raise RuleError(f"规则文件夹中没有 .yaml 文件：{path}", path=path)
        return found
    if not path.is_file():
        raise RuleError(f"找不到规则文件：{path}", path=path)
    return [path]


def read_rule_file(path: Path, *, checked: bool = True) -> tuple[list[Rule], list[str]]:
    """Read one rule file: its rules and the ids it disables; RuleError lists every problem.

    `checked` compiles every pattern now, so an office's rule file reports a bad regular
    expression at its line; the built-in rules (tested) compile only when a text needs them.
    """
    try:
        loaded = parse_form(read_text(path), str(path))
    except FormError as exc:  # the loader speaks of forms; keep its positions, name the file
        raise RuleError(
            diagnostics=[
                Diagnostic(d.message.replace("表单", "规则文件"), d.path, d.line, d.column)
                for d in exc.diagnostics
            ]
        ) from None
    reader = _RuleReader(loaded, checked)
    rules, disabled = reader.read()
    problems = [*loaded.problems, *reader.problems]
    if problems:
        raise RuleError(diagnostics=sorted(problems, key=lambda d: (d.line or 0, d.column or 0)))
    return rules, disabled


class _RuleReader:
    """Turn a parsed rule file into Rules, collecting every problem with its position."""

    def __init__(self, loaded: LoadedForm, checked: bool = True) -> None:
        self.loaded = loaded
        self.checked = checked
        self.problems: list[Diagnostic] = []

    def fail(self, path: Path_, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.loaded.diagnostic(path, message, at_key=at_key))

    def read(self) -> tuple[list[Rule], list[str]]:
        data = self.loaded.data
        unknown = set(data) - {"family", "rules"}
        for key in sorted(unknown):
            self.fail((key,), f"规则文件顶层只能写 family 和 rules，不认识 {key}", at_key=True)
        family = data.get("family") or ""
        entries = data.get("rules")
        if not isinstance(entries, list):
            self.fail(("rules",), "规则文件应有 rules: 列表，每条规则以“- id: …”开头")
            return [], []
        rules: list[Rule] = []
        disabled: list[str] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            path: Path_ = ("rules", index)
            if not isinstance(entry, dict):
                self.fail(path, "每条规则应为“键: 值”条目（id、pattern、message 等）")
                continue
            rule_id = entry.get("id")
            if isinstance(rule_id, str) and rule_id in seen:
                self.fail((*path, "id"), f"规则编号 {rule_id} 重复（第 {seen[rule_id]} 行已用过）")
                continue
            if isinstance(rule_id, str):
                seen[rule_id] = self.loaded.where((*path, "id"))[0]
            if self.flag(entry, path, "disabled"):
                if isinstance(rule_id, str):
                    disabled.append(rule_id)
                continue
            rule = self.rule(entry, path, str(family))
            if rule is not None:
                rules.append(rule)
        return rules, disabled

    def rule(self, entry: dict[str, Any], path: Path_, family: str) -> Rule | None:
        before = len(self.problems)
        for key in entry:
            if key not in FIELDS:
                close = closest(key, FIELDS)
                hint = f"，是否想写 {close}？" if close else f"；可用：{'、'.join(FIELDS)}"
                self.fail((*path, key), f"规则中没有字段 {key}{hint}", at_key=True)
        rule_id = self.text(entry, path, "id", required=True)
        if rule_id and not _ID.match(rule_id):
            self.fail((*path, "id"), f"规则编号 {rule_id} 只能用小写英文字母、数字、点和连字符")
        message = self.text(entry, path, "message", required=True)
        source = self.text(entry, path, "source", required=True)
        regex = self.flag(entry, path, "regex")
        pattern = self.pattern(entry, path, regex)
        check = self.check(entry, path)
        if ("pattern" in entry) == ("check" in entry):
            self.fail(path, "规则需要 pattern（匹配文字）或 check（内置检查），二者只写一个")
        severity = self.text(entry, path, "severity") or "warning"
        if severity not in SEVERITIES:
            self.fail(
                (*path, "severity"), f"级别 {severity} 无效；应为 warning（警告）或 error（错误）"
            )
        since = self.date(entry, path, "since")
        until = self.date(entry, path, "until")
        if since and until and until <= since:
            self.fail((*path, "until"), "截止日期 until 应晚于起始日期 since")
        rule = Rule(
            id=rule_id or "",
            message=message or "",
            source=source or "",
            family=family,
            severity=SEVERITIES.get(severity, Severity.WARNING),
            pattern=pattern,
            check=check,
            suggestion=self.text(entry, path, "suggestion"),
            replace=self.text(entry, path, "replace", strip=False),
            regex=regex,
            safe=self.flag(entry, path, "safe"),
            since=since,
            until=until,
            allow=frozenset(self.texts(entry, path, "allow")),
            examples=self.examples(entry, path),
            origin=f"{self.loaded.path}:{self.loaded.where(path)[0]}",
        )
        if len(self.problems) > before:
            return None
        if self.checked:
            self.try_replacement(rule, path)
        return rule

    def text(
        self, entry: dict[str, Any], path: Path_, key: str, *, required: bool = False, strip=True
    ) -> str | None:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip() and strip):
            if required:
                self.fail(path, f"规则缺少 {key}（{FIELDS[key]}）", at_key=True)
            return None
        if not isinstance(value, str):
            self.fail((*path, key), f"{key}（{FIELDS[key]}）应为一段文字")
            return None
        return value.strip() if strip else value

    def texts(self, entry: dict[str, Any], path: Path_, key: str) -> list[str]:
        value = entry.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
        self.fail((*path, key), f"{key}（{FIELDS[key]}）应为一段文字或文字列表")
        return []

    def flag(self, entry: dict[str, Any], path: Path_, key: str) -> bool:
        value = entry.get(key)
        if value is None:
            return False
        word = str(value).strip().lower()
        if word not in _TRUE | _FALSE:
            self.fail((*path, key), f"{key} 应填 true 或 false，这里写成了 {value}")
        return word in _TRUE

    def date(self, entry: dict[str, Any], path: Path_, key: str) -> dt.date | None:
        value = entry.get(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                (*path, key), f"{key}（{FIELDS[key]}）不是有效日期：{value}；请写成 2022-10-22"
            )
            return None

    def pattern(self, entry: dict[str, Any], path: Path_, regex: bool) -> LazyPattern | None:
        text = self.text(entry, path, "pattern", strip=False)
        if text is None:
            return None
        pattern = LazyPattern(expand_han(text) if regex else re.escape(text))
        if self.checked:
            try:
                pattern.compiled  # noqa: B018 - compiling is the check
            except re.error as exc:
                self.fail((*path, "pattern"), f"正则表达式有误：{exc}")
                return None
        return pattern

    def check(self, entry: dict[str, Any], path: Path_) -> str | None:
        from .structure import DOCUMENT_CHECKS
        from .text_rules import TEXT_CHECKS

        name = self.text(entry, path, "check")
        known = [*TEXT_CHECKS, *DOCUMENT_CHECKS]
        if name is not None and name not in known:
            self.fail((*path, "check"), f"没有内置检查 {name}；可用：{'、'.join(known)}")
            return None
        return name

    def examples(self, entry: dict[str, Any], path: Path_) -> Examples:
        value = entry.get("examples")
        if value is None:
            return Examples()
        here = (*path, "examples")
        if not isinstance(value, dict):
            self.fail(here, "examples 应写成 bad: …、good: … 条目")
            return Examples()
        for key in set(value) - {"bad", "good", "date"}:
            self.fail((*here, key), f"examples 中只能写 bad、good、date，不认识 {key}", at_key=True)
        return Examples(
            bad=tuple(self.texts(value, here, "bad")) if "bad" in value else (),
            good=tuple(self.texts(value, here, "good")) if "good" in value else (),
            date=self.date(value, here, "date"),
        )

    def try_replacement(self, rule: Rule, path: Path_) -> None:
        """A regex `replace` naming a group the pattern lacks fails here, not mid-check."""
        if rule.pattern is None or rule.replace is None or not rule.regex:
            return
        for text in rule.examples.bad:
            match = rule.pattern.search(text)
            if match is None:
                continue
            try:
                match.expand(rule.replace)
            except (re.error, IndexError) as exc:
                self.fail((*path, "replace"), f"替换文字引用了不存在的分组：{exc}")
            return


def expand_han(pattern: str) -> str:
    r"""Let rule authors write \p{Han} (as in other regex engines) for any Han character."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        if pattern.startswith(_HAN_TOKEN, i):
            out.append(HAN_RANGES if in_class else f"[{HAN_RANGES}]")
            i += len(_HAN_TOKEN)
            continue
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)
