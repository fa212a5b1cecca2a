"""The project's own rules for how code reads: ruff finds nothing, and the formatter agrees."""

import shutil
import subprocess

import pytest

from .conftest import ROOT

ruff = shutil.which("ruff")


@pytest.mark.skipif(ruff is None, reason="ruff is not installed")
@pytest.mark.parametrize("check", [["check"], ["format", "--check"]])
def test_ruff_is_clean(check: list[str]) -> None:
    result = subprocess.run(
        [str(ruff), *check, "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
