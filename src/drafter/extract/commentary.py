"""What every 点评讲话 recogniser reads the same way: the opening, numbered items, examples.

Commentary packs share their prose (templates/base): 按照……统一要求，今天我们召开……，
刚才，……就……进行了述职，总的感到，……; achievements as 一是{point}。{detail}比如，
{who}{did}。; problems ending in ……，必须引起高度重视; requirements as 一要{point}。
`CommentaryReader` reads these into a Recognition; a pack's recogniser subclasses it and
reads its own order of parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..cn.ordinals import H1, H2, Marker, is_heading, marker_at
from ..cn.punctuation import CLAUSE_BREAK, SENTENCE_END
from ..cn.sentences import cut_points
from ..config.located_yaml import Path_
from ..packs.fields import FieldSpec
from ..readers.paragraphs import LINE_BREAK
from .reading import Para, Speech
from .recognition import Recognition, placeholder
from .series import heading_text, split_series
from .spans import Span, first_sentence, join, sentences, split_phrases

ORGANIZER = re.compile(
    r"(?:按照|根据)(?P<organizer>[^，。]{1,40}?)(?:的)?统一(?P<kind>要求|部署|安排)[，。]?"
)
MEETING = re.compile(
    r"(?:今天，?(?:我们)?(?:在这里)?(?:隆重)?(?:召开|举行)了?|(?:很高兴|我)(?:来|到)?参加(?:今天的|这次)?)"
    r"(?P<name>[^，。]{2,80})"
)
# Other ways a commentary opens where 按照……统一要求 would stand, as the packs' field
# meeting.opening names them (a pack without that field prints 按照……统一要求).
ENTRUSTED = re.compile(r"受(?P<organizer>[^，。]{1,30}?)(?:的)?委托[，。]")
OTHER_OPENING = re.compile(r"(?P<arranged>根据(?:会议|活动|工作)?安排[，。])|(?P<glad>很高兴)")
OPENING_KINDS = {"要求": "按照统一要求", "部署": "按照统一部署", "安排": "按照统一部署"}
REPORT = re.compile(
    r"刚才，?(?P<reporters>[^，。]{1,40}?)就(?P<topic>[^，。]{1,60}?)"
    r"(?:进行了|作了|做了)(?P<report>[^，。]{1,10}?)(?=[，。])"
)
IMPRESSIONS = re.compile(
    r"(?P<verb>总的(?:感到|感觉是?|来看|看)|总体(?:上)?(?:感觉|感到|来看|看)(?:是)?"
    r"|从刚才(?:的|大家的)?(?:述职|汇报|发言)?情况(?:来)?看)，"
)
DEFAULT_VERB = "总的感到"
# 刚才听了……的述职 where 刚才，……就……进行了述职 would stand.
HEARD = re.compile(
    r"刚才，?(?:认真)?听(?:取)?了(?P<reporters>[^，。]{1,40}?)(?:就(?P<topic>[^，。]{1,60}?))?的"
    r"(?P<report>述职[^，。]{0,6}?)(?=[，。])"
)
CONCLUSION = re.compile(r"^(?:充分)?(?:体现|展现|展示|反映|彰显|表明|说明)")
PROBLEMS = re.compile(r"在肯定成绩的同时|(?:也|还)(?:要|应|应当|必须)清醒地?(?:看到|认识到)")
CONTEXT = re.compile(
    r"清醒地?(?:看到|认识到)，(?P<context>.+?)，(?:我们|大家)?的?(?:工作)?(?:仍然?|还)(?:然)?存在"
)
# Who found the problems (problems.source) and how the speaker calls the reporters.
CALLED = re.compile(r"刚才(?P<called>[^，。]{1,20}?)也都分别查摆了")
BY_SPEAKER = re.compile(r"(?P<both>结合[^，。]{1,8}和)?(?:结合)?平时掌握的情况，")
STANDING = re.compile(r"(?P<who>我们|大家)的工作(?:仍然?|还)")
ATTRIBUTION = re.compile(r"这些成绩的取得，是(?P<attribution>[^。]+?)的结果。")
IMPACT = re.compile(r"，?(?:必须|要|应当)(?:引起)?高度重视")
NO_IMPACT = ("对这些问题", "这些问题")
EXAMPLES = ("比如，", "比如", "例如，", "例如", "譬如，")
_AGAIN = re.compile(r"(?:又如|再如|还有)，?")
_WHO = re.compile(r"[^，。；：、“”‘’（）《》\s]{1,24}?同志(?=[^，。；、])")
_SERIES_NAMES = {"nth": "第一、第二", "word": "首先、其次"}
CLOSING_START = ("同志们", "最后", "总之", "让我们")
CLAUSE_END = "。，；：！？、 \t\u3000"
DEFAULT_REPORT = "述职"


@dataclass
class Section:
    """A 一、 heading (None when the speech has none) and the paragraphs under it."""

    heading: Span | None
    paras: list[Para] = field(default_factory=list)

    def text(self) -> Span:
        """The section's paragraphs as one span."""
        return join(para.span.without(LINE_BREAK) for para in self.paras)


