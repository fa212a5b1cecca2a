"""Check rules as data: read configs/rules/*.yaml and --rules files, every mistake located.

A rule file is a mapping with an optional `family` (shown in reports) and a `rules` list.
Each rule has an `id`, either a `pattern` (literal text, or a regular expression with
`regex: true`) or a built-in `check`, a `message`, a `source` saying where the rule comes
from, and optionally `suggestion`, `replace` (the fix), `safe` (whether --fix may apply it
without --fix-all), `stops_render` (render refuses the form instead of warning), `cleans`
(every later rule reads the text with this rule's fixes made: traditional characters
converted, pinyin removed), `severity`,
`since`/`until` (the speech dates it applies to), `allow`
(matches that are fine as written) and `examples` (bad and good text, used by the tests).
A later file's rule with the same `id` replaces the earlier one; `disabled: true` drops it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from ..config.located_yaml import RULE_FILE, LocatedYaml, Path_, parse_located, read_text
from ..config.options import Anything, Choice, Date, ListOf, Mapping, Reading, Text, YesNo
from ..errors import Diagnostic, RuleError, Severity, shortened
from ..infra.cache import cached
from ..infra.resources import builtin_dir
from .checks import DOCUMENT_CHECKS, KNOWN_CHECKS
from .patterns import LazyPattern
from .regex_risk import backtracking_risk

# Han ideographs: CJK unified (with extension A) and compatibility ideographs, plus planes 2–3.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_TOKEN = r"\p{Han}"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
SEVERITIES = {"warning": "警告", "error": "错误"}
# A rule file, key by key: what each field is called and how its value is read.
RULE_OPTIONS = Mapping(
    "规则",
    {
        "id": Text("规则编号", required=True),
        "pattern": Text("匹配文字", strip=False),
        "regex": YesNo("是否为正则表达式"),
        "check": Text("内置检查"),
        "message": Text("提示", required=True),
        "suggestion": Text("建议"),
        "replace": Text("替换为", strip=False),
        "safe": YesNo("是否可自动修改"),
        "stops_render": YesNo("生成时是否报错并停止"),
        "cleans": YesNo("其他规则是否读改正后的文字"),
        "severity": Choice(
            "级别", choices=SEVERITIES, aliases={v: k for k, v in SEVERITIES.items()}
        ),
        "source": Text("依据", required=True),
        "since": Date("起始日期"),
        "until": Date("截止日期"),
        "allow": ListOf(Text(strip=False), "允许的写法"),
        "examples": Mapping(
            "示例",
            {
                "bad": ListOf(Text(strip=False), "应提示的例句"),
                "good": ListOf(Text(strip=False), "不应提示的例句"),
                "date": Date("例句的讲话日期"),
            },
            where="examples 中",
            noun="字段",
            example="bad: …、good: …",
        ),
        "disabled": YesNo("停用"),
    },
    where="规则中",
    noun="字段",
)
RULE_FILE_OPTIONS = Mapping(
    "规则文件",
    {"family": Text("规则类别"), "rules": Anything("规则列表")},
    where="规则文件顶层",
)


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
    stops_render: bool = False  # render refuses the form (a placeholder), not just warns
    cleans: bool = False  # the rules after it read the text with its fixes made
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
    # os.path, unlike Path's methods, answers False for a name too long for the system.
    if os.path.isdir(path):
        found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not found:
            raise RuleError(f"规则文件夹中没有 .yaml 文件：{shortened(path)}", path=path)
        return found
    if not os.path.isfile(path):
        raise RuleError(f"找不到规则文件：{shortened(path)}", path=path)
    return [path]


def read_rule_file(path: Path, *, checked: bool = True) -> tuple[list[Rule], list[str]]:
    """Read one rule file: its rules and the ids it disables; RuleError lists every problem.

    `checked` compiles every pattern now, so an office's rule file reports a bad regular
    expression at its line; the built-in rules (tested) compile only when a text needs them.
    """
    loaded = parse_located(read_text(path, RULE_FILE), str(path), RULE_FILE)
    reader = _RuleReader(loaded, checked)
    rules, disabled = reader.read()
    problems = reader.reading.all_problems()
    if problems:
        raise RuleError(diagnostics=problems)
    return rules, disabled


def _rule_field_name(path: Path_, label: str) -> str:
    """A rule field as messages name it: since（起始日期）."""
    key = next((step for step in reversed(path) if isinstance(step, str)), "")
    return f"{key}（{label}）" if label else key


class _RuleReader:
    """Turn a parsed rule file into Rules, collecting every problem with its position."""

    def __init__(self, loaded: LocatedYaml, checked: bool = True) -> None:
        self.loaded = loaded
        self.checked = checked
        self.reading = Reading(loaded, _rule_field_name)

    def fail(self, path: Path_, message: str, *, at_key: bool = False) -> None:
        self.reading.fail(path, message, at_key=at_key)

    def read(self) -> tuple[list[Rule], list[str]]:
        top = RULE_FILE_OPTIONS.read(self.loaded.data, (), self.reading) or {}
        entries = self.loaded.data.get("rules")
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
                self.fail(
                    (*path, "id"),
                    f"规则编号 {shortened(rule_id)} 重复（第 {seen[rule_id]} 行已用过）",
                )
                continue
            if isinstance(rule_id, str):
                seen[rule_id] = self.loaded.where((*path, "id"))[0]
            off = RULE_OPTIONS.options["disabled"].read(
                entry.get("disabled"), (*path, "disabled"), self.reading
            )
            if off:
                if isinstance(rule_id, str):
                    disabled.append(rule_id)
                continue
            rule = self.rule(entry, path, top.get("family", ""))
            if rule is not None:
                rules.append(rule)
        return rules, disabled

    def rule(self, entry: dict[str, Any], path: Path_, family: str) -> Rule | None:
        before = len(self.reading.problems)
        values = RULE_OPTIONS.read(entry, path, self.reading) or {}
        rule_id = values.get("id")
        if rule_id and not _ID.match(rule_id):
            self.fail(
                (*path, "id"), f"规则编号 {shortened(rule_id)} 只能用小写英文字母、数字、点和连字符"
            )
        regex = values.get("regex", False)
        pattern = self.pattern(values.get("pattern"), path, regex)
        check = self.check(values.get("check"), path)
        if ("pattern" in entry) == ("check" in entry):
            self.fail(path, "规则需要 pattern（匹配文字）或 check（内置检查），二者只写一个")
        since, until = values.get("since"), values.get("until")
        if since and until and until <= since:
            self.fail((*path, "until"), "截止日期 until 应晚于起始日期 since")
        examples = values.get("examples", {})
        rule = Rule(
            id=rule_id or "",
            message=values.get("message", ""),
            source=values.get("source", ""),
            family=family,
            severity=Severity(values.get("severity", "warning")),
            pattern=pattern,
            check=check,
            suggestion=values.get("suggestion"),
            replace=values.get("replace"),
            regex=regex,
            safe=values.get("safe", False),
            stops_render=values.get("stops_render", False),
            cleans=values.get("cleans", False),
            since=since,
            until=until,
            allow=frozenset(values.get("allow", ())),
            examples=Examples(
                bad=tuple(examples.get("bad", ())),
                good=tuple(examples.get("good", ())),
                date=examples.get("date"),
            ),
            origin=f"{self.loaded.path}:{self.loaded.where(path)[0]}",
        )
        if len(self.reading.problems) > before:
            return None
        if self.checked:
            self.check_texts(rule, path)
            self.check_replacement(rule, path)
        return rule if len(self.reading.problems) == before else None

    def pattern(self, text: str | None, path: Path_, regex: bool) -> LazyPattern | None:
        if text is None:
            return None
        try:
            pattern = LazyPattern(expand_han(text) if regex else re.escape(text))
        except RecursionError:  # its prefilter walks the parsed pattern level by level
            self.fail((*path, "pattern"), "正则表达式的括号嵌套层数太多，无法处理")
            return None
        if self.checked:
            try:
                pattern.compiled  # noqa: B018 - compiling is the check
            except (re.error, RecursionError, OverflowError) as exc:
                self.fail((*path, "pattern"), f"正则表达式有误：{shortened(exc)}")
                return None
            risk = backtracking_risk(pattern.pattern) if regex else None
            if risk:
                self.fail(
                    (*path, "pattern"),
                    f"正则表达式在某些文字上会反复回溯、使检查卡住：{risk}；"
                    "请改写，如去掉嵌套的重复，或让各分支以不同的文字开头",
                )
                return None
        return pattern

    def check(self, name: str | None, path: Path_) -> str | None:
        known = KNOWN_CHECKS
        if name is not None and name not in known:
            self.fail((*path, "check"), f"没有内置检查 {shortened(name)}；可用：{'、'.join(known)}")
            return None
        return name

    def check_texts(self, rule: Rule, path: Path_) -> None:
        """Message and suggestion may name only the fields a finding fills in, plainly."""
        if rule.pattern is not None:
            groups = set(rule.pattern.compiled.groupindex) if rule.regex else set()
            names: set[str] | None = {"match", *groups}
        else:
            names = None  # a built-in check fills in its own fields
        for key in ("message", "suggestion"):
            text = getattr(rule, key)
            if text:
                allowed = (
                    None if names is None else names | ({"fix"} if key == "suggestion" else set())
                )
                problem = field_problem(text, allowed)
                if problem:
                    self.fail((*path, key), f"{key} 中{problem}")

    def check_replacement(self, rule: Rule, path: Path_) -> None:
        """A regex `replace` with a bad escape or a group the pattern lacks fails here, not mid-check."""
        if rule.pattern is None or rule.replace is None or not rule.regex:
            return
        try:  # substituting into no text still parses the replacement against the pattern's groups
            rule.pattern.compiled.sub(rule.replace, "")
        except (re.error, IndexError) as exc:
            self.fail((*path, "replace"), f"替换文字有误：{_replace_problem(exc)}")


def field_problem(text: str, allowed: set[str] | None) -> str | None:
    """Why a rule's message cannot be filled in safely, or None; `allowed` None takes any name."""
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        return "花括号 { } 不成对；要写花括号本身，请写成 {{ 或 }}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        shown = shortened("{" + written + "}")
        if spec or conversion or not name.isidentifier():
            return f"{shown} 写法不对：花括号中只能写栏目名，如 {{match}}，不能带格式、序号或下标"
        if allowed is not None and name not in allowed:
            listed = "、".join(f"{{{n}}}" for n in sorted(allowed))
            return f"没有栏目 {shown}；可用：{listed}"
    return None


def _replace_problem(exc: Exception) -> str:
    """Python's words for a bad replacement, in Chinese."""
    said = str(exc)
    if "invalid group reference" in said or "unknown group name" in said:
        return f"引用了正则表达式中不存在的分组（{shortened(said)}）"
    if "bad escape" in said:
        return f"反斜杠转义无效（{shortened(said)}）；要写反斜杠本身请写成 \\\\"
    return shortened(said)


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
