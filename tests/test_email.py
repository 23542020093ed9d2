"""The `email` channel against a real SMTP server (aiosmtpd) on 127.0.0.1.

Covers the three security modes with a test CA (trustme), certificate and host-name checks,
AUTH, the mapping of SMTP replies to temporary/permanent failures, and what an article may
(not) put into the message: headers, recipients, markup.
"""

from __future__ import annotations

import copy
import email
import email.policy
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from helpers.mail import DESK, HOST, SENDER, email_channel
from helpers.records import typed

from monitor.channels.email import EmailChannel
from monitor.channels.email_render import SUBJECT_HEADLINE_MAX, build_message, header_text
from monitor.errors import DeliveryError

USER, PASSWORD = "alice", "s3cret-Pa55word!"

RECORD: dict[str, Any] = {
    "rule": "nato-south-korea",
    "channel": "desk",
    "description": "NATO engages South Korea",
    "article": {
        "id": "9738bd22683e892a",
        "title": "NATO chief urges S Korea to boost military support",
        "path": "/srv/monitor/inbox/x.txt",
        "url": "https://example.com/news/1",
        "published": "2023-01-30",
        "source": "Reuters",
    },
    "hits": [
        {"term": "NATO", "text": "NATO", "field": "title", "start": 0, "end": 4},
        {"term": "South Korea", "text": "S Korea", "field": "title", "start": 17, "end": 24},
        {"term": "South Korea", "text": "South Korea", "field": "body", "start": 120, "end": 131},
        {"term": "NATO", "text": "NATO", "field": "body", "start": 136, "end": 140},
    ],
    "excerpt": {"text": "said South Korea and NATO <b>agree</b>.", "field": "body", "start": 115},
    "matched_at": "2023-01-30T10:00:00Z",
    "sent_at": "2023-01-30T10:00:01Z",
}


def record(**article: Any) -> dict[str, Any]:
    """RECORD with some article fields replaced; a new title drops the title hits."""
    rec = copy.deepcopy(RECORD)
    rec["article"].update(article)
    if "title" in article:
        rec["hits"] = [h for h in rec["hits"] if h["field"] != "title"]
    return rec


def unfolded(value: str) -> str:
    """A header value as a reader sees it: Python's parser keeps the space of a fold that
    comes right after `Subject:`, which RFC 5322 unfolding (and every mail client) does not."""
    return " ".join(value.split())


# --- the SMTP server --------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    user: str | None

    def message(self) -> EmailMessage:
        msg = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


