"""Every rule in configs/rules/ is tested from its own examples: bad text is flagged, good is not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from drafter.errors import RuleError
from drafter.lint import lint, lint_text
from drafter.lint.fixes import splice
from drafter.lint.rules import Rule, builtin_rules, load_rules, rules_dir
from drafter.lint.sources import text_source
from drafter.lint.text_rules import NUMBERED_CHECKS

RULES = builtin_rules().rules
BAD = [
    pytest.param(r, text, id=f"{r.id}-bad{i}")
    for r in RULES
    for i, text in enumerate(r.examples.bad)
]
GOOD = [
    pytest.param(r, text, id=f"{r.id}-good{i}")
    for r in RULES
    for i, text in enumerate(r.examples.good)
]
DATED = [pytest.param(r, id=r.id) for r in RULES if r.since or r.until]
FIXABLE = [pytest.param(r, id=r.id) for r in RULES if r.replace is not None]


def example_date(rule: Rule) -> dt.date:
    """A date the rule applies on: its examples' date, else its first or last day."""
    if rule.examples.date:
        return rule.examples.date
    if rule.since:
        return rule.since
    if rule.until:
        return rule.until - dt.timedelta(days=1)
    return dt.date(2026, 11, 28)


def ids_found(text: str, day: dt.date) -> list[str]:
    return [finding.rule.id for finding in lint_text(text, day)]


def example_ids(rule: Rule, text: str, day: dt.date) -> list[str]:
    """What is found in a rule's example; a form-only check reads it as a numbered value."""
    if rule.check not in NUMBERED_CHECKS:
        return ids_found(text, day)
    source = replace(text_source(text, "<示例>"), numbered=frozenset({()}))
    return [finding.rule.id for finding in lint(source, builtin_rules(), day)]


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.id) for r in RULES])
def test_rule_has_a_source_and_examples_both_ways(rule: Rule) -> None:
    assert rule.source
    assert rule.examples.bad and rule.examples.good


@pytest.mark.parametrize(("rule", "text"), BAD)
def test_rule_flags_its_bad_example(rule: Rule, text: str) -> None:
    assert rule.id in example_ids(rule, text, example_date(rule))


@pytest.mark.parametrize(("rule", "text"), GOOD)
def test_rule_leaves_its_good_example_alone(rule: Rule, text: str) -> None:
    assert rule.id not in example_ids(rule, text, example_date(rule))


@pytest.mark.parametrize("rule", DATED)
def test_dated_rule_is_silent_for_speeches_outside_its_dates(rule: Rule) -> None:
    outside = rule.since - dt.timedelta(days=1) if rule.since else rule.until
    assert outside is not None
    for text in rule.examples.bad:
        assert rule.id not in ids_found(text, outside)


@pytest.mark.parametrize("rule", FIXABLE)
def test_rule_fix_turns_the_bad_example_good(rule: Rule) -> None:
    day = example_date(rule)
    for text in rule.examples.bad:
        source = text_source(text, "<示例>")
        edits = [f.edit for f in lint_text(text, day) if f.rule.id == rule.id and f.edit]
        assert edits, text
        fixed = splice(source.text, edits)
        assert rule.id not in ids_found(fixed, day), fixed


def test_at_least_fifteen_tifa_rules_are_dated() -> None:
    tifa = [r for r in RULES if r.family == "提法"]
    assert len([r for r in tifa if r.since or r.until]) >= 15


def test_tifa_rules_are_never_safe_fixes() -> None:
    assert not [r.id for r in RULES if r.family == "提法" and r.safe]


def test_rule_ids_are_unique_across_files() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert len(list(rules_dir().glob("*.yaml"))) >= 5


def test_bad_rule_file_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "office.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: office.one\n"
        "    pattern: '(unclosed'\n"
        "    regex: true\n"
        "    message: 坏的正则\n"
        "    source: 本单位\n"
        "  - id: office.two\n"
        "    pattern: 某词\n"
        "    mesage: 拼错的字段\n"
        "    since: 2024-13-01\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_rules([rules])
    where = [(d.line, d.message) for d in caught.value.diagnostics]
    assert any(line == 3 and "正则表达式有误" in m for line, m in where), where
    assert any(line == 9 and "是否想写 message" in m for line, m in where), where
    assert any(line == 10 and "不是有效日期" in m for line, m in where), where
    assert any("缺少 message" in m for _, m in where), where


def test_office_rule_overrides_a_builtin_one_by_id_and_can_disable(tmp_path: Path) -> None:
    rules = tmp_path / "office.yaml"
    rules.write_text(
        "family: 本单位\n"
        "rules:\n"
        "  - id: placeholder.mou\n"
        "    disabled: true\n"
        "  - id: office.name\n"
        "    pattern: 开发区党工委\n"
        "    message: 单位名称已改为“高新区党工委”\n"
        "    suggestion: 高新区党工委\n"
        "    source: 本单位2025年机构改革通知\n",
        encoding="utf-8",
    )
    loaded = load_rules([rules])
    assert loaded.get("placeholder.mou") is None
    found = lint_text("某某同志与开发区党工委要求相比", dt.date(2026, 1, 1), loaded)
    assert [(f.rule.id, f.suggestion) for f in found] == [("office.name", "高新区党工委")]


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        ("党的十九大精神", {"党的十九大精神"}),
        ("某某+", {"某"}),
        (r"(?<=[\u4e00-\u9fff])[ \t]*,[ \t]*|[ \t]*,(?=[\u4e00-\u9fff])", {","}),
        (r"(?:[Xx]{2,}|×{2,})", {"X", "x", "××"}),
        (r"\d+、", {"、"}),
        ("(?:道路|理论|制度|文化)自信、(?:道路|理论|制度|文化)自信", {"自信、"}),
        (r"(?<=[\u4e00-\u9fff])(?:\.{3,6}|。{3,6})|(?<!…)…(?!…)", {"...", "。。。", "…"}),
        ("首先[，,].*?第二|第一[，,]", {"首先，", "首先,", "第一，", "第一,"}),
        (
            r"([，、])(?!\1)[，。、]|。[，、]",
            {"，，", "，。", "，、", "、，", "、。", "、、", "。，", "。、"},
        ),
        (r"[^，]+", None),
        (r"(?i)abc", None),
    ],
)
def test_rule_patterns_know_what_every_match_needs(pattern: str, needles: set[str] | None) -> None:
    from drafter.lint.patterns import required_characters

    found = required_characters(pattern)
    assert (set(found) if found else None) == needles


def test_a_text_without_the_needed_characters_is_not_searched() -> None:
    from drafter.lint.patterns import LazyPattern

    pattern = LazyPattern("党的十九大精神")
    assert list(pattern.finditer("学习贯彻党的二十大精神")) == []
    assert "compiled" not in vars(pattern)
    assert [m.group() for m in pattern.finditer("贯彻党的十九大精神")] == ["党的十九大精神"]
