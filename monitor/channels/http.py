"""HTTP POST for the `slack` and `webhook` channels, with every outcome mapped to `DeliveryError`.

Both channels need the same judgement on what a failure means: 2xx is delivered; 429 is
"slow down" and carries the receiver's `Retry-After`; 5xx, timeouts and network errors may
pass, so they are temporary; any other 4xx (a revoked Slack hook answers 404 `no_service`, a
bad payload 400 `invalid_payload`) will fail the same way every time, so it is permanent and
the alert goes to the dead letters instead of being retried forever.

Secrets: a Slack incoming-webhook URL *is* the credential, and a generic webhook URL often
carries a token in its path or query string. `DeliveryError` messages are logged and stored,
so they are built here from the exception *type*, the status and the host name only. The
text of a `requests` exception quotes the full URL, so it is never used and never chained
(`raise ... from None`). Even the receiver's answer is scrubbed: an error page may echo the
requested path back.

Time: requests' `timeout` bounds each socket operation, not the request, so a receiver that
trickles one header line every few seconds could hold a send (and the channel's only worker)
forever. Every POST therefore also has a total deadline: a watchdog timer shuts the
connection's socket down when it passes, and whatever the receiver said by then is not
trusted (the alert is retried: at-least-once).
"""

from __future__ import annotations

import base64
import email.utils
import logging
import math
import re
import socket
import time
from collections.abc import Mapping
from datetime import UTC
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager, ProxyManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from monitor import __version__
from monitor.channels.deadline import DEFAULT_TOTAL_TIMEOUT as DEFAULT_TOTAL_TIMEOUT  # re-exported
from monitor.channels.deadline import Deadline, current_deadline
from monitor.errors import DeliveryError
from monitor.settings import is_local_host, unresolved
from monitor.textsafe import blank

#: (connect, read) seconds. Slack answers in well under a second; a receiver that takes
#: longer than this is treated as down, and the alert is retried later.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 10.0)

#: Used when a 429 has no usable `Retry-After`, and the least we ever wait: "0" or a date
#: in the past must not make the dispatcher retry in a tight loop.
DEFAULT_RETRY_AFTER = 1.0
#: A `Retry-After` beyond this is taken as garbage rather than parked for a year.
MAX_RETRY_AFTER = 24 * 3600.0

#: Only this much of a response body is read: enough for an error code, and a misbehaving
#: receiver cannot make us buffer megabytes.
_MAX_BODY = 64 * 1024
_EXCERPT_CHARS = 200

USER_AGENT = f"monitor/{__version__}"


# urllib3 logs every request line, path and query included, at DEBUG: with `--log-level
# debug` that would write Slack webhook URLs into the journal. Its INFO and above carry no
# paths, so only its DEBUG chatter is cut, even when the root logger is at DEBUG.
_urllib3_log = logging.getLogger("urllib3")
if _urllib3_log.level < logging.INFO:
    _urllib3_log.setLevel(logging.INFO)


class WatchedMixin:
    """Registers a connection with the running POST's deadline whenever it is used.

    `request` runs for a reused keep-alive connection too, where `connect` does not;
    `connect` catches a deadline that passed while the connection was being opened.
    """

    def request(self, *args: Any, **kwargs: Any) -> Any:
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(self)

    def _new_conn(self) -> socket.socket:
        """The TCP socket, watched before TLS takes it over: a stalled handshake is cut too."""
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch_connection(sock)
        return sock


