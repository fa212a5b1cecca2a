"""Compiled regular expressions kept between runs: the same patterns, never stale, never fatal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.cn import ordinals
from drafter.infra import regex_store

from .conftest import EXAMPLE

# Patterns of every shape drafter and its libraries use: groups by name and number,
# lookarounds, wide and negated classes, flags, bytes.
PATTERNS: list[tuple[str | bytes, int]] = [
    (ordinals._LEADING.pattern, 0),
    (r"(?P<year>\d{4})年(?P<month>\d{1,2})月", 0),
    (r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", 0),
    ("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", 0),
    (r"^\s*#.*$", re.MULTILINE),
    (r"hello\s+(world)", re.IGNORECASE | re.VERBOSE),
    (rb"[\x00-\x08]+", 0),
]
TEXTS = ["一是加强学习，二要 改进作风", "2026年11月 总结", "Hello   World\n# note", "党建 工作"]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_store, "_stored", {})
    path = regex_store._file()
    assert path is not None
    yield path
    re.purge()


def _results(compiled: re.Pattern[str] | re.Pattern[bytes]) -> list[object]:
    found: list[object] = [compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex]
    for text in TEXTS:
        subject: str | bytes = text.encode() if isinstance(compiled.pattern, bytes) else text
        found.append([m.span() + m.groups() for m in compiled.finditer(subject)])  # type: ignore[arg-type]
    return found


def test_a_stored_pattern_matches_exactly_as_a_freshly_compiled_one(store: Path) -> None:
    re.purge()
    fresh = {key: _results(re.compile(*key)) for key in PATTERNS}
    regex_store._save_new(store)
    assert store.is_file()
    re.purge()
    regex_store._stored.clear()
    regex_store._load(store)
    for pattern, flags in PATTERNS:
        cached = re._cache[type(pattern), pattern, flags]  # type: ignore[attr-defined]
        assert re.compile(pattern, flags) is cached  # re takes it from its cache
        assert _results(cached) == fresh[pattern, flags]


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_store_is_ignored(store: Path, content: bytes) -> None:
    store.write_bytes(content)
    re.purge()
    regex_store._load(store)
    assert re.compile(r"a(b)c").match("abc")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX ownership and modes")
def test_a_store_others_could_write_is_not_read(store: Path) -> None:
    re.compile(r"only(?P<mine>x)")
    regex_store._save_new(store)
    os.chmod(store, 0o666)
    re.purge()
    regex_store._stored.clear()
    regex_store._load(store)
    assert not regex_store._stored


def test_the_command_line_keeps_its_patterns_and_renders_alike(tmp_path: Path) -> None:
    """Three runs (no store, store written, store read) give the same .docx text."""
    env = {**os.environ, "DRAFTER_CACHE_DIR": str(tmp_path / "cache"), "DRAFTER_NO_CACHE": ""}
    texts = []
    for run in range(3):
        out = tmp_path / f"out{run}"
        subprocess.run(
            [sys.executable, "-m", "drafter", "render", str(EXAMPLE), "-o", str(out), "-f", "txt"],
            cwd=tmp_path, env=env, check=True, capture_output=True,
        )  # fmt: skip
        texts.append((out / f"{EXAMPLE.stem}.txt").read_text(encoding="utf-8"))
        stores = list((tmp_path / "cache").glob("regex-*.pickle"))
        assert len(stores) == 1, "the first run writes the store, later runs keep it"
    assert texts[0] == texts[1] == texts[2]
