"""A shared pack cannot exhaust memory or time: every text, loop and render is under a budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.packs import sandbox
from drafter.packs.sandbox import MAX_TEXT

from .hostile import assert_clean_refusal, needs_rlimit, run_limited
from .test_sandbox import render_with, write_pack

TOO_LARGE = "过长的文字或过大的数"
TOO_LONG = "步数或时间超出上限"

MEMORY = [
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '{0:>999999999}'.format(1) }}",
    "{{ '{:{w}}'.format(1, w=10**9) }}",
    "{{ '{0:>999999999}'.format_map({}) }}",
    "{{ 'ab'|indent(999999999) }}",
    "{{ ('a\\tb' * 10000).expandtabs(100000) }}",
    "{{ ('x' * 100000)|replace('x', 'x' * 100000) }}",
    "{{ ('x' * 100000).replace('x', 'x' * 100000) }}",
    "{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(40) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}"
    "{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}",
    "{% set a = 'x' * 100000 %}" + "{% set a = a ~ a %}" * 20 + "{{ a|length }}",
    "{% set a = ['x' * 100000] * 100000 %}{{ a|join }}",
    "{% set x %}{% for i in range(10000) %}{{ 'y' * 100000 }}{% endfor %}{% endset %}{{ x }}",
    "{% set x %}{% for i in range(90000) %}" + "x" * 100 + "{% endfor %}{% endset %}{{ x|length }}",
    "{% macro big() %}{{ 'x' * 100000 }}{% endmacro %}{% for i in range(1000) %}{{ big() }}{% endfor %}",
]
TIME = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% endif %}{% endmacro %}{{ d(60) }}",
    "{% set l = range(100000)|list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
]


@needs_rlimit
@pytest.mark.parametrize("payload", MEMORY)
def test_a_template_cannot_exhaust_memory(tmp_path: Path, payload: str) -> None:
    pack, form = write_pack(tmp_path, f"<title>{{{{ title }}}}</title>\n<p>{payload}</p>\n")
    result = run_limited("render", form, "--template", pack, "-f", "txt", "-o", tmp_path / "out")
    assert_clean_refusal(result, TOO_LARGE, "speech.j2:2:")
    assert not (tmp_path / "out").exists()


@needs_rlimit
@pytest.mark.parametrize("payload", TIME)
def test_a_template_cannot_run_for_ever(tmp_path: Path, payload: str) -> None:
    pack, form = write_pack(tmp_path, f"<title>{{{{ title }}}}</title>\n<p>{payload}</p>\n")
    result = run_limited("render", form, "--template", pack, "-f", "txt", "-o", tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert TOO_LONG in result.stderr or TOO_LARGE in result.stderr
    assert "Traceback" not in result.stderr


def test_each_render_gets_a_fresh_budget(tmp_path: Path) -> None:
    """Many renders in one process: the steps of one are not charged to the next."""
    loop = "{% for i in range(900) %}{% for j in range(900) %}{% endfor %}{% endfor %}"
    for number in range(3):
        folder = tmp_path / str(number)
        folder.mkdir()
        code, stderr, _ = render_with(folder, loop)
        assert code == 0, stderr


def test_texts_up_to_the_cap_are_allowed(tmp_path: Path) -> None:
    payload = (
        f"{{{{ ('x'|center({MAX_TEXT}))|length }}}}{{{{ '%05d'|format(7) }}}}"
        "{{ '{:>4}'.format(1) }}"
    )
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 0, stderr
    text = (out / "form.txt").read_text(encoding="utf-8")
    assert f"{MAX_TEXT}00007   1" in text


def test_ordinary_template_features_still_work(tmp_path: Path) -> None:
    payload = (
        "{% set ns = namespace(n=0, s='') %}{% for i in items %}{% set ns.n = ns.n + 1 %}"
        "{% set ns.s = ns.s ~ i %}{% endfor %}{{ ns.n }}{{ ns.s }}"
        "{{ items|join('、') }}{{ ('a' ~ 'b')|upper }}{{ '—' * 3 }}{{ [1] + [2] }}"
        "{{ '%s等' % title }}{{ '{}条'.format(2) }}{{ 'a b'.replace(' ', '') }}"
        "{% set j = joiner('/') %}{% for i in items %}{{ j() }}{{ i }}{% endfor %}"
        "{{ dict(a=1).a }}"
    )
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 0, stderr
    text = (out / "form.txt").read_text(encoding="utf-8")
    assert "2甲乙甲、乙AB———[1, 2]标题等2条ab甲/乙1" in text


def test_all_output_together_is_capped(tmp_path: Path) -> None:
    payload = "{% for i in range(10) %}{{ 'x'|center(900000) }}{% endfor %}"
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 2 and TOO_LARGE in stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("limit", "value", "payload"),
    [
        ("MAX_STEPS", 10, "{% for i in range(11) %}{% endfor %}"),  # loop steps
        (
            "MAX_STEPS",
            10,
            "{% macro m() %}{% endmacro %}{% for i in range(6) %}{{ m() }}{% endfor %}",
        ),
        ("MAX_SECONDS", 0.0, "{% for i in range(5000) %}{% endfor %}"),  # time
    ],
)
def test_the_step_and_time_budgets_stop_a_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: float, payload: str
) -> None:
    monkeypatch.setattr(sandbox, limit, value)
    code, stderr, _ = render_with(tmp_path, payload)
    assert code == 2 and TOO_LONG in stderr
