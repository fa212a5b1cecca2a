"""Read a 述职评议点评讲话 into the review-commentary form (templates/review-commentary).

The recogniser inverts speech.j2: it finds the words the template always prints (按照……
统一要求, 总的感到, 主要呈现出以下几个特点, 集中表现在, 下面，就……我讲N点意见, 一、) and
takes what lies between them as the writer's values. Wording that differs from the
template's is not an error: the values are still taken, and `fidelity` reports what a
re-render would word differently.
"""

from __future__ import annotations

import re
from typing import Any

from ..cn.numerals import cn_count, cn_value
from ..cn.ordinals import Marker, marker_at
from ..cn.punctuation import SENTENCE_END
from ..cn.sentences import cut_points
from ..packs.fields import FieldSpec
from ..readers.paragraphs import LINE_BREAK
from .commentary import (
    CLAUSE_END,
    CONTEXT,
    DEFAULT_REPORT,
    MEETING,
    ORGANIZER,
    PROBLEMS,
    CommentaryReader,
    Section,
    achievement,
    first_item,
    opens_first_item,
    point_item,
    sentence_start,
    split_impact,
    split_sections,
)
from .frame import Frame, frame_values, read_frame, thanks_value
from .reading import Para, Speech
from .recognition import Recognition, placeholder
from .spans import Span, join

PACK_ID = "review-commentary"

_FEATURES = re.compile(
    r"[^。：；，]*以下(?:几个|[一二两三四五六七八九十]个)?(?:特点|方面|亮点)[：:]"
)
_PROBLEMS_INTRO = re.compile(r"(?:集中|主要|突出|具体)(?:表现|体现)(?:在|为)[：:]|(?<=，)主要是")
_ALONE = "主要是"  # one problem, unnumbered: ……情况，主要是{point}。
# One section: 我讲一点意见，就是要{heading}。 then its points, with no 一、 heading.
_ONE_SECTION = re.compile(r"[，,]?就是要(?P<heading>[^。]+)。")
_PROBLEMS_REACH = 24  # 当然，我们也要清醒地看到: the words may come a few characters in
_TRANSITION = re.compile(
    r"下面，?(?:我)?(?:就|围绕|结合|针对)?(?P<theme>[^。]*?)，?我?(?:代表(?P<on_behalf>[^，。]{1,30}?))?"
    r"(?:再)?(?:讲|提|强调|谈)"
    r"(?P<count>[一二两三四五六七八九十]+)点(?:意见|要求|看法)[。：]?"
)


def recognise(speech: Speech, schema: FieldSpec | None = None) -> Recognition:
    """Read `speech` as a review-commentary form."""
    reader = _Reader(speech, schema)
    reader.read()
    return reader.result


