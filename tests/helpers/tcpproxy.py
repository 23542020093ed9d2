"""A TCP proxy on 127.0.0.1 whose network can be cut: what a node's link to PostgreSQL
does when a switch dies, a firewall drops it or the database's host hangs.

    with TcpProxy(server.port) as proxy:
        url = server.url(name, tcp=True, port=proxy.port)
        proxy.cut("refuse")     # or "blackhole"
        proxy.heal()

Two kinds of cut:

- `refuse`: every open connection is reset and new ones are refused (the port is closed):
  a database host that is up but whose server is gone, or a firewall that rejects. Clients
  learn at once.
- `blackhole`: nothing moves any more and nothing is answered. Open connections stay open
  but carry no byte in either direction, new connections are accepted and never answered
  (the client sees a connection, then silence). That is what a real network cut looks like
  to a client that has sent a query: no error, ever, unless it has a timeout of its own.
  The loopback kernel still acknowledges what the client sends, so TCP keepalives and
  `tcp_user_timeout` do not notice this cut (as they would not notice a server that hangs
  or a proxy before a dead database): only a client-side deadline does.
  `heal()` lets everything flow again, as TCP does once a cut ends: what was sent during it
  arrives late, and a connection the client gave up on meanwhile is closed through.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Literal, Self

Mode = Literal["refuse", "blackhole"]


def _reset(sock: socket.socket) -> None:
    """Close with a RST, as a cut connection is seen by its peer."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Link:
    """One client connection and its upstream twin, with a thread per direction."""

    def __init__(self, proxy: TcpProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream: socket.socket | None = None
        self.closed = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True, name="proxy-link").start()

    def _run(self) -> None:
        # A connection accepted during a black hole waits, unanswered, for the heal.
        if not self.proxy._flowing_or_closed(self):
            return
        try:
            self.upstream = socket.create_connection(("127.0.0.1", self.proxy.target), timeout=5)
        except OSError:
            self.close()
            return
        for sock in (self.client, self.upstream):
            sock.settimeout(0.1)
        threading.Thread(
            target=self._pump, args=(self.upstream, self.client), daemon=True, name="proxy-down"
        ).start()
        self._pump(self.client, self.upstream)

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        while not self.closed.is_set():
            if not self.proxy._flowing_or_closed(self):
                return
            try:
                data = src.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            # Read during a black hole (a read already waiting when the cut came): held
            # until the heal, never delivered during the cut.
            if not self.proxy._flowing_or_closed(self):
                return
            try:
                dst.sendall(data)
            except OSError:
                break
        self.close()

    def close(self, rst: bool = False) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.upstream):
            if sock is None:
                continue
            if rst:
                _reset(sock)
                continue
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self.proxy._forget(self)


class TcpProxy:
    """Forwards 127.0.0.1:`port` to 127.0.0.1:`target`; `cut(mode)` and `heal()`."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.port = 0
        self.mode: Mode | None = None  # the cut in force, None while the network works
        self.accepted = 0  # connections accepted so far (black-holed ones too)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._links: set[_Link] = set()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._stop = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> Self:
        self._listen()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._unlisten()
        with self._lock:
            links = list(self._links)
            self._changed.notify_all()
        for link in links:
            link.close(rst=True)

    def _listen(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        sock.settimeout(0.1)  # closing a socket does not wake a blocked accept()
        self.port = int(sock.getsockname()[1])
        self._listener = sock
        self._acceptor = threading.Thread(
            target=self._accept, args=(sock,), daemon=True, name="proxy"
        )
        self._acceptor.start()

    def _unlisten(self) -> None:
        """Stop listening now: a connection attempt from here on is refused. (A socket
        closed while a thread waits in accept() listens on until that wait ends; shutdown
        ends it at once.)"""
        sock, self._listener = self._listener, None
        if sock is None:
            return
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        if self._acceptor is not None:
            self._acceptor.join(5)
        with contextlib.suppress(OSError):
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set() and self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            link = _Link(self, client)
            with self._lock:
                self.accepted += 1
                self._links.add(link)
            link.start()

    # -- the network -------------------------------------------------------------------------
    def cut(self, mode: Mode = "blackhole") -> None:
        """Cut the network: see the module's docstring for the two kinds."""
        with self._lock:
            self.mode = mode
            links = list(self._links) if mode == "refuse" else []
        if mode == "refuse":
            self._unlisten()  # connecting now is refused (ECONNREFUSED)
            for link in links:
                link.close(rst=True)

    def heal(self) -> None:
        """The network works again: a refused port listens again (the same port), a black
        hole lets through what waited."""
        with self._lock:
            was = self.mode
            self.mode = None
            self._changed.notify_all()
        if was == "refuse" and not self._stop.is_set():
            self._listen()

    def open_connections(self) -> int:
        with self._lock:
            return len(self._links)

    # -- for the links -----------------------------------------------------------------------
    def _flowing_or_closed(self, link: _Link) -> bool:
        """Wait while a black hole lasts; True once data may flow, False if the link or the
        proxy is closed meanwhile."""
        with self._lock:
            while self.mode == "blackhole" and not self._stop.is_set():
                if link.closed.is_set():
                    return False
                self._changed.wait(0.1)
            return not link.closed.is_set() and not self._stop.is_set()

    def _forget(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)
