"""An offline bundle for intranets: `python tools/bundle.py --platform win_amd64 [--python 3.11] [-o DIR]`.

Builds drafter's wheel, downloads every dependency as a wheel for the target platform and
Python (read from the built wheel's METADATA, so the list follows pyproject), and writes
`install.bat` and `install.sh`, which install from the folder alone (`pip --no-index`).
`--platform manylinux` stands for this machine's manylinux tags. Needs the package index.
"""

from __future__ import annotations

import argparse
import email.parser
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # every pip carries a copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef,assignment]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[no-redef,assignment]

ROOT = Path(__file__).resolve().parents[1]
# A platform tag's start → the marker values of a machine with it (PEP 508).
SYSTEMS = {
    "win": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "manylinux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "musllinux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "macosx": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}
WINDOWS_MACHINES = {"win32": "x86", "win_amd64": "AMD64", "win_arm64": "ARM64"}
# manylinux's legacy names and the glibc each stands for (PEP 600).
LEGACY_MANYLINUX = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}

INSTALL_SH = """#!/bin/sh
# 离线安装 {name}：只用本文件夹里的安装包，不连网。
# 用法：sh install.sh [python 路径]（默认 python3；建议先建好虚拟环境）
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${{1:-python3}}
"$python" -m pip install --no-index --find-links "$here" {name}
echo "安装完成：运行 drafter --help 查看用法"
"""

# cmd reads a .bat in the console's code page: switch to UTF-8 before any Chinese line.
INSTALL_BAT = """@echo off
chcp 65001 >nul
rem 离线安装 {name}：只用本文件夹里的安装包，不连网。
rem 用法：install.bat [python 路径]（默认用 py -{python} 启动器，没有则用 python）
setlocal
set "HERE=%~dp0"
set "PYTHON=%~1"
if "%PYTHON%"=="" (
  where py >nul 2>nul && (set "PYTHON=py -{python}") || (set "PYTHON=python")
)
%PYTHON% -m pip install --no-index --find-links "%HERE%." {name}
if errorlevel 1 (
  echo 安装失败：请确认已安装 Python {python}（64 位），并把上面的信息发给信息技术人员。
  pause
  exit /b 1
)
echo 安装完成：运行 drafter --help 查看用法
pause
"""


def build_wheel(target: Path) -> Path:
    """drafter's wheel, built from this checkout into `target`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(target), str(ROOT)],
        check=True,
    )
    return next(target.glob("*.whl"))


def wheel_metadata(wheel: Path) -> email.message.Message:
    """The METADATA of a wheel."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.BytesParser().parsebytes(archive.read(name))


def target_environment(platform_tag: str, python: str) -> dict[str, str]:
    """The PEP 508 marker values of the machine the bundle is for."""
    system = next(
        (values for start, values in SYSTEMS.items() if platform_tag.startswith(start)), None
    )
    if system is None:
        raise SystemExit(f"不认识的平台标记 {platform_tag}：应如 win_amd64、manylinux_2_17_x86_64")
    machine = WINDOWS_MACHINES.get(platform_tag) or platform_tag.split("_", 3)[-1]
    return {
        **system,
        "platform_machine": machine,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }


def needed(metadata: email.message.Message, environment: dict[str, str]) -> list[Requirement]:
    """The Requires-Dist entries an install without extras needs on the target.

    pip evaluates markers for the machine it runs on, even with --platform (a Windows-only
    `colorama` would be left out on Linux), so they are evaluated here for the target.
    """
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    return [
        requirement
        for requirement in requirements
        if requirement.marker is None or requirement.marker.evaluate(environment)
    ]


def without_marker(requirement: Requirement) -> str:
    """The requirement as pip should read it once its marker holds on the target."""
    requirement.marker = None
    return str(requirement)


def missing(target: Path, environment: dict[str, str]) -> list[str]:
    """Requirements of the wheels in `target` that no wheel there provides yet."""
    wheels = list(target.glob("*.whl"))
    present = {canonicalize_name(wheel.name.split("-")[0]) for wheel in wheels}
    wanted = [req for wheel in wheels for req in needed(wheel_metadata(wheel), environment)]
    return sorted(
        {without_marker(req) for req in wanted if canonicalize_name(req.name) not in present}
    )


def manylinux_tags() -> list[str]:
    """This machine's manylinux platform tags, newest glibc first."""
    library, version = platform.libc_ver()
    if library != "glibc" or not version:
        raise SystemExit("--platform manylinux 只能在使用 glibc 的 Linux 上指定")
    major, minor = (int(part) for part in version.split(".")[:2])
    arch = platform.machine()
    tags = []
    for glibc in range(minor, 4, -1):
        tags.append(f"manylinux_{major}_{glibc}_{arch}")
        if (major, glibc) in LEGACY_MANYLINUX:
            tags.append(f"{LEGACY_MANYLINUX[major, glibc]}_{arch}")
    return tags


def download(requirements: list[str], platforms: list[str], python: str, target: Path) -> None:
    """Every wheel the requirements need on the target, downloaded into `target`."""
    command = [
        sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
        "--python-version", python, "--dest", str(target),
    ]  # fmt: skip
    for tag in platforms:
        command += ["--platform", tag]
    subprocess.run([*command, *requirements], check=True)


def write_scripts(target: Path, name: str, python: str) -> None:
    """install.sh and install.bat (CRLF, as cmd expects) beside the wheels."""
    (target / "install.sh").write_text(INSTALL_SH.format(name=name), encoding="utf-8", newline="\n")
    (target / "install.sh").chmod(0o755)
    (target / "install.bat").write_text(
        INSTALL_BAT.format(name=name, python=python), encoding="utf-8", newline="\r\n"
    )


def make_bundle(platforms: list[str], python: str, target: Path) -> Path:
    """Write the bundle into `target`; the wheel of drafter it holds."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drafter-wheel-") as scratch:
        built = build_wheel(Path(scratch))
        wheel = Path(shutil.copy2(built, target / built.name))
    environment = target_environment(platforms[0], python)
    # Each round downloads what the wheels so far need on the target and pip left out.
    tried: list[str] = []
    while requirements := missing(target, environment):
        if requirements == tried:
            raise SystemExit(f"下载后仍缺少：{'、'.join(requirements)}")
        download(requirements, platforms, python, target)
        tried = requirements
    write_scripts(target, wheel_metadata(wheel)["Name"], python)
    return wheel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--platform",
        action="append",
        required=True,
        help="wheel platform tag: win_amd64, win32, win_arm64, manylinux_2_17_x86_64 …, "
        "or manylinux for this machine's; may be repeated",
    )
    parser.add_argument(
        "--python",
        default=f"{sys.version_info.major}.{sys.version_info.minor}",
        help="the target's Python version, e.g. 3.11 (default: this Python's)",
    )
    parser.add_argument("-o", "--output", type=Path, help="folder (default: dist/bundle-PLATFORM)")
    arguments = parser.parse_args()
    platforms = [
        tag
        for name in arguments.platform
        for tag in (manylinux_tags() if name == "manylinux" else [name])
    ]
    target = (
        arguments.output or ROOT / "dist" / f"bundle-{arguments.platform[0]}-py{arguments.python}"
    )
    wheel = make_bundle(platforms, arguments.python, target)
    count = len(list(target.glob("*.whl")))
    print(
        f"{target}: {wheel.name} 及其依赖共 {count} 个安装包，用 install.bat 或 install.sh 离线安装"
    )


if __name__ == "__main__":
    main()
