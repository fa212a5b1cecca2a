"""Who may talk to `drafter serve`: a token off the loopback, CSRF and Host checks, size limits.

On 127.0.0.1 only this PC's browser can connect; a page on another site could still make
that browser send requests, so every change needs the page's own CSRF value (sent as a
header, which another site's page cannot set without the CORS permission we never grant),
and the Host header must name the loopback (a rebound DNS name is refused). Any other
address needs the access token printed at start, as Jupyter does; the browser keeps it in
a cookie after the first visit.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field

TOKEN_COOKIE = "drafter_token"
CSRF_HEADER = "X-Drafter-Csrf"
MAX_JSON_BYTES = 4 * 1024 * 1024  # a form is at most 2 MB (config.located_yaml.MAX_BYTES)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a speech file is at most 10 MB (readers)
MAX_UPLOAD_BODY = MAX_UPLOAD_BYTES + 64 * 1024  # the upload and its multipart framing
# waitress's own limit, above ours: a body between the two is refused by drafter in Chinese;
# only one beyond this gets waitress's plain English 413 (and is never buffered further).
MAX_BODY_BYTES = 32 * 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
# What pages may load: only this server's own files; the preview's inline styles are the
# HTML writer's and it has no scripts.
CONTENT_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


def is_loopback(host: str) -> bool:
    """Whether an address or name to bind is this machine only."""
    host = host.strip("[]")
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Access:
    """The secrets of one server run and whether it listens beyond this machine."""

    loopback: bool
    token: str | None = None  # the one token printed at start, required when set
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    users: dict[str, str] = field(default_factory=dict)  # name → access word (a users file)

    @classmethod
    def for_host(cls, host: str, users: dict[str, str] | None = None) -> Access:
        """A users file replaces the printed token; off the loopback one of them is required."""
        loopback = is_loopback(host)
        token = None if loopback or users else secrets.token_urlsafe(24)
        return cls(loopback, token, users=dict(users or {}))

    @property
    def required(self) -> bool:
        """Whether every request must carry a token or a user's access word."""
        return self.token is not None or bool(self.users)

    def token_ok(self, given: str | None) -> bool:
        if not self.required:
            return True
        if given is None:
            return False
        words = [self.token] if self.token else list(self.users.values())
        # Every word compared, in constant time: the answer's timing tells nothing.
        found = [hmac.compare_digest(given.encode(), word.encode()) for word in words]
        return any(found)

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())

    def host_ok(self, host_header: str | None) -> bool:
        """On the loopback, the Host header must name it (no DNS rebinding)."""
        if not self.loopback:
            return True
        if not host_header:
            return False
        name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
        if host_header.startswith("["):
            name = host_header[1 : host_header.find("]")]
        return is_loopback(name)
