"""Whatever a writer does to a form, drafter writes a sound .docx or says where the form is wrong.

The example form is mutated the way forms get damaged (lines deleted or duplicated, values
swapped for lists or mappings, stray Unicode pasted in, the file cut short) and rendered
through the command line. Profile `fuzz-ci` (the default) runs 2,000 examples;
DRAFTER_FUZZ_PROFILE=fuzz-quick runs 200 while developing.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import docx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLE, run_cli

settings.register_profile(
    "fuzz-ci",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("fuzz-quick", settings.get_profile("fuzz-ci"), max_examples=200)
FUZZ = settings.get_profile(os.environ.get("DRAFTER_FUZZ_PROFILE", "fuzz-ci"))

LINES = EXAMPLE.read_text(encoding="utf-8").split("\n")
KEY_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+:)(.*)$")
KEYED = [i for i, line in enumerate(LINES) if KEY_LINE.match(line)]

# What writers paste or mistype: YAML's own symbols, full-width look-alikes, Word's controls,
# lone surrogates, and any other character at all.
SYMBOLS = list(":-#&*!|>'\"%@`[]{},?\t \u3000：，\ufeff\x85\u2028\x0b\x00\x0c")
STRAY = st.text(
    st.sampled_from(SYMBOLS)
    | st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"])
    | st.characters(),
    max_size=12,
)
VALUES = st.sampled_from(
    [
        " [a, b]",
        " {k: v}",
        " 2021",
        "",
        " ~",
        " true",
        " - x",
        " '[1]'",
        " |",
        " *x",
        " &a x",
        " 1e3",
    ]
)

Draw = Callable[..., object]


def delete_line(draw: Draw, lines: list[str]) -> None:
    del lines[draw(st.integers(0, len(lines) - 1))]


def duplicate_line(draw: Draw, lines: list[str]) -> None:
    index = draw(st.integers(0, len(lines) - 1))
    lines.insert(index + 1, lines[index])


def swap_value(draw: Draw, lines: list[str]) -> None:
    index = draw(st.sampled_from(KEYED))
    match = KEY_LINE.match(lines[index]) if index < len(lines) else None
    if match:
        lines[index] = f"{match.group(1)}{draw(VALUES)}"


def insert_stray(draw: Draw, lines: list[str]) -> None:
    index = draw(st.integers(0, len(lines) - 1))
    column = draw(st.integers(0, len(lines[index])))
    line = lines[index]
    lines[index] = line[:column] + str(draw(STRAY)) + line[column:]


def insert_surrogate(draw: Draw, lines: list[str]) -> None:
    """A lone surrogate, as a broken copy and paste leaves: the file is no longer UTF-8."""
    index = draw(st.integers(0, len(lines) - 1))
    column = draw(st.integers(0, len(lines[index])))
    line = lines[index]
    lines[index] = line[:column] + str(draw(st.characters(categories=["Cs"]))) + line[column:]


def shift_indent(draw: Draw, lines: list[str]) -> None:
    index = draw(st.integers(0, len(lines) - 1))
    lines[index] = " " * draw(st.integers(0, 3)) + lines[index].lstrip(" ")


MUTATIONS = [delete_line, duplicate_line, swap_value, insert_stray, shift_indent, insert_surrogate]


@st.composite
def damaged_forms(draw: Draw) -> bytes:
    lines = list(LINES)
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        mutation(draw, lines)
    raw = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    # Now and then the file is cut short. Hypothesis leans towards small numbers, so "cut"
    # is the rare 9 and the cut is counted from the end.
    if draw(st.integers(0, 9)) == 9:
        raw = raw[: len(raw) - draw(st.integers(1, len(raw)))]
    return raw


def render(raw: bytes, folder: Path) -> tuple[Path, object]:
    form = folder / "form.yaml"
    form.write_bytes(raw)
    return form, run_cli("render", form, "-f", "txt", "-f", "docx", "-o", folder / "out")


# A byte-order mark in front of a key, as when two saved files are pasted together.
STRAY_BOM = "\n".join(LINES).replace("\nmeeting:", "\n\ufeffmeeting:").encode("utf-8")


@settings(FUZZ)
@given(damaged_forms())
@example(STRAY_BOM)
def test_damaged_form_gives_a_sound_docx_or_a_located_refusal(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        form, result = render(raw, Path(tmp))
        exit_code, stderr = result.exit_code, result.stderr  # type: ignore[attr-defined]
        if exit_code == 0:
            speech = docx.Document(str(Path(tmp) / "out" / "form.docx"))
            assert any(p.text.strip() for p in speech.paragraphs)
        elif exit_code == 1:  # the damage reads as a placeholder (X镇, 第X次): render stops there
            assert "讲话稿中还有待填写的占位符，已停止生成" in stderr, stderr
            placeholders = re.compile(rf"{re.escape(str(form))}:\d+:\d+: 错误: \[placeholder\.")
            assert any(placeholders.match(line) for line in stderr.splitlines()), stderr
            assert not (Path(tmp) / "out" / "form.docx").exists()
        else:
            assert exit_code == 2, (result.exception, stderr)  # type: ignore[attr-defined]
            errors = [line for line in stderr.splitlines() if ": 错误: " in line]
            located = re.compile(rf"{re.escape(str(form))}:\d+(:\d+)?: 错误: \S")
            assert errors and all(located.match(line) for line in errors), stderr


def test_control_characters_from_word_never_reach_the_docx(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("XXX党委\n", "XXX\x0b党\x00委\x07\n", 1)
    escaped = '  purpose: "会议\\v意义\\x01"'  # YAML escapes for VT and SOH
    text = re.sub(r"(?m)^  purpose: .*$", lambda _: escaped, text)
    form, result = render(text.encode("utf-8"), tmp_path)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    said = result.stderr.splitlines()  # type: ignore[attr-defined]
    warnings = [w.split(": 警告")[0] for w in said if ": 警告: 删除了不可见的控制字符" in w]
    assert warnings == [f"{form}:18:17", f"{form}:20:12"]
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "out" / "form.docx")).paragraphs]
    assert any("按照XXX党委统一要求" in p and "会议意义" in p for p in paragraphs)
