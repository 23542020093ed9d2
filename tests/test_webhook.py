"""The `webhook` channel: the record as signed JSON, and delivery errors without the URL."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.records import typed
from helpers.slack_server import (
    Reply,
    SlackServer,
    hang,
    invalid_payload,
    rate_limited,
    server_error,
    unused_port,
)

from monitor.channels.webhook import WebhookChannel
from monitor.errors import DeliveryError

TOKEN = "tok3nS3cretQueryValue"
PATH = f"/hooks/alerts?token={TOKEN}"
SECRET = "shared-hmac-secret"

RECORD: dict[str, Any] = {
    "rule": "nato-south-korea",
    "channel": "hook",
    "description": "NATO engages South Korea",
    "article": {
        "id": "0123456789abcdef",
        "title": "Zürich: NATO and S Korea <talk> “arms”",
        "path": "/srv/inbox/x.txt",
        "url": None,
        "published": "2023-01-30",
        "source": None,
    },
    "hits": [{"term": "South Korea", "text": "S Korea", "field": "title", "start": 17, "end": 24}],
    "excerpt": None,
    "matched_at": "2023-01-30T10:00:00Z",
    "sent_at": "2023-01-30T10:00:01Z",
}


@pytest.fixture
def receiver() -> Iterator[SlackServer]:
    with SlackServer(path=PATH, validate=False, secret=SECRET) as server:
        yield server


@pytest.fixture
def plain_receiver() -> Iterator[SlackServer]:
    with SlackServer(path=PATH, validate=False) as server:
        yield server


def hook(url: str, secret: str | None = SECRET, **kwargs: Any) -> WebhookChannel:
    kwargs.setdefault("timeout", (1.0, 1.0))
    return WebhookChannel("hook", url, secret, **kwargs)


def assert_secret_free(exc: DeliveryError) -> None:
    for text in (str(exc), repr(exc)):
        assert TOKEN not in text and "token=" not in text and SECRET not in text
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


def test_body_is_the_record_as_compact_utf8_json(receiver: SlackServer) -> None:
    hook(receiver.url).send(typed(RECORD))
    [got] = receiver.received
    assert got.path == PATH
    assert got.header("Content-Type") == "application/json"
    assert got.json == RECORD
    assert got.body == json.dumps(RECORD, ensure_ascii=False, separators=(",", ":")).encode()
    assert "Zürich".encode() in got.body  # raw UTF-8, not \u escapes


def test_signature_verifies_on_the_receiver(receiver: SlackServer) -> None:
    hook(receiver.url).send(typed(RECORD))
    [got] = receiver.received
    assert got.signature_ok is True
    expected = "sha256=" + hmac.new(SECRET.encode(), got.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(got.header("X-Monitor-Signature") or "", expected)


def test_wrong_secret_is_refused_permanently(receiver: SlackServer) -> None:
    with pytest.raises(DeliveryError) as info:
        hook(receiver.url, secret="not-the-secret").send(typed(RECORD))
    assert info.value.permanent and "401" in str(info.value)
    assert receiver.received[0].signature_ok is False
    assert_secret_free(info.value)


def test_no_signature_header_without_secret(plain_receiver: SlackServer) -> None:
    hook(plain_receiver.url, secret=None).send(typed(RECORD))
    [got] = plain_receiver.received
    assert got.header("X-Monitor-Signature") is None
    assert got.json == RECORD


@pytest.mark.parametrize(
    ("reply", "permanent", "retry_after", "needle"),
    [
        (rate_limited(3), False, 3.0, "429"),
        (rate_limited("Wed, 21 Oct 2015 07:28:00 GMT"), False, 1.0, "429"),  # past: minimum
        (server_error(), False, None, "500"),
        (Reply(503, "maintenance", {"Retry-After": "30"}), False, 30.0, "503"),
        (invalid_payload(), True, None, "invalid_payload"),
        (Reply(404, f"no route for {PATH}"), True, None, "404"),
        (Reply(410, "gone"), True, None, "gone"),
    ],
)
def test_error_mapping(
    plain_receiver: SlackServer,
    reply: Reply,
    permanent: bool,
    retry_after: float | None,
    needle: str,
) -> None:
    plain_receiver.script(reply)
    with pytest.raises(DeliveryError) as info:
        hook(plain_receiver.url).send(typed(RECORD))
    assert info.value.permanent is permanent
    assert info.value.retry_after == retry_after
    assert needle in str(info.value)
    assert_secret_free(info.value)


def test_hang_is_temporary_within_the_timeout(plain_receiver: SlackServer) -> None:
    plain_receiver.script(hang(10))
    started = time.monotonic()
    with pytest.raises(DeliveryError) as info:
        hook(plain_receiver.url, timeout=(1.0, 0.3)).send(typed(RECORD))
    assert time.monotonic() - started < 2
    assert not info.value.permanent and "timed out" in str(info.value)
    assert_secret_free(info.value)


def test_connection_refused_is_temporary() -> None:
    with pytest.raises(DeliveryError) as info:
        hook(f"http://127.0.0.1:{unused_port()}{PATH}").send(typed(RECORD))
    assert not info.value.permanent and "connection error" in str(info.value)
    assert_secret_free(info.value)


def test_credentials_in_the_url_never_appear() -> None:
    url = f"http://admin:{TOKEN}@127.0.0.1:{unused_port()}{PATH}"
    with pytest.raises(DeliveryError) as info:
        hook(url).send(typed(RECORD))
    assert "admin" not in str(info.value)
    assert_secret_free(info.value)


def test_unknown_charset_in_an_error_answer(plain_receiver: SlackServer) -> None:
    plain_receiver.script(Reply(400, "bad field", {"Content-Type": "text/plain; charset=nope"}))
    with pytest.raises(DeliveryError) as info:
        hook(plain_receiver.url).send(typed(RECORD))
    assert info.value.permanent and "bad field" in str(info.value)
