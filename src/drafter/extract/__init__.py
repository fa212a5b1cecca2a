"""`drafter extract`: read last year's speech into this year's form.

reading (the file, cleaned with the check fixes, as located paragraphs) → a recogniser per
pack (registry) → the form written with `drafter new`'s comments (form_text) → the form
re-rendered and compared with the speech (fidelity), which also chooses the pack.
Nothing here is imported by `drafter render`.
"""

from __future__ import annotations

from .extraction import MIN_SCORE, Extraction, extract_form, extractable_packs

__all__ = ["MIN_SCORE", "Extraction", "extract_form", "extractable_packs"]
