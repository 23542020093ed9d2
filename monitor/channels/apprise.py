"""`apprise`: alerts to any service the Apprise library knows (Teams, Telegram, Discord, ...).

One channel holds a list of Apprise URLs (`tgram://TOKEN/CHAT`, `msteams://...`,
`json://host/path`); each alert goes to each URL as a title (the headline) and a plain-text
body (the same text as the email's text part).

Secrets: an Apprise URL carries its credentials in the host, user, password, path or query
(a Telegram bot token is the "host"). The URLs are `SecretStr`s and are never put into a
message: errors name a URL by its place in the list and its service (`urls[1] (Telegram)`).
Apprise logs URLs itself (`Unparseable URL ...` at ERROR, full request URLs at DEBUG), so
its logger (`apprise`) does not propagate to ours: its records go only to the capture of the send
or the check that caused them, are redacted (every piece of every URL of the channel)
and are used to explain a failure.

Outcomes: Apprise's `notify` says only True or False per URL. A failure is retried unless
every HTTP status Apprise logged for it (`error=404`) is a 4xx other than 408/425/429,
which will fail the same way again (a revoked token): then it is a dead letter.
URLs that took an alert are remembered (in memory), so a retry after a partial failure
goes only to the others.

Time: Apprise's plugins make their own HTTP requests, out of reach of
`monitor.channels.deadline`. A send runs in a helper thread and the channel waits at most
the total time limit of every network channel (30 s); a send still running then is a
retryable failure, and no new send starts until it ends (so stuck sends never pile up).
"""

from __future__ import annotations

import contextvars
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, SecretStr

from monitor.alerts import AlertRecord
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.channels.deadline import DEFAULT_TOTAL_TIMEOUT
from monitor.channels.email_digest import digest_subject, render_digest_text
from monitor.channels.email_render import TEXT_STYLE, header_text, headline, render_text
from monitor.channels.http import secret_fragments
from monitor.digests import DigestRecord
from monitor.errors import DeliveryError
from monitor.settings import unresolved
from monitor.templates import MessageTemplate, load_template, render_message
from monitor.textsafe import blank

# Apprise's own log lines may quote URLs: they reach no handler of ours except `_route`.
_apprise_log = logging.getLogger("apprise")
_apprise_log.propagate = False
_captured: contextvars.ContextVar[list[logging.LogRecord] | None] = contextvars.ContextVar(
    "apprise_capture", default=None
)


class _Route(logging.Handler):
    """Hands each Apprise record to the capture of the send (or check) that made it.

    A context variable, not the thread: Apprise 2 may run a service in its worker pool,
    which it starts with the caller's context. Records outside a capture are dropped."""

    def emit(self, record: logging.LogRecord) -> None:
        sink = _captured.get()
        if sink is not None and len(sink) < 200:
            sink.append(record)


_apprise_log.addHandler(_Route())
_apprise_log.setLevel(logging.INFO)  # its DEBUG lines are full URLs and payloads


@contextmanager
def _capture() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []
    token = _captured.set(records)
    try:
        yield records
    finally:
        _captured.reset(token)


def _instantiate(url: str) -> Any:
    """Apprise's plugin object for `url`, or None if Apprise does not recognise it (an
    unknown scheme, or a URL its service cannot parse); never logs the URL."""
    import apprise  # here: 60 ms of import only for configs that use this channel

    with _capture():
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)


def _known_url(value: SecretStr) -> SecretStr:
    url = value.get_secret_value()
    if not unresolved(url) and _instantiate(url) is None:
        # The URL itself is a secret: the message names its position (pydantic's location).
        raise ValueError(
            "not an Apprise URL this version recognises (unknown scheme, or malformed for "
            "its service); see https://github.com/caronc/apprise/wiki for each service's form"
        )
    return value


class AppriseChannelConfig(ChannelConfig):
    type: Literal["apprise"]
    urls: list[Annotated[SecretStr, AfterValidator(_known_url)]] = Field(min_length=1)


_STATUS = re.compile(r"\berror=(\d{3})\b")
#: Statuses that say "not now" rather than "never", among the 4xx.
_TRANSIENT_4XX = frozenset({408, 425, 429})
#: Alerts remembered with the URLs that already took them (for retries after a partial
#: failure); a bound, as a receiver down for days must not grow it without limit.
_REMEMBERED = 1000


