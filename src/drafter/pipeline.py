"""The pipeline from a form file to the document model: load → validate → render → parse."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config.located_yaml import LocatedYaml, load_located
from .errors import Diagnostic, Severity, UsageError, ValidationError
from .infra.gc_pause import collection_paused
from .markup import parse_markup
from .model import Document, Title
from .packs.fields import validate
from .packs.finder import TemplatePack, find_pack, named_in_form, overriding_warning
from .packs.templating import render_speech
from .writers.linebreak import long_title_message

# The field `drafter extract` keeps unplaced text of an old speech in; templates never print it.
UNPLACED_FIELD = "unplaced"


@dataclass
class Draft:
    """A drafted speech and what the writer should be warned about."""

    document: Document
    pack: TemplatePack
    form: LocatedYaml
    warnings: list[Diagnostic] = field(default_factory=list)


def draft_speech(form_path: str | Path, template: str | None = None) -> Draft:
    """Draft the speech a form describes; `template` overrides the form's own `template:`."""
    with collection_paused():  # loading the form too, as before draft_form was split out
        return draft_form(load_located(form_path), template)


def draft_form(form: LocatedYaml, template: str | None = None) -> Draft:
    """Draft the speech of a form already loaded (`drafter serve` parses unsaved text)."""
    with collection_paused():
        pack = choose_pack(form, template)
        data = validate(form, pack.schema)
        markup = render_speech(pack, data)
        document = parse_markup(markup, str(pack.directory / pack.entry))
    overriding = overriding_warning(pack)
    warnings = [
        *form.warnings,
        *_unplaced_warning(form, data),
        *_long_title(form, document),
        *([overriding] if overriding else []),
    ]
    return Draft(document, pack, form, warnings)


def _long_title(form: LocatedYaml, document: Document) -> list[Diagnostic]:
    """A warning when the title is too long for its lines to be balanced."""
    titles = (block.text for block in document.blocks if isinstance(block, Title))
    message = next(filter(None, map(long_title_message, titles)), None)
    return (
        [replace(form.diagnostic(("title",), message), severity=Severity.WARNING)]
        if message
        else []
    )


def _unplaced_warning(form: LocatedYaml, data: dict[str, Any]) -> list[Diagnostic]:
    """A reminder that text taken from an old speech still waits to be put in its place."""
    unplaced = data.get(UNPLACED_FIELD)
    if not unplaced:
        return []
    message = (
        f"{UNPLACED_FIELD}（未归位的原文）中还有 {len(unplaced)} 段从旧讲话稿提取的文字，"
        "它们不会印进讲话稿；请移到应放的字段中或删除"
    )
    return [
        replace(form.diagnostic((UNPLACED_FIELD,), message, at_key=True), severity=Severity.WARNING)
    ]


def choose_pack(form: LocatedYaml, override: str | None) -> TemplatePack:
    """The pack named on the command line, else the one the form names."""
    if override is not None:  # --template "" is a mistake, not "use the form's template"
        return find_pack(override)
    name = form.data.get("template")
    if not isinstance(name, str) or not name.strip():
        problem = form.diagnostic(
            ("template",),
            "表单没有写明模板：请在第一行写 template: review-commentary（或其他模板编号）",
        )
        raise ValidationError(diagnostics=[*form.problems, problem])
    try:
        folder = Path(form.path).parent
        return find_pack(named_in_form(name.strip(), folder), near=folder)
    except UsageError as exc:
        located = form.diagnostic(("template",), exc.diagnostics[0].message)
        raise ValidationError(diagnostics=[*form.problems, located]) from None
