"""`drafter serve`: the forms of a folder in the browser; the server itself is drafter.web."""

from __future__ import annotations

from pathlib import Path

from ..web.server import Server, bind_server

DEFAULT_HOST = "127.0.0.1"


def serve_command(
    folder: Path | None, host: str = DEFAULT_HOST, port: int = 0, users: Path | None = None
) -> Server:
    """A server bound for the forms in `folder` (default: the current folder), not yet running."""
    return bind_server(folder or Path.cwd(), host, port, users)
