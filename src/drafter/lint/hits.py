"""What a check finds inside one text, before it is located in a file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Hit:
    """A stretch of one text a rule objects to; `replacement` is the fix, if the rule has one."""

    start: int
    end: int
    params: dict[str, str] = field(default_factory=dict)
    replacement: str | None = None
    block: int | None = None  # for document checks: the block of the Document the offsets are in