class CommentaryReader:
    """Reads the parts commentary packs share; subclasses read a pack's order of parts."""

    def __init__(self, speech: Speech, schema: FieldSpec | None = None) -> None:
        self.speech = speech
        self.schema = schema
        self.result = Recognition()
        self.data: dict[str, Any] = self.result.data
        self.meeting: dict[str, Any] = {}
        self.assessment: dict[str, Any] = {}

    # ── opening ─────────────────────────────────────────────────────────────────────────

    def take_meeting(self, zone: Span, organizer_required: bool | None = None) -> int:
        """按照{organizer}统一要求，今天我们召开{name}，{purpose}。 — returns where it ends.

        The other openings (根据会议安排, 受……委托, 很高兴参加, none) go to meeting.opening.
        """
        if organizer_required is None:  # as the pack's manifest says (required unless known)
            meeting_spec = self.schema.child("meeting") if self.schema is not None else None
            organizer_spec = meeting_spec.child("organizer") if meeting_spec else None
            organizer_required = organizer_spec is None or organizer_spec.required
        organizer = ORGANIZER.search(zone.text) or ENTRUSTED.search(zone.text, 0, 60)
        other = None if organizer else OTHER_OPENING.search(zone.text, 0, 40)
        meeting = MEETING.search(zone.text, organizer.end() if organizer else 0)
        first = organizer or other or meeting
        if first is not None and first.start() > 0:
            self.result.leave(
                zone[: first.start()], "这段文字在开头“按照……统一要求”之前，没有对应的字段"
            )
        self.meeting["opening"] = _opening_kind(organizer, other)
        if organizer or organizer_required:
            self.result.part("开头（按照……统一要求）", organizer is not None or other is not None)
        if organizer:
            self.meeting["organizer"] = organizer["organizer"]
        elif organizer_required and meeting is not None:
            self.meeting["organizer"] = self.unprinted_organizer(other)
        elif organizer_required:
            self.meeting["organizer"] = self.missing_meeting_field("organizer", "组织单位")
        else:
            self.meeting["organizer"] = None
        self.result.part("会议名称（今天我们召开……）", meeting is not None)
        if meeting is None:
            self.meeting["name"] = self.missing_meeting_field("name", "会议名称")
            self.meeting["purpose"] = None
            return organizer.end() if organizer else 0
        self.meeting["name"] = meeting["name"]
        report = REPORT.search(zone.text, meeting.end()) or HEARD.search(zone.text, meeting.end())
        purpose_end = sentence_start(zone.text, report.start()) if report else None
        if purpose_end is None:
            ends = [p for p in cut_points(zone.text, SENTENCE_END) if p > meeting.end()]
            purpose_end = ends[0] if ends else len(zone)
        purpose = zone[meeting.end() : purpose_end].strip(CLAUSE_END)
        self.meeting["purpose"] = purpose.text or None
        self.note_joined(purpose, ("meeting", "purpose"))
        return purpose_end

    def unprinted_organizer(self, other: re.Match[str] | None) -> str:
        """A placeholder for an organizer the pack requires and the speech does not name."""
        opened = other.group().rstrip("，。") if other is not None else "今天我们召开……"
        self.result.note(
            ("meeting", "organizer"),
            f"原文开头是“{opened}”，没有写组织单位；这个模板要求填写组织单位，请填写",
        )
        return placeholder("组织单位")

    def missing_meeting_field(self, key: str, label: str) -> str:
        self.result.note(("meeting", key), f"原文中没有找到{label}，请填写")
        return placeholder(label)

    def take_report(self, zone: Span, at: int) -> int:
        """刚才，{reporters}就{topic}进行了{report}，"""
        report = REPORT.search(zone.text, at) or HEARD.search(zone.text, at)
        self.result.part("述职情况（刚才，……就……进行了述职）", report is not None)
        if report is None:
            self.meeting["reporters"] = placeholder("述职人")
            self.meeting["topic"] = placeholder("述职内容")
            self.meeting["report"] = None
            self.result.note(("meeting", "reporters"), "原文中没有找到“刚才，……就……进行了述职”")
            return at
        self.leave_gap(zone[at : report.start()])
        self.meeting["reporters"] = report["reporters"]
        self.meeting["topic"] = report["topic"] or placeholder("述职内容")
        self.meeting["report"] = None if report["report"] == DEFAULT_REPORT else report["report"]
        return report.end() + 1

    def take_impressions(self, zone: Span, at: int) -> int:
        """总的感到，{impressions，…}，{conclusion}。 — returns where the sentence ends."""
        lead = IMPRESSIONS.search(zone.text, at)
        start = lead.end() if lead else at
        if lead is None and "reporters" in self.meeting:
            self.result.note(
                ("assessment", "impressions"), "原文没有“总的感到”，这里取的是述职之后的一句"
            )
        ends = [p for p in cut_points(zone.text, "。") if p > start]
        end = ends[0] if ends else len(zone)
        phrases = split_phrases(zone[start:end].strip(CLAUSE_END))
        conclusion = None
        if len(phrases) > 1 and CONCLUSION.match(phrases[-1].text):
            conclusion = phrases.pop().text
        impressions = [phrase.text for phrase in phrases if phrase]
        self.assessment["verb"] = _verb(lead["verb"] if lead else None)
        self.result.part("总体评价（总的感到，……）", bool(impressions))
        if not impressions:
            impressions = [placeholder("总的感受")]
        self.assessment["impressions"] = impressions
        self.assessment["conclusion"] = conclusion
        return end

    def take_problems_source(self, zone: Span, problems: dict[str, Any]) -> None:
        """Who found the problems, whose work falls short (standing), and the reporters' name."""
        called = CALLED.search(zone.text)
        found = BY_SPEAKER.search(zone.text)
        if called is not None:
            self.meeting["called"] = None if called["called"] == "大家" else called["called"]
        elif found is not None:
            problems["source"] = "两者结合" if found["both"] else "点评人发现"
        standing = STANDING.search(zone.text)
        if standing is not None and standing["who"] == "大家":
            self.meeting["standing"] = "上级"

    def note_joined(self, span: Span, path: Path_) -> None:
        """Several paragraphs of the speech went into one field, printed as one paragraph."""
        if not span:
            return
        first, last = (self.speech.position(span.origins[i])[0] for i in (0, -1))
        if first != last:
            self.result.note(path, "原文这里是几段文字，已合为一段；生成时印成一段")

    def leave_gap(self, span: Span) -> None:
        if span.strip(CLAUSE_END):
            self.result.leave(span, "这段文字夹在开头的固定句式之间，没有对应的字段")

    # ── numbered items ──────────────────────────────────────────────────────────────────

    def take_achievement_paragraph(
        self, span: Span, items: list[dict[str, Any]], series: Marker | None
    ) -> Marker | None:
        """Add a paragraph's achievements (一是……) or examples (比如，……) to `items`.

        Returns the series marker the achievements are numbered with.
        """
        attribution = ATTRIBUTION.match(span.text)
        if attribution is not None and items:
            self.assessment["attribution"] = attribution["attribution"]
            self.leave_gap(span[attribution.end() :])
            return series
        marker = marker_at(span.text)
        if marker is not None and marker.suffix == "要":
            self.result.leave(span, "这一段是“一要、二要……”的要求，不是成绩，没有对应的字段")
            return series
        if marker is not None and continues(marker, len(items), series):
            for _, item in split_series(span, marker, len(items)):
                items.append(achievement(item))
            return series or marker
        if items and opens_examples(span.text):
            self.add_examples(span, items[-1])
        else:
            self.result.leave(
                span,
                "这一段在成绩部分，但不是“一是、二是……”中的一项，也不是“比如，……同志……”的事例",
            )
        return series

    def add_examples(self, span: Span, item: dict[str, Any]) -> None:
        """A paragraph of 比如，……同志…… after an achievement: more examples for it."""
        text = span
        for intro in EXAMPLES:
            if span.text.startswith(intro):
                text = span[len(intro) :]
                break
        found = examples(text)
        if found is None:
            self.result.leave(span, "这一段像是上一项成绩的事例，但没有找到“……同志”开头的人物")
            return
        item["examples"] = [*(item.get("examples") or []), *found]

    def note_achievements(
        self, items: list[dict[str, Any]], series: Marker | None, path: Path_
    ) -> None:
        """Say where numbering or examples will come out differently from the speech."""
        self.note_renumbered(series, "是", path)
        for index, item in enumerate(items):
            detail = item.get("detail") or ""
            if not item.get("examples") and examples_start(detail) is not None:
                self.result.note(
                    (*path, index, "detail"),
                    "这里有“比如，……”，但没有找到“……同志”开头的人物，事例留在了具体做法中",
                )

    def note_renumbered(self, series: Marker | None, suffix: str, path: Path_) -> None:
        """A note when a series is numbered otherwise than the template numbers it."""
        if series is None or (series.kind == "cn" and series.suffix == suffix):
            return
        written = _SERIES_NAMES.get(series.kind, f"一{series.suffix}、二{series.suffix}")
        self.result.note(path, f"原文用“{written}……”编号，生成时写作“一{suffix}、二{suffix}……”")

    def take_problem_items(
        self, zone: Span, first: Marker, path: Path_
    ) -> tuple[list[dict[str, Any]], str | None]:
        """一是{point}。{detail}二是……{impact}，必须引起高度重视…… — items and the impact."""
        items = split_series(zone, first, 0)
        self.note_renumbered(first, "是", path)
        *others, (last_marker, last) = items
        last, impact, extra = split_impact(last)
        for span in extra:
            self.result.leave(span, "这段文字在“必须引起高度重视……”之后，没有对应的字段")
        return [point_item(item) for _, item in [*others, (last_marker, last)]], impact

    def requirement_points(
        self, paras: list[Para], path: Path_, closing_after: bool
    ) -> tuple[list[dict[str, Any]], list[Span]]:
        """一要{point}。{detail} paragraphs (or （一） sub-headings with a paragraph each).

        With `closing_after`, unnumbered paragraphs after the points are the speech's
        closing and are returned; otherwise they continue the point before them.
        """
        points: list[dict[str, Any]] = []
        closing: list[Span] = []
        detail_open = False  # a （一） sub-heading takes the paragraph after it as its detail
        series: Marker | None = None
        if paras and not any(_numbered(para) for para in paras):
            # one requirement takes no 一要: its paragraph is the point, the rest follows it
            points.append(point_item(paras[0].span.without(LINE_BREAK)))
            paras = paras[1:]
        for para in paras:
            span = para.span.without(LINE_BREAK)
            if closing or (closing_after and points and span.text.startswith(CLOSING_START)):
                closing.append(span)
                continue
            marker = marker_at(span.text)
            if para.hint == "h2" or is_heading(span.text, H2):
                points.append({"point": heading_text(span).text})
                detail_open = True
            elif marker is not None and continues(marker, len(points), series):
                series = series or marker
                for item_marker, item in split_series(span, marker, len(points)):
                    if item_marker.suffix == "是" and item.text.startswith("要"):
                        item = item[1:]  # 一是要加强……: the template writes 一要 itself
                    points.append(point_item(item))
                detail_open = False
            elif points and detail_open:
                append_detail(points[-1], span)
                detail_open = False
            elif points and closing_after:
                closing.append(span)
            elif points:
                append_detail(points[-1], span)
                self.result.note(
                    (*path, len(points) - 1, "detail"), "原文这部分另起一段，已并入这一条"
                )
            else:
                self.result.leave(span, "这一段在小标题之后、“一要”之前，没有对应的字段")
        if not points:
            points = [{"point": placeholder("要求要点")}]
            self.result.note(path, "原文这部分没有找到“一要、二要……”，请填写")
        self.note_renumbered(series, "要", path)
        return points, closing


