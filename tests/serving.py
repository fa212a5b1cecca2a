"""A `drafter serve` server on a free loopback port in a thread, and a tiny HTTP client."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.web.server import Server, bind_server

WAIT_SECONDS = 15  # generous under a loaded CI machine; latency is measured in benchmarks/serve.py


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@contextmanager
def serving(folder: Path, host: str = "127.0.0.1", users: Path | None = None) -> Iterator[Server]:
    """The server for `folder`, running until the block ends."""
    server = bind_server(folder, host, 0, users)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(5)


def request(
    server: Server,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One HTTP request to the server, on the loopback."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


def csrf_of(server: Server) -> str:
    """The CSRF value the home page carries."""
    page = request(server, "GET", "/").body.decode("utf-8")
    found = re.search(r'name="drafter-csrf" content="([^"]+)"', page)
    assert found
    return found.group(1)


def post_json(server: Server, path: str, data: Any, csrf: str | None = None) -> Answer:
    headers = {"Content-Type": "application/json"}
    if csrf is not None:
        headers["X-Drafter-Csrf"] = csrf
    return request(server, "POST", path, json.dumps(data).encode("utf-8"), headers)


def wait_until(check: Callable[[], Any], what: str) -> Any:
    """Poll `check` until it gives something truthy."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            found = check()
        except Exception:  # the page is being redrawn
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"没有等到：{what}")
        time.sleep(0.05)
