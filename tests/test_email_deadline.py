"""The `email` channel's total deadline against SMTP servers that dribble or stall.

Each server here is a real socket server on 127.0.0.1 that speaks just enough SMTP to reach
one stage, then sends one line (or one byte) every so often, or nothing, never finishing its
reply. The gaps are shorter than the channel's 8 s per-operation timeout, so only the total
deadline (2 s here) can end the send: it must, in about 2 s (well before the 8 s a per-read
timeout would take: a TLS handshake, for one, is bounded by that timeout as a whole), as a
retryable DeliveryError that names neither the username nor the password. A server that
has accepted the message and then dribbles its answer to QUIT must not hold the send
either, and the alert counts as delivered.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers.loopback import LoopbackServer, send_in_thread
from helpers.mail import HOST, email_channel
from helpers.records import typed

from monitor.channels.email import EmailChannel
from monitor.channels.http import DEFAULT_TOTAL_TIMEOUT
from monitor.errors import DeliveryError

USER, PASSWORD = "dribble-user", "dr1bbl3-Pa55w0rd"
RECORD: dict[str, Any] = {
    "rule": "r1",
    "channel": "desk",
    "description": "d",
    "article": {"id": "a1", "title": "A headline", "path": "/x", "url": "https://e.org/1"},
    "hits": [],
    "matched_at": "2023-01-30T10:00:00Z",
    "sent_at": "2023-01-30T10:00:01Z",
}
TOTAL = 2.0  # the deadline under test
PER_OPERATION = 8.0  # the channel's socket timeout
EVERY = 1.5  # seconds between dribbled lines: below the per-operation timeout
#: The first bytes of a TLS record (handshake, TLS 1.2, 64 bytes long): a client waits for
#: the rest of the record, one byte at a time if need be.
TLS_RECORD_START = b"\x16\x03\x03\x00\x40"


class Hangup(Exception):
    """The client closed the connection."""


class Conversation:
    """One accepted connection, with line reads and a dribble that notices a hang-up."""

    def __init__(self, conn: socket.socket, stop: threading.Event) -> None:
        self.conn, self._stop, self._buffer = conn, stop, b""

    def send(self, data: bytes) -> None:
        self.conn.sendall(data)

    def line(self) -> bytes:
        """The next command line from the client."""
        while b"\r\n" not in self._buffer:
            chunk = self.conn.recv(65536)
            if not chunk:
                raise Hangup
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\r\n")
        return line

    def command(self) -> bytes:
        """The next command, upper-cased verb first: b"EHLO", b"MAIL", ..."""
        return self.line().split(b" ", 1)[0].upper()

    def dribble(self, pieces: Callable[[int], bytes], first: bool = True) -> None:
        """Send `pieces(n)` every EVERY seconds, reading (and dropping) whatever the client
        sends meanwhile, until it hangs up; never finishes a reply."""
        n = 0
        if first:
            self.send(pieces(n))
        while not self._stop.is_set():
            self.conn.settimeout(EVERY)
            try:
                if not self.conn.recv(65536):
                    raise Hangup
            except TimeoutError:
                n += 1
                self.send(pieces(n))


Script = Callable[[Conversation], None]


class ScriptedSMTP(LoopbackServer):
    """A socket server that runs `script` for each connection and records a hang-up."""

    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script
        self.errors: list[BaseException] = []

    def _connection(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.script(Conversation(conn, self._stop))
            except (Hangup, ConnectionError):
                self.hung_up.set()
            except BaseException as exc:  # shown by the test, not lost in a thread
                self.errors.append(exc)


# --- scripts: a healthy start, then a stall at one stage ---------------------------------------


def greet(c: Conversation) -> None:
    c.send(b"220 smtp.test ESMTP\r\n")


def ehlo(c: Conversation, *extensions: bytes) -> None:
    assert c.command() == b"EHLO"
    lines = [b"smtp.test", *extensions]
    c.send(b"".join(b"250-" + x + b"\r\n" for x in lines[:-1]) + b"250 " + lines[-1] + b"\r\n")


def until_data_end(c: Conversation) -> None:
    """MAIL, RCPT and DATA accepted; returns once the message's final `.` has arrived."""
    assert c.command() == b"MAIL"
    c.send(b"250 OK\r\n")
    assert c.command() == b"RCPT"
    c.send(b"250 OK\r\n")
    assert c.command() == b"DATA"
    c.send(b"354 go ahead\r\n")
    while c.line() != b".":
        pass


def dribbled_greeting(c: Conversation) -> None:
    c.dribble(lambda n: b"220-smtp.test still waking up %d\r\n" % n)


def dribbled_ehlo(c: Conversation) -> None:
    greet(c)
    assert c.command() == b"EHLO"
    c.dribble(lambda n: b"250-EXTENSION-%d\r\n" % n)


def ehlo_one_byte_at_a_time(c: Conversation) -> None:
    """`250-...` one byte per EVERY: the deadline leaves the client a partial line, which
    smtplib reads as an EHLO without STARTTLS, a permanent failure were it not for the cut."""
    greet(c)
    assert c.command() == b"EHLO"
    reply = b"250-smtp.test\r\n250 STARTTLS\r\n"
    c.dribble(lambda n: reply[n : n + 1])


