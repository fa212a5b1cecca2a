"""The README's first command, run as a newcomer would: in a fresh virtual environment."""

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT


def readme_command(marker: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```\n(.+?)\n```", readme, re.DOTALL)
    assert match, f"README has no {marker}"
    return match.group(1).strip()


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the checkout and a new venv in which README command (a) has been run."""
    base = tmp_path_factory.mktemp("install")
    checkout = base / "drafter"
    ignore = shutil.ignore_patterns(".git", ".venv*", "output", "__pycache__", "*.egg-info")
    shutil.copytree(ROOT, checkout, ignore=ignore)
    (checkout / "output").mkdir()
    env_dir = base / "venv"
    # Dependencies come from this interpreter's site-packages; drafter itself is installed fresh.
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        readme_command("render-command"),
        shell=True,
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return checkout, bin_dir


def test_readme_command_writes_the_example_docx(fresh_install: tuple[Path, Path]) -> None:
    checkout, _ = fresh_install
    produced = checkout / "output" / "review-commentary.example.docx"
    assert produced.stat().st_size > 5_000


def test_installed_drafter_works_from_any_directory(
    fresh_install: tuple[Path, Path], tmp_path: Path
) -> None:
    _, bin_dir = fresh_install
    shutil.copy(EXAMPLE, tmp_path / "my-form.yaml")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    probe = subprocess.run(
        [str(python), "-c", "import drafter; print(drafter.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(bin_dir.parent) in probe.stdout, "drafter was not installed into the new venv"
    drafter_exe = shutil.which("drafter", path=str(bin_dir))
    assert drafter_exe, "the drafter console script was not installed"
    result = subprocess.run(
        [drafter_exe, "render", "my-form.yaml", "-f", "docx", "-f", "txt", "--style", "windows"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "output" / "my-form.txt").read_text(encoding="utf-8")
    assert text.startswith("在基层党组织书记抓基层党建工作述职评议会议上的点评讲话")
    assert (tmp_path / "output" / "my-form.docx").exists()


def test_the_readme_test_command_is_what_ci_runs() -> None:
    assert readme_command("test-command") == 'python -m pip install ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # Verbatim on a line of its own; later steps (the frozen program) run only if it passed.
    assert readme_command("test-command") in ci.splitlines()
    assert "set -euo pipefail" in ci.splitlines()
    assert sys.version_info >= (3, 10)