class AppriseChannel:
    """Sends each alert to every URL (secrets: never logged, see the module docstring)."""

    def __init__(
        self,
        name: str,
        urls: list[str],
        *,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        template: MessageTemplate | None = None,
    ) -> None:
        import apprise

        self.name = name
        self._template = template
        self._total = total_timeout
        self._secrets = sorted(
            {piece for url in urls for piece in _url_secrets(url)}, key=len, reverse=True
        )
        self._targets: list[tuple[str, Any]] = []
        for index, url in enumerate(urls):
            plugin = _instantiate(url)
            if plugin is None:  # validated with the config; only a changed library gets here
                raise ValueError(f"channel `{name}`: urls[{index}] is not a recognised Apprise URL")
            one = apprise.Apprise()
            one.add(plugin)
            self._targets.append((f"urls[{index}] ({_service(plugin)})", one))
        self._format = apprise.NotifyFormat.TEXT
        self._running: threading.Thread | None = None
        self._delivered: OrderedDict[tuple[str, ...], set[int]] = OrderedDict()

    def _texts(self, record: AlertRecord | DigestRecord) -> tuple[str, str]:
        """(title, body): the built-in ones, or the template's where it defines them."""
        if isinstance(record, DigestRecord):
            title, body = digest_subject(record), render_digest_text(record)
        else:
            title, body = headline(record), render_text(record)
        if self._template is not None:
            parts = render_message(self._template, record.data, TEXT_STYLE, TEXT_STYLE, self.name)
            if parts is not None:
                if parts[0] is not None:
                    title = header_text(parts[0]) or title
                if parts[1] is not None:
                    body = parts[1].strip("\n") + "\n"
        return title, body

    def send(self, record: AlertRecord | DigestRecord) -> None:
        if self._running is not None and self._running.is_alive():
            raise DeliveryError(
                f"the previous send is still running after the {self._total:g} s time limit"
            )
        key: tuple[str, ...] = (
            (record.key,)
            if isinstance(record, DigestRecord)
            else (record.article.id, *record.rule_ids)
        )
        done = self._delivered.setdefault(key, set())
        failures: list[tuple[str, bool]] = []  # (message, permanent)
        thread = threading.Thread(
            target=self._send_all,
            args=(*self._texts(record), done, failures),
            name=f"apprise-{self.name}",
            daemon=True,
        )
        thread.start()
        thread.join(self._total)
        if thread.is_alive():
            self._running = thread
            self._remember(key)
            raise DeliveryError(
                f"Apprise did not finish within {self._total:g} s (total time limit)"
            )
        if not failures:
            self._delivered.pop(key, None)
            return
        self._remember(key)
        raise DeliveryError(
            "; ".join(message for message, _ in failures),
            permanent=all(permanent for _, permanent in failures),
        )

    def _remember(self, key: tuple[str, ...]) -> None:
        """Keep the URLs that took this alert for its retry; the oldest go past the bound."""
        self._delivered.move_to_end(key)
        while len(self._delivered) > _REMEMBERED:
            self._delivered.popitem(last=False)

    def _send_all(
        self, title: str, body: str, done: set[int], failures: list[tuple[str, bool]]
    ) -> None:
        """In the helper thread: each URL that has not taken this alert yet, in order."""
        for index, (label, target) in enumerate(self._targets):
            if index in done:
                continue
            with _capture() as records:
                try:
                    ok = bool(target.notify(body=body, title=title, body_format=self._format))
                except Exception as exc:  # a plugin bug: its text may hold the URL
                    records.clear()
                    ok = False
                    failures.append((f"{label} failed ({type(exc).__name__})", False))
                    continue
            if ok:
                done.add(index)
            else:
                failures.append(self._failure(label, records))

    def _failure(self, label: str, records: list[logging.LogRecord]) -> tuple[str, bool]:
        """What went wrong with one URL, from Apprise's log lines, secrets removed."""
        said = [self._redact(r.getMessage()) for r in records if r.levelno >= logging.WARNING]
        statuses = {int(code) for line in said for code in _STATUS.findall(line)}
        permanent = bool(statuses) and all(
            400 <= s < 500 and s not in _TRANSIENT_4XX for s in statuses
        )
        detail = " ".join(said)
        if len(detail) > 300:
            detail = detail[:299] + "…"
        return (f"{label} failed" + (f": {detail}" if detail else ""), permanent)

    def _redact(self, text: str) -> str:
        for piece in self._secrets:
            text = re.sub(re.escape(piece), "[redacted]", text, flags=re.IGNORECASE)
        return " ".join(blank(text).split())

    def close(self) -> None:
        return None


def _url_secrets(url: str) -> list[str]:
    """Every piece of an Apprise URL that may be a credential. Unlike an http URL's, the
    host may be one (`tgram://BOT_TOKEN/CHAT`), so it is redacted too, and so is each
    piece split at `:`, `@` and `/` (a token `123:ABC` is logged as `123` elsewhere)."""
    pieces = set(secret_fragments(url))
    rest = url.split("://", 1)[-1]
    pieces.update(p for p in re.split(r"[/:@?&=#,]", rest) if len(p) >= 4)
    return [p for p in pieces if p]


def _service(plugin: Any) -> str:
    name = getattr(plugin, "service_name", None)
    return str(name) if name else type(plugin).__name__


def _build(name: str, conf: AppriseChannelConfig) -> AppriseChannel:
    return AppriseChannel(
        name, [url.get_secret_value() for url in conf.urls], template=load_template(conf.template)
    )


CHANNEL = ChannelType(AppriseChannelConfig, _build)
