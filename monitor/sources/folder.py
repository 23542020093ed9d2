"""The `[inbox]` folder as a source: watcher, rescans, the work queue and file disposal.

Files are offered when their writer has finished (see `monitor.sources.watch`), opened
without ever following a link out of the folder, and disposed of only after the pipeline has
committed their alerts (`settle`): archived, deleted or kept, or quarantined with a note when
they cannot be read. A file whose disposal fails is left alone with a growing back-off
instead of being read again at every rescan. The file being read is noted in `state/inflight`
(`monitor.inflight`), so a file that kills the process is not read for ever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.articles import NotFinished, NotRegular, read_inbox_bytes
from monitor.budget import time_limit
from monitor.config import InboxConfig
from monitor.inflight import TRIES, InFlight
from monitor.safepath import open_folder_below
from monitor.sources.base import Item, Outcome, Verdict
from monitor.sources.disposal import move_out, numbered, quarantine_file, quarantine_folder
from monitor.sources.watch import MAX_DEPTH, Inbox, scan
from monitor.textsafe import shown_path

log = logging.getLogger("monitor.inbox")

SETTLE_SECONDS = 2.0
"""How long a file found by a rescan must be unchanged before it counts as finished."""

OPEN_WARN_SECONDS = 600.0
"""After this long held open for writing, a file waiting for its writer is logged."""

RETRY_MOVE_SECONDS = (30.0, 3600.0)
"""First and longest wait before trying again to move out a file that could not be moved."""


class WorkQueue:
    """Paths waiting to be processed, each at most once in the queue at a time."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Path] = queue.Queue()
        self._queued: set[Path] = set()
        self._lock = threading.Lock()
        self.on_put: Callable[[], None] | None = None  # a waiting SourceSet's wake-up

    def put(self, path: Path) -> None:
        with self._lock:
            if path in self._queued:
                return
            self._queued.add(path)
        self._queue.put(path)
        if self.on_put is not None:
            self.on_put()

    def get_batch(self, timeout: float, limit: int) -> list[Path]:
        """Wait up to `timeout` for one path, then take whatever else is already waiting."""
        batch: list[Path] = []
        try:
            batch.append(self._queue.get(timeout=timeout))
            while len(batch) < limit:
                batch.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        with self._lock:
            self._queued.difference_update(batch)
        return batch

    def drop(self, keep: Callable[[Path], bool]) -> int:
        """Forget the queued paths `keep` says no to; how many were forgotten."""
        dropped = 0
        with self._lock:
            kept: list[Path] = []
            while True:
                try:
                    path = self._queue.get_nowait()
                except queue.Empty:
                    break
                if keep(path):
                    kept.append(path)
                else:
                    self._queued.discard(path)
                    dropped += 1
            for path in kept:
                self._queue.put(path)
        return dropped


def _free_for(target: Path, st: os.stat_result) -> bool:
    """Whether `target` is free for the file `st` describes: nothing there, or that very
    file (one inode under both names, linked there by an earlier, interrupted move)."""
    try:
        there = os.lstat(target)
    except OSError:  # nothing there, or no day folder yet: the move finds out, safely
        return True
    return (there.st_ino, there.st_dev) == (st.st_ino, st.st_dev)


@dataclass(frozen=True, slots=True)
class _File:
    """The folder source's handle on an item: the path, its lstat (None if gone), and the
    archive name chosen for it when it was read."""

    path: Path
    st: os.stat_result | None
    planned: Path | None = None


@dataclass
class _Later:
    """A file left in the inbox after a failure, and when to touch it again.

    Without this a file that cannot be moved out (a read-only archive) or that trips a bug
    is read, matched and logged again at every rescan, forever. `move` retries only the
    move (the file's alerts are already recorded); `read` processes it again. Either is
    forgotten as soon as the file changes.
    """

    size: int
    mtime_ns: int
    what: Literal["move", "read"]
    planned: Path | None = None  # the archive name its alerts give: kept for the retry
    delay: float = RETRY_MOVE_SECONDS[0]
    next_at: float = 0.0

    def __post_init__(self) -> None:
        self.next_at = time.monotonic() + self.delay

    def again(self) -> None:
        """Wait twice as long before the next try, up to the longest wait."""
        self.delay = min(self.delay * 2, RETRY_MOVE_SECONDS[1])
        self.next_at = time.monotonic() + self.delay


class _Changed(Exception):
    """The inbox name no longer holds the file that was read."""


def _fingerprint(st: os.stat_result) -> str:
    """This version of a file, as `after = keep` recognises it: size and mtime."""
    return f"{st.st_size}:{st.st_mtime_ns}"


