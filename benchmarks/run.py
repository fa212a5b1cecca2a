"""Measure drafter's speed and memory, and compare with docxtpl; prints a Markdown table.

Run from the repository root:  python benchmarks/run.py [--quick] [--write]
Needs the bench extra (`pip install ".[bench]"`: docxtpl, psutil). `--write` saves the table to
benchmarks/RESULTS.md with the date and the machine's core count.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "configs" / "review-commentary.example.yaml"
DOCXTPL_TEMPLATE = Path(__file__).with_name("docxtpl_speech.docx")
RESULTS = Path(__file__).with_name("RESULTS.md")

TARGETS = {
    "cold": 1.3,  # cold render ≤ 1.3× the floor
    "throughput": 2.0,  # warm throughput ≥ 2× docxtpl
    "scale10": 3.0,  # 10× content ≤ 3× the per-document time
    "scale100": 25.0,  # 100× content ≤ 25×
    "rss": 1.10,  # RSS after 1,000 renders within 10% of after 100
    "help_ms": 150.0,  # drafter --help under 150 ms
    "check_s": 0.3,  # warm `drafter check` of a 10,000-character speech under 0.3 s
}
CHECK_CHARACTERS = 10_000


# A writer's install has compiled bytecode (pip writes it); measure that, not a machine that
# forbids .pyc files, and let drafter keep its compiled-template cache as it does for them.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}


def wall_time(command: list[str], cwd: Path = ROOT) -> float:
    """Seconds one run of a command takes."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=ENVIRONMENT)
    return time.perf_counter() - start


def wall_times(command: list[str], runs: int) -> list[float]:
    """Wall times of a command, one per run, after one unmeasured run that fills the caches."""
    wall_time(command)
    return [wall_time(command) for _ in range(runs)]


def cold_render(runs: int) -> tuple[float, float]:
    """Median cold `drafter render` and the python-docx floor, measured alternately."""
    drafter_times, floor_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        render = [sys.executable, "-m", "drafter", "render", str(EXAMPLE), "-o", tmp, "--force"]
        floor = [sys.executable, "-c", f"import docx; docx.Document().save({tmp!r} + '/p.docx')"]
        wall_time(render), wall_time(floor)  # bytecode and template caches, as after install
        for _ in range(runs):
            drafter_times.append(wall_time(render))
            floor_times.append(wall_time(floor))
    return statistics.median(drafter_times), statistics.median(floor_times)


def help_time(runs: int) -> float:
    return statistics.median(wall_times([sys.executable, "-m", "drafter", "--help"], runs))


