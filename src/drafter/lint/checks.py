"""The built-in checks a rule file names with `check:`, by name."""

from __future__ import annotations

from .structure import DOCUMENT_CHECKS
from .text_rules import TEXT_CHECKS

KNOWN_CHECKS = (*TEXT_CHECKS, *DOCUMENT_CHECKS)

__all__ = ["DOCUMENT_CHECKS", "KNOWN_CHECKS", "TEXT_CHECKS"]
