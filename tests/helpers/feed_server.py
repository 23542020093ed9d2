"""A feed server on 127.0.0.1 for the feed tests: documents by path with ETags and 304s, and
the hostile kinds a feed source must survive (dribbling, endless redirects, 50 MB, errors).

`pages[path] = Page(...)` serves a document; every request is recorded (path and headers)
so tests can see what the daemon sent (`If-None-Match`, the User-Agent).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "application/rss+xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "plain"  # plain | dribble | redirect-loop | huge | hang


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(Seen(self.path, dict(self.headers)))
                    page = server.pages.get(self.path.split("?")[0])
                if page is None:
                    self._send(404, b"not found", "text/plain")
                elif page.kind == "redirect-loop":
                    self.send_response(302)
                    # Never the same URL twice: an endless chain, not a short loop.
                    self.send_header("Location", f"{self.path.split('?')[0]}?hop={time.time_ns()}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif page.kind == "dribble":
                    self.send_response(200)
                    self.send_header("Content-Type", page.content_type)
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    for _ in range(100000):
                        if server._stop.is_set():
                            return
                        try:
                            self.wfile.write(b"<")
                            self.wfile.flush()
                        except OSError:
                            return
                        time.sleep(0.2)
                elif page.kind == "hang":
                    server._stop.wait(120)
                elif page.kind == "huge":
                    self.send_response(200)
                    self.send_header("Content-Type", page.content_type)
                    self.end_headers()  # no length: read until the server closes
                    self.close_connection = True
                    chunk = b"<rss><channel>" + b"x" * (1 << 20)
                    try:
                        for _ in range(50):
                            self.wfile.write(chunk)
                    except OSError:
                        return
                else:
                    etag = '"' + hashlib.sha256(page.body).hexdigest()[:16] + '"'
                    if page.status == 200 and self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    extra = {"ETag": etag, **page.headers} if page.status == 200 else page.headers
                    self._send(page.status, page.body, page.content_type, extra)

            def _send(
                self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?")[0] == path]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


def rss(title: str, items: list[tuple[str, str, str]], language: str = "en") -> bytes:
    """An RSS 2.0 document; items are (guid, title, description)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0"><channel><title>{title}</title><link>http://example.org/</link>',
        f"<language>{language}</language><description>d</description>",
    ]
    for guid, item_title, text in items:
        parts.append(
            f"<item><guid>{guid}</guid><title>{item_title}</title>"
            f"<link>http://example.org/{guid}</link><description>{text}</description>"
            "<pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def atom(title: str, entries: list[tuple[str, str, str]]) -> bytes:
    """An Atom 1.0 document; entries are (id, title, content)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>',
        "<id>urn:feed</id><updated>2026-11-30T10:00:00Z</updated>",
    ]
    for entry_id, entry_title, text in entries:
        parts.append(
            f"<entry><id>{entry_id}</id><title>{entry_title}</title>"
            f'<link href="http://example.org/{entry_id}"/>'
            f"<updated>2026-11-30T10:00:00Z</updated>"
            f'<content type="html">&lt;p&gt;{text}&lt;/p&gt;</content></entry>'
        )
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def json_feed(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """A JSON Feed 1.1 document; items are (id, title, content_text)."""
    import json

    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "items": [
                {"id": i, "title": t, "content_text": c, "url": f"http://example.org/{i}"}
                for i, t, c in items
            ],
        }
    ).encode("utf-8")
