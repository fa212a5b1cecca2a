"""Read a three-part 述职评议点评讲话 into its form (templates/review-commentary-3part).

After the opening (ending 我从肯定成绩、指出问题、提出要求三个方面讲一些意见) come three
sections: 一、 achievements (一是…… paragraphs, or （一） sub-headings with a paragraph
each), 二、 problems (the same, then ……，必须引起高度重视), 三、 requirements (一要……).
"""

from __future__ import annotations

import re
from typing import Any

from ..cn.ordinals import H2, Marker, is_heading, marker_at
from ..packs.fields import FieldSpec
from ..readers.paragraphs import LINE_BREAK
from .commentary import (
    CLAUSE_END,
    CONTEXT,
    PROBLEMS,
    CommentaryReader,
    Section,
    achievement_body,
    continues,
    opens_examples,
    split_impact,
    split_sections,
)
from .frame import Frame, frame_values, read_frame, thanks_value
from .reading import Para, Speech
from .recognition import Recognition, placeholder
from .series import heading_text, split_series
from .spans import Span, first_sentence, join

PACK_ID = "review-commentary-3part"

DEFAULT_HEADINGS = {
    "achievements": "肯定成绩，坚定做好工作的信心",
    "problems": "指出问题，清醒认识存在的差距",
    "requirements": "提出要求，推动各项任务落地见效",
}
_PARTS = re.compile(
    r"下面，[^。]*(?:肯定成绩|指出问题|提出要求)[^。]*。"
    r"|下面，(?:结合[^。，]*，)?我(?:代表(?P<on_behalf>[^，。]{1,30}?))?讲[一二两三四五六七八九十]+点意见。"
)
_AFFIRM_INTRO = re.compile(
    r"(?:从刚才的[^，。]{0,10}看，)?[^。：；，]*以下(?:几个|[一二两三四五六七八九十]个)?(?:特点|方面)[：:]"
)
_PROBLEMS_LIST = re.compile(
    r"[^。：；]*以下(?:几个|[一二两三四五六七八九十]个)?方面[：:]|(?:集中|主要|突出|具体)表现在[：:]"
    r"|突出的问题是[：:]"
)
_REQUIREMENTS_INTRO = re.compile(
    r"，?(?:着力|重点)?抓好以下(?:几项|[一二两三四五六七八九十]项)?工作[：:]"
)
_NEXT_STEP = "下一步"  # what the template writes when the form has no theme


def recognise(speech: Speech, schema: FieldSpec | None = None) -> Recognition:
    """Read `speech` as a review-commentary-3part form."""
    reader = _Reader(speech, schema)
    reader.read()
    return reader.result


class _Items:
    """Numbered items of one part: 一是…… paragraphs or （一） sub-headings, and what surrounds them."""

    def __init__(self) -> None:
        self.intro: list[Span] = []
        self.items: list[tuple[Span, Span]] = []  # each item's point and what follows it
        self.trailing: list[Span] = []
        self.subheadings = False
        self.series: Marker | None = None


def _items(paras: list[Para], examples_continue: bool, refused: str = "") -> _Items:
    """Cut a part's paragraphs into its intro, its items and the paragraphs after them."""
    found = _Items()
    detail_open = False
    for para in paras:
        span = para.span.without(LINE_BREAK)
        marker = marker_at(span.text)
        if found.trailing:
            found.trailing.append(span)
        elif para.hint == "h2" or is_heading(span.text, H2):
            found.items.append((heading_text(span), span[len(span) :]))
            found.subheadings = detail_open = True
        elif detail_open:
            point, _ = found.items[-1]
            found.items[-1] = (point, span)
            detail_open = False
        elif (
            marker is not None
            and marker.suffix != refused
            and continues(marker, len(found.items), found.series)
        ):
            found.series = found.series or marker
            for _, item in split_series(span, marker, len(found.items)):
                found.items.append(first_sentence(item))
        elif found.items and examples_continue and opens_examples(span.text):
            point, rest = found.items[-1]
            found.items[-1] = (point, rest + span)
        elif found.items:
            found.trailing.append(span)
        else:
            found.intro.append(span)
    return found


