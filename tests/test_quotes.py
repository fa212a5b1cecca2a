"""Straight ASCII quotes in Chinese text are flagged, and --fix pairs them as “ ” by position."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import run_cli

FormMaker = Callable[..., Path]
QUOTED = '深入开展"三会一课"和"主题党日"活动。'
PAIRED = "深入开展“三会一课”和“主题党日”活动。"


@pytest.mark.parametrize(("suffix", "lead"), [(".txt", "同志们：\n"), (".md", "同志们：\n\n")])
def test_each_quote_is_flagged_at_its_column_and_fixed_as_a_pair(
    tmp_path: Path, suffix: str, lead: str
) -> None:
    speech = tmp_path / f"speech{suffix}"
    speech.write_text(f"{lead}{QUOTED}\n", encoding="utf-8")
    line = lead.count("\n") + 1
    found = run_cli("check", speech).stdout
    for column, side in ((5, "前引号 “"), (10, "后引号 ”"), (12, "前引号 “"), (17, "后引号 ”")):
        assert f"{speech}:{line}:{column}: 警告: [punct.straight-quotes] " in found, found
        assert side in found
    run_cli("check", speech, "--fix")
    assert speech.read_text(encoding="utf-8") == f"{lead}{PAIRED}\n"


def test_a_quote_left_over_is_flagged_without_a_fix(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text('他说："我们一定做到。\n', encoding="utf-8")
    found = run_cli("check", speech).stdout
    assert f"{speech}:1:4: 警告: [punct.straight-quotes] " in found
    run_cli("check", speech, "--fix")
    assert '"' in speech.read_text(encoding="utf-8")


def test_quotes_around_latin_text_are_left_alone(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text('Run "drafter check" first.\n', encoding="utf-8")
    assert "straight-quotes" not in run_cli("check", speech).stdout


def quoted_detail(data: dict[str, Any]) -> None:
    data["achievements"][0]["detail"] = QUOTED


def test_fix_pairs_quotes_in_a_form_value_and_keeps_the_form(make_form: FormMaker) -> None:
    form = make_form(quoted_detail)
    before = form.read_text(encoding="utf-8")
    assert QUOTED in before  # a plain scalar: the quotes are the writer's, not YAML's
    run_cli("check", form, "--fix")
    after = form.read_text(encoding="utf-8")
    assert after == before.replace(QUOTED, PAIRED)
    assert yaml.safe_load(after)["achievements"][0]["detail"] == PAIRED


def test_fix_pairs_quotes_inside_a_docx(tmp_path: Path, make_form: FormMaker) -> None:
    import docx

    form = make_form(quoted_detail, name="quoted.yaml")
    rendered = run_cli("render", form, "-f", "docx", "-o", tmp_path / "out")
    assert rendered.exit_code == 0, rendered.stderr
    speech = tmp_path / "out" / "quoted.docx"
    found = run_cli("check", speech).stdout
    assert found.count("[punct.straight-quotes]") == 4
    run_cli("check", speech, "--fix")
    texts = [p.text for p in docx.Document(str(speech)).paragraphs]
    assert any(PAIRED in text for text in texts)
    assert not any('"' in text for text in texts)
