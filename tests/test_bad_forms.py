"""Every broken form in fixtures/bad gets a clear Chinese error at its line, and exit code 2.

fixtures/bad/expected.tsv pairs each file with the line, column and message fragment it must
produce; `-` marks a file-level problem (a folder, a missing file, a Word document).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import run_cli

BAD = Path(__file__).parent / "fixtures" / "bad"


@dataclass(frozen=True)
class BadForm:
    """One row of expected.tsv."""

    name: str
    line: str
    column: str
    fragment: str

    def located(self, message: str, form: Path) -> bool:
        """Whether an error line is this case's: `FILE:LINE:COL: 错误: …fragment…`.

        A file-level error names the file with no line, in front or in the message.
        """
        if self.line == "-":
            named = message.startswith(f"{form}: 错误: ") or (
                message.startswith("错误: ") and str(form) in message
            )
        else:
            named = message.startswith(f"{form}:{self.line}:{self.column}: 错误: ")
        return named and self.fragment in message


def bad_forms() -> list[BadForm]:
    rows = (BAD / "expected.tsv").read_text(encoding="utf-8").splitlines()
    return [BadForm(*row.split("\t")) for row in rows if row and not row.startswith("#")]


def test_there_are_at_least_thirty_broken_forms_each_on_disk() -> None:
    cases = bad_forms()
    assert len(cases) >= 30
    listed = {case.name for case in cases}
    assert listed - {path.name for path in BAD.iterdir()} == {"missing.yaml"}


@pytest.mark.parametrize("case", bad_forms(), ids=lambda case: case.name)
def test_broken_form_exits_2_with_a_located_chinese_message(case: BadForm, tmp_path: Path) -> None:
    form = BAD / case.name
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert any(case.located(line, form) for line in errors), result.stderr
    assert not (tmp_path / "out").exists()
