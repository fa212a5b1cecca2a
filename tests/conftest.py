"""Shared fixtures: forms are built from the shipped example, so a schema change is made once."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from drafter.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "configs" / "review-commentary.example.yaml"
MINIMAL = ROOT / "configs" / "review-commentary.minimal.yaml"
# A copy of ../shared/reference/model-speech.txt, so a bare checkout can run the fidelity test.
REFERENCE = ROOT / "tests" / "fixtures" / "model-speech.txt"
# The model speech as scraped from the web (traditional characters, pinyin, page chrome), and
# further speeches written for `drafter extract`'s tests.
MODEL_ORIGINAL = ROOT / "tests" / "fixtures" / "model-speech.original.txt"
SPEECHES = ROOT / "tests" / "fixtures" / "speeches"


CONFIGS = ROOT / "configs"


def write_variant(
    example: Path, target: Path, edit: Callable[[dict[str, Any]], None] | None = None
) -> Path:
    """Write a copy of any shipped example form to `target`, changed by `edit(data)`."""
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def example_data() -> dict[str, Any]:
    """The example form as plain data."""
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def make_form(tmp_path: Path, example_data: dict[str, Any]) -> Callable[..., Path]:
    """Write a copy of the example form, changed by `edit(data)`, and return its path."""
    counter = iter(range(1_000_000))

    def build(edit: Callable[[dict[str, Any]], None] | None = None, name: str = "") -> Path:
        data = copy.deepcopy(example_data)
        if edit is not None:
            edit(data)
        path = tmp_path / (name or f"form{next(counter)}.yaml")
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return build


def run_cli(*args: str | Path) -> Result:
    """Run drafter in-process, keeping stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args])


def run_drafter(
    *args: str | Path, cwd: Path | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m drafter` as a writer would, in a separate process.

    Its output is read as UTF-8, so it is asked to write UTF-8 whatever the machine's
    locale (Windows would otherwise use the ANSI code page for a pipe).
    """
    return subprocess.run(
        [sys.executable, "-m", "drafter", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
        timeout=timeout,
    )


@pytest.fixture
def render_text(tmp_path: Path) -> Callable[[Path], str]:
    """Render a form to txt and return the text."""

    def render(form: Path) -> str:
        result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
        assert result.exit_code == 0, result.stderr
        return (tmp_path / "out" / f"{form.stem}.txt").read_text(encoding="utf-8")

    return render
