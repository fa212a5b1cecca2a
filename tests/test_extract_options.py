"""Every pack's options survive extract: render a variant → extract → render gives the same text.

Each case changes the pack's example form the way a writer would (another opening, a higher
speaker, a previous speaker, optional parts left out, a single item) and checks that drafter
extract picks the pack unaided and that the form it writes renders the same speech.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from drafter.config.located_yaml import load_located

from .conftest import CONFIGS, run_cli

Render = Callable[[Path], str]
Edit = dict[str, Any]
DROP = object()

CASES: list[tuple[str, str, Edit]] = [
    *(
        ("review-commentary", opening, {"meeting.opening": opening})
        for opening in ("根据会议安排", "受委托", "很高兴参加", "直接开场")
    ),
    (
        "review-commentary",
        "higher",
        {"meeting.standing": "上级", "meeting.on_behalf": "县委第一督导组"},
    ),
    ("review-commentary", "verb", {"assessment.verb": "总体感觉"}),
    ("review-commentary", "speaker-found", {"problems.source": "点评人发现"}),
    ("review-commentary", "both-found", {"problems.source": "两者结合"}),
    ("review-commentary", "attribution", {"assessment.attribution": "各级党组织共同努力"}),
    ("review-commentary-3part", "required", {"meeting.opening": "按照统一要求"}),
    (
        "review-commentary-3part",
        "higher",
        {"meeting.standing": "上级", "meeting.on_behalf": "市委督导组"},
    ),
    ("democratic-life-commentary", "inspection", {"meeting.kind": "巡察整改"}),
    ("democratic-life-commentary", "theme", {"meeting.kind": "主题教育"}),
    ("democratic-life-commentary", "no-problems", {"problems": DROP}),
    ("democratic-life-commentary", "verb", {"assessment.verb": "总的感觉是"}),
    ("org-life-commentary", "no-organizer", {"meeting.organizer": DROP}),
    ("org-life-commentary", "no-problems", {"problems": DROP, "meeting.appraisal": DROP}),
    ("commendation-speech", "occasion", {"meeting.occasion": "第41个教师节到来"}),
    ("commendation-speech", "no-hopes", {"hopes": DROP}),
    (
        "commendation-speech",
        "more-sections",
        {
            "sections": [
                {
                    "heading": "关心关爱教师，营造尊师重教的良好氛围",
                    "intro": "各级各部门要把关心教师的各项政策落到实处",
                    "points": [
                        {
                            "point": "保障教师待遇",
                            "detail": "确保教师平均工资不低于公务员平均工资。",
                        },
                        {"point": "减轻教师负担", "detail": "清理规范进校园事项。"},
                    ],
                }
            ]
        },
    ),
    ("review-one-by-one", "no-requirements", {"requirements": DROP}),
    ("inspection-commentary", "no-ranking-no-gaps", {"ranking": DROP, "gaps": DROP}),
    ("work-deployment", "no-achievements", {"achievements": DROP, "meeting.previous": DROP}),
    ("work-deployment", "no-situation", {"situation": DROP, "leadership": DROP}),
    (
        "work-deployment",
        "tasks-only",
        {"achievements": DROP, "situation": DROP, "leadership": DROP},
    ),
    ("inspection-commentary", "one-highlight", {"highlights.items": "FIRST"}),
    ("review-one-by-one", "one-reporter", {"reviews": "FIRST", "requirements": DROP}),
]


def edited(pack: str, edit: Edit, folder: Path) -> Path:
    """The pack's example form with `edit` (dotted paths; DROP removes a key) applied."""
    data = yaml.safe_load((CONFIGS / f"{pack}.example.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    for path, value in edit.items():
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target.setdefault(key, {})
        if value is DROP:
            target.pop(last, None)
        elif value == "FIRST":
            target[last] = target[last][:1]
        else:
            target[last] = value
    form = folder / f"{pack}.yaml"
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return form


@pytest.mark.parametrize(("pack", "name", "edit"), CASES, ids=[f"{p}-{n}" for p, n, _ in CASES])
def test_an_option_comes_back_from_extract(
    pack: str, name: str, edit: Edit, tmp_path: Path, render_text: Render
) -> None:
    form = edited(pack, edit, tmp_path)
    speech = tmp_path / f"{name}.txt"
    speech.write_text(render_text(form), encoding="utf-8")
    extracted = tmp_path / "extracted.yaml"
    result = run_cli("extract", speech, "-o", extracted)
    assert result.exit_code == 0, result.stderr
    assert load_located(extracted).data["template"] == pack
    assert render_text(extracted) == render_text(form)