class _Reader(CommentaryReader):
    """One pass over a speech, filling a Recognition part by part in reading order."""

    def __init__(self, speech: Speech, schema: FieldSpec | None = None) -> None:
        super().__init__(speech, schema)
        self.achievements: list[dict[str, Any]] = []
        self.problems: dict[str, Any] = {}
        self.measures: dict[str, Any] = {}
        self.announced: int | None = None  # 我讲三点意见 → 3
        self.one_section: str | None = None  # 我讲一点意见，就是要{heading}。
        self.features = False  # 主要呈现出以下特点： was found (one achievement then needs no 一是)

    def read(self) -> None:
        frame = read_frame(self.speech.paras)
        body, groups = split_sections(frame.body)
        if not groups:
            body, groups = _headless_section(body)
        rest = self.read_opening(body)
        rest = self.read_achievements(rest)
        self.read_problems_and_transition(rest)
        if not self.problems.get("items"):
            groups = self.read_folded_problems(groups)
        closing = self.read_sections(groups)
        self.fill(frame, closing)

    def fill(self, frame: Frame, closing: list[Span]) -> None:
        """Put the parts together in the manifest's order (the order a writer reads)."""
        default_title = f"在{self.meeting.get('name', '')}上的点评讲话"
        self.data.update(frame_values(frame, self.speech, self.result, default_title))
        self.data["meeting"] = self.meeting
        self.data["assessment"] = self.assessment
        self.data["achievements"] = self.achievements or self.missing_achievements()
        self.data["problems"] = self.problems
        self.data["measures"] = self.measures
        self.data["closing"] = [span.text for span in closing] or None
        self.data["thanks"] = thanks_value(frame)

    # ── opening: 按照……统一要求，今天我们召开……。刚才，……总的感到，……。……特点： ─────────

    def read_opening(self, body: list[Para]) -> list[Span]:
        """Read the opening paragraphs; return the paragraphs after it (as spans)."""
        spans = [para.span.without(LINE_BREAK) for para in body]
        end = _opening_end(spans)
        if end < 0:
            self.fill_opening(Span("", ()))
            return spans
        rest = self.fill_opening(join(spans[: end + 1]))
        return ([rest] if rest else []) + spans[end + 1 :]

    def fill_opening(self, zone: Span) -> Span | None:
        """Take the opening's values from `zone`; return text after it that opens the achievements."""
        at = self.take_meeting(zone)
        at = self.take_report(zone, at)
        at = self.take_impressions(zone, at)
        features = _FEATURES.search(zone.text, at)
        inline = first_item(zone, at)
        if features is not None and (inline is None or features.start() <= inline.start):
            self.take_review(zone[at : features.start()])
            self.result.found.append("成绩引语（主要呈现出以下几个特点）")
            self.features = True
            after = zone[features.end() :].strip()
            if after and not opens_first_item(after.text):
                self.result.leave(
                    after, "这段文字在“以下几个特点：”之后、第一项成绩之前，没有对应的字段"
                )
                return None
            return after or None
        end = inline.start if inline is not None else len(zone)
        self.take_review(zone[at:end])
        return zone[end:] if inline is not None else None

    def take_review(self, span: Span) -> None:
        review = span.strip(" \t\u3000，")
        report = self.meeting.get("report") or DEFAULT_REPORT
        unwritten = f"从大家的{report}看"  # what the pack prints without a review
        self.assessment["review"] = (
            None if review.text.startswith(unwritten) else review.text or None
        )
        self.note_joined(review, ("assessment", "review"))

    # ── achievements: 一是{point}。{detail}比如，{who}{did}。 ─────────────────────────

    def read_achievements(self, spans: list[Span]) -> list[Span]:
        """Read achievement paragraphs; return the spans from the problems part on."""
        series: Marker | None = None
        rest: list[Span] = []
        for index, span in enumerate(spans):
            cut = _part_break(span.text)
            if cut == 0:
                rest = spans[index:]
                break
            head = span[:cut] if cut is not None else span
            if index == 0 and self.features and marker_at(head.text) is None:
                self.achievements.append(achievement(head))  # one achievement takes no 一是
            else:
                series = self.take_achievement_paragraph(head, self.achievements, series)
            if cut is not None:
                rest = [span[cut:], *spans[index + 1 :]]
                break
        count = len(self.achievements)
        self.result.part(
            f"主要成绩（{count} 项）" if count else "主要成绩（一是、二是……）", count > 0
        )
        self.note_achievements(self.achievements, series, ("achievements",))
        return rest

    def missing_achievements(self) -> list[dict[str, Any]]:
        self.result.note(("achievements",), "原文中没有找到“一是、二是……”列出的成绩，请填写")
        return [{"point": placeholder("成绩要点")}]

    # ── problems and the transition: ……集中表现在：一是……。这些问题……。下面，就……我讲N点意见。

    def read_problems_and_transition(self, spans: list[Span]) -> None:
        zone = join(spans)
        transition = _TRANSITION.search(zone.text)
        if transition is not None:
            self.take_transition(transition)
            after = zone[transition.end() :]
            one = _ONE_SECTION.match(after.text)
            if one is not None:
                self.one_section = one["heading"]
                after = after[one.end() :]
            if after.strip(CLAUSE_END):
                self.result.leave(
                    after, "这段文字在“我讲几点意见”之后、第一个小标题之前，没有对应的字段"
                )
            zone = zone[: transition.start()]
        else:
            self.result.part("过渡句（下面，就……我讲几点意见）", False)
            self.measures["theme"] = placeholder("意见主题")
            self.result.note(("measures", "theme"), "原文中没有找到“下面，就……，我讲几点意见”")
        if zone.strip(CLAUSE_END):
            self.take_problems(zone)

    def take_transition(self, match: re.Match[str]) -> None:
        theme = match["theme"].strip("，、 ")
        self.result.part("过渡句（下面，就……我讲几点意见）", True)
        self.announced = cn_value(match["count"].replace("两", "二"))
        if not theme:
            self.result.note(("measures", "theme"), "原文“我讲几点意见”之前没有写明主题，请补上")
        self.measures["theme"] = theme or placeholder("意见主题")
        if match["on_behalf"]:
            self.meeting["on_behalf"] = match["on_behalf"]
            self.meeting["standing"] = "上级"

    def take_problems(self, zone: Span) -> None:
        """在肯定成绩的同时……集中表现在：一是{point}。{detail}……{impact}，必须引起高度重视……"""
        found = PROBLEMS.search(zone.text) or _PROBLEMS_INTRO.search(zone.text)
        begin = sentence_start(zone.text, found.start()) if found else None
        if begin is None or begin > 0:
            head = zone[:begin] if begin is not None else zone
            self.result.leave(head, "这段文字在问题部分（在肯定成绩的同时……）之前，没有对应的字段")
            if begin is None:
                return
            zone = zone[begin:]
        intro = _PROBLEMS_INTRO.search(zone.text)
        context = CONTEXT.search(zone.text, 0, intro.start() if intro else len(zone))
        self.problems["context"] = context["context"] if context else None
        self.take_problems_source(zone[: intro.end() if intro else len(zone)], self.problems)
        first = first_item(zone, intro.end() if intro else 0)
        if first is None:
            alone = intro is not None and intro.group() == _ALONE
            self.take_unnumbered_problems(zone, intro.end() if intro else None, alone)
            return
        items, impact = self.take_problem_items(zone, first, ("problems", "items"))
        self.result.part(f"存在问题（{len(items)} 个）", True)
        self.problems["items"] = items
        self.problems["impact"] = impact

    def take_unnumbered_problems(
        self, zone: Span, intro_end: int | None, alone: bool = False
    ) -> None:
        """Problems written as prose after 表现在：, as one item for the writer to split."""
        if intro_end is None:
            self.result.part("存在问题（一是、二是……）", False)
            self.result.leave(
                zone, "问题部分没有“集中表现在：一是……”列出的问题，整段原文保留在这里"
            )
            self.problems["items"] = [{"point": placeholder("问题要点")}]
            self.problems["impact"] = None
            self.result.note(
                ("problems", "items"), "原文的问题没有逐条列出，请从 unplaced 中整理填写"
            )
            return
        body, impact, extra = split_impact(zone[intro_end:])
        self.result.part("存在问题（没有逐条编号）", True)
        self.problems["items"] = [point_item(body) if body else {"point": placeholder("问题要点")}]
        self.problems["impact"] = impact
        for span in extra:
            self.result.leave(span, "这段文字在“必须引起高度重视……”之后，没有对应的字段")
        if not alone:
            self.result.note(
                ("problems", "items"), "原文的问题没有“一是、二是……”编号，请拆分成几项"
            )

    def read_folded_problems(self, groups: list[Section]) -> list[Section]:
        """Problems written as one of the 一、二、 sections: take them out of the sections."""
        for index, group in enumerate(groups):
            zone = group.text()
            if not (PROBLEMS.search(zone.text) or _PROBLEMS_INTRO.search(zone.text)):
                continue
            if group.heading is not None:
                self.result.leave(
                    group.heading,
                    "原文把存在问题写成了一个部分，这是它的小标题；本模板把问题放在“我讲几点意见”之前，小标题无处可放",
                )
            self.take_problems(zone)
            self.result.note(
                ("problems", "items"), "这些问题原文写在意见部分的一个小标题下，已移到这里"
            )
            return groups[:index] + groups[index + 1 :]
        self.result.part("存在问题（在肯定成绩的同时……表现在：）", False)
        self.problems.setdefault("context", None)
        self.problems["items"] = [{"point": placeholder("问题要点")}]
        self.problems.setdefault("impact", None)
        self.result.note(("problems", "items"), "原文中没有找到存在的问题，请填写")
        return groups

    # ── measures: 一、{heading} 一要{point}。{detail} … and the closing ─────────────────

    def read_sections(self, groups: list[Section]) -> list[Span]:
        """Read the 一、二、三、 sections; return the closing paragraphs after the last one."""
        sections: list[dict[str, Any]] = []
        closing: list[Span] = []
        for index, group in enumerate(groups):
            path = ("measures", "sections", index, "points")
            points, closing = self.requirement_points(group.paras, path, index == len(groups) - 1)
            heading = group.heading.text if group.heading else self.one_section
            if heading is None:
                self.result.note(("measures", "sections"), "原文的要求部分没有“一、”小标题，请补上")
            heading = heading or placeholder("小标题")
            sections.append({"heading": heading, "points": points})
        self.result.part(
            f"意见部分（{len(sections)} 个）" if sections else "意见部分（一、二、三、）",
            bool(sections),
        )
        if not sections:
            self.result.note(
                ("measures", "sections"), "原文中没有找到“一、二、三、”的意见部分，请填写"
            )
            sections = [
                {"heading": placeholder("小标题"), "points": [{"point": placeholder("要求要点")}]}
            ]
        if self.announced is not None and self.announced != len(sections) and groups:
            self.result.note(
                ("measures", "sections"),
                f"原文说“我讲{cn_count(self.announced)}点意见”，"
                f"这里有 {len(sections)} 个部分；生成时点数按部分数自动写",
            )
        self.measures["sections"] = sections
        return closing


