"""`drafter check FORM`: the command drafts the form and hands the linter its Document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from drafter.commands.check import read_checked
from drafter.model import Heading
from drafter.readers import SourceKind

from .conftest import EXAMPLE, run_cli

FormMaker = Callable[..., Path]


def test_a_form_is_checked_with_the_document_it_drafts() -> None:
    source = read_checked(EXAMPLE)
    assert source.kind is SourceKind.FORM and source.problems == []
    assert source.document is not None
    headings = [b.text for b in source.document.blocks if isinstance(b, Heading)]
    assert headings[0].startswith("一、")


def test_a_form_that_cannot_be_drafted_is_reported_and_its_text_still_checked(
    make_form: FormMaker,
) -> None:
    def broken(data: dict[str, Any]) -> None:
        del data["meeting"]["name"]  # required: the form loads but does not draft
        data["meeting"]["reporters"] = "各位黨組織書记"

    form = make_form(broken)
    source = read_checked(form)
    assert source.document is None
    assert any("会议名称（name）" in p.message and p.line for p in source.problems)
    result = run_cli("check", form)
    assert result.exit_code == 2
    assert f"{form}:" in result.stderr and "错误" in result.stderr
    assert "[script.traditional]" in result.stdout


def test_a_speech_file_is_read_by_its_reader_not_drafted(tmp_path: Path) -> None:
    speech = tmp_path / "speech.md"
    speech.write_text("# 讲话\n\n## 一、抓责任\n\n一是学习。三是落实。\n", encoding="utf-8")
    source = read_checked(speech)
    assert source.kind is SourceKind.MARKDOWN
    result = run_cli("check", speech)
    assert f"{speech}:5:6: 错误: [structure.numbering]" in result.stdout
