"""What a recogniser hands back: the form's values, and everything it was unsure of or left over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config.located_yaml import Path_
from ..packs.scaffold import placeholder
from .reading import Speech
from .spans import Span


@dataclass(frozen=True)
class Leftover:
    """Speech text no field holds, and why: it goes to the form's `unplaced` list."""

    span: Span
    reason: str


@dataclass
class Recognition:
    """A speech read as one pack's form.

    `data` holds the form's values as text (lists and mappings as the manifest declares
    them); `notes` are comments for fields the writer should check; `found` and `missing`
    say in Chinese which parts of the pack's structure the speech has.
    """

    data: dict[str, Any] = field(default_factory=dict)
    notes: dict[Path_, list[str]] = field(default_factory=dict)
    leftovers: list[Leftover] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def note(self, path: Path_, message: str) -> None:
        """Ask the writer to check the field at `path`."""
        self.notes.setdefault(path, []).append(message)

    def part(self, name: str, present: bool) -> None:
        """Record a part of the pack's structure as found in the speech, or as missing."""
        (self.found if present else self.missing).append(name)

    @property
    def coverage(self) -> float:
        """The share of the pack's parts the speech has (0 when nothing was looked for)."""
        looked_for = len(self.found) + len(self.missing)
        return len(self.found) / looked_for if looked_for else 0.0

    def leave(self, span: Span, reason: str) -> None:
        """Keep text no field holds, so the writer can move it or delete it."""
        if span.strip():
            self.leftovers.append(Leftover(span.strip(), reason))


Recogniser = Callable[[Speech], Recognition]

__all__ = ["Leftover", "Recogniser", "Recognition", "placeholder"]
