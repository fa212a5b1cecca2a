"""`drafter check`: the linter that catches what would embarrass a speech before the meeting.

Rules are data (configs/rules/*.yaml); text rules read located pieces of a file, structure
checks walk the document model. `check_draft` is the entry point for `render`.
"""

from __future__ import annotations

from .linter import check_draft, lint, lint_text, speech_date

__all__ = ["check_draft", "lint", "lint_text", "speech_date"]
