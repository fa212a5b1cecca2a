"""Build the one-folder drafter program with PyInstaller: `python packaging/build.py [-o DIST]`.

Run it from an environment with drafter's dependencies and the `build` extra installed
(`pip install ".[build]"`). The program is frozen from this checkout's sources, whatever
drafter the environment holds, and lands in DIST/drafter/ (default: dist/drafter/).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "drafter.spec"


def program_path(dist: Path) -> Path:
    """Where the built program's executable is."""
    name = "drafter.exe" if sys.platform == "win32" else "drafter"
    return dist / "drafter" / name


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; the built program's executable."""
    env = dict(os.environ)
    # The checkout's sources win over an installed drafter, for the analysis and the spec alike.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(SPEC),
    ]  # fmt: skip
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    # Beside the executable, where a writer looks: the help's docs/templates.md, README, LICENSE.
    shutil.copytree(
        ROOT / "docs",
        dist / "drafter" / "docs",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("images"),
    )
    for name in ("README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dist / "drafter" / name)
    return program_path(dist)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "pyinstaller",
        help="PyInstaller's work folder",
    )
    arguments = parser.parse_args()
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit('PyInstaller is not installed here: python -m pip install ".[build]"')
    started = time.monotonic()
    program = build(arguments.dist.resolve(), arguments.work.resolve())
    print(f"built {program} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