def _numbered(para: Para) -> bool:
    """Whether a paragraph opens with a run-in ordinal or is a （一） sub-heading."""
    return para.hint == "h2" or marker_at(para.text) is not None or is_heading(para.text, H2)


def _opening_kind(organizer: re.Match[str] | None, other: re.Match[str] | None) -> str | None:
    """The meeting.opening choice a speech's first words make."""
    if organizer is not None:
        return OPENING_KINDS.get(organizer.groupdict().get("kind") or "", "受委托")
    if other is not None:
        return "根据会议安排" if other["arranged"] else "很高兴参加"
    return "直接开场"


def _verb(words: str | None) -> str | None:
    """The assessment verb as the form writes it (None for the default 总的感到)."""
    return None if words in (None, DEFAULT_VERB) else words


# ── reading helpers ─────────────────────────────────────────────────────────────────────


def split_sections(paras: list[Para]) -> tuple[list[Para], list[Section]]:
    """Paragraphs before the first 一、 heading, and the sections from there on."""
    body: list[Para] = []
    groups: list[Section] = []
    for para in paras:
        text = para.text.strip()
        if para.hint == "h1" or is_heading(text):
            groups.append(Section(heading_text(para.span.without(LINE_BREAK))))
        elif H1.match(text):
            # 一、heading。text… written as one paragraph: the heading is its first sentence
            heading, rest = first_sentence(para.span.without(LINE_BREAK))
            groups.append(Section(heading_text(heading), [Para(rest)] if rest else []))
        elif groups:
            groups[-1].paras.append(para)
        else:
            body.append(para)
    return body, groups


