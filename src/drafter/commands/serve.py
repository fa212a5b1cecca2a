"""`drafter serve`: the forms of a folder in the browser; the server itself is drafter.web."""

from __future__ import annotations

from pathlib import Path

from ..config.settings import load_settings
from ..web.server import Server, bind_server

DEFAULT_HOST = "127.0.0.1"


def serve_command(
    folder: Path | None, host: str = DEFAULT_HOST, port: int = 0, users: Path | None = None
) -> Server:
    """A server bound for the forms in `folder`, not yet running.

    Without a folder: the settings file's forms_folder (an office's shared forms), else the
    current folder.
    """
    if folder is None:
        folder = load_settings().forms_folder or Path.cwd()
    return bind_server(folder, host, port, users)
