"""Hostile YAML files (rule files, style files, forms, pack manifests) and cached pickles.

Each test builds its hostile input itself. Inputs that would hang or exhaust memory run
drafter in a subprocess under a memory limit and must end with a clean exit 2 in seconds.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from drafter.config.located_yaml import parse_located
from drafter.errors import MAX_DIAGNOSTICS_PER_FILE, DrafterError, RuleError
from drafter.infra import cache
from drafter.lint.regex_risk import backtracking_risk
from drafter.lint.rules import expand_han, read_rule_file, rules_dir
from drafter.presets import load_preset

from .conftest import EXAMPLE, ROOT, run_cli, run_drafter

MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GB: drafter needs a tenth of it, a runaway much more
SECONDS = 60  # generous for a loaded machine; a hang or a runaway allocation takes far longer


def run_limited(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m drafter` under a memory limit, failing the test if it does not finish."""
    import resource  # deferred: optional dependency (POSIX only; callers skip on Windows)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return run_drafter(*args, cwd=cwd, preexec_fn=limit, timeout=SECONDS)


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")


# ---------------------------------------------------------------- rule files


def rule_file(tmp_path: Path, **fields: str) -> Path:
    """A rule file with one rule, its `fields` written over a harmless regex rule."""
    rule = {"id": "office.test", "pattern": "ab", "message": "提示", "source": "本单位", **fields}
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")
    return path


