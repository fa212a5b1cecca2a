"""The offline bundle (tools/bundle.py): every wheel for a platform and scripts that install
from the folder alone."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import EXAMPLE, ROOT

BUNDLE_TOOL = ROOT / "tools" / "bundle.py"
pytestmark = pytest.mark.skipif(not BUNDLE_TOOL.is_file(), reason="no tools/ in this copy")


@pytest.fixture(scope="module")
def bundle() -> ModuleType:
    """tools/bundle.py as a module."""
    spec = importlib.util.spec_from_file_location("bundle_tool", BUNDLE_TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


METADATA = b"""Metadata-Version: 2.4
Name: gongwen-drafter
Version: 9.9
Requires-Dist: jinja2>=3.1.6
Requires-Dist: colorama; platform_system == "Windows"
Requires-Dist: uvloop; sys_platform != "win32"
Requires-Dist: pytest==9.0.3; extra == "test"
"""


def fake_wheel(folder: Path, name: str, metadata: bytes) -> Path:
    path = folder / f"{name}-9.9-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-9.9.dist-info/METADATA", metadata)
    return path


def test_requirements_follow_the_target_platform_not_this_machine(
    bundle: ModuleType, tmp_path: Path
) -> None:
    fake_wheel(tmp_path, "gongwen_drafter", METADATA)
    windows = bundle.target_environment("win_amd64", "3.11")
    linux = bundle.target_environment("manylinux_2_17_x86_64", "3.11")
    assert bundle.missing(tmp_path, windows) == ["colorama", "jinja2>=3.1.6"]
    assert bundle.missing(tmp_path, linux) == ["jinja2>=3.1.6", "uvloop"]


def test_a_requirement_a_wheel_in_the_folder_provides_is_not_fetched_again(
    bundle: ModuleType, tmp_path: Path
) -> None:
    fake_wheel(tmp_path, "gongwen_drafter", METADATA)
    fake_wheel(tmp_path, "Jinja2", b"Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.6\n")
    windows = bundle.target_environment("win32", "3.10")
    assert windows["platform_machine"] == "x86"
    assert bundle.missing(tmp_path, windows) == ["colorama"]


def test_an_unknown_platform_is_refused_in_chinese(bundle: ModuleType) -> None:
    with pytest.raises(SystemExit, match="不认识的平台标记 amiga"):
        bundle.target_environment("amiga", "3.11")


def test_the_install_scripts_use_only_the_folder(bundle: ModuleType, tmp_path: Path) -> None:
    bundle.write_scripts(tmp_path, "gongwen-drafter", "3.11")
    batch = (tmp_path / "install.bat").read_bytes()
    shell = (tmp_path / "install.sh").read_text(encoding="utf-8")
    assert batch.startswith(b"@echo off\r\nchcp 65001 >nul\r\n")  # UTF-8 before any Chinese
    assert b"\n" not in batch.replace(b"\r\n", b"")
    assert b"py -3.11" in batch
    assert '-m pip install --no-index --find-links "%HERE%." gongwen-drafter' in batch.decode()
    assert '-m pip install --no-index --find-links "$here" gongwen-drafter' in shell


def index_reachable(folder: Path) -> bool:
    """Whether pip can fetch one small wheel from the configured index."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
         "-d", str(folder), "mdurl"],
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return probe.returncode == 0


def without_pip_settings() -> dict[str, str]:
    """The environment with no pip configuration: the bundle alone must suffice."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env.pop("PYTHONPATH", None)
    env["PIP_CONFIG_FILE"] = os.devnull  # no global or site find-links, indexes or constraints
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.mark.index
def test_the_bundle_installs_offline_in_a_fresh_venv_and_renders(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("builds the manylinux bundle")
    if not index_reachable(tmp_path / "probe"):
        pytest.skip("the package index cannot be reached")
    folder = tmp_path / "bundle"
    subprocess.run(
        [sys.executable, str(BUNDLE_TOOL), "--platform", "manylinux", "-o", str(folder)],
        check=True,
        timeout=900,
    )
    assert (folder / "install.bat").is_file()
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    env = without_pip_settings()
    installed = subprocess.run(
        ["sh", str(folder / "install.sh"), str(python)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    assert "安装完成" in installed.stdout
    rendered = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "drafter"), "render", str(EXAMPLE), "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )
    assert rendered.returncode == 0, rendered.stderr
    with zipfile.ZipFile(tmp_path / "out" / "review-commentary.example.docx") as docx:
        assert "述职评议会议" in docx.read("word/document.xml").decode("utf-8")
