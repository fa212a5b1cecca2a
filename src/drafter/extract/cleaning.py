"""Clean a scraped speech with the fixes `drafter check --fix` applies, listing each one.

The fixes are the check rules marked safe (traditional characters, pinyin annotations,
half-width punctuation between Chinese characters, …). They are applied to the text in
memory, never to the speech file, and every cleaned character keeps the offset it had in
the file, so fixes and later findings are reported where the writer sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..lint import lint, speech_date
from ..lint.findings import Finding
from ..lint.fixes import choose
from ..lint.rules import builtin_rules
from ..lint.sources import Source, text_source
from ..readers.located import SourceKind, splice_located

MAX_PASSES = 3  # as drafter check: a fix can uncover another; stop after a few rounds


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text of a file, the file offset of each character, and the fixes made."""

    text: str
    origins: tuple[int, ...]
    fixes: tuple[Finding, ...]


def clean(source: Source) -> Cleaned:
    """Apply every safe check fix to `source`'s text, in memory."""
    rules = builtin_rules()
    day = speech_date(source)
    text, origins = source.text, tuple(range(len(source.text)))
    fixes: list[Finding] = []
    current = source
    for _ in range(MAX_PASSES):
        chosen = choose(lint(current, rules, day), fix_all=False)
        if not chosen:
            break
        edits = [finding.edit for finding in chosen if finding.edit is not None]
        fixes.extend(_located_in(source, finding, origins) for finding in chosen)
        text, origins = splice_located(text, origins, edits)
        current = text_source(text, source.path, reread_kind(source))
    return Cleaned(text, origins, tuple(fixes))


def reread_kind(source: Source) -> SourceKind:
    """How cleaned text is read again: a .docx's text has one paragraph per line."""
    return SourceKind.MARKDOWN if source.kind is SourceKind.MARKDOWN else SourceKind.TEXT


def _located_in(source: Source, finding: Finding, origins: tuple[int, ...]) -> Finding:
    """A fix found in cleaned text, located where its characters sit in the file."""
    assert finding.edit is not None
    line, column = source.position(origins[finding.edit.start])
    return replace(finding, path=source.path, line=line, column=column)