class Recorder:
    """An aiosmtpd handler that keeps every accepted message and can be told to refuse."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self.unknown: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        if address in self.unknown:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        user = session.auth_data.login.decode() if session.authenticated else None
        self.received.append(
            Received(
                envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, tls, user
            )
        )
        return "250 Message accepted for delivery"


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def free_port() -> int:
    # aiosmtpd 1.4 connects to its own port after starting, so it cannot bind port 0.
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    handler: Recorder


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "localhost").configure_cert(ctx)
    return ctx


@pytest.fixture(scope="module")
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """A client context like the default one, which also trusts the test CA."""
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


@pytest.fixture
def smtpd() -> Iterator[Callable[..., Server]]:
    """Starts aiosmtpd servers with the given SMTP options; stops them all afterwards."""
    controllers: list[Controller] = []

    def start(**kwargs: Any) -> Server:
        handler = Recorder()
        port = free_port()
        controller = Controller(handler, hostname=HOST, port=port, ready_timeout=5, **kwargs)
        controller.start()
        controllers.append(controller)
        return Server(port, handler)

    yield start
    for controller in controllers:
        controller.stop()


def channel(port: int, security: str = "none", **kw: Any) -> EmailChannel:
    return email_channel(port, security, **kw)


# --- delivery -----------------------------------------------------------------------------------


def test_plain_delivery(smtpd: Callable[..., Server]) -> None:
    server = smtpd()
    channel(server.port).send(typed(RECORD))
    [got] = server.handler.received
    assert got.mail_from == "monitor@example.org"
    assert got.rcpt_tos == [DESK]
    msg = got.message()
    assert unfolded(msg["Subject"]) == (
        "[monitor] NATO chief urges S Korea to boost military support (rule nato-south-korea)"
    )
    assert msg["From"] == SENDER
    assert msg["To"] == DESK
    assert msg["X-Monitor-Rule"] == "nato-south-korea"
    assert msg["Date"] and msg["Message-ID"]
    assert msg["Message-ID"].endswith("@example.org>")
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    assert "https://example.com/news/1" in text.get_content()
    assert '<a href="https://example.com/news/1">' in html.get_content()


def test_starttls_delivery_with_trusted_certificate(
    smtpd: Callable[..., Server], server_tls: ssl.SSLContext, trusting: ssl.SSLContext
) -> None:
    server = smtpd(tls_context=server_tls, require_starttls=True)
    channel(server.port, "starttls", ssl_context=trusting).send(typed(RECORD))
    [got] = server.handler.received
    assert got.tls and got.rcpt_tos == [DESK]


def test_starttls_untrusted_certificate_is_permanent(
    smtpd: Callable[..., Server], server_tls: ssl.SSLContext
) -> None:
    server = smtpd(tls_context=server_tls, require_starttls=True)
    # No ssl_context: the default one, which does not know the test CA.
    with pytest.raises(DeliveryError) as err:
        channel(server.port, "starttls").send(typed(RECORD))
    assert err.value.permanent
    assert "certificate verification failed for 127.0.0.1" in str(err.value)
    assert server.handler.received == []


def test_starttls_wrong_host_name_is_permanent(
    smtpd: Callable[..., Server], ca: trustme.CA, trusting: ssl.SSLContext
) -> None:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("smtp.elsewhere.example").configure_cert(ctx)
    server = smtpd(tls_context=ctx, require_starttls=True)
    with pytest.raises(DeliveryError) as err:
        channel(server.port, "starttls", ssl_context=trusting).send(typed(RECORD))
    assert err.value.permanent
    assert "certificate verification failed" in str(err.value)


def test_starttls_not_offered_is_permanent_not_a_plaintext_fallback(
    smtpd: Callable[..., Server],
) -> None:
    server = smtpd()
    with pytest.raises(DeliveryError) as err:
        channel(server.port, "starttls").send(typed(RECORD))
    assert err.value.permanent and "STARTTLS" in str(err.value)
    assert server.handler.received == []


def test_smtps_delivery(
    smtpd: Callable[..., Server], server_tls: ssl.SSLContext, trusting: ssl.SSLContext
) -> None:
    server = smtpd(ssl_context=server_tls)
    channel(server.port, "ssl", ssl_context=trusting).send(typed(RECORD))
    [got] = server.handler.received
    assert got.tls and got.rcpt_tos == [DESK]


def test_smtps_untrusted_certificate_is_permanent(
    smtpd: Callable[..., Server], server_tls: ssl.SSLContext
) -> None:
    server = smtpd(ssl_context=server_tls)
    with pytest.raises(DeliveryError) as err:
        channel(server.port, "ssl").send(typed(RECORD))
    assert err.value.permanent and "certificate verification failed" in str(err.value)


# --- AUTH ---------------------------------------------------------------------------------------


def auth_server(smtpd: Callable[..., Server], server_tls: ssl.SSLContext) -> Server:
    return smtpd(
        tls_context=server_tls,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator,
    )


def test_login_over_starttls(
    smtpd: Callable[..., Server], server_tls: ssl.SSLContext, trusting: ssl.SSLContext
) -> None:
    server = auth_server(smtpd, server_tls)
    channel(server.port, "starttls", ssl_context=trusting, username=USER, password=PASSWORD).send(
        typed(RECORD)
    )
    [got] = server.handler.received
    assert got.user == USER and got.tls


def test_wrong_password_is_permanent_and_not_revealed(
    smtpd: Callable[..., Server], server_tls: ssl.SSLContext, trusting: ssl.SSLContext
) -> None:
    server = auth_server(smtpd, server_tls)
    wrong = "hunter2-wrong-secret"
    ch = channel(server.port, "starttls", ssl_context=trusting, username=USER, password=wrong)
    with pytest.raises(DeliveryError) as err:
        ch.send(typed(RECORD))
    assert err.value.permanent
    message = str(err.value)
    assert "535" in message and "username and password" in message
    assert wrong not in message and wrong not in repr(ch)
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert server.handler.received == []


def test_login_without_auth_offered_is_permanent(smtpd: Callable[..., Server]) -> None:
    server = smtpd()  # plain: aiosmtpd offers AUTH only after TLS
    with pytest.raises(DeliveryError) as err:
        channel(server.port, username=USER, password=PASSWORD).send(typed(RECORD))
    assert err.value.permanent and "AUTH" in str(err.value)
    assert PASSWORD not in str(err.value)


# --- SMTP replies and network failures ----------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "reply", "permanent"),
    [
        ("data", "451 4.3.0 try later", False),
        ("data", "452 4.3.1 insufficient storage", False),
        ("data", "550 5.1.1 no such user", True),
        ("data", "554 5.7.1 rejected as spam", True),
        ("rcpt", "451 4.3.0 try later", False),
        ("rcpt", "550 5.1.1 no such user", True),
        ("rcpt", "553 5.1.3 bad address", True),
    ],
)
def test_reply_codes(smtpd: Callable[..., Server], stage: str, reply: str, permanent: bool) -> None:
    server = smtpd()
    setattr(server.handler, f"{stage}_reply", reply)
    with pytest.raises(DeliveryError) as err:
        channel(server.port).send(typed(RECORD))
    assert err.value.permanent is permanent
    assert reply in str(err.value)


def test_some_recipients_refused_still_delivers_to_the_rest(
    smtpd: Callable[..., Server], caplog: pytest.LogCaptureFixture
) -> None:
    server = smtpd()
    server.handler.unknown = {"gone@example.org"}
    channel(server.port, recipients=[DESK, "gone@example.org"]).send(typed(RECORD))
    [got] = server.handler.received
    assert got.rcpt_tos == [DESK]
    assert "gone@example.org" in caplog.text


def test_connection_refused_is_temporary() -> None:
    port = free_port()  # nothing listens there any more
    with pytest.raises(DeliveryError) as err:
        channel(port).send(typed(RECORD))
    assert not err.value.permanent and f"{HOST}:{port}" in str(err.value)


def test_silent_server_times_out_temporarily() -> None:
    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)  # the kernel accepts; nobody ever says 220
        with pytest.raises(DeliveryError) as err:
            channel(listener.getsockname()[1], timeout=0.3).send(typed(RECORD))
    assert not err.value.permanent and "did not answer" in str(err.value)


def test_ssl_against_a_plain_port_is_temporary_with_a_hint(
    smtpd: Callable[..., Server], trusting: ssl.SSLContext
) -> None:
    server = smtpd()
    with pytest.raises(DeliveryError) as err:
        channel(server.port, "ssl", ssl_context=trusting).send(typed(RECORD))
    assert not err.value.permanent
    assert "security" in str(err.value)


# --- the total deadline (servers that dribble or stall: test_email_deadline.py) ----------------


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_a_send_within_the_total_deadline_is_not_disturbed(
    smtpd: Callable[..., Server],
    server_tls: ssl.SSLContext,
    trusting: ssl.SSLContext,
    security: str,
) -> None:
    """A real server (with AUTH over STARTTLS) and a deadline far below the default: every
    send ends in time, and a finished send's timer never cuts a later one (the third send
    runs when the first one's deadline would have passed)."""
    kw: dict[str, Any] = {"total_timeout": 1.5}
    if security == "none":
        server = smtpd()
    elif security == "starttls":
        server = auth_server(smtpd, server_tls)
        kw.update(ssl_context=trusting, username=USER, password=PASSWORD)
    else:
        server = smtpd(ssl_context=server_tls)
        kw.update(ssl_context=trusting)
    ch = channel(server.port, security, **kw)
    for _ in range(3):
        ch.send(typed(RECORD))
        time.sleep(0.6)
    assert len(server.handler.received) == 3
    assert all(got.rcpt_tos == [DESK] for got in server.handler.received)


