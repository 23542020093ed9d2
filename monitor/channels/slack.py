"""`slack`: each alert as one message through a Slack incoming webhook.

Slack allows about one message per second per webhook and answers 429 beyond that, so the
channel spaces its posts itself rather than collecting 429s. After a 429 it also keeps to
the `Retry-After` for every alert, not only the refused one: posting the next alert early
would just be refused again and prolong the block.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Literal

import requests
from pydantic import SecretStr, field_validator

from monitor.alerts import AlertRecord
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.channels.http import DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, HttpPoster, check_url
from monitor.channels.slack_digest import digest_payload
from monitor.channels.slack_render import (
    BODY_STYLE,
    TITLE_STYLE,
    slack_payload,
    templated_payload,
)
from monitor.digests import DigestRecord
from monitor.errors import DeliveryError
from monitor.templates import MessageTemplate, load_template, render_message

#: Slack's documented rate for incoming webhooks: one message per second.
DEFAULT_INTERVAL = 1.0


class SlackChannelConfig(ChannelConfig):
    type: Literal["slack"]
    webhook_url: SecretStr

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: SecretStr) -> SecretStr:
        # Slack's URLs are https; plain http only to a local relay (or the tests' fake Slack).
        check_url(
            value.get_secret_value(), "an https:// URL (http:// only to localhost)", local_http=True
        )
        return value


class SlackChannel:
    """Posts `slack_payload(record)` to `webhook_url` (a secret: it is never logged)."""

    def __init__(
        self,
        name: str,
        webhook_url: str,
        session: requests.Session | None = None,
        *,
        interval: float = DEFAULT_INTERVAL,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        template: MessageTemplate | None = None,
    ) -> None:
        self.name = name
        self._template = template
        self._poster = HttpPoster(
            webhook_url, session=session, timeout=timeout, total_timeout=total_timeout
        )
        self._interval = interval
        self._lock = threading.Lock()
        self._last_post: float | None = None
        self._blocked_until = 0.0

    def _payload(self, record: AlertRecord | DigestRecord) -> dict[str, Any]:
        """The built-in message, or the template's (the built-in one if it fails)."""
        if isinstance(record, DigestRecord):
            alert, payload = None, digest_payload(record)
        else:
            alert, payload = record, slack_payload(record)
        if self._template is not None:
            parts = render_message(self._template, record.data, TITLE_STYLE, BODY_STYLE, self.name)
            if parts is not None:
                return templated_payload(payload, alert, *parts)
        return payload

    def send(self, record: AlertRecord | DigestRecord) -> None:
        body = json.dumps(self._payload(record), ensure_ascii=False).encode("utf-8")
        # One post at a time per webhook, so the spacing holds even if sends overlap.
        with self._lock:
            now = time.monotonic()
            if now < self._blocked_until:
                wait = self._blocked_until - now
                raise DeliveryError(
                    f"still rate limited by {self._poster.host}; retry after {wait:.1f} s",
                    retry_after=wait,
                )
            if self._last_post is not None:
                remaining = self._last_post + self._interval - now
                if remaining > 0:
                    time.sleep(remaining)
            try:
                self._poster.post(body, {"Content-Type": "application/json"})
            except DeliveryError as exc:
                if exc.retry_after is not None:
                    self._blocked_until = time.monotonic() + exc.retry_after
                raise
            finally:
                # Measured from the end of the post, so the next one reaches Slack at least
                # `interval` after this one did, whatever the network delay.
                self._last_post = time.monotonic()

    def close(self) -> None:
        self._poster.close()


CHANNEL = ChannelType(
    SlackChannelConfig,
    lambda name, conf: SlackChannel(
        name, conf.webhook_url.get_secret_value(), template=load_template(conf.template)
    ),
)
