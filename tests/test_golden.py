"""Every shipped form renders as it did before the foundation refactor (issue 12).

The golden files in tests/golden/ were written by the code as it stood before the move's
first commit. A change that alters them on purpose regenerates them with
`DRAFTER_WRITE_GOLDEN=1 python -m pytest tests/test_golden.py` and says why in its commit.
Timestamps are fixed with SOURCE_DATE_EPOCH, so the .docx parts compare byte for byte.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from drafter.api import render_form

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
FORMS = sorted((ROOT / "configs").glob("*.yaml"))
WRITE = bool(os.environ.get("DRAFTER_WRITE_GOLDEN"))


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}


@pytest.mark.parametrize("form", FORMS, ids=[f.stem for f in FORMS])
def test_text_output_is_byte_identical(form: Path) -> None:
    golden = GOLDEN / f"{form.stem}.txt"
    produced = render_form(form, "txt")
    if WRITE:
        golden.write_bytes(produced)
    assert produced == golden.read_bytes()


@pytest.mark.parametrize("form", FORMS, ids=[f.stem for f in FORMS])
def test_docx_parts_are_identical(form: Path) -> None:
    golden = GOLDEN / f"{form.stem}.docx"
    produced = render_form(form, "docx")
    if WRITE:
        golden.write_bytes(produced)
    expected = _parts(golden.read_bytes())
    found = _parts(produced)
    assert sorted(found) == sorted(expected)
    for name, content in expected.items():
        assert found[name] == content, f"{name} differs"