def refusal(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(RuleError) as caught:
        read_rule_file(path)
    return [(d.line, d.message) for d in caught.value.diagnostics]


def line_of(path: Path, key: str) -> int:
    """The 1-based line where `key:` is written."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if re.match(rf"\s*-?\s*{key}:", text))


@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(\w|\w)*", r"(a|a?)+b", r"(\s*\d+)+$", r"(.*a){12}", r"(a*)*$"]
)
def test_a_catastrophic_regex_is_refused_at_its_line(tmp_path: Path, pattern: str) -> None:
    path = rule_file(tmp_path, pattern=pattern, regex="true")
    found = refusal(path)
    assert found == [(line_of(path, "pattern"), found[0][1])]
    assert "回溯" in found[0][1]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("a{4294967296}", "正则表达式有误"),
        ("(" * 5000 + "a" + ")" * 5000, "正则表达式有误"),
        ("(a|" * 300 + "b" + ")" * 300, "括号嵌套层数太多"),
    ],
    ids=["huge-repeat", "deep-groups", "deep-alternatives"],
)
def test_a_pattern_too_big_to_judge_is_refused_not_a_traceback(
    tmp_path: Path, pattern: str, words: str
) -> None:
    path = rule_file(tmp_path, pattern=pattern, regex="true")
    [(line, said)] = refusal(path)
    assert line == line_of(path, "pattern") and words in said, said


@pytest.mark.parametrize("pattern", [r"(\d+、)+", r"(x|y)*", r"(?:a|ab)*c", r"([^、]+、)+", r"党"])
def test_a_regex_that_cannot_backtrack_wildly_is_accepted(pattern: str) -> None:
    assert backtracking_risk(pattern) is None


def test_no_built_in_rule_has_a_catastrophic_regex() -> None:
    for path in sorted(rules_dir().glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            if rule.get("regex") and "pattern" in rule:
                assert backtracking_risk(expand_han(rule["pattern"])) is None, rule["id"]


@pytest.mark.parametrize("path", sorted(rules_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_built_in_rule_files_pass_the_checks_an_office_s_file_gets(path: Path) -> None:
    rules, _ = read_rule_file(path, checked=True)
    assert rules


def test_a_built_in_suggestion_shows_the_fix_not_a_format_slot(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text("参与人数(含党员干部)达300余人次，，好\n", encoding="utf-8")
    result = run_cli("check", speech)
    assert "；建议改为“（含党员干部）”" in result.output and "；建议改为“，”" in result.output
    assert "{1}" not in result.output


def test_the_pinyin_rule_stays_fast_on_a_run_of_spaces(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text("各基层党组织书（ā" + " " * 5000 + "!\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli("check", speech)
    assert result.exit_code in (0, 1), result.output
    assert time.monotonic() - started < 10


@posix_only
def test_check_with_a_catastrophic_rule_exits_2_quickly(tmp_path: Path) -> None:
    rules = rule_file(tmp_path, pattern=r"(a+)+$", regex="true")
    speech = tmp_path / "speech.txt"
    speech.write_text("a" * 40 + "!\n", encoding="utf-8")
    result = run_limited("check", "--rules", rules, speech)
    assert result.returncode == 2, result.stderr
    assert f"{rules}:{line_of(rules, 'pattern')}:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("{match[a]}", "{match[a]} 写法不对"),
        ("{match.upper}", "{match.upper} 写法不对"),
        ("{match:>900000000}", "{match:>900000000} 写法不对"),
        ("{match!r}", "{match!r} 写法不对"),
        ("第{1}处", "{1} 写法不对"),
        ("{}", "{} 写法不对"),
        ("{nothing}", "没有栏目 {nothing}；可用：{match}"),
        ("少了{", "花括号 { } 不成对"),
    ],
)
def test_a_message_field_drafter_does_not_fill_is_a_located_error(
    tmp_path: Path, message: str, words: str
) -> None:
    path = rule_file(tmp_path, message=message)
    [(line, said)] = refusal(path)
    assert line == line_of(path, "message")
    assert said.startswith("message 中") and words in said, said


def test_a_suggestion_may_name_the_fix_and_the_pattern_s_named_groups(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        pattern=r"(?P<n>\d)、",
        regex="true",
        replace=r"\g<n>.",
        message="“{match}”中的 {n}",
        suggestion="改为 {fix}",
    )
    [rule], _ = read_rule_file(path)
    assert rule.suggestion == "改为 {fix}"


def test_a_field_in_a_message_is_refused_even_where_only_suggestions_may_use_it(
    tmp_path: Path,
) -> None:
    path = rule_file(tmp_path, message="{fix}")
    assert "没有栏目 {fix}" in refusal(path)[0][1]


@pytest.mark.parametrize(
    ("replace", "words"),
    [
        (r"\g<2>", "不存在的分组"),
        (r"\2", "不存在的分组"),
        (r"\g<x>", "不存在的分组"),
        (r"\x", "反斜杠转义无效"),
    ],
)
def test_a_bad_replacement_is_a_located_error_without_any_example(
    tmp_path: Path, replace: str, words: str
) -> None:
    path = rule_file(tmp_path, pattern="(a)b", regex="true", replace=replace)
    [(line, said)] = refusal(path)
    assert line == line_of(path, "replace")
    assert words in said, said


@posix_only
@pytest.mark.parametrize("message", ["{match:>900000000}", "{match[a]}", "{0}"])
def test_check_never_formats_a_hostile_message(tmp_path: Path, message: str) -> None:
    rules = rule_file(tmp_path, message=message)
    speech = tmp_path / "speech.txt"
    speech.write_text("ab\n", encoding="utf-8")
    result = run_limited("check", "--rules", rules, speech)
    assert result.returncode == 2, result.stderr
    assert f"{rules}:{line_of(rules, 'message')}:" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


# ---------------------------------------------------------------- style files


def style_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(f"base: gbt9704\n{text}", encoding="utf-8")
    load_preset.cache_clear()
    return path


def preset_refusal(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(DrafterError) as caught:
        load_preset(str(path))
    return [(d.line, d.message) for d in caught.value.diagnostics]


@pytest.mark.parametrize("key", ["width", "height"])
def test_a_page_larger_than_word_allows_is_refused_at_its_line(tmp_path: Path, key: str) -> None:
    path = style_file(tmp_path, f"page:\n  {key}: 600\n")
    [(line, said)] = preset_refusal(path)
    assert line == 3 and "558.8" in said, said


def test_the_largest_page_word_allows_is_accepted(tmp_path: Path) -> None:
    path = style_file(tmp_path, "page:\n  width: 558.8\n  height: 558.8mm\n")
    assert load_preset(str(path)).page_mm == (558.8, 558.8)


def test_margins_that_leave_no_type_area_are_refused(tmp_path: Path) -> None:
    path = style_file(tmp_path, "page:\n  left: 100\n  right: 100\n")
    [(_, said)] = preset_refusal(path)
    assert "页边距太大" in said


def test_a_font_name_longer_than_word_allows_is_refused(tmp_path: Path) -> None:
    path = style_file(tmp_path, f"body:\n  font: {'仿' * 32}\n")
    [(line, said)] = preset_refusal(path)
    assert line == 3 and "最多 31 个字符" in said, said


def test_a_huge_font_name_is_not_echoed_whole(tmp_path: Path) -> None:
    path = style_file(tmp_path, f"latin_font: {'x' * 500_000}\n")
    [(line, said)] = preset_refusal(path)
    assert line == 2 and "共 500000 个字符" in said
    assert len(said) < 300


@pytest.mark.parametrize("size", ["0.5", "1639", "99999"])
def test_a_point_size_beyond_word_s_range_is_refused(tmp_path: Path, size: str) -> None:
    path = style_file(tmp_path, f"body:\n  size: {size}\n")
    [(line, said)] = preset_refusal(path)
    assert line == 3 and "超出了合理范围" in said


# ---------------------------------------------------------------- located YAML


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("escape", "words"),
    [
        ("\\ud800", "这是单独的代理码位（surrogate）"),
        ("\\q", "YAML 没有这个转义"),
        ("\\x4", "\\x 后面应有 2 位十六进制数字"),
    ],
)
def test_a_bad_escape_is_reported_as_what_it_is(tmp_path: Path, escape: str, words: str) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(f'template: review-commentary\ntitle: "讲话{escape}稿"\n', encoding="utf-8")
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{form}:2:11: 错误: 双引号中的转义 {escape} 无效：{words}" in result.stderr
    assert "引号没有闭合" not in result.stderr


@posix_only
def test_a_hundred_thousand_unknown_keys_give_a_bounded_report(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        example_text() + "".join(f"k{i}: x\n" for i in range(100_000)), encoding="utf-8"
    )
    result = run_limited("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.encode("utf-8")) < 200_000
    errors = [line for line in result.stderr.splitlines() if ": 错误: " in line]
    assert len(errors) == MAX_DIAGNOSTICS_PER_FILE
    left = 100_000 - MAX_DIAGNOSTICS_PER_FILE
    assert result.stderr.rstrip().endswith(f"{form}: 提示: 还有 {left} 处类似问题未列出")


def test_a_hundred_thousand_digit_date_is_shown_shortened(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        re.sub(r"(?m)^date:.*$", "date: " + "9" * 100_000, example_text()), encoding="utf-8"
    )
    result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "不是有效日期：999" in result.stderr and "（共 100000 个字符）" in result.stderr
    assert len(result.stderr) < 1000


def many_problems(tmp_path: Path) -> RuleError:
    """The error for a rule file with 300 rules, each missing its message and source."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n" + "".join(f"  - id: r{i}\n    pattern: ab\n" for i in range(300)),
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        read_rule_file(rules)
    return caught.value


@pytest.mark.parametrize("slip", ["：a", ":a"])
def test_a_huge_key_in_a_typing_slip_is_echoed_shortened(slip: str) -> None:
    with pytest.raises(DrafterError) as caught:
        parse_located("k" * 100_000 + slip + "\n", "form.yaml")
    [problem] = caught.value.diagnostics
    assert "（共 100000 个字符）" in problem.message and len(problem.message) < 300


def test_the_cap_applies_to_every_kind_of_file(tmp_path: Path) -> None:
    shown = many_problems(tmp_path).diagnostics
    assert len(shown) == MAX_DIAGNOSTICS_PER_FILE + 1
    assert shown[-1].message == f"还有 {600 - MAX_DIAGNOSTICS_PER_FILE} 处类似问题未列出"


def test_capping_twice_keeps_the_count(tmp_path: Path) -> None:
    first = many_problems(tmp_path).diagnostics
    again = RuleError(diagnostics=first).diagnostics
    assert [d.message for d in again] == [d.message for d in first]


# ---------------------------------------------------------------- pack lookup


def copy_pack(source: str, target: Path, manifest_edit: str = "") -> Path:
    """A copy of a built-in pack's files in `target`, its manifest changed by appending text."""
    built_in = ROOT / "templates" / source
    target.mkdir(parents=True)
    for item in built_in.iterdir():
        if item.is_file():
            (target / item.name).write_bytes(item.read_bytes())
    if manifest_edit:
        manifest = target / "template.yaml"
        manifest.write_text(manifest_edit + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_an_empty_template_option_is_refused(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, "--template", "", "-f", "txt", "-o", tmp_path / "out")
    assert result.exit_code != 0
    assert "模板名不能为空" in result.stderr
    assert not (tmp_path / "out" / f"{EXAMPLE.stem}.txt").exists()


def test_a_relative_pack_path_in_a_form_starts_at_the_form_s_folder(tmp_path: Path) -> None:
    folder = tmp_path / "2026"
    copy_pack("review-commentary", folder / "packs" / "mine")
    form = folder / "form.yaml"
    form.write_text(
        example_text().replace("template: review-commentary", "template: ./packs/mine", 1),
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_drafter("render", form, "-f", "txt", "-o", tmp_path / "out", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "form.txt").is_file()


def test_a_local_pack_overriding_a_built_in_warns_once(tmp_path: Path) -> None:
    local = copy_pack("review-commentary", tmp_path / "templates" / "review-commentary")
    speech = local / "speech.j2"  # an office's own wording: a changed copy
    speech.write_text(speech.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    form = tmp_path / "form.yaml"
    form.write_text(example_text(), encoding="utf-8")
    result = run_drafter("render", form, "-f", "txt", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warning = f"使用的是本地模板 {local.resolve()}，它替代了同名的内置模板 review-commentary"
    assert result.stderr.count(warning) == 1, result.stderr
    listing = run_drafter("templates", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert listing.stderr.count(warning) == 1, listing.stderr


@pytest.mark.parametrize("pack_id", ["../../x", "/abs/dir/x", "a/b", "a\\b", ".."])
def test_a_pack_id_that_is_not_a_safe_name_is_a_located_manifest_error(
    tmp_path: Path, pack_id: str
) -> None:
    copy_pack("review-commentary", tmp_path / "templates" / "bad", manifest_edit="")
    manifest = tmp_path / "templates" / "bad" / "template.yaml"
    text = manifest.read_text(encoding="utf-8")
    written = "id: " + yaml.safe_dump(pack_id).splitlines()[0]
    text = re.sub(r"(?m)^id:.*$", lambda _: written, text)
    manifest.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("id:"))
    result = run_cli(
        "render", EXAMPLE, "--template", tmp_path / "templates" / "bad", "-o", tmp_path
    )
    assert f"{manifest}:{line}:" in result.stderr
    assert "只能用英文字母、数字、连字符和下划线" in result.stderr
    assert not any(tmp_path.glob("*.docx"))


LONG = "长" * 300  # 900 bytes in UTF-8: past every system's 255-byte limit on a name


@pytest.mark.parametrize(
    "how", ["form", "--template", "--style", "base", "--rules"], ids=lambda how: how.strip("-")
)
def test_a_name_too_long_for_the_system_is_a_clean_refusal(tmp_path: Path, how: str) -> None:
    form = tmp_path / "form.yaml"
    text = example_text()
    if how == "form":
        text = text.replace("template: review-commentary", f"template: {LONG}", 1)
    form.write_text(text, encoding="utf-8")
    style = tmp_path / "style.yaml"
    style.write_text(f"base: {LONG}\n", encoding="utf-8")
    extra = {
        "form": [],
        "--template": ["--template", LONG],
        "--style": ["--style", LONG],
        "base": ["--style", style],
        "--rules": [],
    }[how]
    command = ["check", "--rules", LONG] if how == "--rules" else ["render", *extra, "-o", tmp_path]
    result = run_cli(*command, form)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "（共 300 个字符）" in result.stderr


# ---------------------------------------------------------------- cached pickles


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    folder = cache.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def plant(folder: Path, name: str, value: object) -> Path:
    """A pickle for `cached(name, "key", …)` as someone else might have left it."""
    path = folder / f"{name}-{cache.code_digest()}.pickle"
    path.write_bytes(pickle.dumps(("key", value)))
    os.chmod(path, 0o600)
    return path


def test_a_cached_pickle_of_this_user_is_used(cache_folder: Path) -> None:
    plant(cache_folder, "t", "stored")
    assert cache.cached("t", "key", lambda: "built") == "stored"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_pickle_others_could_write_is_ignored(cache_folder: Path, mode: int) -> None:
    os.chmod(plant(cache_folder, "t", "planted"), mode)
    assert cache.cached("t", "key", lambda: "built") == "built"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_pickle_behind_a_link_is_ignored(cache_folder: Path, tmp_path: Path) -> None:
    elsewhere = plant(tmp_path, "x", "planted")
    (cache_folder / f"t-{cache.__version__}.pickle").symlink_to(elsewhere)
    assert cache.cached("t", "key", lambda: "built") == "built"


@pytest.mark.skipif(sys.platform == "win32" or os.getuid() != 0, reason="needs chown (root)")
def test_a_pickle_owned_by_another_user_is_ignored(cache_folder: Path) -> None:
    os.chown(plant(cache_folder, "t", "planted"), 12345, 12345)
    assert cache.cached("t", "key", lambda: "built") == "built"


def test_an_unchanged_copy_of_a_built_in_pack_does_not_warn(tmp_path: Path) -> None:
    """drafter run inside its own source folder sees templates/ as local: no warning for that."""
    from drafter.infra.resources import builtin_dir
    from drafter.packs.finder import find_pack, overriding_warning

    shutil.copytree(
        builtin_dir("templates") / "review-commentary", tmp_path / "templates" / "review-commentary"
    )
    pack = find_pack("review-commentary", near=tmp_path)
    assert pack.origin != "内置"
    assert overriding_warning(pack) is None
