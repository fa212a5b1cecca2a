"""Run the rules over a source: text rules over its pieces, document checks over its structure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..cn.dates import cn_date
from ..config.located_yaml import LocatedYaml, load_located
from ..errors import Diagnostic
from ..model import Block, Byline, Document, Heading, Paragraph, Run, Salutation, Thanks, Title
from ..readers.located import Edit, splice_located
from ..readers.paragraphs import LINE_BREAK, block_text
from .checks import DOCUMENT_CHECKS, TEXT_CHECKS
from .findings import Finding
from .form_source import form_source
from .hits import Hit
from .rules import Rule, RuleSet, builtin_rules
from .sources import Piece, Source, text_source
from .text_rules import NUMBERED_CHECKS


def lint(source: Source, rules: RuleSet, day: dt.date) -> list[Finding]:
    """Every finding of the rules that apply to a speech given on `day`, in file order.

    Rules marked `cleans` (invisible characters, traditional characters, pinyin) run first,
    in file order, each on the text the ones before it cleaned; every other rule reads the
    text as it reads after all of them, each character still at its offset in the file. So
    三個自信 or 十(shí)九(jiǔ)大精神 is found before --fix, where the writer typed it.
    """
    active = rules.active(day)
    cleaning = [rule for rule in active if rule.cleans and not rule.on_document]
    findings: list[Finding] = []
    pieces = source.pieces
    for rule in cleaning:
        cleaned: list[Piece] = []
        for piece in pieces:
            hits = list(find_hits(rule, piece.text))
            findings.extend(_finding(source, rule, piece, hit) for hit in hits)
            cleaned.append(cleaned_piece(piece, hits))
        pieces = cleaned
    document = cleaned_document(source.document, cleaning)
    # One look at all the text first: most rules need something no piece has.
    everything = "\n".join(piece.text for piece in pieces)
    for rule in active:
        if rule.cleans and not rule.on_document:
            continue
        if rule.on_document:
            if document is not None:
                findings.extend(_document_findings(source, rule, day, document))
            continue
        if rule.pattern is not None and not rule.pattern.may_match(everything):
            continue
        chosen = pieces
        if rule.check in NUMBERED_CHECKS:
            chosen = [piece for piece in pieces if piece.key in source.numbered]
        for piece in chosen:
            findings.extend(
                _finding(source, rule, piece, hit) for hit in find_hits(rule, piece.text)
            )
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.rule.id))


def _edits(hits: list[Hit], text: str) -> list[Edit]:
    """The hits that have a fix, as non-overlapping edits of `text` (the first of any overlap)."""
    edits: list[Edit] = []
    end = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.replacement is not None and hit.start >= end and hit.end > hit.start:
            edits.append(Edit(hit.start, hit.end, text[hit.start : hit.end], hit.replacement))
            end = hit.end
    return edits


def cleaned_piece(piece: Piece, hits: list[Hit]) -> Piece:
    """The piece with the hits' fixes made, each kept character still at its file offset.

    A fix whose span had a cleaned character inside is not verbatim in the file, so
    `Source.edit` declines it: the finding is reported, the file is left as is.
    """
    edits = _edits(hits, piece.text)
    if not edits or len(piece.offsets) != len(piece.text):
        return piece
    text, offsets = splice_located(piece.text, piece.offsets, edits)
    return replace(piece, text=text, offsets=offsets)


@dataclass(frozen=True)
class CleanedDocument:
    """A Document with its blocks' text cleaned, and where each character was in the original."""

    document: Document
    origins: dict[int, tuple[int, ...]]  # block → index in the original text, for changed blocks

    def original_span(self, block: int, start: int, end: int) -> tuple[int, int]:
        origins = self.origins.get(block)
        if origins is None or not origins:
            return start, end
        last = min(max(end - 1, start), len(origins) - 1)
        return origins[min(start, len(origins) - 1)], origins[last] + 1


def cleaned_document(document: Document | None, cleaning: list[Rule]) -> CleanedDocument | None:
    """The document as the structure checks read it: each block cleaned like the pieces."""
    if document is None:
        return None
    blocks = list(document.blocks)
    origins: dict[int, tuple[int, ...]] = {}
    for index, block in enumerate(document.blocks):
        text = block_text(block)
        places: Sequence[int] = range(len(text))
        for rule in cleaning:
            edits = _edits(list(find_hits(rule, text)), text)
            if edits:
                text, places = splice_located(text, places, edits)
        if isinstance(places, tuple):
            blocks[index] = with_text(block, text)
            origins[index] = places
    if not origins:
        return CleanedDocument(document, {})
    return CleanedDocument(replace(document, blocks=tuple(blocks)), origins)


