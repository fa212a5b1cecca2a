"""One line of speech text written under a salutation and checked: what rules tests need."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result

from .conftest import run_cli


def check_line(folder: Path, text: str, name: str = "speech.txt") -> tuple[Path, Result]:
    """Write `同志们：` and `text` as lines 1 and 2 of a speech, and run `drafter check` on it."""
    speech = folder / name
    speech.write_text(f"同志们：\n{text}\n", encoding="utf-8")
    return speech, run_cli("check", speech)
