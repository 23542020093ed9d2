"""Watching the inbox: which files are ready to read, and when.

A file is ready when its writer has finished: inotify's close-after-write, or a rename into
the inbox (the safe way for writers: write `name.tmp`, then rename). `on_created` is never
used, since it fires before the writer has written anything (watchdog #313).

Events can be lost (inotify queue overflow is dropped silently, watchdog #654), so the
startup scan and the periodic rescan (`scan`) catch every file the observer missed; for
those, a file counts as finished once it has not changed for `settle` seconds.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from watchdog.events import (
    DirMovedEvent,
    FileClosedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver

from monitor.errors import SourceError
from monitor.textsafe import shown_path
from monitor.walk import walk

log = logging.getLogger("monitor.inbox")

IGNORED_SUFFIXES = (".tmp", ".part", "~")
# The only events `_Handler` acts on. Asking inotify for these alone matters in a burst: the
# daemon's own reads (open, close-no-write) and unlinks (delete) would otherwise be more
# events per file, each decoded and dispatched by watchdog's threads while the pipeline waits
# for the GIL. Modifications are asked for (they come with attribute changes, one per
# archived file) because they are how a writer that pauses mid-file is told from a finished
# one: written to, and not yet closed.
READY_EVENTS: list[type[FileSystemEvent]] = [
    FileClosedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileModifiedEvent,
]

WRITE_PAUSE_SECONDS = 3600.0
"""How long a file written to and never closed counts as still being written: long enough for
any real writer's pause, short enough that a close event lost to an inotify queue overflow
does not keep a file out of the rescan for good."""


def is_candidate_name(name: str) -> bool:
    """Whether a file name is one to read: not hidden, not a temporary or partial file."""
    return not (name.startswith(".") or name.endswith(IGNORED_SUFFIXES))


def _visible(path: Path, root: Path) -> bool:
    """A candidate file name that is not inside a hidden sub-folder of the inbox."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    return bool(parts) and all(is_candidate_name(p) for p in parts)


MAX_DEPTH = 32
"""Folders nested deeper than this below the inbox are not entered. No one files news this
deep; a tree a thousand folders deep (watchdog walks folders recursively) killed the
observer's thread and then every start, so the part too deep is moved to quarantine."""


class Scan(NamedTuple):
    """What one pass over the inbox found."""

    ready: list[Path]  # settled files, oldest first
    young: list[Path]  # files changed within the settle time
    too_deep: list[Path]  # folders at MAX_DEPTH that hold more folders


def _has_folders(folder: Path) -> bool:
    try:
        with os.scandir(folder) as listing:
            return any(entry.is_dir(follow_symlinks=False) for entry in listing)
    except OSError:
        return False


def scan(
    root: Path, settle: float, now: float | None = None, warned: set[Path] | None = None
) -> Scan:
    """Every candidate file below `root`: those settled (unchanged for `settle` s) and the rest.

    Settled files come oldest first, so a backlog is processed in arrival order. Symbolic
    links and other non-files are never read; each is logged once (remembered in `warned`).
    """
    now = time.time() if now is None else now
    ready: list[tuple[float, Path]] = []
    young: list[Path] = []
    odd: set[Path] = set()
    too_deep: list[Path] = []

    def enter(folder: Path, depth: int) -> bool:
        """Not a folder at MAX_DEPTH that holds more folders: that part of the tree goes."""
        if depth >= MAX_DEPTH and _has_folders(folder):
            too_deep.append(folder)
            return False
        return True

    for path, entry, _ in walk(root, skip=lambda name: not is_candidate_name(name), enter=enter):
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # vanished while scanning
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            odd.add(path)
            if warned is not None and path not in warned:
                warned.add(path)
                kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
                log.warning(
                    "ignoring %s in the inbox: it is %s, which is never read; move "
                    "the file itself into the inbox",
                    shown_path(path),
                    kind,
                )
            continue
        # A modification time in the future (copied with `cp -p` or `rsync -t` from a host
        # whose clock is ahead) would never settle: the change time is the local clock's.
        changed = st.st_mtime if st.st_mtime <= now + settle else st.st_ctime
        if now - changed >= settle:
            ready.append((changed, path))
        else:
            young.append(path)
    ready.sort()
    if warned is not None:
        warned.intersection_update(odd)  # warn again about a link that goes and comes back
    return Scan([p for _, p in ready], young, too_deep)


