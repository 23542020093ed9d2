"""The file being read right now, remembered across a crash: a poison file is tried twice.

The time budget stops a file that keeps Python busy, but not one that hangs or crashes the
process inside a C library (a parser bug, memory exhausted): systemd restarts the daemon,
the file is still in the inbox, and the daemon reads it again and dies again, for ever, with
every other article waiting behind it. So before each file is read its name (and identity:
device, inode, size, mtime) is written to `state/inflight`; a clean stop empties it. At
start, a file still named there is the file the last process died on: it is read once more
(the death may have been a coincidence, a power cut or a `kill -9`), and if the daemon dies
on it again it is quarantined unread.

The record is written without fsync: it has to survive the process, not the machine, and a
write per file must stay cheap (two system calls, a few microseconds).
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_NAME = "inflight"
TRIES = 2
"""How many times a file may be being read when the daemon dies before it is quarantined."""


_Identity = tuple[int, int, int, int]
"""(device, inode, size, mtime_ns): the same name may hold another file after a restart."""


def _identity(st: os.stat_result | None) -> _Identity:
    if st is None:
        return (0, 0, 0, 0)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


class InFlight:
    """`state/inflight`: `DEATHS DEV INO SIZE MTIME PATH` of the file being read, or empty."""

    def __init__(self, state_dir: Path) -> None:
        self._fd = os.open(
            state_dir / FILE_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o640
        )
        self._deaths: dict[_Identity, int] = {}

    def recover(self) -> tuple[Path, int] | None:
        """The file the last process died reading, and how many processes died on it.

        None when there was none, or when that name now holds another file (a new article
        under a reused name is not to blame).
        """
        fields = os.pread(self._fd, 1 << 16, 0).split(b" ", 5)
        if len(fields) != 6 or not all(f.isdigit() for f in fields[:5]):
            return None
        deaths, dev, ino, size, mtime = (int(f) for f in fields[:5])
        path = Path(os.fsdecode(fields[5]))
        identity = (dev, ino, size, mtime)
        if _identity(_lstat(path)) != identity:
            return None
        self._deaths = {identity: deaths + 1}
        return path, deaths + 1

    def begin(self, path: Path, st: os.stat_result | None) -> None:
        """`path` (whose lstat is `st`, None if gone) is about to be read."""
        identity = _identity(st)
        record = b"%d %d %d %d %d %s" % (
            self._deaths.get(identity, 0),
            *identity,
            os.fsencode(path),
        )
        os.pwrite(self._fd, record, 0)
        os.ftruncate(self._fd, len(record))

    def clear(self) -> None:
        """Nothing is being read (the batch is done, or the daemon stops cleanly)."""
        os.ftruncate(self._fd, 0)

    def close(self) -> None:
        os.close(self._fd)
