"""A fresh `drafter new` form renders a finished-looking speech: no …… standing for text, no
【请填写…】, no XXX except in the names a writer must put in (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli

PACKS = sorted(p.parent.name for p in (ROOT / "templates").glob("*/template.yaml"))
# The fields that hold a person's name: the only places a sample may leave XXX in.
NAME_KEYS = ("speaker", "who", "name")
LEFT_OVER = re.compile(r"……|【|】|\bX{2,}|X{2,}(?!同志)|某(?:单位|党委|部门)")
_FINDING = re.compile(r":(?P<line>\d+):\d+: (?:错误|警告): \[(?P<rule>placeholder\.[\w-]+)\]")


def fresh_form(tmp_path: Path, pack: str) -> Path:
    form = tmp_path / "f.yaml"
    made = run_cli("new", pack, "-o", form)
    assert made.exit_code == 0, made.stderr
    return form


@pytest.mark.parametrize("pack", PACKS)
def test_fresh_form_renders_without_placeholders_but_names(tmp_path: Path, pack: str) -> None:
    form = fresh_form(tmp_path, pack)
    rendered = run_cli("render", form, "-f", "txt", "-o", tmp_path)
    assert rendered.exit_code == 0, rendered.stderr
    text = (tmp_path / "f.txt").read_text(encoding="utf-8")
    names = re.sub(r"XXX同志|^XXX$", "", text, flags=re.MULTILINE)  # marked names may stay
    assert LEFT_OVER.findall(names) == []


@pytest.mark.parametrize("pack", PACKS)
def test_check_of_a_fresh_form_finds_placeholders_only_in_names(tmp_path: Path, pack: str) -> None:
    form = fresh_form(tmp_path, pack)
    checked = run_cli("check", form)
    lines = form.read_text(encoding="utf-8-sig").splitlines()
    found = [
        (m["rule"], lines[int(m["line"]) - 1].strip())
        for m in _FINDING.finditer(checked.stdout + checked.stderr)
    ]
    assert [f for f in found if not f[1].lstrip("- ").startswith(NAME_KEYS)] == []


def test_samples_fit_the_pack_they_are_for(tmp_path: Path) -> None:
    """A 党建 review meeting is not pre-filled with 述职述廉 (the scaffold once did)."""
    text = fresh_form(tmp_path, "review-commentary").read_text(encoding="utf-8-sig")
    assert "report: 述职\n" in text and "述职述廉" not in text.split("report:")[1].split("\n")[0]
