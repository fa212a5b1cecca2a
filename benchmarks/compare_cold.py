"""Cold `drafter render` of several source trees side by side, against the python-docx floor.

    python benchmarks/compare_cold.py [--rounds 15] NAME=TREE [NAME=TREE …]

Each TREE is a checkout of drafter (its `src/` goes first on PYTHONPATH); the trees and the
floor run alternately, so machine load falls on all of them alike. Run it from outside any
checkout, so no tree's `templates/` is taken for local packs by another tree's code.

With valgrind installed, `--instructions` also counts the instructions of one render of each
(callgrind): a measure other work on the machine does not move.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A writer's install has bytecode (pip compiles it): measure that.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions one run executes, counted by valgrind's callgrind."""
    # The real interpreter: a pyenv or venv shim would be counted instead of Python.
    real = [os.path.realpath(sys.executable), *command[1:]]
    probe = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *real]
    done = subprocess.run(probe, env=env, check=True, capture_output=True, text=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--also", default="", metavar="DIR",
        help="a folder added after each tree's src (dependencies an older tree needs)",
    )  # fmt: skip
    parser.add_argument(
        "--instructions", action="store_true",
        help="also count each one's instructions with valgrind (load-independent)",
    )  # fmt: skip
    parser.add_argument("trees", nargs="+", metavar="NAME=TREE")
    options = parser.parse_args()
    out = tempfile.mkdtemp()
    commands: dict[str, tuple[list[str], dict[str, str]]] = {}
    for item in options.trees:
        name, _, tree = item.partition("=")
        root = Path(tree).resolve()
        path = os.pathsep.join(filter(None, (str(root / "src"), options.also)))
        env = {**ENVIRONMENT, "PYTHONPATH": path}
        form = root / "configs" / "review-commentary.example.yaml"
        command = [sys.executable, "-m", "drafter", "render", str(form), "-o", f"{out}/{name}"]
        commands[name] = ([*command, "--force"], env)
    floor = f"import docx; docx.Document().save({out!r} + '/floor.docx')"
    commands["floor"] = ([sys.executable, "-c", floor], ENVIRONMENT)
    for command, env in commands.values():  # bytecode and caches, as after an install
        seconds(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(options.rounds):
        for name, (command, env) in commands.items():
            times[name].append(seconds(command, env))
    floor_median = statistics.median(times["floor"])
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:12} median {median * 1000:6.0f} ms  {median / floor_median:.2f}× the floor")
    if options.instructions and shutil.which("valgrind"):
        counts = {name: instructions(*commands[name]) for name in commands}
        for name, count in counts.items():
            ratio = count / counts["floor"]
            print(f"{name:12} {count / 1e6:6.0f} M instructions  {ratio:.2f}× the floor")


if __name__ == "__main__":
    main()
