"""A total time limit for one network send, enforced by shutting its connection down.

Socket timeouts bound each read or write, not a send: a receiver that answers one header
line, one SMTP continuation line (`250-...`) or one byte every few seconds never trips them,
and holds the send, and with it the channel's only worker, for ever. A `Deadline` starts a
timer; when it fires, every connection the send registered is shut down
(`shutdown(SHUT_RDWR)`), which at once ends a read or write blocked on it in the sending
thread. That thread then fails with an ordinary connection error, and the caller asks
`expired` to know that the time limit, not the receiver, ended it.

The socket is shut down, never closed, from the timer's thread: closing it under the reading
thread could free its descriptor for an unrelated file opened meanwhile.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType

#: Seconds one send may take in all (connecting, TLS, every command and answer), for every
#: network channel: far more than a healthy receiver needs, and short enough that one stuck
#: receiver does not stall its channel's queue for long.
DEFAULT_TOTAL_TIMEOUT = 30.0

_current = threading.local()  # the Deadline of the send running in this thread, if any


def current_deadline() -> Deadline | None:
    """The deadline of the send running in this thread: for code a library calls back (an
    urllib3 connection, smtplib's socket factory) that cannot be handed one."""
    deadline: Deadline | None = getattr(_current, "deadline", None)
    return deadline


def _shutdown(sock: object) -> None:
    """Shut `sock` down, so a read blocked on it in another thread ends.

    `socket.socket.shutdown` is called on the plain socket type on purpose: `SSLSocket`'s own
    `shutdown` also drops its TLS state, which the reading thread is still using.
    """
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Deadline:
    """Watches the connections of one send and cuts them when `seconds` have passed.

    Use as a context manager around the whole send; leaving it stops the timer, so a send
    that finished in time is never disturbed afterwards.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._holders: list[object] = []
        self._duplicates: list[socket.socket] = []
        self._done = False
        self._previous: Deadline | None = None
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, holder: object) -> None:
        """Cut the socket `holder.sock` holds when the time is up, whichever it is by then.

        For connection objects that open or replace their socket after they are first seen
        (an urllib3 connection opens its socket lazily, inside `request`). A deadline that
        has already passed cuts it at once.
        """
        with self._lock:
            self._holders.append(holder)
            if self.expired:
                _shutdown(getattr(holder, "sock", None))

    def watch_connection(self, sock: socket.socket) -> None:
        """Cut the connection `sock` is on, even after TLS has taken it over.

        `ssl` wraps a socket by moving its descriptor to a new object (the old one is
        detached) and runs the handshake before anyone can see that object, so neither the
        old socket nor a holder's attribute reaches a stalled handshake. A duplicate
        descriptor of the same connection is unaffected by the move, and shutting it down
        ends the connection for every descriptor. The duplicate is closed when the
        deadline is left, never while the timer could still use it.
        """
        duplicate = sock.dup()
        with self._lock:
            self._duplicates.append(duplicate)
            if self.expired:
                _shutdown(duplicate)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for holder in self._holders:
                _shutdown(getattr(holder, "sock", None))
            for duplicate in self._duplicates:
                _shutdown(duplicate)

    def __enter__(self) -> Deadline:
        self._previous = current_deadline()
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._lock:
            self._done = True
            for duplicate in self._duplicates:
                duplicate.close()
            self._duplicates.clear()
        self._timer.cancel()
        _current.deadline = self._previous