def _headless_section(body: list[Para]) -> tuple[list[Para], list[Section]]:
    """Requirements numbered 一要/二要 after 我讲几点意见 with no 一、 heading: one section."""
    announced = False
    for index, para in enumerate(body):
        if announced and opens_first_item(para.text):
            return body[:index], [Section(None, body[index:])]
        announced = announced or _TRANSITION.search(para.text) is not None
    return body, []


def _opening_end(spans: list[Span]) -> int:
    """Index of the last opening paragraph: the one announcing 以下几个特点, else the one
    before the first numbered item or problems paragraph; -1 when there is no opening."""
    if not any(ORGANIZER.search(s.text) or MEETING.search(s.text) for s in spans[:3]):
        return -1
    for index, span in enumerate(spans):
        if index and (opens_first_item(span.text) or _part_break(span.text) == 0):
            return index - 1
        if _FEATURES.search(span.text):
            return index
    return len(spans) - 1


def _part_break(text: str) -> int | None:
    """Where the problems part or the transition starts in a paragraph (a sentence start)."""
    for start in [0, *cut_points(text, SENTENCE_END)]:
        if _TRANSITION.match(text, start) or _problems_at(text, start):
            return start
    return None


def _problems_at(text: str, start: int) -> bool:
    """Whether the sentence at `start` opens the problems: 在肯定成绩的同时 / 当然，也要清醒地看到."""
    found = PROBLEMS.search(text, start, start + _PROBLEMS_REACH)
    return found is not None and "。" not in text[start : found.start()]
