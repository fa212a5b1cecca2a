"""What a frozen (PyInstaller) or zipped drafter needs: data through importlib.resources,
writers a bundler can see, a content cache key, and freeze_support before the command line."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from drafter.infra import resources
from drafter.writers import FORMATS, get_writer

from .conftest import EXAMPLE, ROOT

SRC = ROOT / "src" / "drafter"


def test_every_writer_is_imported_by_a_statement_a_bundler_can_see() -> None:
    tree = ast.parse((SRC / "writers" / "__init__.py").read_text(encoding="utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }
    assert {"docx", "markdown", "text", "html", "pdf"} <= imported
    assert "import_module" not in ast.dump(tree)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_loads_its_own_writer(fmt: str) -> None:
    module = {"md": "markdown", "txt": "text"}.get(fmt, fmt)
    writer = get_writer(fmt)
    assert writer.__module__.startswith(f"drafter.writers.{module}")
    assert writer.__name__ == f"write_{module}"


def test_builtin_data_folders_are_real_folders() -> None:
    assert (resources.builtin_dir("templates") / "review-commentary" / "template.yaml").is_file()
    assert (resources.builtin_dir("configs") / "rules").is_dir()
    assert (resources.builtin_dir("styles") / "gbt9704.yaml").is_file()


def test_a_frozen_program_is_keyed_on_its_recorded_build_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / resources.BUILD_DIGEST_FILE).write_text("0123abcd\n", encoding="utf-8")
    monkeypatch.setattr(resources, "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert resources.build_stamp() == "build:0123abcd"


def test_without_a_recorded_digest_the_executables_content_is_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "drafter.exe"
    program.write_bytes(b"MZ program one")
    monkeypatch.setattr(resources, "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    first = resources.build_stamp()
    os.utime(program, (1_000_000_000, 1_000_000_000))  # a copy or an unzip changes the time only
    assert resources.build_stamp() == first
    program.write_bytes(b"MZ program two")
    assert resources.build_stamp() != first


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with drafter's sources (or `env`'s PYTHONPATH)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )


FREEZE_PROBE = """
import multiprocessing, sys
calls = []
multiprocessing.freeze_support = lambda: calls.append(sys.argv)
{setup}
import drafter.cli
print(len(calls))
"""


def test_the_command_line_calls_freeze_support_in_a_frozen_program() -> None:
    done = run_python(FREEZE_PROBE.format(setup="sys.frozen = True"))
    assert done.stdout.strip() == "1", done.stderr


def test_the_command_line_leaves_multiprocessing_alone_from_sources() -> None:
    done = run_python(FREEZE_PROBE.format(setup=""))
    assert done.stdout.strip() == "0", done.stderr


def zipped_drafter(target: Path) -> Path:
    """drafter as a zipped install: code and built-in data inside one .zip on sys.path."""
    archive = target / "drafter.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for folder, prefix in (
            (SRC, "drafter"),
            (ROOT / "templates", "drafter/templates"),
            (ROOT / "configs", "drafter/configs"),
        ):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    out.write(path, f"{prefix}/{path.relative_to(folder).as_posix()}")
    return archive


def test_a_zipped_install_renders_from_its_unpacked_data(tmp_path: Path) -> None:
    archive = zipped_drafter(tmp_path)
    code = (
        "from drafter.infra.resources import builtin_dir\n"
        "from drafter.api import render_form\n"
        "print(builtin_dir('styles'))\n"
        f"print(render_form({str(EXAMPLE)!r}, 'txt').decode('utf-8').splitlines()[0])\n"
    )
    done = run_python(code, PYTHONPATH=str(archive), DRAFTER_NO_CACHE="1")
    assert done.returncode == 0, done.stderr
    styles, title = done.stdout.splitlines()[:2]
    assert "drafter.zip" not in styles  # a real folder, unpacked from the zip
    assert "述职评议" in title
    assert not Path(styles).exists()  # removed when the process ended


def test_the_program_spec_packs_every_builtin_data_folder_drafter_reads() -> None:
    spec = ROOT / "packaging" / "drafter.spec"
    if not spec.is_file():
        pytest.skip("no packaging/ in this copy")
    sources = "\n".join(path.read_text(encoding="utf-8") for path in SRC.rglob("*.py"))
    read = set(re.findall(r'builtin_dir\("(\w+)"\)', sources)) | {"styles"}  # presets' folder
    packed = set(re.findall(r'builtin_dir\("(\w+)"\)\), "drafter/\1"', spec.read_text("utf-8")))
    assert read <= packed
