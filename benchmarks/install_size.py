"""Installed size of drafter and its dependencies in a fresh virtual environment.

    python benchmarks/install_size.py [--keep]

Creates a venv (`python -m venv`), runs `pip install .` in it, and sums the files under
its site-packages except pip's and setuptools' own (a venv brings those, drafter does not
need them). Prints the total with and without the bytecode (`__pycache__`) pip compiles at
install time, and the largest distributions, in MB (10^6 bytes).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_OURS = ("pip", "setuptools", "_distutils_hack", "pkg_resources", "distutils-precedence.pth")
LIMIT_MB = 25.0


def site_packages(env: Path) -> Path:
    """The venv's site-packages folder (Lib\\site-packages on Windows)."""
    if os.name == "nt":
        return env / "Lib" / "site-packages"
    (found,) = (env / "lib").glob("python3*/site-packages")
    return found


def sizes(site: Path, *, bytecode: bool = True) -> Counter[str]:
    """Bytes per top-level entry of site-packages, its dist-info folded into its name."""
    totals: Counter[str] = Counter()
    for entry in site.iterdir():
        name = entry.name.split("-")[0].lower() if entry.suffix == ".dist-info" else entry.name
        if (
            name.split(".")[0] in NOT_OURS
            or entry.name.startswith(NOT_OURS)
            or name == "__pycache__"
        ):
            continue
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        files = [p for p in files if bytecode or "__pycache__" not in p.parts]
        totals[name] += sum(p.stat().st_size for p in files)
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the venv and print its path")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="drafter-size-"))
    env = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(ROOT)], check=True)
    totals = sizes(site_packages(env))
    total = sum(totals.values()) / 1e6
    source = sum(sizes(site_packages(env), bytecode=False).values()) / 1e6
    print(
        f"installed size: {total:.1f} MB with bytecode, {source:.1f} MB without (limit {LIMIT_MB:g} MB)"
    )
    for name, size in totals.most_common(10):
        print(f"  {name:28} {size / 1e6:6.2f} MB")
    if args.keep:
        print(env)
    return 0 if total <= LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
