"""Run the rules over a source: text rules over its pieces, document checks over its structure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..cn.dates import cn_date
from ..config.located_yaml import LocatedYaml, load_located
from ..errors import Diagnostic
from ..model import Document
from .checks import DOCUMENT_CHECKS, TEXT_CHECKS
from .findings import Finding
from .form_source import form_source
from .hits import Hit
from .rules import Rule, RuleSet, builtin_rules
from .sources import Piece, Source, text_source
from .text_rules import NUMBERED_CHECKS, RAW_TEXT_CHECKS, without_invisible


def lint(source: Source, rules: RuleSet, day: dt.date) -> list[Finding]:
    """Every finding of the rules that apply to a speech given on `day`, in file order."""
    findings: list[Finding] = []
    visible = [visible_piece(piece) for piece in source.pieces]
    # One look at all the text first: most rules need something no piece has.
    everything = "\n".join(piece.text for piece in visible)
    for rule in rules.active(day):
        if rule.on_document:
            if source.document is not None:
                findings.extend(_document_findings(source, rule, day))
            continue
        if rule.pattern is not None and not rule.pattern.may_match(everything):
            continue
        pieces = source.pieces if rule.check in RAW_TEXT_CHECKS else visible
        if rule.check in NUMBERED_CHECKS:
            pieces = [piece for piece in pieces if piece.key in source.numbered]
        for piece in pieces:
            findings.extend(
                _finding(source, rule, piece, hit) for hit in find_hits(rule, piece.text)
            )
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.rule.id))


def visible_piece(piece: Piece) -> Piece:
    """The piece without invisible characters, each kept character still at its file offset.

    A fix whose span had an invisible character inside is not contiguous in the file any
    more, so `Source.edit` declines it: the finding is reported, the file is left as is.
    """
    stripped = without_invisible(piece.text)
    if stripped is None or len(piece.offsets) != len(piece.text):
        return piece
    text, kept = stripped
    return replace(piece, text=text, offsets=tuple(piece.offsets[index] for index in kept))


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


def _document_findings(source: Source, rule: Rule, day: dt.date) -> list[Finding]:
    found: list[Finding] = []
    assert rule.check is not None and source.document is not None
    for hit in DOCUMENT_CHECKS[rule.check](source.document, day):
        located = source.block_piece(hit.block or 0, hit.start, hit.end)
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
