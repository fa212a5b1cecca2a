"""`drafter check`: the linter that catches what would embarrass a speech before the meeting.

Rules are data (configs/rules/*.yaml); text rules read located pieces of a file, structure
checks walk the document model. The linter receives documents and never drafts one:
`render` hands `check_draft` the draft it made, `drafter check` drafts a form itself, and
speech files arrive through the readers (drafter.readers).
"""

from __future__ import annotations

from .linter import as_diagnostics, check_draft, draft_findings, lint, lint_text, speech_date

__all__ = [
    "as_diagnostics",
    "check_draft",
    "draft_findings",
    "lint",
    "lint_text",
    "speech_date",
]