def find_hits(rule: Rule, text: str) -> Iterator[Hit]:
    """Every place `rule` objects to in `text`."""
    if rule.check is not None:
        yield from TEXT_CHECKS[rule.check](text)
        return
    assert rule.pattern is not None
    for match in rule.pattern.finditer(text):
        found = match.group(0)
        if not found or found in rule.allow:
            continue
        replacement = None
        if rule.replace is not None:
            replacement = match.expand(rule.replace) if rule.regex else rule.replace
        params = {key: value for key, value in match.groupdict().items() if value is not None}
        yield Hit(match.start(), match.end(), {"match": found, **params}, replacement)


def speech_date(source: Source, override: dt.date | None = None) -> dt.date:
    """The date rules are judged on: --date, else the date written in the file, else today."""
    return override or source.date or dt.date.today()


def check_draft(
    form: LocatedYaml | str | Path,
    document: Document,
    date: dt.date | None = None,
    rules: RuleSet | None = None,
    *,
    condensed: bool = False,
) -> list[Diagnostic]:
    """Check a drafted speech, located in its form; for `render` to print as warnings.

    `date` overrides the form's own date; `rules` defaults to the built-in rules, read once
    per process. `condensed` keeps the first finding of each rule and says how many there
    are, so a render stays readable; `drafter check` lists them all. Raises FormError only
    if the form cannot be read at all.
    """
    return as_diagnostics(draft_findings(form, document, date, rules), condensed=condensed)


def draft_findings(
    form: LocatedYaml | str | Path,
    document: Document,
    date: dt.date | None = None,
    rules: RuleSet | None = None,
) -> list[Finding]:
    """The findings of a drafted speech, located in its form (see `check_draft`)."""
    loaded = form if isinstance(form, LocatedYaml) else load_located(form)
    source = form_source(loaded, document)
    return lint(source, rules or builtin_rules(), speech_date(source, date))


def as_diagnostics(findings: list[Finding], *, condensed: bool = False) -> list[Diagnostic]:
    """Findings as diagnostics; `condensed` keeps each rule's first and counts the rest."""
    if not condensed:
        return [finding.diagnostic() for finding in findings]
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule.id, []).append(finding)
    return [_first_of(group) for group in by_rule.values()]


def _first_of(group: list[Finding]) -> Diagnostic:
    """The first finding of a rule, saying how many more `drafter check` would list."""
    first = group[0].diagnostic()
    if len(group) == 1:
        return first
    more = f"（同类问题共 {len(group)} 处，运行 drafter check 可逐一列出）"
    return replace(first, message=first.message + more)


def lint_text(
    text: str, day: dt.date, rules: RuleSet | None = None, path: str = "<文字>"
) -> list[Finding]:
    """Check a speech given as plain text (one paragraph per line)."""
    return lint(text_source(text, path), rules or builtin_rules(), day)


def _finding(source: Source, rule: Rule, piece: Piece, hit: Hit, at: int | None = None) -> Finding:
    start = hit.start if at is None else at
    line, column = source.locate(piece, start)
    edit = None
    if hit.replacement is not None and at is None:
        edit = source.edit(piece, hit.start, hit.end, hit.replacement)
    return Finding(rule, message(rule, hit), suggestion(rule, hit), source.path, line, column, edit)


def with_text(block: Block, text: str) -> Block:
    """The same kind of block holding `text` (runs merged: the checks read only the text)."""
    if isinstance(block, Byline):
        return Byline(tuple(text.split(LINE_BREAK)))
    if isinstance(block, Heading):
        return Heading(block.level, text)
    if isinstance(block, Paragraph | Thanks):
        return type(block)((Run(text),))
    assert isinstance(block, Title | Salutation)
    return type(block)(text)


def _document_findings(
    source: Source, rule: Rule, day: dt.date, cleaned: CleanedDocument
) -> list[Finding]:
    found: list[Finding] = []
    assert rule.check is not None
    for hit in DOCUMENT_CHECKS[rule.check](cleaned.document, day):
        block = hit.block or 0
        start, end = cleaned.original_span(block, hit.start, hit.end)
        located = source.block_piece(block, start, end)
        if located is None:  # text the template wrote, not the writer: name the file only
            found.append(Finding(rule, message(rule, hit), suggestion(rule, hit), source.path))
        else:
            piece, at = located
            found.append(_finding(source, rule, piece, hit, at))
    return found


def message(rule: Rule, hit: Hit) -> str:
    """The rule's message with the hit's details; a dated rule says from when it applies."""
    text = _fill(rule.message, hit.params)
    return f"{text}（自{cn_date(rule.since)}起）" if rule.since else text


def suggestion(rule: Rule, hit: Hit) -> str | None:
    if rule.suggestion:
        return _fill(rule.suggestion, {**hit.params, "fix": hit.replacement or ""})
    return hit.replacement or None


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict[str, str]) -> str:
    """Put a hit's details ({match}, {fixed}, …) into a rule's text; unknown names stay as written."""
    try:
        return template.format_map(_Params(params))
    except (ValueError, IndexError, AttributeError):
        return template
