"""How faithfully a form reproduces the speech it was read from.

The written form is rendered as `drafter render` would render it and compared character
by character with the speech (punctuation made full width, whitespace ignored, as the
acceptance tests compare). The ratio chooses the template; each stretch the re-render
words differently is reported at its place in the speech, so the writer knows what the
template's fixed wording will change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config.located_yaml import parse_located
from ..errors import Diagnostic, Severity
from ..markup import parse_markup
from ..model import Byline, Document
from ..packs.fields import validate
from ..packs.finder import TemplatePack
from ..packs.templating import render_speech
from .reading import Para, Speech
from .spans import Span, join

_HALF_WIDTH = str.maketrans(",:;!?()", "，：；！？（）")
_SPACE = re.compile(r"\s")
CONTEXT = 6  # characters shown either side of a difference
MERGE_GAP = 4  # differences closer than this are reported as one
MAX_REPORTED = 20
MAX_SHOWN = 60
WHOLE_DIFF = 12_000  # characters of both texts diffed whole (a speech and its re-render)
LOCAL_DIFF = 2_000  # characters of a differing stretch of sentences diffed character by character
_SENTENCE = re.compile(r"[^。！？；]*[。！？；]*")
Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class Difference:
    """A stretch of the speech (maybe empty) at file offset `at`, re-rendered as `rendered`."""

    at: int
    original: str
    rendered: str
    before: str  # a little of the speech before and after, to find the place
    after: str


@dataclass(frozen=True)
class Fidelity:
    """The similarity of speech and re-render (0–1), and where they differ."""

    ratio: float
    differences: tuple[Difference, ...]


def render_form_text(text: str, pack: TemplatePack, shown: str) -> Document:
    """Render a form given as text, as `drafter render` would; errors are DrafterErrors."""
    data = validate(parse_located(text, shown), pack.schema)
    return parse_markup(render_speech(pack, data), str(pack.directory / pack.entry))


def normalize(span: Span) -> Span:
    """Full-width punctuation, no whitespace: the form the comparison reads."""
    translated = span.text.translate(_HALF_WIDTH)
    keep = [i for i, char in enumerate(translated) if not _SPACE.match(char)]
    return Span("".join(translated[i] for i in keep), tuple(span.origins[i] for i in keep))


def normalize_text(text: str) -> str:
    """`normalize` for text that has no place in the speech file (the re-render)."""
    return _SPACE.sub("", text.translate(_HALF_WIDTH))


def document_text(document: Document) -> str:
    """Every block's text in reading order."""
    return "".join(
        "".join(block.lines) if isinstance(block, Byline) else block.text
        for block in document.blocks
    )


def compare(paras: list[Para], document: Document, ignore: frozenset[int]) -> Fidelity:
    """Compare the speech's paragraphs with a rendered document.

    Text at the offsets in `ignore` (kept in the form's `unplaced`, already reported) is
    not listed again as a difference, though it still counts against the ratio.
    """
    original = normalize(join(para.span for para in paras))
    rendered = normalize_text(document_text(document))
    ratio, opcodes = diff_text(original.text, rendered)
    differences = []
    for i1, i2, j1, j2 in _changes(opcodes):
        stretch = original[i1:i2]
        if j1 == j2 and stretch and all(origin in ignore for origin in stretch.origins):
            continue
        at = original.origins[min(i1, len(original) - 1)] if original else 0
        differences.append(
            Difference(
                at,
                stretch.text,
                rendered[j1:j2],
                original.text[max(i1 - CONTEXT, 0) : i1],
                original.text[i2 : i2 + CONTEXT],
            )
        )
    return Fidelity(ratio, tuple(differences))


def diff_text(a: str, b: str) -> tuple[float, list[Opcode]]:
    """difflib's ratio and opcodes of two texts, character by character.

    A character diff costs time quadratic in the length, fine for a speech but minutes for
    a book pasted into one file. Longer texts are diffed sentence by sentence first, and
    only the sentences that differ character by character (each stretch bounded), so the
    time stays linear.
    """
    if len(a) + len(b) <= WHOLE_DIFF:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return matcher.ratio(), list(matcher.get_opcodes())
    units_a, units_b = _sentences(a), _sentences(b)
    texts_a, texts_b = [a[i:j] for i, j in units_a], [b[i:j] for i, j in units_b]
    opcodes: list[Opcode] = []
    for tag, u1, u2, v1, v2 in difflib.SequenceMatcher(None, texts_a, texts_b).get_opcodes():
        i1, i2 = _bounds(units_a, u1, u2)
        j1, j2 = _bounds(units_b, v1, v2)
        if tag != "replace" or (i2 - i1) + (j2 - j1) > LOCAL_DIFF:
            opcodes.append((tag, i1, i2, j1, j2))
            continue
        local = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
        opcodes.extend(
            (op, i1 + x1, i1 + x2, j1 + y1, j1 + y2) for op, x1, x2, y1, y2 in local.get_opcodes()
        )
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    return (2 * matched / (len(a) + len(b)) if a or b else 1.0), opcodes


def _sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence (up to and including its end mark) starts and ends."""
    return [match.span() for match in _SENTENCE.finditer(text) if match.end() > match.start()]


def _bounds(units: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """The text offsets units[first:last] cover (an empty stretch where it would begin)."""
    if first < last:
        return units[first][0], units[last - 1][1]
    at = units[first][0] if first < len(units) else (units[-1][1] if units else 0)
    return at, at


def _changes(opcodes: Sequence[Opcode]) -> list[tuple[int, int, int, int]]:
    """The unequal stretches; two separated by fewer than MERGE_GAP equal characters join."""
    changes: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if changes and i1 - changes[-1][1] < MERGE_GAP:
            a1, _, b1, _ = changes[-1]
            changes[-1] = (a1, i2, b1, j2)
        else:
            changes.append((i1, i2, j1, j2))
    return changes


def difference_diagnostics(speech: Speech, fidelity: Fidelity) -> list[Diagnostic]:
    """One warning per difference, at its place in the speech (the first few only)."""
    found = [
        speech.diagnostic(f"按表单重新生成时这里与原文不同：{describe(difference)}", difference.at)
        for difference in fidelity.differences[:MAX_REPORTED]
    ]
    more = len(fidelity.differences) - MAX_REPORTED
    if more > 0:
        found.append(
            Diagnostic(
                f"另有 {more} 处不同，已全部列在表单开头的注释中",
                speech.path,
                severity=Severity.WARNING,
            )
        )
    return found


def describe(difference: Difference, shorten: bool = True) -> str:
    """原文“比如XXX同志”，生成为“比如，XXX同志”, with a little context either side.

    `shorten` cuts long stretches for a message line; the form's comments keep them whole,
    so no wording of the speech is lost.
    """
    before, after = difference.before, difference.after
    old = _shown(before + difference.original + after, shorten)
    new = _shown(before + difference.rendered + after, shorten)
    return f"原文“{old}”，生成为“{new}”"


def _shown(text: str, shorten: bool) -> str:
    if not shorten or len(text) <= MAX_SHOWN:
        return text
    half = MAX_SHOWN // 2
    return f"{text[:half]}……{text[-half:]}"
