"""The Python API renders in memory exactly what the command line writes, and leaves no trace."""

from __future__ import annotations

import gc
import io
import zipfile
from pathlib import Path

import pytest

from drafter.api import render_form
from drafter.errors import DrafterError, FormError
from drafter.pipeline import draft_speech
from drafter.presets import load_preset
from drafter.writers import get_writer

from .conftest import EXAMPLE, write_variant


def test_docx_bytes_are_a_package_holding_the_speech() -> None:
    package = zipfile.ZipFile(io.BytesIO(render_form(EXAMPLE)))
    document = package.read("word/document.xml").decode("utf-8")
    assert "工作述职评议会议上的点评讲话" in document
    assert "一是党建责任落实到位。" in document
    assert package.testzip() is None  # every part inflates and checks out


def test_each_format_matches_its_writer() -> None:
    draft = draft_speech(EXAMPLE)
    for fmt in ("txt", "md", "html"):
        assert render_form(EXAMPLE, fmt) == get_writer(fmt)(draft.document, load_preset("gbt9704"))


def test_style_and_template_can_be_chosen() -> None:
    windows = render_form(EXAMPLE, "docx", style="windows")
    assert "仿宋" in zipfile.ZipFile(io.BytesIO(windows)).read("word/document.xml").decode("utf-8")
    assert render_form(EXAMPLE, "txt", template="review-commentary").startswith(
        render_form(EXAMPLE, "txt")[:30]
    )


def test_a_bad_form_raises_a_located_drafter_error(tmp_path: Path) -> None:
    form = tmp_path / "bad.yaml"
    form.write_text("template: review-commentary\nmeeting: [unclosed\n", encoding="utf-8")
    with pytest.raises(FormError) as caught:
        render_form(form)
    assert isinstance(caught.value, DrafterError)
    assert caught.value.diagnostics[0].line is not None


def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path) -> None:
    """Rendering pauses the collector (large forms), and always hands it back unchanged."""
    assert gc.isenabled()
    render_form(EXAMPLE)
    assert gc.isenabled()
    bad = write_variant(EXAMPLE, tmp_path / "bad.yaml", lambda data: data.pop("meeting"))
    with pytest.raises(DrafterError):
        render_form(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        render_form(EXAMPLE)
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
