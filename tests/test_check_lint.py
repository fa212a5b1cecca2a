"""The linter's parts: structure checks on the document model, locating in forms, check_draft."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from drafter.config.located_yaml import load_located
from drafter.lint import check_draft, lint, lint_text
from drafter.lint.form_source import read_form_source
from drafter.lint.rules import builtin_rules
from drafter.lint.sources import text_source
from drafter.pipeline import draft_speech

from .conftest import EXAMPLE, REFERENCE

DAY = dt.date(2026, 11, 28)


def rule_ids(text: str, day: dt.date = DAY) -> list[str]:
    return [finding.rule.id for finding in lint_text(text, day)]


def test_check_draft_gives_render_located_diagnostics_from_the_form() -> None:
    draft = draft_speech(EXAMPLE)
    found = check_draft(EXAMPLE, draft.document, DAY)
    tifa = [d for d in found if "[tifa.19da-spirit]" in d.message]
    assert [(d.path, d.line, d.column, d.severity) for d in tifa] == [
        (str(EXAMPLE), 80, 46, "warning")
    ]
    assert tifa[0].format().endswith("(建议: 党的二十大精神)")


def test_check_draft_takes_a_loaded_form_and_defaults_to_the_form_date() -> None:
    form = load_located(EXAMPLE)
    found = check_draft(form, draft_speech(EXAMPLE).document)
    assert not [d for d in found if "[tifa." in d.message or "[structure." in d.message]


def test_the_simplified_model_speech_has_no_script_findings() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert not [r for r in rule_ids(text) if r.startswith("script.")]


def test_a_series_nested_in_a_point_is_not_a_gap() -> None:
    text = "一是学习不够。一是学得不深，二是学得不实。二是落实不够。三是考核不严。"
    assert "structure.numbering" not in rule_ids(text)


def test_a_repeated_ordinal_is_flagged() -> None:
    found = lint_text("一是学习不够。二是落实不够。二是考核不严。", DAY)
    assert [f.message for f in found if f.rule.id == "structure.numbering"] == [
        "序号不连续：“二是”与前面的“二是”重复或顺序颠倒"
    ]


def test_ordinals_inside_words_are_not_series() -> None:
    text = "按照党委统一要求，思想统一是前提。三要素缺一不可。第一责任人要尽责。"
    assert "structure.numbering" not in rule_ids(text)


def test_section_headings_that_skip_are_flagged_at_the_heading_line() -> None:
    found = lint_text("标题\n一、抓学习\n内容。\n三、抓落实\n内容。", DAY)
    gap = [f for f in found if f.rule.id == "structure.numbering"]
    assert [(f.line, f.column) for f in gap] == [(4, 1)]
    assert "缺少“二、”" in gap[0].message


def test_count_claim_counts_the_run_in_series_that_follows() -> None:
    found = lint_text("存在的问题主要有以下三个方面：一是学习不够。二是落实不力。", DAY)
    claim = [f for f in found if f.rule.id == "structure.count-claims"]
    assert claim and claim[0].suggestion == "以下两个方面"


def test_review_year_within_a_year_of_the_speech_is_fine() -> None:
    assert "structure.review-year" not in rule_ids("2025年，工作成效显著。", dt.date(2026, 1, 20))
    assert "structure.review-year" in rule_ids("2023年，工作成效显著。", dt.date(2026, 1, 20))


def test_review_year_is_judged_on_the_date_printed_in_a_text() -> None:
    text = "点评讲话\n（2021年1月26日）\n2020年，工作成效显著。"
    source = text_source(text, "speech.txt")
    assert source.date == dt.date(2021, 1, 26)


def test_unbalanced_marks_are_located_at_the_lonely_mark() -> None:
    found = lint_text("积极参加“学习强国知识学习，落实《党章》）。", DAY)
    where = [(f.column, f.message) for f in found if f.rule.id == "punct.unbalanced"]
    assert where == [(5, "「“」没有与之配对的「”」"), (21, "「）」没有与之配对的「（」")]


def test_escaped_form_values_are_located_but_never_edited(tmp_path: Path) -> None:
    form = tmp_path / "escaped.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "reporters: 各位党组织书记", 'reporters: "各位\\u515a组织書记,"'
    )
    form.write_text(text, encoding="utf-8")
    found = lint(read_form_source(form), builtin_rules(), DAY)
    traditional = [f for f in found if f.rule.id == "script.traditional"]
    assert [(f.line, f.edit) for f in traditional] == [(21, None)]


def test_traditional_prefilter_flags_everything_opencc_would_change() -> None:
    from drafter.lint.text_rules import _to_simplified, convertible_characters

    from .conftest import MODEL_ORIGINAL

    text = MODEL_ORIGINAL.read_text(encoding="utf-8")
    simplified = _to_simplified()(text)
    changed = {a for a, b in zip(text, simplified, strict=True) if a != b}
    assert changed and changed <= convertible_characters()


def test_a_simplified_draft_is_checked_without_loading_the_table(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from .conftest import EXAMPLE

    probe = (
        "import sys\n"
        "from drafter.pipeline import draft_speech\n"
        "from drafter.lint import check_draft\n"
        f"draft = draft_speech({str(EXAMPLE)!r})\n"
        "check_draft(draft.form, draft.document)\n"
        "print('drafter.cn.traditional' in sys.modules)\n"
    )
    env = {**os.environ, "DRAFTER_CACHE_DIR": str(tmp_path)}
    env.pop("DRAFTER_NO_CACHE", None)
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"], runs[1].stderr
