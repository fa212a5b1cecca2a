"""The user cache: keyed on drafter's own code and data, bounded in size, never stale, never fatal."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.api import render_form
from drafter.infra import cache, resources

from .conftest import EXAMPLE, ROOT, run_drafter, write_variant

SRC = ROOT / "src" / "drafter"
EDITED = "测试改动"


def copy_of_drafter(target: Path) -> Path:
    """A checkout-shaped copy: src/drafter plus the built-in templates/ and configs/."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(SRC, target / "src" / "drafter", ignore=ignore)
    shutil.copytree(ROOT / "templates", target / "templates", ignore=ignore)
    shutil.copytree(ROOT / "configs", target / "configs", ignore=ignore)
    return target


def run_copy(copy: Path, cache_folder: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """drafter from the copy, with the given cache folder (and the cache switched on)."""
    env = {"PYTHONPATH": str(copy / "src"), "DRAFTER_CACHE_DIR": str(cache_folder)}
    return run_drafter(*args, cwd=copy, env={**env, "DRAFTER_NO_CACHE": ""})


def rendered_text(copy: Path, cache_folder: Path, out: Path) -> str:
    form = copy / "configs" / EXAMPLE.name
    result = run_copy(copy, cache_folder, "render", form, "-f", "txt", "-o", out)
    assert result.returncode == 0, result.stderr
    return (out / f"{EXAMPLE.stem}.txt").read_text(encoding="utf-8")


def literal_in_templates(templates: Path, text: str) -> tuple[Path, str]:
    """Chinese words written once in the example's pack or base, nowhere else, and in `text`."""
    sources = {
        path: re.sub(r"\{[{%#].*?[}%#]\}", "\0", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for path in sorted(templates.rglob("*.j2"))
    }
    everything = "\n".join(sources.values())
    body = text.split("\n", 1)[1]  # the title may come from the form, not from the template
    for path, source in sources.items():
        if path.parent.name not in ("base", "review-commentary"):
            continue
        for words in re.findall(r"[\u4e00-\u9fff]{5,}", source):
            if text.count(words) == 1 and body.count(words) == 1 and everything.count(words) == 1:
                return path, words
    raise AssertionError("no literal words of the templates found in the speech")


def test_an_edited_builtin_template_and_rule_file_are_used_on_the_next_run(
    tmp_path: Path,
) -> None:
    copy = copy_of_drafter(tmp_path / "drafter")
    shared_cache = tmp_path / "cache"
    before = rendered_text(copy, shared_cache, tmp_path / "out1")
    checked = run_copy(copy, shared_cache, "check", copy / "configs" / EXAMPLE.name)
    assert "是待填写的占位符" in checked.stdout
    assert list(shared_cache.rglob("*.cache")) and list(shared_cache.glob("rules-*.pickle"))

    template, words = literal_in_templates(copy / "templates", before)
    source = template.read_text(encoding="utf-8")
    template.write_text(source.replace(words, EDITED), encoding="utf-8")
    rules = copy / "configs" / "rules" / "placeholders.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("是待填写的占位符", "是改过的占位符说明"),
        encoding="utf-8",
    )

    after = rendered_text(copy, shared_cache, tmp_path / "out2")
    assert words not in after and EDITED in after
    assert after.replace(EDITED, words) == before
    checked = run_copy(copy, shared_cache, "check", copy / "configs" / EXAMPLE.name)
    assert "是改过的占位符说明" in checked.stdout and "是待填写的占位符" not in checked.stdout


def test_the_code_digest_changes_with_the_code_and_not_with_a_copy(tmp_path: Path) -> None:
    probe = "from drafter.infra.cache import code_digest; print(code_digest())"

    def digest(copy: Path) -> str:
        env = {**os.environ, "PYTHONPATH": str(copy / "src")}
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.strip()

    first = digest(copy_of_drafter(tmp_path / "a"))
    second = copy_of_drafter(tmp_path / "b")
    assert digest(second) == first
    module = second / "src" / "drafter" / "lint" / "structure.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert digest(second) != first


def test_the_digest_survives_a_build_without_readable_sources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreadable() -> None:
        raise OSError("no sources in a frozen build")

    from_sources = cache.code_digest()
    monkeypatch.setattr(cache, "own_files", unreadable)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    digest = cache.code_digest.__wrapped__()  # type: ignore[attr-defined]
    assert re.fullmatch(r"[0-9a-f]{20}", digest)
    assert digest != from_sources
    assert re.fullmatch(r"executable:[0-9a-f]{20}", resources.build_stamp())


def test_the_cache_folder_stays_under_its_bound_after_many_template_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "MAX_FILES", 6)
    monkeypatch.setattr(cache, "MAX_BYTES", 200_000)
    pack = ROOT / "templates" / "commendation-speech"
    form = ROOT / "configs" / "commendation-speech.example.yaml"
    for number in range(12):
        copy = tmp_path / f"packs{number}" / "commendation-speech"
        shutil.copytree(pack, copy)
        render_form(form, "txt", template=str(copy))
        files = [path for path in folder.rglob("*") if path.is_file()]
        assert len(files) <= 6
        assert sum(path.stat().st_size for path in files) <= 200_000
    assert list(folder.rglob("*.cache")), "the bytecode cache was not used at all"


def test_prune_removes_the_oldest_files_first(tmp_path: Path) -> None:
    for number in range(5):
        path = tmp_path / f"{number}.cache"
        path.write_bytes(b"x" * 100)
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
    cache.prune(tmp_path, max_bytes=10_000, max_files=3)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2.cache", "3.cache", "4.cache"]
    cache.prune(tmp_path, max_bytes=150, max_files=10)
    assert [path.name for path in tmp_path.iterdir()] == ["4.cache"]


def test_prune_leaves_files_drafter_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a writer's file in a shared folder", encoding="utf-8")
    (tmp_path / "old.pickle").write_bytes(b"x" * 100)
    cache.prune(tmp_path, max_bytes=0, max_files=0)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_the_cache_is_skipped_when_it_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached("probe", 1, lambda: "built") == "built"


def test_tests_never_use_the_users_cache() -> None:
    folder = cache.cache_dir()
    assert folder is not None and Path.home() / ".cache" not in [folder, *folder.parents]


def test_no_module_finds_data_through_its_file_name() -> None:
    users = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "__file__" in path.read_text(encoding="utf-8")
    ]
    assert users == []


def test_a_form_variant_renders_with_a_cold_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cold"))
    form = write_variant(EXAMPLE, tmp_path / "form.yaml")
    assert render_form(form, "txt") == render_form(EXAMPLE, "txt")


def test_the_code_digest_is_remembered_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold start stats drafter's files instead of reading them; an edit is still seen."""
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    first = cache.code_digest.__wrapped__()  # type: ignore[attr-defined]
    assert len(list((tmp_path / "cache").glob("code-*.digest"))) == 1

    def unread() -> None:
        raise AssertionError("the files were read although none changed")

    monkeypatch.setattr(cache, "own_files", unread)
    assert cache.code_digest.__wrapped__() == first  # type: ignore[attr-defined]
    stamps = resources.own_file_stamps()
    assert stamps is not None
    edited = [(name, size + 1, mtime) if i == 0 else (name, size, mtime)
              for i, (name, size, mtime) in enumerate(stamps)]  # fmt: skip
    monkeypatch.setattr(cache, "own_file_stamps", lambda: edited)
    monkeypatch.setattr(cache, "own_files", lambda: iter([("drafter/x.py", b"changed")]))
    assert cache.code_digest.__wrapped__() != first  # type: ignore[attr-defined]