class FolderSource:
    """The inbox folder (`[inbox]`) as a `Source`; items are keyed by their shown path."""

    def __init__(
        self, config: InboxConfig, inflight: InFlight | None = None, name: str = "inbox"
    ) -> None:
        self.name = name
        self.config = config
        self.inflight = inflight
        self.work = WorkQueue()
        self._watcher: Inbox | None = None
        self._scheduler: BackgroundScheduler | None = None
        self._warned: set[Path] = set()  # odd inbox entries already logged by the rescan
        self._timer_lock = threading.Lock()
        self._timer_pending = False
        self._later: dict[Path, _Later] = {}
        self._open_since: dict[Path, float] = {}  # files found open for writing: since when
        self._planned: set[Path] = set()  # archive names chosen for files not yet moved
        self._read_done = False  # a file was read since `state/inflight` was last emptied

    @property
    def max_seconds(self) -> float:
        return self.config.max_seconds

    # -- running ------------------------------------------------------------------------------
    def start(self) -> None:
        """Watch the folder, schedule the periodic rescan and queue what is there already.

        SourceError if the folder cannot be watched; nothing is left running then.
        """
        self._watcher = self._watch(self.config)
        scheduler = BackgroundScheduler()

        def job_failed(event: JobExecutionEvent) -> None:
            log.error("scheduled job %s failed: %r", event.job_id, event.exception)

        scheduler.add_listener(job_failed, EVENT_JOB_ERROR)
        scheduler.add_job(
            self.rescan,
            "interval",
            seconds=self.config.rescan_seconds,
            id="rescan",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        scheduler.start()
        self._scheduler = scheduler
        self.rescan()

    def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._watcher is not None:
            self._watcher.stop()

    def alive(self) -> bool:
        return self._watcher is not None and self._watcher.alive()

    def repair(self) -> None:
        """Watch again after the observer died or the folder vanished; SourceError if it
        cannot (the daemon then stops: never run blind)."""
        log.error(
            "the inbox observer stopped or %s disappeared; re-creating and watching it again",
            self.config.path,
        )
        if self._watcher is not None:
            self._watcher.stop()
        self._watcher = self._watch(self.config)
        self.rescan()

    def reconfigure(self, config: InboxConfig) -> None:
        """Apply a changed `[inbox]`: what can fail first, so a failure changes nothing."""
        old = self.config
        if (config.path, config.poll) != (old.path, old.poll):
            watcher = self._watch(config)  # raises, changing nothing, if it cannot watch
            if self._watcher is not None:
                self._watcher.stop()
            self._watcher = watcher
            log.info("watching %s", config.path)
            # One line for what was queued from the old folder, not a warning per file.
            dropped = self.work.drop(lambda path: path.is_relative_to(config.path))
            if dropped:
                log.warning(
                    "%d files queued from the old inbox %s are left where they are",
                    dropped,
                    old.path,
                )
        if config.rescan_seconds != old.rescan_seconds and self._scheduler is not None:
            self._scheduler.reschedule_job(
                "rescan", trigger="interval", seconds=config.rescan_seconds
            )
        self.config = config
        self.rescan()

    def _watch(self, config: InboxConfig) -> Inbox:
        watcher = Inbox(
            config.path, self.work.put, poll=config.poll, on_activity=self._rescan_later
        )
        watcher.start()
        return watcher

    def rescan(self) -> None:
        """Queue every settled file; come back for the young ones once they have settled."""
        config = self.config
        ready, young, too_deep = scan(config.path, SETTLE_SECONDS, warned=self._warned)
        self._quarantine_deep(too_deep, config.quarantine)
        watcher = self._watcher
        if watcher is not None:
            watcher.forget_gone()
        for path in ready:
            # A writer that paused mid-file still holds it open: its close event brings it.
            if watcher is None or not watcher.being_written(path):
                self.work.put(path)
        if young:
            self._rescan_later()

    def _quarantine_deep(self, folders: list[Path], quarantine: Path) -> None:
        """Move folder trees too deep to walk out of the inbox (see `watch.MAX_DEPTH`)."""
        for folder in folders:
            reason = (
                f"{shown_path(folder)}: holds folders nested more than {MAX_DEPTH} deep, "
                "which the inbox does not walk; the whole folder was moved here unread\n"
            )
            try:
                moved = quarantine_folder(folder, quarantine, reason)
            except OSError as exc:
                log.error(
                    "%s holds folders nested more than %d deep, which the inbox does "
                    "not walk, and it cannot be moved to quarantine (%s); remove it",
                    shown_path(folder),
                    MAX_DEPTH,
                    exc.strerror or exc,
                )
                continue
            log.warning(
                "quarantined the folder %s: it holds folders nested more than %d "
                "deep (moved to %s)",
                shown_path(folder),
                MAX_DEPTH,
                shown_path(moved),
            )

    def _rescan_later(self) -> None:
        """Rescan once files have had time to settle; several requests share one timer."""
        with self._timer_lock:
            if self._timer_pending:
                return
            self._timer_pending = True

        def fire() -> None:
            with self._timer_lock:
                self._timer_pending = False
            self.rescan()

        timer = threading.Timer(SETTLE_SECONDS, fire)
        timer.daemon = True
        timer.start()

    # -- items --------------------------------------------------------------------------------
    def item(self, path: Path) -> Item:
        """The item for an inbox path, with the one lstat of its name."""
        try:
            st: os.stat_result | None = path.lstat()
        except OSError:
            st = None
        shown = shown_path(path)
        keep = self.config.after == "keep" and st is not None and stat.S_ISREG(st.st_mode)
        return Item(
            self.name,
            shown,
            shown,
            format=path.name,
            size=st.st_size if st is not None else 0,
            fingerprint=_fingerprint(st) if keep and st is not None else "",
            handle=_File(path, st),
        )

    def take(self, timeout: float, limit: int) -> list[Item]:
        self._planned.clear()  # the last batch is settled: its archive names are taken
        if self._read_done and self.inflight is not None:
            self.inflight.clear()
        self._read_done = False
        return [self.item(path) for path in self.work.get_batch(timeout, limit)]

    def give_back(self, items: list[Item]) -> None:
        for item in items:
            self.work.put(_file(item).path)

    def owns(self, source_name: str) -> bool:
        return source_name == self.name

    def wake_with(self, callback: Callable[[], None]) -> None:
        self.work.on_put = callback

    def finished(self, outcomes: list[Outcome]) -> None:
        """Nothing to do: `settle` disposed of each file."""

    def open(self, item: Item) -> Item | Outcome:
        """The file's bytes, or why there is nothing to read now; ArticleError if it cannot
        be read (the pipeline then settles it as unreadable: quarantine)."""
        path, st = _file(item).path, _file(item).st
        if not path.is_relative_to(self.config.path):  # queued before [inbox] path changed
            reason = "no longer in the inbox ([inbox] path was changed); left where it is"
            return Outcome(item, "skipped", reason=reason)
        if st is None:
            return Outcome(item, "ignored", reason="gone before it could be read")
        if not stat.S_ISREG(st.st_mode):
            kind = "a symbolic link (never followed)" if stat.S_ISLNK(st.st_mode) else None
            return Outcome(item, "skipped", reason=kind or "not a regular file")
        waiting = self._retry_later(item, path, st) if self._later else None
        if waiting is not None:
            return waiting
        if self.inflight is not None:
            self.inflight.begin(path, st)
        try:
            data, st = read_inbox_bytes(
                self.config.path, path, max_bytes=int(self.config.max_size_mb * 1024 * 1024)
            )
        except NotFinished as exc:
            self._still_open(path)
            return Outcome(item, "ignored", reason=f"{exc}; read again once it is finished")
        except NotRegular as exc:
            return Outcome(item, "skipped", reason=str(exc))
        if self._open_since:
            self._open_since.pop(path, None)
        fingerprint = _fingerprint(st) if item.fingerprint else ""
        planned = self._plan(path, st) if self.config.after == "archive" else None
        return replace(
            item,
            data=data,
            size=st.st_size,
            fingerprint=fingerprint,
            location=shown_path(planned) if planned is not None else "",
            handle=_File(path, st, planned),
        )

    def _plan(self, path: Path, st: os.stat_result) -> Path:
        """The archive name the file will have, chosen before its alerts are recorded so
        that they can say where the file is by the time anyone reads them. A name chosen
        for another file of this batch, or taken in the archive, is skipped, unless it is
        taken by this very file: a move that a kill -9 cut short between its link and its
        unlink, which the move now finishes (archiving it twice left `a.1.txt` beside it)."""
        folder = self.config.archive / date.today().isoformat()
        # Names promised to files whose move failed and waits for a retry are taken too.
        held = {later.planned for later in self._later.values()} if self._later else set()
        n = 0
        while True:
            target = folder / numbered(path.name, n)
            if target not in self._planned and target not in held and _free_for(target, st):
                self._planned.add(target)
                return target
            n += 1

    def read_done(self, item: Item) -> None:
        """Read and matched: a crash from here on is not this file's doing.

        The record is emptied when the batch is over (`take`), not here: the next file's
        `begin` replaces it anyway, and a truncation per file is a measurable part of a burst."""
        self._read_done = True

    def settle(self, item: Item, verdict: Verdict, outcome: Outcome) -> Outcome:
        """Archive, delete or keep a processed file; quarantine an unreadable one; back off
        from one that failed. Returns the outcome with where the file went."""
        file = _file(item)
        if file.planned is not None:
            self._planned.discard(file.planned)
        if verdict is Verdict.PROCESSED:
            if file.st is None:
                return outcome
            moved, where = self._move_out(file.path, file.st, file.planned)
            return replace(outcome, moved_to=shown_path(where)) if moved and where else outcome
        if verdict is Verdict.UNREADABLE:
            if not file.path.exists():
                return Outcome(item, "ignored", reason="gone before it could be read")
            moved_to = self.quarantine(file.path, outcome.reason)
            if moved_to is None:  # said why already; left in the inbox for a later try
                reason = f"could not be quarantined ({outcome.reason})"
                return replace(outcome, status="skipped", reason=reason)
            return replace(outcome, status="quarantined", moved_to=shown_path(moved_to))
        log.exception(
            "failed to process %s; will try it again in %.0f s", item.name, RETRY_MOVE_SECONDS[0]
        )
        try:
            st = file.st or file.path.lstat()
        except OSError:
            pass
        else:
            self._remember(file.path, st, "read")
        return Outcome(item, "skipped", reason="internal error (logged)")

    # -- disposal -----------------------------------------------------------------------------
    def _remember(
        self,
        path: Path,
        st: os.stat_result,
        what: Literal["move", "read"],
        planned: Path | None = None,
    ) -> None:
        """Leave the file alone until its retry time (or a change), backing off each time."""
        later = self._later.get(path)
        if (
            later is not None
            and later.what == what
            and (later.size, later.mtime_ns) == (st.st_size, st.st_mtime_ns)
        ):
            later.again()
        else:
            self._later[path] = _Later(st.st_size, st.st_mtime_ns, what, planned)

    def _move_out(
        self, path: Path, st: os.stat_result, planned: Path | None = None
    ) -> tuple[bool, Path | None]:
        """Dispose of a processed file: (moved, where to); on failure, say so, retry later.

        `planned` is the archive name its alerts give; taken meanwhile, the next free one."""
        try:
            where = self._dispose(path, st, planned)
        except FileNotFoundError:
            return False, None  # gone already: nothing to move
        except _Changed:
            log.warning(
                "%s changed after it was read; leaving it in the inbox to be read again",
                shown_path(path),
            )
            return False, None
        except OSError as exc:
            self._remember(path, st, "move", planned)
            folder = "the archive" if self.config.after == "archive" else "the inbox"
            log.error(
                "processed %s but could not move it out of the inbox: %s; make %s "
                "writable by the monitor's user. Its alerts are recorded: it is not "
                "read again, and the move is tried again in %.0f s",
                shown_path(path),
                exc.strerror or exc,
                folder,
                self._later[path].delay,
            )
            return False, None
        self._later.pop(path, None)
        return True, where

    def _retry_later(self, item: Item, path: Path, st: os.stat_result) -> Outcome | None:
        """Handle a file that failed before: an Outcome, or None to process it as new."""
        later = self._later.get(path)
        if later is None:
            return None
        if (later.size, later.mtime_ns) != (st.st_size, st.st_mtime_ns):
            del self._later[path]  # changed since: a new file as far as we know
            return None
        if time.monotonic() < later.next_at:
            return Outcome(item, "ignored", reason="failed before; waiting to try again")
        if later.what == "read":
            return None
        moved, where = self._move_out(path, st, later.planned)
        if not moved:
            return Outcome(item, "ignored", reason="still cannot be moved out")
        log.info("moved %s out of the inbox at last", shown_path(path))
        shown = shown_path(where) if where is not None else None
        return Outcome(item, "ignored", reason="moved out at last", moved_to=shown)

    def _still_open(self, path: Path) -> None:
        """Say so, once, when a file has been held open for writing for a long time.

        Waiting for the writer is right, but a descriptor some other program leaked would
        keep an article out for good without a word.
        """
        now = time.monotonic()
        since = self._open_since.setdefault(path, now)
        if since and now - since >= OPEN_WARN_SECONDS:
            log.warning(
                "%s has been open for writing for %.0f minutes; it is read once the "
                "program writing it closes it",
                shown_path(path),
                (now - since) / 60,
            )
            self._open_since[path] = 0.0  # said once
        if len(self._open_since) > 10_000:  # names long gone
            self._open_since = {p: t for p, t in self._open_since.items() if p.exists()}

    def _dispose(self, path: Path, st: os.stat_result, planned: Path | None = None) -> Path | None:
        """Archive or delete a processed file, if it is still the file that was read.

        Reached from the inbox folder by folder (`monitor.safepath`): a sub-folder swapped
        for a link after the read cannot turn the move into one of a file elsewhere (the
        state database, say). `_Changed` if the name now holds another file or new content.
        """
        after = self.config.after
        if after == "keep":
            return None
        folder_fd = open_folder_below(self.config.path, path)
        try:
            now = os.stat(path.name, dir_fd=folder_fd, follow_symlinks=False)
            if (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) != (
                st.st_ino,
                st.st_dev,
                st.st_size,
                st.st_mtime_ns,
            ):
                raise _Changed
            if after == "delete":
                os.unlink(path.name, dir_fd=folder_fd)
                return None
            if planned is None:
                planned = self.config.archive / date.today().isoformat() / path.name
            folder, name = planned.parent, planned.name
            try:
                where = move_out(path, folder, folder_fd, name)
            except FileNotFoundError:  # the day's folder, made on its first file
                folder.mkdir(parents=True, exist_ok=True)
                where = move_out(path, folder, folder_fd, name)
            if where != planned:
                log.warning(
                    "archived %s as %s: %s, the name its alerts give, was taken meanwhile "
                    "by another program",
                    shown_path(path),
                    shown_path(where),
                    shown_path(planned),
                )
            return where
        finally:
            os.close(folder_fd)

    def quarantine(self, path: Path, reason: str) -> Path | None:
        """Move a file to quarantine with a note saying why; None (logged) if it cannot."""
        folder = self.config.quarantine
        try:
            folder.mkdir(parents=True, exist_ok=True)
            folder_fd = open_folder_below(self.config.path, path)
            try:
                return quarantine_file(path, folder, f"{shown_path(path)}: {reason}\n", folder_fd)
            finally:
                os.close(folder_fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                self._remember(path, path.lstat(), "read")
            log.error(
                "cannot move %s to quarantine (%s): %s; make it writable by the "
                "monitor's user; trying again later",
                shown_path(path),
                folder,
                exc.strerror or exc,
            )
            return None

    # -- crash recovery -----------------------------------------------------------------------
    def recover(self, check: Callable[[Item], None]) -> None:
        """Deal with the file the last process died reading, if any (see `monitor.inflight`).

        After a second death the file is read once more, alone, in a forked child (`check`
        reads and matches an opened item): a `kill -9`, an OOM kill or a power cut from
        outside that twice landed while a big, valid article was read must not cost its
        alerts. Only if the child dies too (or hangs past the time budget) is the file
        quarantined unread. Called at start, before any other thread runs, so the fork
        copies nothing half-done.
        """
        found = self.inflight.recover() if self.inflight is not None else None
        if found is None:
            return
        path, deaths = found
        shown = shown_path(path)
        if deaths < TRIES:
            log.warning(
                "the daemon stopped while reading %s last time; reading it once more", shown
            )
            return
        death = self._read_alone(path, check)
        if death is None:
            log.warning(
                "the daemon stopped %d times while reading %s, but it reads fine on "
                "its own: the stops came from outside; reading it as usual",
                deaths,
                shown,
            )
            return
        reason = (
            f"the daemon stopped {deaths} times while reading this file, and reading "
            f"it alone in a separate process {death} (a crash or a hang in a parser, "
            "or memory exhausted); it was not read again"
        )
        if self.quarantine(path, reason) is not None:
            log.warning("quarantined %s: %s", shown, reason)
            if self.inflight is not None:
                self.inflight.clear()

    def _read_alone(self, path: Path, check: Callable[[Item], None]) -> str | None:
        """Read and match `path` in a forked child: None if it got through, else how it died."""
        limit = self.max_seconds + 5
        pid = os.fork()
        if pid == 0:  # the child: no logging, no database, no cleanup, just the read
            self.inflight = None  # the parent's record of the deaths stays as it is
            # Bad input, a file gone or the budget spent: the normal path deals with those.
            with contextlib.suppress(BaseException), time_limit(self.max_seconds):
                opened = self.open(self.item(path))
                if isinstance(opened, Item):
                    check(opened)
            os._exit(0)
        deadline = time.monotonic() + limit
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                return f"hung for more than {limit:g} s"
            time.sleep(0.02)
        if os.WIFSIGNALED(status):
            return f"was killed by signal {os.WTERMSIG(status)}"
        return None


def _file(item: Item) -> _File:
    handle = item.handle
    assert isinstance(handle, _File), "an item from another source"
    return handle
