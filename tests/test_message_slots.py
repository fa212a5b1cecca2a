"""No message drafter prints carries an unfilled format slot such as {1} or {match}."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from drafter.lint import lint_text
from drafter.lint.rules import builtin_rules

from .conftest import ROOT, run_cli

SLOT = re.compile(r"\{\d*\}|\{[a-z_]+\}")
FIXTURES = ROOT / "tests" / "fixtures"
BAD_FORMS = [
    *sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix != ".tsv"),
    FIXTURES / "bad" / "missing.yaml",  # does not exist
]
SPEECHES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md", ".docx"))
EXAMPLES = sorted(
    {text for rule in builtin_rules().rules for text in (*rule.examples.bad, *rule.examples.good)}
)


def test_every_rule_example_gives_messages_without_a_slot() -> None:
    for text in EXAMPLES:
        for finding in lint_text(text, dt.date(2026, 11, 28)):
            said = finding.text()
            assert not SLOT.search(said), (text, said)


def test_half_width_parentheses_suggest_the_full_width_text(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text("同志们：\n参与人数(含党员干部)达300余人次。\n", encoding="utf-8")
    said = run_cli("check", speech).stdout
    assert "；建议改为“（含党员干部）”" in said, said


@pytest.mark.parametrize("form", BAD_FORMS, ids=lambda p: p.name)
def test_a_broken_form_is_reported_without_a_slot(tmp_path: Path, form: Path) -> None:
    for args in (("render", form, "-o", tmp_path / "out"), ("check", form)):
        result = run_cli(*args)
        assert result.exit_code != 0
        said = result.stdout + result.stderr
        assert not SLOT.search(said), said


@pytest.mark.parametrize("speech", SPEECHES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_checking_a_fixture_speech_says_nothing_with_a_slot(speech: Path) -> None:
    result = run_cli("check", speech)
    said = result.stdout + result.stderr
    assert not SLOT.search(said), said
