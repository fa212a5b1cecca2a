"""What a check finds, located in a file; `Hit` and `Edit` are re-exported for the checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, Severity
from ..readers.located import Edit
from .hits import Hit

if TYPE_CHECKING:
    from .rules import Rule

__all__ = ["Edit", "Finding", "Hit"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file, located where the writer can fix it."""

    rule: Rule
    message: str
    suggestion: str | None
    path: str
    line: int | None = None
    column: int | None = None
    edit: Edit | None = None

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def fixable(self, fix_all: bool = False) -> bool:
        """Whether --fix (safe rules only) or --fix-all may apply this finding's edit."""
        return self.edit is not None and (self.rule.safe or fix_all)

    def text(self) -> str:
        """`[rule-id] message；建议改为“…”`, the part after `FILE:LINE:COL: 警告: `."""
        advice = f"；建议改为“{self.suggestion}”" if self.suggestion else ""
        return f"[{self.rule.id}] {self.message}{advice}"

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.text(), self.path, self.line, self.column, self.severity)

    def as_json(self) -> dict[str, Any]:
        """The diagnostic's JSON (without the rule id in the message) and the rule's details."""
        located = Diagnostic(self.message, self.path, self.line, self.column, self.severity)
        return {
            **located.as_json(),
            "rule": self.rule.id,
            "family": self.rule.family,
            "suggestion": self.suggestion,
            "since": _iso(self.rule.since),
            "until": _iso(self.rule.until),
            "source": self.rule.source,
            "fix": None if self.edit is None else self.edit.replacement,
            "safe_fix": self.edit is not None and self.rule.safe,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
