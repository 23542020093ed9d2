"""One HTTP GET for the feed sources, polite to the servers asked and safe against hostile ones.

The feed poller asks for two kinds of URL: the feeds an admin configured, and, with
`full_text = true`, each entry's link, which a third party wrote. Every limit here answers a
way such a server (or such a link) could hurt the daemon:

- **Total time** (`total_timeout`, 30 s): socket timeouts bound each read, so a server that
  dribbles one byte a second, or a chain of slow redirects, would hold a poll thread for
  ever. Each request runs under a `monitor.channels.deadline.Deadline`, which shuts the
  connection down when the request's time is up: connecting, every redirect hop and the
  whole body share one budget. (Name resolution cannot be cut this way; the resolver's own
  timeouts bound it.)
- **Size** (`max_bytes`, 10 MB): a declared `Content-Length` over the cap is refused before
  the body is read, and the body is counted *after* gzip/deflate decoding, read in small
  pieces, so a 50 KB gzip bomb that inflates to gigabytes stops at the cap without ever
  holding more than the cap in memory.
- **Redirects** (`max_redirects`, 5): followed by hand, one hop at a time, so each hop's
  URL is judged (scheme, SSRF guard) before it is asked; a loop or an endless chain is an
  error, not a hang.
- **SSRF** (`allow_private=False`, for URLs from content): a link must not make the daemon
  reach this machine or its network (an admin panel on 127.0.0.1, a cloud metadata service
  on 169.254.169.254, a router on 192.168.0.1). Only addresses that are globally routable
  are allowed. The address is checked on the socket itself, right after it connected (and
  again before a kept-alive connection is reused), so a name that resolves to a public
  address for a pre-check and to a private one a moment later (DNS rebinding) still cannot
  get through; the pre-check by `getaddrinfo` only gives a clearer message, and spares the
  private address even a connection attempt. Environment proxies and `.netrc` are not used
  (`trust_env = False`): a proxy would connect on our behalf, out of the guard's sight, and
  `.netrc` passwords must not follow a link to whatever host a third party names (a CA
  bundle named by `REQUESTS_CA_BUNDLE` is still used). Only
  http and https are fetched, whatever `allow_private` says (no `file:`, `ftp:`, ...).
- **Politeness**: conditional GETs (`If-None-Match`, `If-Modified-Since`) so an unchanged
  feed costs a 304 and no body; requests to one host at least `host_spacing` seconds apart
  (shared by all poll threads; the wait is not part of a request's time limit); a
  User-Agent naming the program and its version; `Retry-After` on 429/503 handed back in
  the error, so the poller waits as long as the server asked. No cookies are kept.

Errors: every failure is a `FetchError` with `status`, `retry_after` and `permanent` (the same
request would fail the same way: a 404 or 410, a refused address or scheme, a body over the
cap). Admins put tokens in feed URLs (`?token=...`, `user:password@`), and the text of a
`requests` exception quotes the full URL, so messages are built from the host name, the
status and the exception *type* only, and requests' exceptions are never chained.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import socket
import threading
import time
from dataclasses import dataclass
from email.message import Message
from http.cookiejar import DefaultCookiePolicy
from typing import Any, ClassVar
from urllib.parse import SplitResult, urljoin, urlsplit

import requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from monitor.channels.deadline import DEFAULT_TOTAL_TIMEOUT, Deadline
from monitor.channels.http import (
    USER_AGENT,
    DeadlineAdapter,
    WatchedMixin,
    bad_http_url,
    drain_and_close,
    host_of,
    parse_retry_after,
)
from monitor.errors import MonitorError

#: The most bytes one response may have, after decoding: far more than any real feed or
#: article page, far less than what would hurt the daemon's memory.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Redirects followed for one request (the sixth is an error).
DEFAULT_MAX_REDIRECTS = 5
#: Seconds between the starts of two requests to the same host.
DEFAULT_HOST_SPACING = 1.0
#: What a feed poll asks for: the feed formats first, then anything.
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, "
    "text/html;q=0.7, */*;q=0.5"
)
FETCH_USER_AGENT = f"{USER_AGENT} (media monitoring feed reader)"

_CHUNK = 64 * 1024
_DRAIN_MAX = 16 * 1024  # read to keep a connection alive; a longer rest closes it instead
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHARSET = re.compile(r"[A-Za-z0-9._:+-]{1,40}")
_MAX_SLOTS = 4096  # hosts remembered for spacing before the ones already free are dropped


class FetchError(MonitorError):
    """A GET that did not give a usable answer; the message names the host, never the URL.

    `status` is the HTTP status if one came; `retry_after` the seconds a 429 or 503 asked
    to wait; `permanent` means asking again the same way cannot help.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass(frozen=True)
