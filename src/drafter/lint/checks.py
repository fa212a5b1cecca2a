"""The built-in checks a rule file names with `check:`, by name."""

from __future__ import annotations

from .length import long_paragraphs
from .structure import STRUCTURE_CHECKS
from .text_rules import TEXT_CHECKS

DOCUMENT_CHECKS = {**STRUCTURE_CHECKS, "long-paragraph": long_paragraphs}
KNOWN_CHECKS = (*TEXT_CHECKS, *DOCUMENT_CHECKS)

__all__ = ["DOCUMENT_CHECKS", "KNOWN_CHECKS", "TEXT_CHECKS"]
