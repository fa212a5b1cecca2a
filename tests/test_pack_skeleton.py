"""Every commentary pack sits on base/commentary.j2 and uses its one set of block names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli

TEMPLATES = ROOT / "templates"
COMMENTARIES = [
    "review-commentary",
    "review-commentary-3part",
    "democratic-life-commentary",
    "org-life-commentary",
]
_BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")


def _blocks(path: Path) -> set[str]:
    return set(_BLOCK.findall(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("pack", COMMENTARIES)
def test_commentary_pack_extends_the_skeleton_and_fills_only_its_blocks(pack: str) -> None:
    source = TEMPLATES / pack / "speech.j2"
    assert '{% extends "base/commentary.j2" %}' in source.read_text(encoding="utf-8")
    skeleton = _blocks(TEMPLATES / "base" / "commentary.j2") | _blocks(
        TEMPLATES / "base" / "speech.j2"
    )
    assert _blocks(source) <= skeleton


def test_review_commentary_numbers_only_the_forms_sections(tmp_path: Path) -> None:
    """Its assessment and problems run on without 一、 (their heading blocks are left empty)."""
    result = run_cli(
        "render", ROOT / "configs" / "review-commentary.example.yaml", "-o", tmp_path, "-f", "md"
    )
    assert result.exit_code == 0, result.stderr
    markdown = (tmp_path / "review-commentary.example.md").read_text(encoding="utf-8")
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert [h[3:5] for h in headings] == ["一、", "二、", "三、"]
    assert headings[0] == "## 一、突出政治统领，充分发挥基层党组织的战斗堡垒作用"