class Fetched:
    """A successful GET: status 200 (any 2xx) with the body, or 304 with an empty body.

    `url` is the final URL, after redirects; `content_type` the media type alone, lowercased
    ("" if none was sent), `charset` its declared charset, if any and plausible. `etag` and
    `last_modified` are the validators to send next time (for a 304 without them, the ones
    that were sent).
    """

    status: int
    url: str
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    charset: str | None


def _token_like(segment: str) -> bool:
    """A path segment that reads as a secret: hex or base64 (16+ characters, a quarter of
    them digits), or 24+ characters without a separator. A slug such as
    `nato-urges-seoul-2026` is neither."""
    if (
        len(segment) < 16
        or not segment.isascii()
        or (not segment.isalnum() and not all(c.isalnum() or c in "-_" for c in segment))
    ):
        return False
    digits = sum(c.isdigit() for c in segment)
    if digits * 4 >= len(segment) and any(c.isalpha() for c in segment):
        return True
    return len(segment) >= 24 and segment.isalnum()


def without_userinfo(url: str) -> tuple[SplitResult, str] | None:
    """`url` split, and its host and port without the user info where credentials go;
    None if it is no URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return None
    return parts, (f"[{host}]" if ":" in host else host) + port


def shown_url(url: str) -> str:
    """`url` for people (logs, `monitor sources`): no user info, no query or fragment, and
    a path segment that looks like a token (as in `/feeds/<token>/rss`) shown as `…`."""
    split = without_userinfo(url)
    if split is None:
        return "(invalid URL)"
    parts, netloc = split
    path = "/".join("…" if _token_like(seg) else seg for seg in parts.path.split("/"))
    query = "?…" if parts.query else ""
    return f"{parts.scheme}://{netloc}{path}{query}"


def is_public_address(address: str) -> bool:
    """Whether `address` (an IP address as text) is globally routable, so not this machine
    or its network: not loopback, private (RFC 1918, fc00::/7), shared (100.64/10),
    link-local, multicast, unspecified or reserved, nor an IPv6 address that embeds such an
    IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(str(ip.ipv4_mapped))
        embedded = [ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(v4 is not None and not is_public_address(str(v4)) for v4 in embedded):
            return False
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
    )


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to now (the pre-check; tests replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# Whether the request running in this thread may reach non-public addresses. Connections
# are made deep inside urllib3, which cannot be handed it; unset means no (fail closed).
_policy = threading.local()


class _RefusedAddress(Exception):
    """Raised from inside urllib3 when a socket is connected to a refused address; it is no
    `OSError`, so neither urllib3 nor requests wraps or retries it."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def _check_peer(sock: socket.socket) -> None:
    """Refuse the connection unless its peer is public or this request may go anywhere."""
    if getattr(_policy, "allow_private", False):
        return
    address = str(sock.getpeername()[0])
    if not is_public_address(address):
        raise _RefusedAddress(address)


class _GuardedMixin(WatchedMixin):
    """A deadline-watched connection whose peer address is checked after every connect and
    before every request on a kept-alive connection (opened, maybe, for a request that was
    allowed more)."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        try:
            _check_peer(sock)
        except BaseException:
            sock.close()
            raise
        return sock

    def request(self, *args: Any, **kwargs: Any) -> Any:
        sock = getattr(self, "sock", None)
        if sock is not None:
            _check_peer(sock)
        return super().request(*args, **kwargs)


class _GuardedHTTPConnection(_GuardedMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(DeadlineAdapter):
    pools: ClassVar[dict[str, type[HTTPConnectionPool]]] = {
        "http": _GuardedHTTPPool,
        "https": _GuardedHTTPSPool,
    }


class Fetcher:
    """GETs URLs with the limits above; one per daemon, shared by the poll threads."""

    def __init__(
        self,
        *,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        host_spacing: float = DEFAULT_HOST_SPACING,
    ) -> None:
        if total_timeout <= 0 or max_bytes < 0 or max_redirects < 0 or host_spacing < 0:
            raise ValueError("limits must be positive (total_timeout) or not negative")
        self._total = total_timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._spacing = host_spacing
        self._slots: dict[str, float] = {}  # host -> the earliest start of its next request
        self._slots_lock = threading.Lock()
        session = requests.Session()
        session.trust_env = False  # no environment proxies, no .netrc (see the docstring)
        # ... but the CA bundle an admin names for requests still counts (a private CA).
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get(
            "CURL_CA_BUNDLE", True
        )
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # keep none
        session.headers.clear()
        session.headers.update(
            {
                "User-Agent": FETCH_USER_AGENT,
                # Only what the cap is proven on; requests would add br/zstd if installed.
                "Accept-Encoding": "gzip, deflate",
                "Connection": "keep-alive",
            }
        )
        adapter = _GuardedAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self._session = session

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool = True,
        accept: str = FEED_ACCEPT,
        max_bytes: int | None = None,
        total_timeout: float | None = None,
    ) -> Fetched:
        """GET `url`, following redirects; a 2xx or a 304, or `FetchError`.

        `allow_private=False` for URLs a third party chose (an entry's link): only public
        addresses, checked at every hop. `max_bytes` and `total_timeout` override the
        fetcher's own (a feed's `max_size_mb` and `timeout`).
        """
        cap = self._max_bytes if max_bytes is None else max_bytes
        total = self._total if total_timeout is None else total_timeout
        if cap < 0:
            raise ValueError("max_bytes must not be negative")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        remaining = total
        current = url
        seen: set[str] = set()
        host = ""
        for hop in range(self._max_redirects + 1):
            host, port = self._check_url(current, after=host if hop else None)
            seen.add(current)
            self._wait_turn(host)  # before the clock starts: spacing is not the server's time
            started = time.monotonic()
            with Deadline(remaining) as deadline:
                try:
                    outcome: Fetched | str | None = self._exchange(
                        current, host, port, headers, allow_private, cap, remaining
                    )
                except FetchError:
                    if not deadline.expired:
                        raise
                    outcome = None
            remaining -= time.monotonic() - started
            if deadline.expired or outcome is None:
                # Cut mid-answer: a body that seems complete may be cut short, so none counts.
                raise FetchError(
                    f"{host} did not answer completely within {total:g} s (total time limit)"
                )
            if isinstance(outcome, Fetched):
                if outcome.status == 304 and not (etag or last_modified):
                    # Nothing was asked to be compared: a misconfigured cache or server.
                    # Taken as "not modified" it would read as a healthy feed for ever,
                    # with no entries and nothing in the log.
                    raise FetchError(
                        f"{host} answered 304 Not Modified to a request without "
                        "If-None-Match or If-Modified-Since (a misconfigured server or cache)",
                        status=304,
                    )
                if outcome.status == 304:  # the validators sent are still the ones to send
                    outcome = dataclasses.replace(
                        outcome,
                        etag=outcome.etag or etag,
                        last_modified=outcome.last_modified or last_modified,
                    )
                return outcome
            target = urljoin(current, outcome)
            if target in seen:
                raise FetchError(f"redirect loop at {host}", permanent=True)
            if remaining <= 0:
                raise FetchError(
                    f"{host} did not answer completely within {total:g} s (total time limit)"
                )
            current = target
        raise FetchError(
            f"too many redirects (more than {self._max_redirects}), the last one from {host}",
            permanent=True,
        )

    def close(self) -> None:
        self._session.close()

    def _check_url(self, url: str, *, after: str | None) -> tuple[str, int]:
        """The host and port of a URL we may ask, or a permanent `FetchError` (not quoting it)."""
        if bad_http_url(url):
            where = f"{after} redirected to" if after else "refused"
            raise FetchError(
                f"{where} a URL that is not http(s) with a host name (only http and https"
                " URLs are fetched)",
                permanent=True,
            )
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        return host_of(url).lower(), port

    def _wait_turn(self, host: str) -> None:
        """Sleep until `host` may be asked again; reserve the next turn for this request."""
        if self._spacing <= 0:
            return
        with self._slots_lock:
            now = time.monotonic()
            start = max(now, self._slots.get(host, now))
            self._slots[host] = start + self._spacing
            if len(self._slots) > _MAX_SLOTS:
                self._slots = {h: t for h, t in self._slots.items() if t > now}
        if start > now:
            time.sleep(start - now)

    def _exchange(
        self,
        url: str,
        host: str,
        port: int,
        headers: dict[str, str],
        allow_private: bool,
        cap: int,
        remaining: float,
    ) -> Fetched | str:
        """One hop: the answer, or the redirect's target (as sent), or `FetchError`."""
        if not allow_private:
            _precheck(host, port)
        _policy.allow_private = allow_private
        try:
            resp = self._session.get(
                url,
                headers=headers,
                allow_redirects=False,
                stream=True,
                timeout=(remaining, remaining),
            )
        except _RefusedAddress as exc:
            raise _refused(host, exc.address) from None
        except requests.exceptions.Timeout as exc:
            raise FetchError(f"timed out talking to {host} ({type(exc).__name__})") from None
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema,
        ) as exc:
            raise FetchError(
                f"the URL for {host} is not usable ({type(exc).__name__})", permanent=True
            ) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"connection error to {host} ({type(exc).__name__})") from None
        except Exception as exc:
            # A urllib3 or socket oddity: its text may quote the URL; the type only.
            raise FetchError(
                f"unexpected error fetching from {host} ({type(exc).__name__})"
            ) from None
        finally:
            _policy.allow_private = False
        try:
            return _answer(resp, url, host, cap)
        finally:
            _release(resp)


