"""`file`: alert records as JSON lines, appended and fsynced so a delivered alert is on disk.

Alerts are written in batches: one `write` and one `fsync` for every alert that is due, since
an fsync per alert is what limited a burst. The dispatcher marks a batch delivered only after
`send_batch` returns, so a `kill -9` between the two leaves alerts in the file that the outbox
still calls pending. A new channel therefore first reads the keys (article, rule, channel) of
the file's last lines and never writes those alerts again: the outbox's unique key means an
alert with the same key is the same alert, so the restart sends no duplicate at all. A
failed write is handled the same way: the next attempt reads the file's end first.

A write that can never succeed as things stand (no permission, a read-only file system, a
path through a regular file, a folder where the file should be) is a permanent failure: the
alerts go to the dead letters with the reason, where `monitor outbox` shows them and
`monitor outbox --retry` sends them once the path is fixed, instead of being retried for
ever in silence. A full disk or an I/O error may pass, so those are retried.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from monitor.alerts import AlertRecord, RenderedAlert
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.digests import DigestRecord
from monitor.errors import DeliveryError
from monitor.settings import ConfigPath


class FileChannelConfig(ChannelConfig):
    type: Literal["file"]
    DEFAULT_GROUP: ClassVar[str] = "rule"  # programs read it: one record per rule
    TEMPLATES: ClassVar[bool] = False  # JSON records, not messages: no `template`
    # Made absolute against the config file's folder by `monitor.config`, and checked there
    # against the other paths (it may not be in the inbox, the rules or the state folder).
    path: ConfigPath = Path("alerts.jsonl")


# How many of the file's last lines are checked for alerts written but not marked delivered
# when the previous run died: several times what the dispatcher sends in one batch
# (`dispatch.BATCH_LIMIT`), in case more than one channel appends to the same file.
TAIL_LINES = 1024
_CHUNK = 1 << 16

Key = tuple[str, str, str]  # (article id, rule, channel): the outbox's unique key

#: errnos that retrying cannot cure: the admin has to fix the path or its permissions.
PERMANENT_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR})

_FIX = (
    "fix the path or its permissions (under systemd: an absolute path below "
    "/var/lib/monitor), then `monitor outbox --retry`"
)


def cannot_write(path: Path) -> OSError | None:
    """Why the daemon could not append to `path`, or None; for `monitor check`.

    Writes nothing and creates nothing: `check` is often run as another user (root) than
    the daemon, and a file it created would belong to that user. An existing file is
    opened for appending and closed; for a missing one, the nearest existing folder must be
    a folder that is writable and searchable (`os.access`, which also sees a read-only
    file system), since the daemon creates the missing folders and the file.
    """
    try:
        if path.is_dir():
            return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            return None
        folder = path.parent
        while not folder.exists() and not folder.is_symlink() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            return NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        if not os.access(folder, os.W_OK | os.X_OK):
            code = errno.EROFS if _read_only_fs(folder) else errno.EACCES
            return PermissionError(code, os.strerror(code))
        return None
    except OSError as exc:
        return exc


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def alert_key(record: dict[str, Any]) -> Key | None:
    """The outbox's unique key of a sent record, or None for a line that is not one.

    (story, "", channel) for a story message; (story, rule, channel) for a rule record,
    whose story is its article's own id in records written before stories existed. A
    digest's key is (its id `digest:CHANNEL:TIME`, '', channel), as its outbox row has.
    """
    digest = record.get("digest")
    if isinstance(digest, dict):
        key, channel = digest.get("id"), record.get("channel")
        return (key, "", channel) if isinstance(key, str) and isinstance(channel, str) else None
    channel, story = record.get("channel"), record.get("story")
    if not isinstance(channel, str):
        return None
    if isinstance(story, str) and "rules" in record:
        return (story, "", channel)
    article, rule = record.get("article"), record.get("rule")
    if not isinstance(article, dict) or not isinstance(rule, str):
        return None
    if isinstance(story, str):
        return (story, rule, channel)
    article_id = article.get("id")
    return (article_id, rule, channel) if isinstance(article_id, str) else None


def _tail(fd: int, lines: int) -> list[bytes]:
    """The last `lines` complete lines of the file, read backwards in chunks."""
    start = os.fstat(fd).st_size
    data = b""
    while start > 0 and data.count(b"\n") <= lines:
        size = min(_CHUNK, start)
        start -= size
        data = os.pread(fd, size, start) + data
    complete = data[: data.rfind(b"\n") + 1].splitlines()
    if start > 0:
        complete = complete[1:]  # cut off by where the reading started
    return complete[-lines:]


def _write_all(fd: int, data: bytes) -> None:
    """Write everything; a regular file takes it in one call unless the disk fills up."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _keys(lines: list[bytes]) -> set[Key]:
    keys: set[Key] = set()
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a partial line from a crash, or something a person added
        key = alert_key(record) if isinstance(record, dict) else None
        if key is not None:
            keys.add(key)
    return keys


class FileChannel:
    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self._written: set[Key] | None = None  # keys found at the file's end on first use

    def _terminate_partial_line(self, fd: int) -> None:
        """If a previous run died mid-write, end its partial line so ours starts clean."""
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            os.write(fd, b"\n")

    def _first_use(self, fd: int) -> set[Key]:
        if self._written is None:
            self._written = _keys(_tail(fd, TAIL_LINES))
            self._terminate_partial_line(fd)
        return self._written

    def send(self, record: AlertRecord | DigestRecord) -> None:
        data = dict(record.data)
        self.send_batch([RenderedAlert(alert_key(data), json.dumps(data, ensure_ascii=False))])

    def send_batch(self, alerts: Sequence[RenderedAlert]) -> None:
        """Append the alerts (except those already at the file's end) with one fsync.

        If the write or the fsync fails, the next attempt reads the file's end again, so
        the lines that did get written are not written twice and a cut-off one is ended.
        """
        try:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except FileExistsError:  # a regular file where the folder should be
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                written = self._first_use(fd)
                data = "".join(
                    a.json + "\n" for a in alerts if a.key is None or a.key not in written
                ).encode("utf-8")
                if data:
                    _write_all(fd, data)
                    os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            self._written = None
            if exc.errno in PERMANENT_ERRNOS:
                raise DeliveryError(
                    f"cannot write {self.path}: {exc.strerror or exc}; {_FIX}", permanent=True
                ) from None
            raise DeliveryError(f"cannot append to {self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        return None


CHANNEL = ChannelType(FileChannelConfig, lambda name, conf: FileChannel(name, conf.path))
