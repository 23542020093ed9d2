"""A threaded TCP server on 127.0.0.1 for the tests' misbehaving peers (a receiver that
dribbles, an SMTP server that stalls): each connection runs `_connection` in its own thread,
and leaving the `with` block stops accepting and closes the listening socket."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Self


class LoopbackServer:
    """Subclasses define `_connection(conn)`; `port` is where to connect."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen()
        self._stop = threading.Event()
        self.hung_up = threading.Event()  # set by subclasses when the client hangs up
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(5)

    def _serve(self) -> None:
        self._sock.settimeout(0.1)  # closing a socket does not wake a blocked accept()
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        raise NotImplementedError


def send_in_thread(send: Callable[[], None]) -> tuple[float, BaseException | None]:
    """Run `send()`; give up on it (failing the test) rather than hang the suite."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            send()
            outcome.append(None)
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert outcome, "the send was still running after 30 s"
    return time.monotonic() - started, outcome[0]