def _precheck(host: str, port: int) -> None:
    """Refuse a host that resolves to any non-public address, before connecting to it."""
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} ({type(exc).__name__})") from None
    for address in addresses:
        if not is_public_address(address):
            raise _refused(host, address)


def _refused(host: str, address: str) -> FetchError:
    return FetchError(
        f"refused to fetch from {host}: {address} is not a public address"
        " (links from feed content may not reach this machine or its network)",
        permanent=True,
    )


def _answer(resp: requests.Response, url: str, host: str, cap: int) -> Fetched | str:
    status = resp.status_code
    if status in _REDIRECTS:
        location = resp.headers.get("Location")
        if not location:
            raise FetchError(f"{host} answered a redirect (HTTP {status}) without a Location")
        return _header_text(location)
    if status == 304 or 200 <= status < 300:
        content_type, charset = media_type(resp.headers.get("Content-Type"))
        body = b"" if status == 304 else _read_body(resp, host, cap)
        return Fetched(
            status=304 if status == 304 else 200,
            url=url,
            body=body,
            content_type=content_type,
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            charset=charset,
        )
    raise _status_error(host, status, resp.headers.get("Retry-After"))


def _read_body(resp: requests.Response, host: str, cap: int) -> bytes:
    """The decoded body, read in pieces and refused as soon as it passes `cap`."""
    declared = resp.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > cap:
        raise FetchError(
            f"{host} announced {int(declared)} bytes, more than the limit of {cap}",
            status=resp.status_code,
            permanent=True,
        )
    body = bytearray()
    try:
        for chunk in resp.raw.stream(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > cap:
                raise FetchError(
                    f"the answer from {host} is larger than the limit of {cap} bytes",
                    status=resp.status_code,
                    permanent=True,
                )
    except FetchError:
        raise
    except Exception as exc:
        raise FetchError(
            f"connection error to {host} while reading the answer ({type(exc).__name__})"
        ) from None
    return bytes(body)


def _release(resp: requests.Response) -> None:
    """Give the connection back: kept alive if what is left of the body is known to be
    short (a redirect's or an error's page), otherwise closed unread, so that a body over
    the cap or one that never ends costs nothing more."""
    left = getattr(resp.raw, "length_remaining", None)
    if isinstance(left, int) and left <= _DRAIN_MAX:
        drain_and_close(resp)
    else:
        resp.close()


def _status_error(host: str, status: int, retry_after: str | None) -> FetchError:
    if status == 429:
        delay = parse_retry_after(retry_after)
        return FetchError(
            f"rate limited by {host} (HTTP 429); retry after {delay:g} s",
            status=status,
            retry_after=delay,
        )
    if status >= 500 or status in (408, 425):
        hint = parse_retry_after(retry_after) if retry_after is not None else None
        after = f"; retry after {hint:g} s" if hint is not None else ""
        return FetchError(f"{host} answered HTTP {status}{after}", status=status, retry_after=hint)
    # 4xx (404, 410, 401, 403, ...) will be answered the same way again; so will an odd 3xx.
    return FetchError(f"{host} answered HTTP {status}", status=status, permanent=status >= 300)


def _header_text(value: str) -> str:
    """A header as the server meant it: http.client reads latin-1, servers send UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def media_type(header: str | None) -> tuple[str, str | None]:
    """("type/subtype" lowercased, charset or None) from a Content-Type header."""
    if not header:
        return "", None
    media = header.split(";", 1)[0].strip().lower()
    message = Message()
    message["Content-Type"] = header
    charset = message.get_content_charset()
    if charset is None or not _CHARSET.fullmatch(charset):
        charset = None
    return media, charset
