"""The console window drafter runs in: whether it was opened just for this run (a double-click)."""

from __future__ import annotations

import sys
from pathlib import Path


def opened_for_this_program() -> bool:
    """Whether the console window closes when drafter ends (Windows, started from Explorer).

    A console opened by cmd or PowerShell also holds the shell's process; one opened for a
    double-click or a drop on drafter.exe holds only drafter (and a one-file program's
    bootloader, which unpacks it).
    """
    count = console_process_count()
    if count is None:
        return False
    own = 2 if _is_one_file_program() else 1
    return count <= own


def console_process_count() -> int | None:
    """How many processes share this console; None where there is no such notion (not Windows)."""
    if sys.platform != "win32":
        return None
    import ctypes  # deferred: start-up speed

    processes = (ctypes.c_uint32 * 4)()
    count = int(ctypes.windll.kernel32.GetConsoleProcessList(processes, 4))  # type: ignore[attr-defined]
    return count or None  # 0: the call failed (no console at all)


def _is_one_file_program() -> bool:
    unpacked = getattr(sys, "_MEIPASS", None)  # PyInstaller's one-file programs unpack to _MEI…
    return bool(
        getattr(sys, "frozen", False) and unpacked and Path(unpacked).name.startswith("_MEI")
    )
