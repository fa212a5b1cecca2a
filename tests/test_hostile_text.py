"""Text that is huge or odd: invisible characters, runs of spaces, thousands of fixes, soft
line breaks. Each is reported where the writer sees it and none makes a command crawl."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import docx
import yaml

from drafter.lint import lint_text

from .conftest import EXAMPLE, REFERENCE, run_cli, run_drafter

AFTER_20TH_CONGRESS = dt.date(2026, 11, 29)
GUARD = 120  # seconds: catches a hang, not a timing test


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """drafter in a subprocess under a generous wall-clock guard."""
    return run_drafter(*args, timeout=GUARD)


def _found(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(f.rule.id, f.line, f.column) for f in lint_text(text, AFTER_20TH_CONGRESS)]


# ---------------------------------------------------------------- invisible characters


def test_a_zero_width_space_is_reported_and_does_not_hide_a_phrase() -> None:
    found = _found("学习党的十九\u200b大精神。")
    assert ("script.invisible", 1, 7) in found
    assert ("tifa.19da-spirit", 1, 3) in found


def test_bidi_controls_are_reported_at_their_column() -> None:
    found = _found("同志们：\n各基层\u202e党组织\u2066要落实\u2069。")
    invisible = [where for where in found if where[0] == "script.invisible"]
    assert invisible == [("script.invisible", 2, column) for column in (4, 8, 12)]


def test_a_rule_after_an_invisible_character_is_located_in_the_original_text() -> None:
    found = _found("大家\u200b\ufeff准备得很充分,总结成绩实事求是")
    assert ("punct.halfwidth-comma", 1, 11) in found
    assert ("script.invisible", 1, 3) in found


def test_check_fix_removes_invisible_characters_and_fixes_what_they_hid(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text("同志们：\n大家\u200b准备得很充分,总结\u2060成绩实事求是。\n", encoding="utf-8")
    result = run_cli("check", "--fix", path)
    assert "[script.invisible]" in result.output and "[punct.halfwidth-comma]" in result.output
    assert path.read_text(encoding="utf-8") == "同志们：\n大家准备得很充分，总结成绩实事求是。\n"


def test_a_fix_spanning_an_invisible_character_is_reported_but_not_applied() -> None:
    findings = lint_text("大家准备得很充分 \u200b, 总结", AFTER_20TH_CONGRESS)
    comma = [f for f in findings if f.rule.id == "punct.halfwidth-comma"]
    assert [(f.line, f.column) for f in comma] == [(1, 9)]
    assert comma[0].edit is None  # the space and comma are not side by side in the file


# ---------------------------------------------------------------- runs of spaces

_SPACES_SCRIPT = """
import datetime as dt
from drafter.lint import lint_text
day = dt.date(2026, 1, 1)
texts = (
    "中文" + " " * 300_000 + "x,y",
    "a" + " \\t" * 150_000 + ";b",
    "中文," + " " * 300_000 + "x",
    "书(shū" + " " * 300_000 + "x",  # pinyin rule: no closing bracket after a run of spaces
    "书(shū " + "abcd " * 40 + "x",  # nor after many toneless syllables
    "书(shū " + "abcd " * 40 + ")记",
    "见(" + "中" * 300_000,  # half-width brackets: an unclosed ( before a long Chinese text
    "见(" + "中" * 300_000 + ")",
)
for text in texts:
    print(sorted({f.rule.id for f in lint_text(text, day)}))
"""


def test_runs_of_spaces_and_letters_do_not_make_text_rules_crawl() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SPACES_SCRIPT],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=GUARD,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[]",
        "[]",
        "['punct.halfwidth-comma']",
        "[]",
        "[]",
        "['script.pinyin']",
        "['structure.long-paragraph']",  # 300,000 characters: far over three minutes
        "['punct.halfwidth-parentheses', 'structure.long-paragraph']",
    ]


# ---------------------------------------------------------------- many fixes, long texts


def test_check_fix_applies_a_hundred_thousand_fixes_to_a_text(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text("同志们：\n" + ("中文,中文" * 10 + "。\n") * 12_000, encoding="utf-8")
    result = _run("check", "--fix", path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("[punct.halfwidth-comma]") == 120_000
    assert path.read_text(encoding="utf-8") == "同志们：\n" + ("中文，中文" * 10 + "。\n") * 12_000


def test_check_fix_applies_many_fixes_inside_one_word_run(tmp_path: Path) -> None:
    path = tmp_path / "speech.docx"
    document = docx.Document()
    document.add_paragraph("同志们：")
    document.add_paragraph("中文,中文" * 10_000 + "。")
    document.save(str(path))
    result = _run("check", "--fix", path)
    assert result.returncode == 1, result.stderr  # what is left: the paragraph's length
    left = set(re.findall(r": (?:警告|错误): \[([a-z.-]+)\] ", result.stdout))
    assert left == {"structure.long-paragraph"}, result.stdout[-2000:]
    assert docx.Document(str(path)).paragraphs[1].text == "中文，中文" * 10_000 + "。"


def test_check_fix_applies_many_fixes_inside_one_form_value(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["assessment"]["review"] = "中文,中文" * 10_000 + "。"
    path = tmp_path / "form.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8"
    )
    result = _run("check", "--fix", path)
    assert "Traceback" not in result.stderr
    fixed = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert fixed["assessment"]["review"] == "中文，中文" * 10_000 + "。"


def test_extract_reads_a_long_text_in_reasonable_time(tmp_path: Path) -> None:
    speech = tmp_path / "long.txt"
    body = REFERENCE.read_text(encoding="utf-8")
    speech.write_text(body * (400_000 // len(body.encode("utf-8")) + 1), encoding="utf-8")
    result = _run(
        "extract", speech, "-o", tmp_path / "long.yaml", "--template", "review-commentary"
    )
    assert result.returncode == 0, result.stderr
    form = yaml.safe_load((tmp_path / "long.yaml").read_text(encoding="utf-8-sig"))
    assert form["template"].startswith("review-commentary")


# ---------------------------------------------------------------- soft line breaks


def _speech_with_soft_breaks(path: Path) -> Path:
    """The model speech as Word has it, with soft line breaks and a web page's header lines."""
    document = docx.Document()
    header = document.add_paragraph()
    header.add_run("发布时间：2021-01-26").add_break()
    header.add_run("来源：某某网站\u2029点击：\x85100")
    lines = [line for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, line in enumerate(lines):
        paragraph = document.add_paragraph()
        if number == 4:
            paragraph.add_run(line[:10]).add_break()
            paragraph.add_run(line[10:] + "\u2028")
        else:
            paragraph.add_run(line)
    document.save(str(path))
    return path


def test_an_extracted_form_with_soft_breaks_checks_and_renders(tmp_path: Path) -> None:
    speech = _speech_with_soft_breaks(tmp_path / "speech.docx")
    form = tmp_path / "form.yaml"
    extracted = run_cli("extract", speech, "-o", form)
    assert extracted.exit_code == 0, extracted.output
    text = form.read_text(encoding="utf-8-sig")
    assert not any(mark in text for mark in "\u2028\u2029\x85")
    assert "#   第 1 行第 1 列：发布时间：2021-01-26 来源：某某网站 点击： 100" in text
    checked = run_cli("check", form)
    assert checked.exit_code in (0, 1) and "错误: " not in checked.stderr, checked.output
    rendered = run_cli("render", form, "-o", tmp_path / "out")
    assert rendered.exit_code == 0, rendered.output