# --- what an article can and cannot do ----------------------------------------------------------


def test_header_injection_through_the_title(smtpd: Callable[..., Server]) -> None:
    server = smtpd()
    evil = "Hello\r\nBcc: victim@example.org\r\nX-Evil: 1"
    channel(server.port).send(typed(record(title=evil)))
    [got] = server.handler.received
    assert got.rcpt_tos == [DESK]
    msg = got.message()
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert "\r" not in msg["Subject"] and "\n" not in msg["Subject"]
    assert unfolded(msg["Subject"]).startswith("[monitor] Hello Bcc: victim@example.org X-Evil: 1")
    head = got.content.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"\r\nX-Evil:" not in head
    assert msg["To"] == DESK


UNSAFE = [
    "\n",
    "\r",
    "\x00",
    "\x07",
    "\x0b",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("sep", UNSAFE)
def test_no_control_character_reaches_a_header(sep: str) -> None:
    msg = build_message(typed(record(title=f"One{sep}Bcc: x@example.org")), SENDER, [DESK])
    raw = msg.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert all(line.startswith(" ") or ":" in line for line in head.split("\r\n"))
    assert "\nBcc:" not in head
    subject = msg["Subject"]
    assert sep not in subject and "One Bcc: x@example.org" in subject


# Line breaks (CR, LF, NEL, U+2028, U+2029) are line breaks in a body: left out here.
@pytest.mark.parametrize("char", [c for c in UNSAFE if c not in "\r\n\x85\u2028\u2029"])
def test_no_escape_or_bidi_control_reaches_a_body(char: str) -> None:
    """Terminal escapes (a reader's mail client may be a terminal) and bidi overrides become
    spaces in both parts, one for one, so the highlights still fall on the matched words."""
    rec = record(
        title=f"NATO{char}[2J S Korea", path=f"/in/evil{char}]0;x.txt", source=f"Wire{char}"
    )
    rec["hits"].append({"term": "NATO", "text": "NATO", "field": "title", "start": 0, "end": 4})
    rec["excerpt"] = {
        "text": f"said{char}South Korea and NATO agree.",
        "field": "body",
        "start": 115,
    }
    msg = build_message(typed(rec), SENDER, [DESK])
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    for content in (text.get_content(), html.get_content()):
        assert char not in content.replace("\r\n", "\n")
    assert "NATO [2J S Korea" in text.get_content()
    assert "File: /in/evil ]0;x.txt" in text.get_content()
    assert "<strong>NATO</strong> [2J S Korea" in html.get_content()
    assert "said <strong>South Korea</strong> and <strong>NATO</strong>" in html.get_content()
    assert char not in msg["Subject"]


def test_undecodable_file_name_still_builds_a_message() -> None:
    """A file name's undecodable bytes arrive as lone surrogates, which cannot be encoded:
    they must not make the alert fail for ever."""
    msg = build_message(typed(record(path="/in/caf\udce9.txt", title="caf\udce9")), SENDER, [DESK])
    assert b"caf" in msg.as_bytes()
    text = msg.get_body(("plain",))
    assert text is not None and "File: /in/caf .txt" in text.get_content()


def test_script_in_title_is_escaped_in_html() -> None:
    msg = build_message(typed(record(title="<script>alert(1)</script> & more")), SENDER, [DESK])
    html = msg.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "<script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in content
    # The excerpt's own markup is text too, while the matched words are bold.
    assert "&lt;b&gt;agree&lt;/b&gt;" in content
    assert "said <strong>South Korea</strong> and <strong>NATO</strong>" in content


def test_only_web_urls_become_links() -> None:
    msg = build_message(typed(record(url="javascript:alert(1)")), SENDER, [DESK])
    html, text = msg.get_body(("html",)), msg.get_body(("plain",))
    assert html is not None and text is not None
    assert "href" not in html.get_content() and "javascript" not in html.get_content()
    assert "javascript" not in text.get_content()
    quoted = build_message(typed(record(url='https://e.com/?a="x"<y>')), SENDER, [DESK])
    body = quoted.get_body(("html",))
    assert body is not None
    assert 'href="https://e.com/?a=&quot;x&quot;&lt;y&gt;"' in body.get_content()


def test_non_ascii_headline_round_trips(smtpd: Callable[..., Server]) -> None:
    server = smtpd()
    channel(server.port).send(typed(record(title="Zürich: Gipfel")))
    [got] = server.handler.received
    assert got.content.isascii()  # RFC 2047 in the header, an encoded body
    msg = got.message()
    assert unfolded(msg["Subject"]) == "[monitor] Zürich: Gipfel (rule nato-south-korea)"
    text = msg.get_body(("plain",))
    assert text is not None and "Zürich: Gipfel" in text.get_content()


def test_long_headline_is_cut() -> None:
    title = "word " * 100
    subject = build_message(typed(record(title=title)), SENDER, [DESK])["Subject"]
    headline = subject.removeprefix("[monitor] ").removesuffix(" (rule nato-south-korea)")
    assert headline.endswith("…") and len(headline) <= SUBJECT_HEADLINE_MAX
    assert header_text("a" * 200, 10) == "a" * 9 + "…"


def test_without_excerpt_the_hits_are_listed() -> None:
    rec = record()
    del rec["excerpt"]
    msg = build_message(typed(rec), SENDER, [DESK])
    html, text = msg.get_body(("html",)), msg.get_body(("plain",))
    assert html is not None and text is not None
    assert "<li><strong>S Korea</strong> (South Korea, title)</li>" in html.get_content()
    assert "<li><strong>NATO</strong> (NATO, title, body)</li>" in html.get_content()
    assert '"S Korea" (South Korea, title)' in text.get_content()
    # Title hits are bold in the headline.
    assert "<strong>NATO</strong> chief urges <strong>S Korea</strong>" in html.get_content()


def test_message_id_is_stable_per_alert_and_channel() -> None:
    first = build_message(typed(RECORD), SENDER, [DESK])["Message-ID"]
    assert build_message(typed(copy.deepcopy(RECORD)), SENDER, [DESK])["Message-ID"] == first
    other = copy.deepcopy(RECORD)
    other["channel"] = "other"
    assert build_message(typed(other), SENDER, [DESK])["Message-ID"] != first


def test_bad_config_addresses_are_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        channel(25, recipients=["desk@example.org\r\nBcc: x@example.org"])
    with pytest.raises(ValueError, match="separately"):
        channel(25, recipients=["a@example.org, b@example.org"])
    with pytest.raises(ValueError, match="security"):
        channel(25, security="tls")
