"""Turn an old speech into a filled form: read, recognise per pack, choose, write, compare."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DrafterError, ExtractError, Severity, UsageError
from ..lint.findings import Finding
from ..model import Title
from ..packs.fields import FieldSpec
from ..packs.finder import TemplatePack, find_pack
from .boilerplate import site_line
from .fidelity import compare, difference_diagnostics, render_form_text
from .form_text import UNPLACED, form_text
from .reading import Speech, read_speech
from .recognition import Recognition
from .registry import extractable, recogniser_for

# A pack fits a speech as well as its re-render matches the speech, discounted by the share
# of the pack's parts the speech lacks: a speech of another kind can share much of a pack's
# wording (一、二、三、, 一是……) and still lack what makes it that kind of speech.
MIN_SCORE = 0.8


@dataclass
class Extraction:
    """The form written for one pack, how close its re-render is, and what to tell the writer."""

    pack: TemplatePack
    text: str
    ratio: float
    recognition: Recognition
    fixes: tuple[Finding, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    choice: Diagnostic | None = None  # which pack was chosen and why

    @property
    def score(self) -> float:
        """How well the pack fits: similarity times the share of its parts found."""
        return self.ratio * self.recognition.coverage

    def summary(self) -> str:
        """相似度 99.5%，找到了全部 9 个部分 — the two figures the score is made of."""
        found, missing = self.recognition.found, self.recognition.missing
        total = len(found) + len(missing)
        parts = (
            f"找到了全部 {total} 个部分"
            if not missing
            else f"找到了 {total} 个部分中的 {len(found)} 个"
        )
        return f"相似度 {self.ratio:.1%}，{parts}"


def extract_form(path: Path, form_name: str, template: str | None = None) -> Extraction:
    """Read the speech at `path` into a form for `template`, or for the pack it fits best.

    Raises ExtractError when no template was named and no pack reproduces the speech
    well enough; SpeechFileError when the speech cannot be read.
    """
    speech = read_speech(path)
    packs = (
        # --template "" is a mistake (find_pack says so), not "try every pack"
        [extractable_pack(template, path.parent)]
        if template is not None
        else extractable_packs(path.parent)
    )
    attempts = _attempts(speech, packs, form_name)
    best = max(attempts, key=_fit)
    if template is None and best.score < MIN_SCORE:
        raise ExtractError(_unmapped(attempts), path=str(path))
    best.choice = _choice(speech, best, attempts, template is not None)
    return best


def _fit(extraction: Extraction) -> tuple[float, float]:
    """Structure first (the share of the pack's parts found), similarity to break a tie: a
    speech reprinted in one pack's closing can be similar to it without having its parts."""
    return round(extraction.recognition.coverage, 2), extraction.ratio


def extractable_packs(near: Path | None = None) -> list[TemplatePack]:
    """Every pack a recogniser exists for (a local copy of a pack overrides the built-in)."""
    return extractable(near)


def extractable_pack(name: str, near: Path | None = None) -> TemplatePack:
    """The pack --template names; a UsageError if extract cannot read speeches into it."""
    pack = find_pack(name, near)
    if recogniser_for(pack) is None:
        supported = "、".join(p.id for p in extractable(near))
        raise UsageError(
            f"模板 {pack.id}（{pack.name}）暂不支持 drafter extract；支持的模板：{supported}"
        )
    return pack


def _attempts(speech: Speech, packs: list[TemplatePack], form_name: str) -> list[Extraction]:
    """The speech read as each pack's form; a pack whose form fails to render is passed over
    (the error is raised only when no pack succeeds, so one pack's flaw never hides another)."""
    attempts: list[Extraction] = []
    failures: list[DrafterError] = []
    for pack in packs:
        try:
            attempts.append(attempt(speech, pack, form_name))
        except DrafterError as exc:
            failures.append(exc)
    if not attempts:
        raise failures[0]
    return attempts


def attempt(speech: Speech, pack: TemplatePack, form_name: str) -> Extraction:
    """Recognise `speech` as `pack`'s form, render that form, and measure it against the speech."""
    recogniser = recogniser_for(pack)
    assert recogniser is not None, "extractable packs only"
    recognition = recogniser(speech)
    recognition.data = known_fields(recognition.data, pack.schema)
    _drop_default_title(recognition, pack, speech, form_name)
    draft = form_text(pack, recognition, speech, form_name)
    document = render_form_text(draft, pack, form_name)
    ignore = frozenset(o for leftover in recognition.leftovers for o in leftover.span.origins)
    fidelity = compare(speech.paras, document, ignore)
    text = form_text(pack, recognition, speech, form_name, fidelity)
    diagnostics = sorted(
        [
            *speech.notes,
            *_chrome_warnings(speech),
            *_leftover_warnings(speech, recognition, pack),
            *difference_diagnostics(speech, fidelity),
        ],
        key=lambda d: (d.line or 0, d.column or 0),
    )
    return Extraction(pack, text, fidelity.ratio, recognition, speech.fixes, diagnostics)


def known_fields(data: dict[str, Any], spec: FieldSpec) -> dict[str, Any]:
    """Only the values the pack's form has a field for, and not its defaults: a recogniser
    reads what speeches say (the opening, the assessment verb), and a pack without that
    option, or with that wording as its default, prints it when the field is left out."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        child = spec.child(key)
        if child is None or (child.default is not None and value == child.default):
            continue  # no such field, or the value the pack prints when the field is left out
        if isinstance(value, dict) and child.type == "object":
            value = known_fields(value, child)
        elif isinstance(value, list) and child.item is not None and child.item.type == "object":
            value = [known_fields(v, child.item) if isinstance(v, dict) else v for v in value]
        kept[key] = value
    return kept


def _drop_default_title(
    recognition: Recognition, pack: TemplatePack, speech: Speech, form_name: str
) -> None:
    """Leave out a title the pack would print anyway (在{会议名称}上的讲话), so that it
    follows the meeting's name when the writer changes it next year."""
    title = recognition.data.get("title")
    if not title:
        return
    untitled = replace(recognition, data={**recognition.data, "title": None})
    try:
        document = render_form_text(form_text(pack, untitled, speech, form_name), pack, form_name)
    except DrafterError:
        return
    if any(isinstance(block, Title) and block.text == title for block in document.blocks):
        recognition.data["title"] = None


def _chrome_warnings(speech: Speech) -> list[Diagnostic]:
    return [
        speech.diagnostic(
            f"{'这一行是网页信息' if site_line(para.text) else '这段文字是网页或文库加上的'}，"
            f"不是讲话内容，已略去（原文保存在表单开头的注释中）：{para.text.strip()}",
            para.span,
        )
        for para in speech.chrome
    ]


def _leftover_warnings(
    speech: Speech, recognition: Recognition, pack: TemplatePack
) -> list[Diagnostic]:
    kept = (
        f"已原文保存在表单的 {UNPLACED}（未归位的原文）中"
        if pack.schema.child(UNPLACED) is not None
        else "已原文保存在表单开头的注释中"
    )
    return [
        speech.diagnostic(
            f"{leftover.reason}；{kept}：“{_excerpt(leftover.span.text)}”", leftover.span
        )
        for leftover in recognition.leftovers
    ]


def _excerpt(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def _choice(
    speech: Speech, best: Extraction, attempts: list[Extraction], named: bool
) -> Diagnostic:
    """Which pack was chosen and why, as an info line."""
    name = f"{best.pack.id}（{best.pack.name}）"
    how = f"按指定的模板 {name} 提取" if named else f"选用模板 {name}"
    ranked = sorted((a for a in attempts if a is not best), key=_fit, reverse=True)
    others = "；".join(f"{a.pack.id}：{a.summary()}" for a in ranked)
    ranking = f"；其他模板不如它吻合（{others}）" if others else ""
    found = "、".join(best.recognition.found) or "无"
    missing = (
        "；没有找到：" + "、".join(best.recognition.missing) if best.recognition.missing else ""
    )
    return Diagnostic(
        f"{how}：按它重新生成的讲话与原文{best.summary()}{ranking}。找到了：{found}{missing}",
        speech.path,
        severity=Severity.INFO,
    )


def _unmapped(attempts: list[Extraction]) -> str:
    """Why no pack fits: each pack's similarity, and what was and was not found."""
    parts = []
    for extraction in sorted(attempts, key=_fit, reverse=True):
        found = "、".join(extraction.recognition.found) or "无"
        missing = "、".join(extraction.recognition.missing) or "无"
        parts.append(
            f"按 {extraction.pack.id}（{extraction.pack.name}）提取，重新生成的讲话与原文{extraction.summary()}，"
            f"吻合程度 {extraction.score:.0%}（至少要 {MIN_SCORE:.0%}）；找到了：{found}；没有找到：{missing}"
        )
    best = max(attempts, key=_fit).pack.id
    return (
        "无法确定这篇讲话适用哪个模板。"
        + "。".join(parts)
        + f"。如确是这类讲话，可加 --template {best} 照样提取，找不到位置的文字会原文保存在表单中"
    )
