"""A PDF conversion that hangs is killed whole: no LibreOffice process outlives drafter."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from drafter.writers import pdf as pdf_writer

from .conftest import EXAMPLE, run_cli


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its parent counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in LibreOffice is a shell script")
def test_a_hung_conversion_is_killed_with_everything_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"  # like soffice, it starts a worker (soffice.bin) and waits
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pids}\necho $$ >> {pids}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pdf_writer.ENV_OVERRIDE, str(fake))
    monkeypatch.setattr(pdf_writer, "TIMEOUT_SECONDS", 2)
    started = time.monotonic()
    result = run_cli("render", EXAMPLE, "-f", "pdf", "-o", tmp_path / "out")
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    assert "LibreOffice 转换 PDF 超过 2 秒仍未完成，已放弃" in result.stderr
    worker, leader = (int(line) for line in pids.read_text().split())
    deadline = time.monotonic() + 10
    while (alive(worker) or alive(leader)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker), "the worker LibreOffice started was left running"
    assert not alive(leader)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in LibreOffice is a shell script")
def test_a_conversion_that_ends_in_time_is_read_as_before(tmp_path: Path) -> None:
    completed = pdf_writer.run_in_own_group(
        ["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], timeout=30
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (3, b"out\n", b"err\n")
