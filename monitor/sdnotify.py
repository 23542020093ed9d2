"""The systemd notify protocol (sd_notify), in a few lines over the datagram socket.

systemd passes `NOTIFY_SOCKET` to a `Type=notify` service; each notification is one datagram
of `KEY=value` lines. Written here rather than pulled in as a dependency because the protocol
is this small; when the variable is unset (not under systemd) every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger("monitor.systemd")


class Notifier:
    """Sends notifications to systemd, if the service runs under it."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        # An abstract-namespace socket is written with a leading "@" and addressed with NUL.
        self._address = "\0" + address[1:] if address.startswith("@") else address
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        mine = not pid or pid == str(os.getpid())
        self.watchdog_interval = int(usec) / 2e6 if usec.isdigit() and mine else None

    @property
    def enabled(self) -> bool:
        return bool(self._address)

    def notify(self, *lines: str) -> bool:
        """Send one notification; True if it was sent. Failures are logged, never raised."""
        if not self._address:
            return False
        message = "\n".join(lines).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                # Never wait: a receiver that does not read (its queue holds ten datagrams)
                # would otherwise block the watchdog thread, or the loop at shutdown.
                sock.setblocking(False)
                sock.connect(self._address)
                sock.sendall(message)
        except OSError as exc:
            log.warning("cannot notify systemd: %s", exc.strerror or exc)
            return False
        log.debug("sd_notify: %s", message.decode().replace("\n", " "))
        return True

    def ready(self, status: str) -> bool:
        return self.notify("READY=1", f"STATUS={status}")

    def reloading(self) -> bool:
        usec = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        return self.notify("RELOADING=1", f"MONOTONIC_USEC={usec}")

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, status: str) -> bool:
        return self.notify(f"STATUS={status}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")
