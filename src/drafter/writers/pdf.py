"""PDF writer: the .docx, printed to PDF by LibreOffice running headless.

LibreOffice lays the page out as Word would (the same grid, fonts and page-number fields),
which no HTML-to-PDF route does. Each process keeps one private LibreOffice profile, so
parallel runs never share one and a desktop LibreOffice the writer has open is left alone.
LibreOffice runs in a process group of its own (`soffice` starts `soffice.bin`), so a
conversion that times out is killed whole and leaves no LibreOffice running.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ToolError
from ..infra.files import os_reason
from ..model import Document
from ..presets import Preset

TIMEOUT_SECONDS = 180
ENV_OVERRIDE = "DRAFTER_SOFFICE"  # the soffice program, when it is somewhere unusual
MISSING = (
    "生成 PDF 需要 LibreOffice，但这台电脑上没有找到它。"
    "Windows：到 LibreOffice 中文官网（zh-cn.libreoffice.org）下载并安装，装好后重新打开命令窗口；"
    f"若装在其他位置，可把环境变量 {ENV_OVERRIDE} 设为 soffice.exe 的完整路径。"
    "Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk。"
    "也可以只生成 .docx，再在 Word 或 WPS 中“另存为 PDF”"
)


def write_pdf(document: Document, preset: Preset) -> bytes:
    """Return the bytes of a PDF of the .docx that `preset` lays out."""
    from .docx import write_docx  # deferred: start-up speed

    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="drafter-pdf-") as folder:
        source = Path(folder) / "speech.docx"
        source.write_bytes(write_docx(document, preset))
        convert_to_pdf([source], preset, soffice)
        produced = source.with_suffix(".pdf")
        if not produced.is_file():
            raise ToolError("LibreOffice 没有生成 PDF；请先生成 .docx，在 Word 或 WPS 中打开检查")
        return produced.read_bytes()


def find_soffice() -> str:
    """The LibreOffice program to run, or a ToolError saying how to install it."""
    override = os.environ.get(ENV_OVERRIDE, "").strip().strip('"')
    if override:
        if Path(override).is_file():
            return override
        raise ToolError(f"环境变量 {ENV_OVERRIDE} 指向的 {override} 不存在；{MISSING}")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _usual_places():
        if candidate.is_file():
            return str(candidate)
    raise ToolError(MISSING)


def _usual_places() -> list[Path]:
    """Where the LibreOffice installers put the program when it is not on PATH."""
    if sys.platform == "win32":
        roots = {
            os.environ.get(v, "") for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")
        }
        folders = [
            *_registered_program_folders(),  # wherever the installer put it, e.g. D:\\
            *(Path(root) / "LibreOffice" / "program" for root in sorted(r for r in roots if r)),
        ]
        # soffice.com waits for the conversion to finish; soffice.exe may return at once.
        return [
            folder / program for folder in folders for program in ("soffice.com", "soffice.exe")
        ]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return [Path("/opt/libreoffice/program/soffice"), Path("/usr/lib/libreoffice/program/soffice")]


_UNO_KEY = r"SOFTWARE\LibreOffice\UNO\InstallPath"  # its default value: the program folder


def _registered_program_folders() -> list[Path]:
    """LibreOffice's program folders as its installer registered them (Windows only).

    Both registry views: a 32-bit LibreOffice on 64-bit Windows registers under WOW6432Node.
    """
    try:
        # Windows only; looked up by name so type checkers elsewhere accept its attributes.
        winreg: Any = importlib.import_module("winreg")  # deferred: optional dependency
    except ImportError:
        return []
    views = (getattr(winreg, "KEY_WOW64_64KEY", 0x100), getattr(winreg, "KEY_WOW64_32KEY", 0x200))
    found: list[Path] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        for view in views:
            try:
                with winreg.OpenKey(hive, _UNO_KEY, 0, winreg.KEY_READ | view) as key:
                    value, _ = winreg.QueryValueEx(key, "")
            except OSError:  # not installed for this hive or view
                continue
            folder = Path(value.strip().strip('"')) if isinstance(value, str) else None
            if folder is not None and str(folder) not in ("", ".") and folder not in found:
                found.append(folder)
    return found


def _environment(preset: Preset) -> dict[str, str] | None:
    """LibreOffice's environment: drafter's own fontconfig file when official faces are missing."""
    from .pdf_faces import face_report, fontconfig_file  # deferred: start-up speed

    config = fontconfig_file(face_report(preset), _profile())
    return {**os.environ, "FONTCONFIG_FILE": str(config)} if config else None


def convert_to_pdf(sources: Sequence[Path], preset: Preset, soffice: str | None = None) -> None:
    """Put each .docx's PDF beside it (one folder), in one LibreOffice run with `preset`'s faces."""
    _convert(soffice or find_soffice(), sources, _environment(preset))


def _convert(
    soffice: str, sources: Sequence[Path], environment: dict[str, str] | None = None
) -> None:
    """Run LibreOffice headless to put each source's PDF beside it."""
    command = [
        soffice,
        f"-env:UserInstallation={_profile().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(sources[0].parent),
        *(str(source) for source in sources),
    ]
    try:
        completed = run_in_own_group(command, TIMEOUT_SECONDS * len(sources), environment)
    except subprocess.TimeoutExpired:
        seconds = TIMEOUT_SECONDS * len(sources)
        raise ToolError(f"LibreOffice 转换 PDF 超过 {seconds} 秒仍未完成，已放弃") from None
    except OSError as exc:
        raise ToolError(f"无法运行 LibreOffice（{soffice}）：{os_reason(exc)}") from None
    if completed.returncode != 0:
        said = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f"：{said[-1]}" if said else ""
        raise ToolError(f"LibreOffice 转换 PDF 失败（退出码 {completed.returncode}）{detail}")


def run_in_own_group(
    command: list[str], timeout: float, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `command` in a new process group; on timeout (or interruption) kill the whole group."""
    if sys.platform == "win32":
        # A new group and no console window; taskkill /T below ends the tree.
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            creationflags=flags,
            env=environment,
        )
    else:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own session and group: killpg reaches soffice.bin
            env=environment,
        )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:  # a timeout, Ctrl+C: nothing of LibreOffice may outlive us
        _kill_group(process)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill `process` and everything it started."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            capture_output=True,
            check=False,
            creationflags=subprocess.CREATE_NO_WINDOW,
        )
        with contextlib.suppress(OSError):
            process.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # POSIX: the group's id is the leader's pid


@cache
def _profile() -> Path:
    """This process's private LibreOffice profile, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="drafter-libreoffice-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
