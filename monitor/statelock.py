"""One daemon per state folder: an exclusive lock held for the daemon's whole life.

Two `monitor run` processes on one state folder each read the inbox and each send from the
outbox: every alert could go out twice. The lock is `flock` on a file in the state folder,
which the kernel releases when the process ends however it ends, so a crash never leaves
a stale lock behind; the file also holds the PID of its holder, for the refusal message.
Commands that only read or that send nothing (`test`, `check`, `outbox`) do not take it.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

from monitor.errors import StateLocked

LOCK_NAME = "monitor.lock"


class StateLock:
    """The exclusive lock on a state folder, held until `release` or the process ends."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise `StateLocked` at once (never wait for the other daemon)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o640)
        except OSError as exc:
            raise StateLocked(
                f"cannot use the state folder {self.folder}: cannot open "
                f"{self.path}: {exc.strerror or exc}; make the folder writable "
                "by the monitor's user (or set [state] path)"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                who = f"PID {holder}" if holder else "another process"
                raise StateLocked(
                    f"the state folder {self.folder} is in use by another monitor run "
                    f"({who}); two daemons on one state would send every alert twice. "
                    "Stop the other one, or give this one its own [state] path"
                ) from None
            raise StateLocked(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def intact(self) -> bool:
        """Whether the lock file is still the one locked: deleted (or the whole state folder
        removed) and another daemon could lock a new one and send every alert again."""
        if self._fd is None:
            return False
        try:
            named = os.stat(self.path)
        except OSError:
            return False
        held = os.fstat(self._fd)
        return (named.st_ino, named.st_dev) == (held.st_ino, held.st_dev)

    def release(self) -> None:
        """Let go of the lock; the PID goes with it (a stale PID would mislead)."""
        if self._fd is not None:
            if self.intact():
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    """The PID the holder wrote into the lock file, if it is there and makes sense."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
