"""Where the built-in template packs, example forms and presets live."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/drafter (this file is in infra/)


@cache
def builtin_dir(name: str) -> Path:
    """A built-in data folder: inside the installed package, or at the top of a source checkout.

    Wheels carry `templates/` and `configs/` inside the package (see pyproject's
    force-include); an editable install or a plain checkout reads them from the repository.
    """
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parents[1] / name
