"""The HTTP server under `drafter serve`: waitress, listening on one address.

Waitress is pure Python with no dependencies (one wheel for Windows 32/64-bit and ARM, and
Linux), buffers each request fully before the application sees it (a slow or oversized
request never ties up a worker), and enforces header and body limits itself.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..infra.files import os_reason
from .app import make_app
from .folder import ServedFolder
from .security import MAX_BODY_BYTES, Access
from .users import read_users
from .workspace import Workspace

THREADS = 8  # an office of writers; each preview takes tens of milliseconds


@dataclass
class Server:
    """A server bound to its address, not yet serving."""

    server: Any  # waitress's server object
    access: Access
    folder: Path
    closing: bool = False

    @property
    def port(self) -> int:
        return int(self.server.effective_port)

    @property
    def url(self) -> str:
        host = self.server.effective_host
        shown = f"[{host}]" if ":" in host else host
        base = f"http://{shown}:{self.port}/"
        return f"{base}?token={self.access.token}" if self.access.token else base

    def run(self) -> None:
        """Serve until interrupted or closed."""
        try:
            self.server.run()
        except (OSError, ValueError):  # the socket closed under the loop by close()
            if not self.closing:
                raise

    def close(self) -> None:
        self.closing = True
        self.server.close()


def bind_server(
    folder: Path, host: str = "127.0.0.1", port: int = 0, users: Path | None = None
) -> Server:
    """A server for the forms in `folder` on host:port (0: any free port).

    `users` is a users file: each colleague opens the server with their own access word
    instead of the one token printed at start.
    """
    import logging  # deferred: start-up speed

    import waitress  # deferred: start-up speed

    # "Task queue depth is N" is waitress saying requests wait for a thread; not the writer's concern.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if not folder.is_dir():
        raise UsageError(f"不是文件夹：{folder}", path=str(folder))
    access = Access.for_host(host, read_users(users) if users else None)
    app = make_app(Workspace(ServedFolder(folder.resolve())), access)
    try:
        server = waitress.create_server(
            app,
            host=host,
            port=port,
            threads=THREADS,
            max_request_body_size=MAX_BODY_BYTES,
            clear_untrusted_proxy_headers=True,
            ident="drafter",
        )
    except OSError as exc:
        raise UsageError(f"无法在 {host}:{port} 上启动服务：{_bind_reason(exc)}") from None
    return Server(server, access, folder.resolve())


def _bind_reason(exc: OSError) -> str:
    """Why an address cannot be listened on, and what to do."""
    winerror = getattr(exc, "winerror", None)
    if exc.errno == errno.EADDRINUSE or winerror == 10048:  # WSAEADDRINUSE
        return "这个端口已被占用（drafter serve 是否已在运行？）；请用 --port 换一个端口"
    if exc.errno == errno.EACCES or winerror == 10013:  # WSAEACCES
        return "没有权限使用这个端口；请用 --port 换一个 1024 以上的端口"
    if exc.errno == errno.EADDRNOTAVAIL or winerror == 10049:  # WSAEADDRNOTAVAIL
        return "这台电脑没有这个地址；请检查 --host"
    return f"{os_reason(exc)}；请检查 --host 和 --port"