class _Handler(FileSystemEventHandler):
    """Offers files whose writer has closed them or that were renamed in.

    It also keeps the files written to and not yet closed (`writing`), so that the rescan,
    which can only see that a file has not changed for a while, leaves alone a file whose
    writer has paused but still holds it open.
    """

    def __init__(
        self, root: Path, on_ready: Callable[[Path], None], on_folder: Callable[[], None]
    ) -> None:
        self.root = root
        self.on_ready = on_ready
        self.on_folder = on_folder  # a folder moved in: its files send no events of their own
        self.writing: dict[Path, float] = {}

    @staticmethod
    def _path(raw: str | bytes) -> Path:
        return Path(raw if isinstance(raw, str) else raw.decode(errors="surrogateescape"))

    def _offer(self, path: Path) -> None:
        if _visible(path, self.root):
            self.on_ready(path)

    def on_modified(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.writing[self._path(event.src_path)] = time.monotonic()

    def on_closed(self, event: FileClosedEvent) -> None:
        path = self._path(event.src_path)
        self.writing.pop(path, None)
        self._offer(path)

    def on_moved(self, event: DirMovedEvent | FileMovedEvent) -> None:
        if event.dest_path and event.is_directory:
            self.on_folder()
        elif event.dest_path:
            path = self._path(event.dest_path)
            self.writing.pop(path, None)
            self._offer(path)

    def being_written(self, path: Path) -> bool:
        """Whether `path` was written to and not closed since (within WRITE_PAUSE_SECONDS)."""
        since = self.writing.get(path)
        if since is None:
            return False
        if time.monotonic() - since < WRITE_PAUSE_SECONDS:
            return True
        self.writing.pop(path, None)
        return False

    def forget_gone(self) -> None:
        """Drop entries for files that no longer exist (deleted while open, moved away)."""
        for path in list(self.writing):
            if not path.exists():
                self.writing.pop(path, None)


class _PollHandler(FileSystemEventHandler):
    """Polling has no close events: any change only says "look again once it settles"."""

    def __init__(self, on_activity: Callable[[], None]) -> None:
        self.on_activity = on_activity

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory and event.event_type in ("created", "modified", "moved"):
            self.on_activity()


def make_observer(poll: bool = False) -> BaseObserver:
    """An inotify observer on Linux (with full move events), else the platform default.

    `poll` gives a polling observer, the only kind that sees changes made by other machines
    on a network file system (NFS, SMB), where inotify is blind.
    """
    if poll:
        from watchdog.observers.polling import PollingObserver

        return PollingObserver(timeout=1.0)
    if sys.platform.startswith("linux"):
        from watchdog.observers.inotify import InotifyObserver

        # Full events: a file moved in from outside the inbox arrives as a move, not a create.
        return InotifyObserver(generate_full_events=True)
    from watchdog.observers import Observer

    return Observer()


def _watch_error(root: Path, exc: OSError) -> SourceError:
    if exc.errno == errno.ENOSPC:
        why = (
            "the inotify watch limit is reached; raise fs.inotify.max_user_watches "
            "(sysctl) or set [inbox] poll = true"
        )
    elif exc.errno == errno.EMFILE:
        why = (
            "the inotify instance limit is reached; raise fs.inotify.max_user_instances "
            "(sysctl) or set [inbox] poll = true"
        )
    else:
        why = exc.strerror or str(exc)
    return SourceError(f"cannot watch {root}: {why}")


class Inbox:
    """The watchdog observer on the inbox folder, feeding ready files to `on_ready`.

    With `poll`, changes are only reported through `on_activity` (no path: the caller
    rescans once things have settled), since a polling observer cannot tell a finished
    file from one still being written.
    """

    def __init__(
        self,
        root: Path,
        on_ready: Callable[[Path], None],
        *,
        poll: bool = False,
        on_activity: Callable[[], None] | None = None,
    ) -> None:
        self.root = root
        self._on_ready = on_ready
        self._poll = poll
        self._on_activity = on_activity or (lambda: None)
        self._observer: BaseObserver | None = None
        self._handler: _Handler | None = None

    def start(self) -> None:
        """Create the inbox if needed and start watching; raise SourceError if it cannot."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            observer = make_observer(self._poll)
            if self._poll:
                observer.schedule(_PollHandler(self._on_activity), str(self.root), recursive=True)
            else:
                self._handler = _Handler(self.root, self._on_ready, self._on_activity)
                observer.schedule(
                    self._handler, str(self.root), recursive=True, event_filter=READY_EVENTS
                )
            observer.start()
        except OSError as exc:
            raise _watch_error(self.root, exc) from None
        except RecursionError:
            raise SourceError(
                f"cannot watch {self.root}: a folder below it is nested too deeply to be walked"
            ) from None
        self._observer = observer

    def being_written(self, path: Path) -> bool:
        """Whether a writer has written to `path` and not closed it yet (inotify only)."""
        return self._handler is not None and self._handler.being_written(path)

    def forget_gone(self) -> None:
        """Let go of files being written that have since disappeared."""
        if self._handler is not None:
            self._handler.forget_gone()

    def alive(self) -> bool:
        """Whether the observer thread and its emitters are still running."""
        observer = self._observer
        if observer is None or not observer.is_alive() or not self.root.is_dir():
            return False
        # watchdog's inotify observer reads events in a thread of its own, which can die on
        # its own (a folder tree too deep for its recursive walk) while the rest lives on.
        reader = getattr(observer, "_inotify_fd", None)
        if isinstance(reader, threading.Thread) and not reader.is_alive():
            return False
        return all(emitter.is_alive() for emitter in observer.emitters)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
