"""`webhook`: each alert record POSTed as JSON, the same object the `file` channel writes.

With a `secret`, the receiver can check that an alert really comes from this monitor and
was not altered: `X-Monitor-Signature: sha256=HEX` is the HMAC-SHA256 of the exact body
bytes, so the receiver must verify before parsing (re-serialising could change the bytes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import ClassVar, Literal

import requests
from pydantic import SecretStr, field_validator

from monitor.alerts import AlertRecord
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.channels.http import DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, HttpPoster, check_url
from monitor.digests import DigestRecord

SIGNATURE_HEADER = "X-Monitor-Signature"


def record_body(record: AlertRecord | DigestRecord) -> bytes:
    """The record as compact UTF-8 JSON: the exact bytes that are sent and signed.

    The record's JSON object as stored (`data`), not a re-encoding of the typed fields:
    receivers get every field, the same as the `file` channel writes.
    """
    return json.dumps(dict(record.data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """The `X-Monitor-Signature` value for `body`."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookChannelConfig(ChannelConfig):
    type: Literal["webhook"]
    DEFAULT_GROUP: ClassVar[str] = "rule"  # programs read it: one record per rule
    TEMPLATES: ClassVar[bool] = False  # JSON records, not messages: no `template`
    url: SecretStr
    secret: SecretStr | None = None

    @field_validator("url")
    @classmethod
    def _http(cls, value: SecretStr) -> SecretStr:
        check_url(value.get_secret_value(), "an http:// or https:// URL")
        return value


class WebhookChannel:
    """POSTs alert records to `url`; signs them when `secret` is set.

    The URL may carry a token, so it is treated as a secret just like `secret`.
    """

    def __init__(
        self,
        name: str,
        url: str,
        secret: str | None,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    ) -> None:
        self.name = name
        self._poster = HttpPoster(
            url, session=session, timeout=timeout, total_timeout=total_timeout
        )
        self._secret = secret

    def send(self, record: AlertRecord | DigestRecord) -> None:
        body = record_body(record)
        headers = {"Content-Type": "application/json"}
        if self._secret is not None:
            headers[SIGNATURE_HEADER] = signature(self._secret, body)
        self._poster.post(body, headers)

    def close(self) -> None:
        self._poster.close()


def _build(name: str, conf: WebhookChannelConfig) -> WebhookChannel:
    secret = conf.secret.get_secret_value() if conf.secret else None
    return WebhookChannel(name, conf.url.get_secret_value(), secret)


CHANNEL = ChannelType(WebhookChannelConfig, _build)