def opens_first_item(text: str) -> bool:
    marker = marker_at(text)
    return marker is not None and marker.number == 1


def first_item(zone: Span, at: int) -> Marker | None:
    """The first 一是/第一/首先 that starts a sentence at or after `at`."""
    for start in [at, *(p for p in cut_points(zone.text, SENTENCE_END + CLAUSE_BREAK) if p > at)]:
        marker = marker_at(zone.text, start)
        if marker is not None and marker.number == 1:
            return marker
    return None


def sentence_start(text: str, at: int) -> int:
    """The offset where the sentence holding `at` begins."""
    starts = [0, *(p for p in cut_points(text, SENTENCE_END) if p <= at)]
    return starts[-1]


def continues(marker: Marker, count: int, first: Marker | None) -> bool:
    """Whether `marker` numbers item `count + 1` of the series `first` opened."""
    if count == 0 or first is None:
        return marker.number == 1
    if marker.kind != first.kind:
        return False
    return marker.number == count + 1 or (marker.kind == "word" and marker.number is None)


def opens_examples(text: str) -> bool:
    return text.startswith(EXAMPLES) or bool(_WHO.match(text))


def achievement(item: Span) -> dict[str, Any]:
    """{point}。{detail}比如，{who}{did}。{who}{did}。"""
    point, rest = first_sentence(item)
    result: dict[str, Any] = {"point": point.text, "detail": None, "examples": None}
    result.update(achievement_body(rest))
    return result


