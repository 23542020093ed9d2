"""Channels against receivers and files that misbehave: slow drips, unwritable targets.

A receiver on 127.0.0.1 that sends `HTTP/1.1 200 OK` and then one header line every 2 s
never trips requests' per-read timeout; the total deadline must end the send anyway, as a
retryable failure whose message does not contain the (secret) URL. A file channel whose
target can never be written must dead-letter the alert with the reason, not retry it for
ever; a full disk stays retryable. The daemon's dead letter, and its retry on request, are
tested in tests/e2e/test_channels_hostile_daemon.py.
"""

from __future__ import annotations

import base64
import errno
import os
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from helpers.loopback import LoopbackServer, send_in_thread
from helpers.records import typed

from monitor.alerts import RenderedAlert
from monitor.channels.file import FileChannel
from monitor.channels.slack import SlackChannel
from monitor.channels.webhook import WebhookChannel
from monitor.errors import DeliveryError

TOKEN = "dr1bbl3S3cr3tT0k3nQQ"
RECORD = {
    "rule": "r",
    "channel": "hook",
    "article": {"id": "a1", "title": "T", "path": "/x"},
    "hits": [],
    "sent_at": "now",
}


class DribbleServer(LoopbackServer):
    """Answers the first `ok_first` requests of a connection at once (keep-alive), then the
    next one with a status line and one header line (mode "headers") or one body byte
    (mode "body") every `every` seconds, until the client hangs up."""

    def __init__(
        self,
        mode: str = "headers",
        every: float = 2.0,
        ok_first: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__()
        self.mode, self.every, self.ok_first, self.tls = mode, every, ok_first, tls

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://localhost:{self.port}/hooks/{TOKEN}?key={TOKEN}"

    @staticmethod
    def _read_request(conn: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            body += chunk
        return True

    def _connection(self, conn: socket.socket) -> None:
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                conn.close()
                return
        with conn:
            for _ in range(self.ok_first):
                if not self._read_request(conn):
                    return
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            if not self._read_request(conn):
                return
            try:
                if self.mode == "headers":
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                else:
                    conn.sendall(
                        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100000\r\n\r\n"
                    )
                n = 0
                while not self._stop.wait(self.every):
                    n += 1
                    conn.sendall(
                        f"X-Drip-{n}: {TOKEN}\r\n".encode() if self.mode == "headers" else b"x"
                    )
            except OSError:
                self.hung_up.set()


@pytest.mark.parametrize("mode", ["headers", "body"])
def test_a_dribbling_receiver_cannot_hold_a_send_past_the_total_deadline(mode: str) -> None:
    with DribbleServer(mode=mode) as server:
        hook = WebhookChannel("hook", server.url, None, timeout=(2.0, 3.0), total_timeout=4.0)
        elapsed, exc = send_in_thread(lambda: hook.send(typed(RECORD)))
        hook.close()
        assert isinstance(exc, DeliveryError), exc
        assert not exc.permanent
        assert "within 4 s" in str(exc) and "localhost" in str(exc)
        assert TOKEN not in str(exc) and "/hooks/" not in str(exc)
        assert exc.__cause__ is None and exc.__context__ is None
        assert 3.5 < elapsed < 8, elapsed
        assert server.hung_up.wait(5), "the connection was left open"


def test_the_deadline_cuts_a_tls_connection_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_tls)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))  # the channel's own session trusts it
    with DribbleServer(ok_first=1, tls=server_tls) as server:
        hook = WebhookChannel("hook", server.url, None, timeout=(2.0, 3.0), total_timeout=4.0)
        hook.send(typed(RECORD))  # TLS works, and the connection is kept for the next send
        elapsed, exc = send_in_thread(lambda: hook.send(typed(RECORD)))
        hook.close()
        assert isinstance(exc, DeliveryError) and not exc.permanent, exc
        assert "within 4 s" in str(exc) and TOKEN not in str(exc)
        assert elapsed < 8, elapsed


def test_the_deadline_covers_a_reused_keep_alive_connection() -> None:
    with DribbleServer(ok_first=1) as server:
        slack = SlackChannel("s", server.url, interval=0, timeout=(2.0, 3.0), total_timeout=4.0)
        slack.send(typed(RECORD))  # answered at once; the connection stays open for the next
        elapsed, exc = send_in_thread(lambda: slack.send(typed(RECORD)))
        slack.close()
        assert isinstance(exc, DeliveryError) and not exc.permanent, exc
        assert TOKEN not in str(exc)
        assert elapsed < 8, elapsed


def test_a_send_within_the_deadline_is_not_disturbed() -> None:
    with DribbleServer(ok_first=3) as server:
        hook = WebhookChannel("hook", server.url, None, total_timeout=1.0)
        for _ in range(3):
            hook.send(typed(RECORD))
            time.sleep(0.4)  # the deadline timers of earlier sends have long been cancelled
        hook.close()


# -- the file channel -------------------------------------------------------------------------
def _alert() -> list[RenderedAlert]:
    return [RenderedAlert(("a1", "r", "log"), '{"rule": "r"}')]


@pytest.fixture
def not_a_folder(tmp_path: Path) -> Iterator[Path]:
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file\n")
    yield blocker


def test_unwritable_targets_are_permanent(tmp_path: Path, not_a_folder: Path) -> None:
    cases = {
        "Not a directory": not_a_folder / "alerts.jsonl",  # ENOTDIR on open
        "Not a directory ": not_a_folder / "sub" / "a.jsonl",  # mkdir over a file
        "Is a directory": tmp_path,  # EISDIR
    }
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        cases["Permission denied"] = locked / "alerts.jsonl"
    for reason, path in cases.items():
        with pytest.raises(DeliveryError) as err:
            FileChannel("log", path).send_batch(_alert())
        assert err.value.permanent, path
        assert reason.strip() in str(err.value) and "monitor outbox --retry" in str(err.value)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_stays_retryable() -> None:
    with pytest.raises(DeliveryError) as err:
        FileChannel("log", Path("/dev/full")).send_batch(_alert())
    assert not err.value.permanent
    assert os.strerror(errno.ENOSPC) in str(err.value)


def test_the_deadline_cuts_a_stalled_tls_handshake() -> None:
    """A server that accepts the connection and never answers the TLS ClientHello: the
    per-read timeout (8 s) would hold the send; the total deadline (2 s) must end it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        hook = WebhookChannel(
            "hook", f"https://127.0.0.1:{port}/hook", None, timeout=(8.0, 8.0), total_timeout=2.0
        )
        started = time.monotonic()
        with pytest.raises(DeliveryError) as caught:
            hook.send(
                typed({"rule": "r", "article": {"id": "a", "title": "t", "path": "p"}, "hits": []})
            )
        assert time.monotonic() - started < 6
        assert not caught.value.permanent
        hook.close()


def test_an_error_answer_echoing_the_basic_auth_header_is_redacted() -> None:
    """A receiver that echoes request headers in its 4xx answer put the base64 of the URL's
    user:password (`Authorization: Basic ...`) into the log and `monitor outbox`."""
    from monitor.channels.http import secret_fragments

    token = base64.b64encode(b"user:pa55SEKRET").decode()
    assert token in secret_fragments("https://user:pa55SEKRET@hooks.example/x")
