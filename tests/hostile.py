"""Run drafter on hostile input in a separate process under a memory limit and a time guard."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run_drafter

# Enough for Python, Jinja and a speech; far less than a runaway template or a bomb would take.
MEMORY_LIMIT = 1024 * 1024 * 1024
# Only to catch a hang: every case here ends in a second or two.
HANG_GUARD_SECONDS = 120

needs_rlimit = pytest.mark.skipif(
    sys.platform == "win32", reason="resource.setrlimit is POSIX-only"
)


def _limit_memory() -> None:
    import resource  # deferred: optional dependency (POSIX only)

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m drafter ARGS` with its address space capped; fails the test on a hang."""
    try:
        return run_drafter(*args, cwd=cwd, preexec_fn=_limit_memory, timeout=HANG_GUARD_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"drafter {' '.join(map(str, args))} hung")


def assert_clean_refusal(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 2 with a located Chinese error naming `fragments`, and no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert ": 错误: " in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
