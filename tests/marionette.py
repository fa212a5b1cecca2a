"""A headless Firefox driven through Marionette, its built-in remote protocol.

Selenium needs geckodriver for Firefox, and no package index this project may use carries it;
Firefox itself speaks Marionette (messages `length:json` on a TCP port), which is all a test
needs to load a page, run a script in it and read the result.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")


class MarionetteError(Exception):
    """Firefox answered a command with an error."""


class Firefox:
    """One headless Firefox with a fresh profile, stopped by `close()`."""

    def __init__(self, timeout: float = 60) -> None:
        if FIREFOX is None:
            raise RuntimeError("firefox is not installed")
        self.profile = Path(tempfile.mkdtemp(prefix="drafter-firefox-"))
        with socket.socket() as probe:  # a free port for Marionette
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        (self.profile / "user.js").write_text(
            f'user_pref("marionette.port", {port});\nuser_pref("intl.accept_languages", "zh-CN");\n',
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--marionette", "-no-remote", "-profile", str(self.profile)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise
                time.sleep(0.2)
        self.stream = self.socket.makefile("rb")
        self.last_id = 0
        self._receive()  # the greeting: {"applicationType": "gecko", …}
        self.command("WebDriver:NewSession", {"capabilities": {}})

    def _receive(self) -> Any:
        length = b""
        while (byte := self.stream.read(1)) != b":":
            if not byte:
                raise MarionetteError("Firefox closed the connection")
            length += byte
        return json.loads(self.stream.read(int(length)))

    def command(self, name: str, parameters: dict[str, Any]) -> Any:
        self.last_id += 1
        data = json.dumps([0, self.last_id, name, parameters]).encode("utf-8")
        self.socket.sendall(str(len(data)).encode() + b":" + data)
        _, _, error, result = self._receive()
        if error:
            raise MarionetteError(f"{error.get('error')}: {error.get('message')}")
        return result

    def get(self, url: str) -> None:
        self.command("WebDriver:Navigate", {"url": url})

    def run(self, script: str, *arguments: Any) -> Any:
        """Run `script` (a function body; `arguments` as in WebDriver) and return its value."""
        found = self.command("WebDriver:ExecuteScript", {"script": script, "args": list(arguments)})
        return found.get("value") if isinstance(found, dict) else found

    def frame_text(self, selector: str) -> str:
        """The text of the page in the frame `selector` names (a sandboxed frame included)."""
        found = self.command("WebDriver:FindElement", {"using": "css selector", "value": selector})
        element = found.get("value", found) if isinstance(found, dict) else found
        self.command("WebDriver:SwitchToFrame", {"element": next(iter(element.values()))})
        try:
            return str(self.run("return document.body ? document.body.innerText : ''"))
        finally:
            self.command("WebDriver:SwitchToParentFrame", {})

    def close(self) -> None:
        try:
            if hasattr(self, "socket"):
                self.command("Marionette:Quit", {"flags": ["eForceQuit"]})
        except (OSError, MarionetteError):
            pass
        finally:
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait(30)
            shutil.rmtree(self.profile, ignore_errors=True)