class _WatchedHTTPConnection(WatchedMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(WatchedMixin, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter with connections a `Deadline` can cut (also through an HTTP proxy).

    A subclass may set `pools` to pool classes whose connections do more (they should still
    derive from `WatchedMixin`), as `monitor.sources.fetch` does to check each peer address.
    """

    pools: ClassVar[dict[str, type[HTTPConnectionPool]]] = _POOLS

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self.pools

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is ProxyManager:  # SOCKS managers keep their own connection types
            manager.pool_classes_by_scheme = self.pools
        return manager


class HttpPoster:
    """POSTs bytes to one URL and raises `DeliveryError` for anything but a 2xx.

    `session` lets a caller share a connection pool (or inject one in tests); a session
    passed in is not closed by `close()`, one created here is. `total_timeout` bounds a
    whole POST; it is enforced on sessions created here (a session passed in keeps its own
    adapters, so only `timeout`'s per-read bound applies to it).
    """

    def __init__(
        self,
        url: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    ) -> None:
        self._url = url
        self._own_session = session is None
        if session is None:
            session = requests.Session()
            adapter = DeadlineAdapter()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self._session = session
        self._timeout = timeout
        self._total = total_timeout
        self.host = host_of(url)
        self._secrets = secret_fragments(url)

    def post(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Send `body`; return on 2xx, otherwise raise `DeliveryError` (never with the URL)."""
        with Deadline(self._total) as deadline:
            try:
                answer: tuple[int, str, str | None] | None = self._exchange(body, headers)
            except DeliveryError:
                if not deadline.expired:
                    raise
                answer = None
        if deadline.expired or answer is None:
            # Cut mid-answer: even a 200 may be headers cut short, so nothing said counts.
            raise DeliveryError(
                f"{self.host} did not answer completely within {self._total:g} s (total time limit)"
            )
        self._raise_for(*answer)

    def _exchange(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, str, str | None]:
        """One POST: (status, error excerpt, Retry-After), or `DeliveryError`."""
        all_headers = {"User-Agent": USER_AGENT, **headers}
        try:
            # No redirects: requests would turn a 301/302 POST into a GET that drops the
            # body, and a 2xx from that GET would count as delivered while nothing arrived.
            resp = self._session.post(
                self._url,
                data=body,
                headers=all_headers,
                timeout=self._timeout,
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.Timeout as exc:
            raise DeliveryError(
                f"timed out talking to {self.host} ({type(exc).__name__})"
            ) from None
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            # A configuration problem: the same URL can never work, so retrying is pointless.
            raise DeliveryError(
                f"the configured URL is not a valid http(s) URL ({type(exc).__name__})",
                permanent=True,
            ) from None
        except requests.exceptions.RequestException as exc:
            raise DeliveryError(f"connection error to {self.host} ({type(exc).__name__})") from None
        except Exception as exc:
            # Anything else (a urllib3 or socket oddity) would reach the dispatcher's
            # traceback logging with the URL in its text; report the type only, and retry.
            raise DeliveryError(
                f"unexpected error posting to {self.host} ({type(exc).__name__})"
            ) from None
        try:
            status = resp.status_code
            text = "" if 200 <= status < 300 else self._excerpt(resp)
            retry_after = resp.headers.get("Retry-After")
        except Exception as exc:
            # The status line arrived but the body did not; for a 2xx the receiver has the
            # alert already, yet we cannot know, so at-least-once says: send again.
            raise DeliveryError(
                f"connection error to {self.host} while reading the answer ({type(exc).__name__})"
            ) from None
        finally:
            drain_and_close(resp)
        return status, text, retry_after

    def _raise_for(self, status: int, text: str, retry_after: str | None) -> None:
        if 200 <= status < 300:
            return
        detail = f": {text}" if text else ""
        if status == 429:
            delay = parse_retry_after(retry_after)
            raise DeliveryError(
                f"rate limited by {self.host} (HTTP 429); retry after {delay:g} s",
                retry_after=delay,
            )
        if status >= 500 or status in (408, 425):
            # 503 may say when to come back; otherwise the dispatcher's backoff decides.
            hint = parse_retry_after(retry_after) if retry_after is not None else None
            raise DeliveryError(f"{self.host} answered HTTP {status}{detail}", retry_after=hint)
        if 300 <= status < 400:
            raise DeliveryError(
                f"{self.host} answered with a redirect (HTTP {status}); configure the final URL",
                permanent=True,
            )
        raise DeliveryError(
            f"{self.host} refused the alert (HTTP {status}){detail}", permanent=status >= 400
        )

    def _excerpt(self, resp: requests.Response) -> str:
        """The start of an error answer, as one short line with the URL's secrets removed."""
        raw = b""
        for chunk in resp.iter_content(chunk_size=4096):
            raw += chunk
            if len(raw) >= _MAX_BODY:
                break
        try:
            text = raw.decode(resp.encoding or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know, named by the receiver
            text = raw.decode("utf-8", errors="replace")
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        text = " ".join(blank(text).split())  # one line, no control or bidi characters
        if len(text) > _EXCERPT_CHARS:
            text = text[: _EXCERPT_CHARS - 1] + "…"
        return text

    def close(self) -> None:
        if self._own_session:
            self._session.close()


def drain_and_close(resp: requests.Response) -> None:
    """Release the connection; a fully read short body lets keep-alive reuse it."""
    try:
        if not resp.raw.closed:
            resp.raw.read(_MAX_BODY, decode_content=False)
    except Exception:  # the outcome is decided already; at worst the socket is not reused
        pass
    resp.close()


def parse_retry_after(value: str | None, now: float | None = None) -> float:
    """Seconds to wait from a `Retry-After` header: delay-seconds or an HTTP-date.

    Missing or garbled values give `DEFAULT_RETRY_AFTER` rather than an error: the receiver
    clearly wants us to slow down, and one second is the polite minimum (also for "0" or a
    date already past).
    """
    if value is None:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return DEFAULT_RETRY_AFTER
    return min(max(seconds, DEFAULT_RETRY_AFTER), MAX_RETRY_AFTER)


def host_of(url: str) -> str:
    """The host name alone: no user:password, port, path or query, which may be secret."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return host or "the configured URL"


def secret_fragments(url: str) -> list[str]:
    """Pieces of `url` that must not be echoed back into a message, longest first."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url] if url else []
    pieces = {
        url,
        parts.path,
        parts.query,
        parts.fragment,
        parts.password or "",
        parts.username or "",
    }
    if "@" in parts.netloc:
        pieces.add(parts.netloc)
    pieces.update(parts.path.split("/"))
    for pair in re.split(r"[&;]", parts.query):
        pieces.update(pair.split("=", 1))
    pieces |= {unquote(p) for p in pieces}
    if parts.username is not None:  # what requests sends as `Authorization: Basic ...`
        userinfo = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        pieces.add(base64.b64encode(userinfo.encode("latin-1", "replace")).decode("ascii"))
    # Short pieces ("/", "v1", "services") are not secret, and redacting them would make
    # the receiver's answer unreadable.
    found = [p for p in pieces if len(p) >= 6 and p != parts.hostname]
    return sorted(found, key=len, reverse=True)


def check_url(url: str, fix: str, *, local_http: bool = False) -> None:
    """Raise ValueError("must be FIX") unless `url` is one we post to: http(s) with a host
    (`local_http`: plain http only to this machine). For config validators: the message never
    quotes the URL, a secret; a URL still holding an unset `${VAR}` is not judged.

    `file:///etc/passwd` passed check before this existed.
    """
    if not unresolved(url) and bad_http_url(url, local_http=local_http):
        raise ValueError(f"must be {fix}")


def bad_http_url(url: str, *, local_http: bool = False) -> bool:
    """Whether `url` is not one we send to: http(s) with a host, a numeric port if any, no
    blank or control character (`local_http`: plain http only to this machine)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return True
    if not host or any(c.isspace() or not c.isprintable() for c in url):
        return True
    scheme = parts.scheme.lower()
    if scheme == "https":
        return False
    return not (scheme == "http" and (not local_http or is_local_host(host)))