def scaled_form(factor: int, directory: Path) -> Path:
    """The example with achievements and sections repeated: 10× is 30 and 30 × 3 points."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for key, items in (("achievements", data["achievements"]),):
        data[key] = [copy.deepcopy(items[i % len(items)]) for i in range(3 * factor)]
    sections = data["measures"]["sections"]
    data["measures"]["sections"] = [copy.deepcopy(sections[i % 3]) for i in range(3 * factor)]
    path = directory / f"scaled-{factor}x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def per_document(render: Callable[[], object], count: int) -> float:
    """Mean seconds per call after one warm-up call."""
    render()
    start = time.perf_counter()
    for _ in range(count):
        render()
    return (time.perf_counter() - start) / count


def scaling(forms: dict[int, Path], rounds: int) -> dict[int, float]:
    """Median seconds per document for each size, the sizes measured in alternating rounds.

    The machine's speed drifts during a run; alternating the sizes within each round lets
    the drift hit all of them alike, so their ratios hold even when absolute times move.
    """
    renders = {factor: drafter_warm(form) for factor, form in forms.items()}
    for render in renders.values():
        render()
    samples: dict[int, list[float]] = {factor: [] for factor in forms}
    for _ in range(rounds):
        for factor, render in renders.items():
            count = max(1, 20 // factor)
            start = time.perf_counter()
            for _ in range(count):
                render()
            samples[factor].append((time.perf_counter() - start) / count)
    return {factor: statistics.median(times) for factor, times in samples.items()}


def drafter_warm(form: Path) -> Callable[[], bytes]:
    from drafter.api import render_form

    return lambda: render_form(form)


def long_speech(directory: Path, characters: int = CHECK_CHARACTERS) -> Path:
    """A .txt speech of about `characters` characters: the example's body, its paragraphs repeated.

    Real web noise is mixed in (a traditional word, pinyin, a straight quote) so the checks
    that clean the text do their work, as they would on a pasted speech.
    """
    from drafter.api import render_form

    text = render_form(EXAMPLE, "txt").decode("utf-8")
    paragraphs = [line for line in text.splitlines() if line.strip()][3:]
    noisy = ["要堅定四個自信。", "深入学习二十(èr shí)大精神。", '开展"三会一课"。']
    body: list[str] = []
    written = 0
    for count in range(characters):  # far more rounds than needed: stops at `characters`
        added = paragraphs[count % len(paragraphs)] + noisy[count % len(noisy)]
        body.append(added)
        written += len(added)
        if written >= characters:
            break
    path = directory / "long-speech.txt"
    path.write_text("\n".join(["同志们：", *body]) + "\n", encoding="utf-8")
    return path


def check_warm(speech: Path) -> Callable[[], object]:
    """`drafter check` of one file in a process that has checked before (rules read)."""
    from drafter.commands.check import CheckOptions, check_file
    from drafter.lint.rules import load_rules

    rules = load_rules(())
    options = CheckOptions()
    return lambda: check_file(speech, rules, options)


def docxtpl_context(data: dict[str, Any]) -> dict[str, Any]:
    """What a docxtpl user computes in Python to fill the same speech."""
    from drafter.cn.dates import cn_date
    from drafter.cn.numerals import cn_count, cn_number
    from drafter.cn.phrasing import clause, sentence

    meeting, assessment = data["meeting"], data["assessment"]
    opening = (
        f"按照{meeting['organizer']}统一要求，今天我们召开{meeting['name']}，{clause(meeting['purpose'])}。"
        f"刚才，{meeting['reporters']}就{meeting['topic']}进行了述职，总的感到，"
        f"{'，'.join(map(clause, assessment['impressions']))}，{clause(assessment['conclusion'])}。"
        f"{sentence(assessment['review'])}主要呈现出以下几个特点："
    )
    achievements = [
        {
            "lead": f"{cn_number(i)}是{clause(a['point'])}。",
            "body": sentence(a.get("detail", ""))
            + ("比如，" + "".join(e["who"] + sentence(e["did"]) for e in a["examples"])),
        }
        for i, a in enumerate(data["achievements"], 1)
    ]
    problems = data["problems"]
    sections = data["measures"]["sections"]
    return {
        "title": data["title"],
        "date_line": f"（{cn_date(str(data['date']))}）",
        "opening": opening,
        "achievements": achievements,
        "problems_intro": f"在肯定成绩的同时，也要清醒地看到，{problems['context']}，"
        f"我们的工作仍存在不少差距和不足。刚才{meeting['reporters']}也都分别查摆了自己在"
        f"{meeting['topic']}中的主要问题，集中表现在：",
        "problems": [
            {"lead": f"{cn_number(i)}是{p['point']}。", "detail": sentence(p["detail"])}
            for i, p in enumerate(problems["items"], 1)
        ],
        "problems_outro": f"{problems['impact']}，必须引起高度重视，采取有力措施，切实加以解决。"
        f"下面，就{data['measures']['theme']}，我讲{cn_count(len(sections))}点意见。",
        "sections": [
            {
                "heading": f"{cn_number(i)}、{s['heading']}",
                "points": [
                    {"lead": f"{cn_number(j)}要{p['point']}。", "detail": sentence(p["detail"])}
                    for j, p in enumerate(s["points"], 1)
                ],
            }
            for i, s in enumerate(sections, 1)
        ],
        "thanks": "谢谢大家！",
    }


def docxtpl_warm(form: Path) -> Callable[[], bytes]:
    from docxtpl import DocxTemplate

    template = DOCXTPL_TEMPLATE.read_bytes()

    def render() -> bytes:
        data = yaml.safe_load(form.read_text(encoding="utf-8"))
        document = DocxTemplate(io.BytesIO(template))
        document.render(docxtpl_context(data))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return render


RSS_PROBE = """
import json, sys
from drafter.api import render_form
try:
    import resource
    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
