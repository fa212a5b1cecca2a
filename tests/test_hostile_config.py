"""Hostile YAML files (rule files, style files, forms, pack manifests) and cached pickles.

Each test builds its hostile input itself. Inputs that would hang or exhaust memory run
drafter in a subprocess under a memory limit and must end with a clean exit 2 in seconds.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.errors import MAX_DIAGNOSTICS_PER_FILE, RuleError
from drafter.infra import cache
from drafter.lint.rules import read_rule_file

from .conftest import EXAMPLE, run_cli, run_drafter

MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GB: drafter needs a tenth of it, a runaway much more
SECONDS = 60  # generous for a loaded machine; a hang or a runaway allocation takes far longer


def run_limited(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m drafter` under a memory limit, failing the test if it does not finish."""
    import resource  # deferred: optional dependency (POSIX only; callers skip on Windows)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return run_drafter(*args, cwd=cwd, preexec_fn=limit, timeout=SECONDS)


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")


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


def test_the_cap_applies_to_every_kind_of_file(tmp_path: Path) -> None:
    shown = many_problems(tmp_path).diagnostics
    assert len(shown) == MAX_DIAGNOSTICS_PER_FILE + 1
    assert shown[-1].message == f"还有 {600 - MAX_DIAGNOSTICS_PER_FILE} 处类似问题未列出"


def test_capping_twice_keeps_the_count(tmp_path: Path) -> None:
    first = many_problems(tmp_path).diagnostics
    again = RuleError(diagnostics=first).diagnostics
    assert [d.message for d in again] == [d.message for d in first]


# ---------------------------------------------------------------- cached pickles


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    folder = cache.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True)
    return folder


def plant(folder: Path, name: str, value: object) -> Path:
    """A pickle for `cached(name, "key", …)` as someone else might have left it."""
    path = folder / f"{name}-{cache.__version__}.pickle"
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
