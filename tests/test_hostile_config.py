"""Hostile YAML files (rule files, style files, forms, pack manifests) and cached pickles.

Each test builds its hostile input itself. Inputs that would hang or exhaust memory run
drafter in a subprocess under a memory limit and must end with a clean exit 2 in seconds.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from drafter.infra import cache

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
