"""Who may see the desk's page: argon2 passwords, signed session cookies, CSRF tokens, and a
limit on login attempts.

A session is a cookie the daemon signs with a key of its own (`web-secret` in `[state]
path`, made once with 0600), so it holds no server-side table and survives a restart. The
cookie carries the user's name, a random session id, its expiry and a stamp of the user's
password hash (an HMAC of it, so a new password ends every session made with the old one:
the way to throw out whoever learned it); the signature is an HMAC-SHA256 over all four.
Nothing secret is in it: the password hash never leaves the config, and the cookie cannot
be forged or stretched without the key.

Every form that changes state carries a CSRF token derived from the session id (an HMAC
with the same key, under another label), so another site that makes the browser post a
form cannot know it. Visitors without a login get a session too (with no user), so the login
form itself has a token: a site cannot log a browser in to an account of its choosing.

Login attempts are counted per client address and in all: past the limit, the form answers
429 without running argon2, whose 64 MiB and tens of milliseconds per try are exactly what
a flood of guesses would otherwise take from matching.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

COOKIE = "monitor_session"


def cookie_name(port: int) -> str:
    """The session cookie of the page on `port`: browsers keep cookies per host, not per
    port, so two desks on one machine (two nodes, a test one beside the real one) under one
    name logged each other out at every visit, and broke each other's open forms."""
    return f"{COOKIE}_{port}"


KEY_FILE = "web-secret"

_hasher = PasswordHasher()  # argon2id with the library's current defaults (RFC 9106 low-memory)
# Verified when the user name is unknown, so that a wrong name costs what a wrong password
# costs and the answer's timing does not tell which names exist.
_DUMMY = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, as `[web] users` takes it."""
    return _hasher.hash(password)


def verify_password(hashed: str | None, password: str) -> bool:
    """Whether `password` is the one `hashed` was made from; False for a hash that is not one
    (a typo in the config must lock that user out, not let anyone in)."""
    try:
        return _hasher.verify(hashed or _DUMMY, password) and hashed is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def load_key(folder: Path) -> bytes:
    """The signing key in `folder/web-secret`, made on first use (0600, written atomically:
    two nodes or two starts racing keep whichever file landed first)."""
    path = folder / KEY_FILE
    with contextlib.suppress(FileNotFoundError):
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(32))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)  # fails if another process made it meanwhile: keep theirs
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)
    return path.read_bytes()


@dataclass(frozen=True, slots=True)
class Session:
    """A visitor's session: `user` is "" before login (or on a desk without users); `stamp`
    is `Sessions.stamp` of the user's password hash at login ("" without a user)."""

    user: str
    sid: str
    expires: int
    stamp: str = ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sessions:
    """Makes and reads signed session cookies and their CSRF tokens."""

    def __init__(self, key: bytes, lifetime: float) -> None:
        self._key = key
        self.lifetime = lifetime

    def _sign(self, label: bytes, data: bytes) -> bytes:
        return hmac.new(self._key, label + b"\0" + data, hashlib.sha256).digest()

    def new(self, user: str, now: float | None = None, stamp: str = "") -> Session:
        """A fresh session (a new id at every login, so a token seen before is worthless)."""
        moment = time.time() if now is None else now
        return Session(user, secrets.token_urlsafe(18), int(moment + self.lifetime), stamp)

    def stamp(self, hashed: str) -> str:
        """What a session keeps of its user's password hash: the session holds only while
        the config has the same hash. Keyed, so the cookie tells nothing of the hash."""
        return _b64(self._sign(b"user", hashed.encode("utf-8", "surrogatepass"))[:12])

    def cookie_value(self, session: Session) -> str:
        body = json.dumps([session.user, session.sid, session.expires, session.stamp]).encode()
        return f"{_b64(body)}.{_b64(self._sign(b'session', body))}"

    def read(self, value: str | None, now: float | None = None) -> Session | None:
        """The session in a cookie value, or None if it is missing, forged or expired."""
        if not value or len(value) > 1024 or "." not in value:
            return None
        body_text, _, mac_text = value.partition(".")
        try:
            body, mac = _unb64(body_text), _unb64(mac_text)
        except (ValueError, UnicodeError):
            return None
        if not hmac.compare_digest(mac, self._sign(b"session", body)):
            return None
        try:
            user, sid, expires, stamp = json.loads(body)
        except (ValueError, TypeError):
            return None
        if not all(isinstance(v, str) for v in (user, sid, stamp)) or type(expires) is not int:
            return None
        if expires <= (time.time() if now is None else now):
            return None
        return Session(user, sid, expires, stamp)

    def csrf(self, session: Session) -> str:
        """The CSRF token of a session: forms post it back, and `check_csrf` compares."""
        return _b64(self._sign(b"csrf", session.sid.encode()))

    def check_csrf(self, session: Session | None, token: str | None) -> bool:
        if session is None or not token:
            return False
        return hmac.compare_digest(token.encode(), self.csrf(session).encode())


class LoginLimiter:
    """Failed logins allowed per client in a window, and in all (every client together)."""

    def __init__(
        self, per_client: int = 5, overall: int = 30, window: float = 300.0, clients: int = 10_000
    ) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window
        self._clients = clients
        self._failures: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds the client must wait before another try; 0 if it may try now."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._trim(self._all, moment)
            mine = self._failures.get(client)
            if mine is not None:
                self._trim(mine, moment)
            waits = []
            if mine is not None and len(mine) >= self.per_client:
                waits.append(mine[0] + self.window - moment)
            if len(self._all) >= self.overall:
                waits.append(self._all[0] + self.window - moment)
            return max(waits, default=0.0)

    def failed(self, client: str, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        with self._lock:
            if client not in self._failures and len(self._failures) >= self._clients:
                # Bounded memory under a flood of addresses: forget the quietest.
                for old in [c for c, t in self._failures.items() if not t][:1000] or list(
                    self._failures
                )[:1000]:
                    del self._failures[old]
            self._failures.setdefault(client, deque()).append(moment)
            self._all.append(moment)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