def achievement_body(rest: Span) -> dict[str, Any]:
    """{detail}比如，{who}{did}。 — what follows an achievement's point."""
    at = examples_start(rest.text)
    if at is not None:
        intro_end = at + next(len(i) for i in EXAMPLES if rest.text.startswith(i, at))
        found = examples(rest[intro_end:])
        if found is not None:
            return {"detail": rest[:at].text or None, "examples": found}
    return {"detail": rest.text or None, "examples": None}


def examples_start(text: str) -> int | None:
    for start in [0, *cut_points(text, SENTENCE_END)]:
        if text.startswith(EXAMPLES, start):
            return start
    return None


def examples(span: Span) -> list[dict[str, str]] | None:
    """XXX同志{did}。XXX同志{did}。 — None when the first sentence names nobody."""
    found: list[dict[str, str]] = []
    for sentence in sentences(span.strip()):
        again = _AGAIN.match(sentence.text)
        if again and found and _WHO.match(sentence.text, again.end()):
            sentence = sentence[again.end() :]  # 又如，XXX同志…: the template writes no 又如
        who = _WHO.match(sentence.text)
        if who:
            found.append({"who": who.group(), "did": sentence[who.end() :].text})
        elif found:
            found[-1]["did"] += sentence.text
        else:
            return None
    return found or None


def point_item(item: Span) -> dict[str, Any]:
    """{point}。{detail} — a problem or a requirement."""
    point, rest = first_sentence(item)
    return {"point": point.text, "detail": rest.text or None}


def append_detail(point: dict[str, Any], span: Span) -> None:
    point["detail"] = (point.get("detail") or "") + span.text


def split_impact(span: Span) -> tuple[Span, str | None, list[Span]]:
    """The last problem's text, the impact clause before 必须引起高度重视, and text after it."""
    pieces = sentences(span)
    for index in range(len(pieces) - 1, -1, -1):
        sentence = pieces[index]
        if IMPACT.search(sentence.text) or sentence.text.startswith(("这些问题", *NO_IMPACT)):
            cut = IMPACT.search(sentence.text)
            clause = sentence[: cut.start()] if cut else sentence
            impact = clause.strip(CLAUSE_END).text
            body = join(pieces[:index])
            return body, (None if impact in NO_IMPACT else impact or None), pieces[index + 1 :]
    return span, None, []