def _asks(section: Section) -> bool:
    """Whether a section's first numbered paragraph is a requirement (一要……)."""
    markers = (marker_at(para.text) for para in section.paras)
    first = next((marker for marker in markers if marker is not None), None)
    return first is not None and first.suffix == "要"


class _Reader(CommentaryReader):
    """One pass over a three-part speech, filling a Recognition in reading order."""

    def __init__(self, speech: Speech, schema: FieldSpec | None = None) -> None:
        super().__init__(speech, schema)
        self.achievements: dict[str, Any] = {}
        self.problems: dict[str, Any] = {}
        self.requirements: dict[str, Any] = {}
        self.subheadings = False

    def read(self) -> None:
        frame = read_frame(self.speech.paras)
        body, groups = split_sections(frame.body)
        self.read_opening(body)
        affirm, problems, requirements = self.assign(groups)
        self.read_achievements(affirm)
        self.read_problems(problems)
        closing = self.read_requirements(requirements)
        self.fill(frame, closing)

    def fill(self, frame: Frame, closing: list[Span]) -> None:
        default_title = f"在{self.meeting.get('name', '')}上的点评讲话"
        self.data.update(frame_values(frame, self.speech, self.result, default_title))
        self.data["subheadings"] = "是" if self.subheadings else None
        self.data["meeting"] = self.meeting
        self.data["assessment"] = self.assessment
        self.data["achievements"] = self.achievements
        self.data["problems"] = self.problems
        self.data["requirements"] = self.requirements
        self.data["closing"] = [span.text for span in closing] or None
        self.data["thanks"] = thanks_value(frame)

    def read_opening(self, body: list[Para]) -> None:
        """按照……统一部署，今天我们召开……。刚才，……总的感到，……。下面，……三个方面讲一些意见。"""
        zone = join(para.span.without(LINE_BREAK) for para in body)
        at = self.take_meeting(zone, organizer_required=False)
        at = self.take_report(zone, at)
        at = self.take_impressions(zone, at)
        rest = zone[at:].strip()
        parts = _PARTS.search(rest.text)
        self.result.part(
            "过渡句（我从肯定成绩、指出问题、提出要求三个方面讲一些意见）", bool(parts)
        )
        if parts is not None and parts["on_behalf"]:
            self.meeting.update(on_behalf=parts["on_behalf"], standing="上级")
        if parts is not None:
            self.leave_gap(rest[: parts.start()])
            rest = rest[parts.end() :]
        if rest.strip(CLAUSE_END):
            self.result.leave(rest, "这段文字在开头之后、第一个小标题之前，没有对应的字段")

    def assign(
        self, groups: list[Section]
    ) -> tuple[Section | None, Section | None, Section | None]:
        """Which section holds the achievements, the problems and the requirements."""
        if len(groups) >= 3:
            for extra in groups[2:-1]:
                self.leave_section(extra, "三段式讲话只有三个部分，这一部分没有对应的字段")
            return groups[0], groups[1], groups[-1]
        if groups and _asks(groups[-1]):  # its items are 一要……: the requirements, by ordinal
            first = groups[0] if len(groups) == 2 else None
            return first, None, groups[-1]
        if len(groups) == 2 and PROBLEMS.search(groups[1].text().text):
            return groups[0], groups[1], None
        if len(groups) == 2:
            return groups[0], None, groups[1]
        return (groups[0] if groups else None), None, None

    def leave_section(self, section: Section, reason: str) -> None:
        if section.heading is not None:
            self.result.leave(section.heading, reason)
        for para in section.paras:
            self.result.leave(para.span, reason)

    def heading(self, section: Section, part: str) -> str | None:
        """A section's heading, None when it is the template's default."""
        text = section.heading.text if section.heading is not None else None
        return None if text == DEFAULT_HEADINGS[part] else text

    # ── 一、肯定成绩 ────────────────────────────────────────────────────────────────────

    def read_achievements(self, section: Section | None) -> None:
        path = ("achievements", "items")
        if section is None:
            self.result.part("一、肯定成绩", False)
            self.achievements.update(heading=None, review=None)
            self.achievements["items"] = [{"point": placeholder("成绩要点")}]
            self.result.note(path, "原文中没有找到肯定成绩的部分，请填写")
            return
        found = _items(
            section.paras, examples_continue=True, refused="要"
        )  # 一要 is no achievement
        self.subheadings = found.subheadings
        intro = join(found.intro)
        lead = _AFFIRM_INTRO.search(intro.text)
        review = intro[: lead.start()] if lead else intro
        if lead is not None and intro[lead.end() :].strip(CLAUSE_END):
            self.result.leave(intro[lead.end() :], "这段文字在“以下几个特点：”之后，没有对应的字段")
        self.achievements["heading"] = self.heading(section, "achievements")
        self.achievements["review"] = review.strip(" \t\u3000，").text or None
        items = []
        for point, rest in found.items:
            items.append({"point": point.text, **achievement_body(rest)})
        self.achievements["items"] = items or [{"point": placeholder("成绩要点")}]
        for span in found.trailing:
            self.result.leave(span, "这一段在成绩部分，但不属于哪一项成绩")
        self.result.part(
            f"一、肯定成绩（{len(items)} 项）" if items else "一、肯定成绩", bool(items)
        )
        self.note_achievements(items, found.series, path)

    # ── 二、指出问题 ────────────────────────────────────────────────────────────────────

    def read_problems(self, section: Section | None) -> None:
        path = ("problems", "items")
        if section is None:
            self.result.part("二、指出问题", False)
            self.problems.update(heading=None, context=None, impact=None)
            self.problems["items"] = [{"point": placeholder("问题要点")}]
            self.result.note(path, "原文中没有找到指出问题的部分，请填写")
            return
        found = _items(section.paras, examples_continue=False)
        intro = join(found.intro)
        listed = _PROBLEMS_LIST.search(intro.text)
        context = CONTEXT.search(intro.text, 0, listed.start() if listed else len(intro))
        self.problems["heading"] = self.heading(section, "problems")
        self.problems["context"] = context["context"] if context else None
        if listed is not None and intro[listed.end() :].strip(CLAUSE_END):
            self.result.leave(
                intro[listed.end() :], "这段文字在“以下几个方面：”之后，没有对应的字段"
            )
        items = [{"point": point.text, "detail": rest.text or None} for point, rest in found.items]
        self.problems["items"] = items or [{"point": placeholder("问题要点")}]
        body, impact, extra = split_impact(join(found.trailing))
        self.problems["impact"] = impact
        for span in [body, *extra]:
            self.result.leave(span, "这段文字在问题部分，但不属于哪一个问题")
        self.result.part(
            f"二、指出问题（{len(items)} 个）" if items else "二、指出问题", bool(items)
        )
        self.note_renumbered(found.series, "是", path)

    # ── 三、提出要求 ────────────────────────────────────────────────────────────────────

    def read_requirements(self, section: Section | None) -> list[Span]:
        """Read the requirements; return the closing paragraphs after them."""
        path = ("requirements", "items")
        if section is None:
            self.result.part("三、提出要求", False)
            self.requirements.update(heading=None, theme=None)
            self.requirements["items"] = [{"point": placeholder("要求要点")}]
            self.result.note(path, "原文中没有找到提出要求的部分，请填写")
            return []
        paras = list(section.paras)
        theme = None
        if paras and marker_at(paras[0].text) is None and not is_heading(paras[0].text, H2):
            intro = paras.pop(0).span.without(LINE_BREAK)
            lead = _REQUIREMENTS_INTRO.search(intro.text)
            theme = (intro[: lead.start()] if lead else intro).strip(CLAUSE_END).text
            if lead is None:
                self.result.note(
                    ("requirements", "theme"),
                    "原文这一段不是“……着力抓好以下几项工作：”，已整段放在这里",
                )
        self.requirements["heading"] = self.heading(section, "requirements")
        self.requirements["theme"] = None if theme in (None, "", _NEXT_STEP) else theme
        points, closing = self.requirement_points(paras, path, closing_after=True)
        self.requirements["items"] = points
        listed = points[0]["point"] != placeholder("要求要点")
        self.result.part(f"三、提出要求（{len(points)} 条）" if listed else "三、提出要求", listed)
        return closing