def dribbled_auth(c: Conversation) -> None:
    """Echoes the credentials in a reply that never ends: none may reach the error."""
    greet(c)
    ehlo(c, b"AUTH PLAIN LOGIN")
    assert c.command() == b"AUTH"
    c.dribble(lambda n: f"334-{USER} {PASSWORD} {n}\r\n".encode())


def stall_after_data(c: Conversation) -> None:
    greet(c)
    ehlo(c)
    until_data_end(c)
    c.dribble(lambda n: b"250-still queueing %d\r\n" % n)


def silent_after_data(c: Conversation) -> None:
    greet(c)
    ehlo(c)
    until_data_end(c)
    c.dribble(lambda n: b"", first=False)


def starttls_handshake_dribbled(c: Conversation) -> None:
    greet(c)
    ehlo(c, b"STARTTLS")
    assert c.command() == b"STARTTLS"
    c.send(b"220 go ahead\r\n")
    c.dribble(lambda n: TLS_RECORD_START if n == 0 else b"\x02")


def smtps_handshake_dribbled(c: Conversation) -> None:
    c.dribble(lambda n: TLS_RECORD_START if n == 0 else b"\x02")


def never_closes_after_quit(c: Conversation) -> None:
    """Accepts the message, then answers QUIT one continuation line at a time, and never
    closes the connection from its side."""
    greet(c)
    ehlo(c)
    until_data_end(c)
    c.send(b"250 2.0.0 queued as 1234\r\n")
    assert c.command() == b"QUIT"
    c.dribble(lambda n: b"221-bye %d\r\n" % n)


# --- running a send ----------------------------------------------------------------------------


def channel(port: int, security: str = "none", **kw: Any) -> EmailChannel:
    return email_channel(port, security, timeout=PER_OPERATION, total_timeout=TOTAL, **kw)


def timed_send(ch: EmailChannel) -> tuple[float, BaseException | None]:
    """Run `ch.send`; give up on it (failing the test) rather than hang the suite."""
    return send_in_thread(lambda: ch.send(typed(RECORD)))


@pytest.fixture
def server() -> Iterator[Callable[[Script], ScriptedSMTP]]:
    servers: list[ScriptedSMTP] = []

    def start(script: Script) -> ScriptedSMTP:
        s = ScriptedSMTP(script)
        servers.append(s.__enter__())
        return s

    yield start
    for s in servers:
        s.__exit__()
        assert not s.errors, s.errors


def assert_cut(srv: ScriptedSMTP, elapsed: float, exc: BaseException | None) -> None:
    assert isinstance(exc, DeliveryError), exc
    assert not exc.permanent, str(exc)
    message = str(exc)
    assert f"{HOST}:{srv.port}" in message and "within 2 s" in message, message
    assert USER not in message and PASSWORD not in message
    assert exc.__cause__ is None and exc.__context__ is None
    assert 1.8 < elapsed < PER_OPERATION - 2, elapsed  # the deadline, not a socket timeout
    assert srv.hung_up.wait(5), "the connection was left open"


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "security"),
    [
        (dribbled_greeting, "none"),
        (dribbled_ehlo, "none"),
        (dribbled_ehlo, "starttls"),
        (ehlo_one_byte_at_a_time, "starttls"),
        (stall_after_data, "none"),
        (silent_after_data, "none"),
        (starttls_handshake_dribbled, "starttls"),
        (smtps_handshake_dribbled, "ssl"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_a_stalled_stage_is_cut_at_the_deadline_and_retried(
    server: Callable[[Script], ScriptedSMTP], script: Script, security: str
) -> None:
    srv = server(script)
    elapsed, exc = timed_send(channel(srv.port, security))
    assert_cut(srv, elapsed, exc)


def test_a_dribbled_auth_reply_is_cut_without_revealing_the_credentials(
    server: Callable[[Script], ScriptedSMTP],
) -> None:
    srv = server(dribbled_auth)
    ch = channel(srv.port, username=USER, password=PASSWORD)
    elapsed, exc = timed_send(ch)
    assert_cut(srv, elapsed, exc)
    assert USER not in repr(exc) and PASSWORD not in repr(exc)


def test_a_server_that_never_closes_after_quit_does_not_hold_the_send(
    server: Callable[[Script], ScriptedSMTP],
) -> None:
    srv = server(never_closes_after_quit)
    elapsed, exc = timed_send(channel(srv.port))
    # The message was accepted before QUIT: delivered, and never sent twice.
    assert exc is None, exc
    assert elapsed < PER_OPERATION - 2, elapsed
    assert srv.hung_up.wait(5), "the connection was left open"


def test_the_default_total_deadline_is_that_of_the_http_channels() -> None:
    ch = EmailChannel("desk", HOST, 25, "none", None, None, "m@example.org", ["desk@example.org"])
    assert ch.total_timeout == DEFAULT_TOTAL_TIMEOUT == 30.0
