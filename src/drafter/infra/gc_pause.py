"""Pause Python's cyclic garbage collector while a form becomes a document and is written.

A large form turns into hundreds of thousands of short-lived objects (YAML nodes, template
context, model nodes). Every few hundred allocations the collector would walk them all
again, and every object the process already holds as well, so a 100-section form cost far
more than 100 small ones. Nothing made while rendering needs collecting before the render
is done (reference counting frees almost all of it), so the collector waits and resumes after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Run the body with automatic collection off, restoring it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
