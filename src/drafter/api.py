"""The Python API: draft a form and lay it out in memory, as the command line does."""

from __future__ import annotations

from pathlib import Path

from .infra.gc_pause import collection_paused
from .pipeline import draft_speech
from .presets import DEFAULT_PRESET, load_preset
from .writers import get_writer


def render_form(
    form: str | Path, fmt: str = "docx", style: str = DEFAULT_PRESET, template: str | None = None
) -> bytes:
    """Return the bytes of `form` rendered as `fmt`; raises DrafterError on bad input."""
    with collection_paused():
        draft = draft_speech(form, template)
        return get_writer(fmt)(draft.document, load_preset(style))