except ImportError:  # Windows
    import psutil
    def peak():
        return psutil.Process().memory_info().peak_wset
marks = {}
for i in range(1, 1001):
    render_form(sys.argv[1])
    if i in (100, 1000):
        marks[i] = peak()
print(json.dumps(marks))
"""


def peak_rss() -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(EXAMPLE)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    parser.add_argument("--write", action="store_true", help="save the table to RESULTS.md")
    args = parser.parse_args()
    cold_runs, warm_count = (3, 20) if args.quick else (15, 500)

    cold, floor = cold_render(cold_runs)
    help_ms = help_time(cold_runs) * 1000
    ours = per_document(drafter_warm(EXAMPLE), warm_count)
    theirs = per_document(docxtpl_warm(EXAMPLE), warm_count)
    with tempfile.TemporaryDirectory() as tmp:
        sizes = {1: EXAMPLE, **{f: scaled_form(f, Path(tmp)) for f in (10, 100)}}
        scale = scaling(sizes, rounds=5 if args.quick else 25)
    t1, t10, t100 = scale[1], scale[10], scale[100]
    per_unit = (t100 - t10) / 90  # the cost of one more "1×" of content
    with tempfile.TemporaryDirectory() as tmp:
        speech = long_speech(Path(tmp))
        check_seconds = per_document(check_warm(speech), 5 if args.quick else 30)
        check_size = len(speech.read_text(encoding="utf-8"))
    rss = peak_rss()
    rss_ratio = rss["1000"] / rss["100"]

    rows = [
        (f"cold `drafter render` (median of {cold_runs})", f"{cold * 1000:.0f} ms",
         f"floor {floor * 1000:.0f} ms → {cold / floor:.2f}×", f"≤ {TARGETS['cold']}×",
         verdict(cold / floor <= TARGETS["cold"])),
        (f"warm throughput ({warm_count} renders, public API)", f"{1 / ours:.1f} docs/s",
         f"docxtpl {1 / theirs:.1f} docs/s → {theirs / ours:.2f}×", f"≥ {TARGETS['throughput']}×",
         verdict(theirs / ours >= TARGETS["throughput"])),
        ("warm time per document, example (1×)", f"{t1 * 1000:.1f} ms", "", "", ""),
        ("warm time per document, 10× form", f"{t10 * 1000:.1f} ms", f"{t10 / t1:.1f}× of 1×",
         f"≤ {TARGETS['scale10']}×", verdict(t10 / t1 <= TARGETS["scale10"])),
        ("warm time per document, 100× form", f"{t100 * 1000:.1f} ms", f"{t100 / t1:.1f}× of 1×",
         f"≤ {TARGETS['scale100']}×", verdict(t100 / t1 <= TARGETS["scale100"])),
        ("each further 1× of content (from 10× to 100×)", f"{per_unit * 1000:.2f} ms",
         f"fixed part of a document ≈ {(t1 - per_unit) * 1000:.2f} ms", "", ""),
        ("peak RSS after 100 / 1,000 renders",
         f"{rss['100'] / 2**20:.1f} / {rss['1000'] / 2**20:.1f} MiB", f"{rss_ratio:.3f}×",
         f"≤ {TARGETS['rss']:.2f}×", verdict(rss_ratio <= TARGETS["rss"])),
        (f"`drafter --help` (median of {cold_runs})", f"{help_ms:.0f} ms", "",
         f"< {TARGETS['help_ms']:.0f} ms", verdict(help_ms < TARGETS["help_ms"])),
        (f"warm `drafter check`, {check_size:,}-character speech (.txt)",
         f"{check_seconds * 1000:.0f} ms", "", f"< {TARGETS['check_s'] * 1000:.0f} ms",
         verdict(check_seconds < TARGETS["check_s"])),
    ]  # fmt: skip
    lines = [
        "| measure | drafter | comparison | target | met |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
    ]
    header = (
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
        + (" (quick run)" if args.quick else "")
    )
    table = "\n".join([header, "", *lines])
    print(table)
    if args.write:
        previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        notes = previous.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in previous else "\n"
        RESULTS.write_text(
            f"# Benchmark results\n\n{table}\n\n<!-- notes -->{notes}", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
