"""One file through the pipeline: read, match, record + queue alerts, then move the file.

The order is the guarantee: the file leaves the inbox only after its article and alerts are
committed, so a crash at any point leaves the file in the inbox to be processed again, and
the outbox's unique key keeps that second pass from alerting twice.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from monitor.alerts import alert_record, flood_summary
from monitor.articles import Article, ArticleError, NotFinished, NotRegular, read_inbox_article
from monitor.budget import ArticleTimeout, time_limit
from monitor.config import InboxConfig
from monitor.engine import Engine
from monitor.inflight import TRIES, InFlight
from monitor.rules.model import Rule
from monitor.safepath import open_folder_below
from monitor.state import QueuedAlert, Store
from monitor.textsafe import shown_path

log = logging.getLogger("monitor.pipeline")

# skipped: left alone for a reason the admin should see (logged as a warning);
# ignored: nothing to do, e.g. a second event for a file already processed (debug).
Status = Literal["processed", "quarantined", "skipped", "ignored"]

COMMIT_SECONDS = 1.0
"""Longest a batch reads and matches before its alerts are committed and sent."""

OPEN_WARN_SECONDS = 600.0
"""After this long held open for writing, a file waiting for its writer is logged."""

BIG_FILE = 512 * 1024
"""Files this large (a hundred times a news story) may take a while to read and match."""

RETRY_MOVE_SECONDS = (30.0, 3600.0)
"""First and longest wait before trying again to move out a file that could not be moved."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one file, for the log line and the tests."""

    path: Path
    status: Status
    article_id: str | None = None
    rules: tuple[str, ...] = ()
    new_alerts: int = 0
    ms: float = 0.0
    reason: str = ""
    moved_to: Path | None = field(default=None)


# The source name of the `[inbox]` folder in the state database's items.
INBOX_SOURCE = "inbox"


def _fingerprint(st: os.stat_result) -> str:
    """This version of an inbox file, as `after = keep` recognises it: size and mtime."""
    return f"{st.st_size}:{st.st_mtime_ns}"


NAME_MAX = 255
"""Longest file name, in bytes, on Linux file systems."""

NOTE = ".error.txt"


def _numbered(name: str, n: int, reserve: int = 0) -> str:
    """`name` for n = 0, else `stem.N.suffix` (`name.N` without a suffix): the N-th
    alternative to a taken name; cut to fit in NAME_MAX bytes with `reserve` to spare.

    An inbox name may already be 255 bytes long: numbered, or with `.error.txt` after it,
    it would not fit, and the file could never leave the inbox (ENAMETOOLONG).
    """
    stem, dot, suffix = name.partition(".")
    if n:
        name = f"{stem}.{n}{dot}{suffix}" if dot else f"{name}.{n}"
    raw = os.fsencode(name)
    room = NAME_MAX - reserve
    if len(raw) <= room:
        return name
    tail = os.fsencode(f".{n}{dot}{suffix}" if n and dot else (f".{n}" if n else f"{dot}{suffix}"))
    if len(tail) > room // 2:  # a suffix that long is not a suffix: cut the name's end
        tail = b""
    return os.fsdecode(raw[: room - len(tail)] + tail)


def move_out(src: Path, folder: Path, src_dir: int | None = None) -> Path:
    """Move a file out of the inbox into `folder`, under a name not yet taken there.

    With `src_dir` (a descriptor on the file's folder, see `monitor.safepath`), the file is
    taken by its name in that folder, so no link swapped into the path can redirect the move.

    A rename out of the watched inbox is an unmatched IN_MOVED_FROM, which watchdog holds
    for 0.5 s to pair it, delaying every event queued behind it: each archived file would add
    half a second to the next article's alert. A hard link plus unlink gives the same result
    with only an IN_DELETE. The link also picks the name: it fails on a name already taken,
    so no name is looked up first (two stat calls per file in a burst). Across file systems
    (or where links are refused) it falls back to a copy into a new file: never a rename,
    which would replace a file that took the name in between.
    """
    name, n = src.name, 0
    source = src.name if src_dir is not None else src
    while True:
        target = folder / _numbered(name, n)
        try:
            _link_or_copy(source, target, src_dir)
        except FileExistsError:
            n += 1
            continue
        os.unlink(source, dir_fd=src_dir)
        return target


def _link_or_copy(src: Path | str, target: Path, src_dir: int | None) -> None:
    """Give `src`'s content the new name `target`; FileExistsError if that name is taken."""
    try:
        os.link(src, target, src_dir_fd=src_dir, follow_symlinks=False)
    except (FileExistsError, FileNotFoundError, PermissionError):
        raise  # taken; the folder is missing; the folder is not writable (no copy helps)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        descriptor = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=src_dir)
        with os.fdopen(descriptor, "rb") as reader, target.open("xb") as writer:
            shutil.copyfileobj(reader, writer)
            st = os.fstat(reader.fileno())
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def _with_note(folder: Path, name: str, reason: str, place: Callable[[Path], None]) -> Path:
    """Put something into `folder` under `name` (numbered if taken) with `NAME.error.txt`.

    The note is created first, exclusively, and `place` (which raises FileExistsError on a
    name already taken) puts the thing in after it, so neither can replace an earlier
    quarantined file or its note: a quarantined `r.txt.error.txt` and the note of a later
    `r.txt` would otherwise share a name.
    """
    n = 0
    while True:
        target = folder / _numbered(name, n, reserve=len(NOTE))
        note = Path(f"{target}{NOTE}")
        try:
            descriptor = os.open(
                note, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o640
            )
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(reason)  # first: a kill right after the placing leaves no empty note
        try:
            place(target)
        except BaseException as exc:
            note.unlink()
            if not isinstance(exc, FileExistsError):
                raise
            n += 1
            continue
        return target


def quarantine_file(src: Path, folder: Path, reason: str, src_dir: int | None = None) -> Path:
    """Move `src` into `folder` with `NAME.error.txt` beside it saying why; overwrite nothing.

    `src_dir` as for `move_out`.
    """
    source = src.name if src_dir is not None else src
    target = _with_note(
        folder, src.name, reason, lambda target: _link_or_copy(source, target, src_dir)
    )
    os.unlink(source, dir_fd=src_dir)
    return target


def quarantine_folder(src: Path, folder: Path, reason: str) -> Path:
    """Move a whole folder out of the inbox into `folder`, with its note; overwrite nothing.

    For a folder tree the daemon must not walk (nested too deep). A rename, so the tree
    must be on the quarantine's file system; OSError otherwise, and it stays where it is.
    """

    def place(target: Path) -> None:
        if target.exists() or target.is_symlink():  # rename would replace an empty folder
            raise FileExistsError(target)
        os.rename(src, target)

    folder.mkdir(parents=True, exist_ok=True)
    return _with_note(folder, src.name, reason, place)


@dataclass(frozen=True)
class _Matched:
    """A file read and matched, waiting for the write transaction to be recorded."""

    path: Path
    st: os.stat_result
    article: Article
    rules: tuple[str, ...]
    records: list[tuple[Rule, dict[str, Any]]]  # the matching rule and its alert record
    seconds: float  # spent reading and matching


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


class Pipeline:
    """Processes inbox files one at a time against the current engine."""

    def __init__(
        self,
        inbox: InboxConfig,
        store: Store,
        engine: Engine,
        channels: list[str],
        inflight: InFlight | None = None,
    ) -> None:
        self.inbox = inbox
        self.store = store
        self.engine = engine  # replaced whole on reload
        self.channels = channels
        self.inflight = inflight  # the daemon's record of the file being read, if any
        self._later: dict[Path, _Later] = {}
        self._open_since: dict[Path, float] = {}  # files found open for writing: since when

    def process_batch(
        self,
        paths: list[Path],
        progress: Callable[[], None] | None = None,
        interrupt: Callable[[], bool] | None = None,
        done: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        """Process files with one database commit per second of work, then move each out.

        Reading and matching (most of the work) happen before the write transaction, so the
        database is locked only for the short time it takes to record the batch and the
        dispatcher can mark alerts sent in between instead of waiting for a whole batch.
        The batch is committed whenever it has taken COMMIT_SECONDS and before a file
        that may be slow (BIG_FILE bytes or more), and `done` is given the outcomes of each
        commit at once, so a good article's alert does not wait for slow files that came
        after it. Each file is recorded inside its own savepoint, so a file
        that fails (a bug, not bad input, which is quarantined) is rolled back alone,
        logged, and left in the inbox for a later try while the others commit.

        `progress` is called after each file is read: the daemon's proof for the systemd
        watchdog that the loop is not stuck. When `interrupt` says so (a stop or a reload
        is waiting), the files not yet read are left alone: the outcomes returned cover
        only the files handled, in order.
        """
        handled: list[Outcome] = []
        ready: list[Outcome] = []  # outcomes not yet given to `done`
        matched: list[_Matched] = []
        engine = self.engine
        since = time.monotonic()
        for i, path in enumerate(paths):
            if i and interrupt is not None and interrupt():
                break
            try:
                st: os.stat_result | None = path.lstat()  # the one lstat of the name
            except OSError:
                st = None
            # A big file may be slow: what is ready goes out before it.
            if matched and st is not None and st.st_size >= BIG_FILE:
                ready += self._commit(matched)
                handled += self._hand_over(ready, done)
                matched, ready, since = [], [], time.monotonic()
            if self.inflight is not None:
                self.inflight.begin(path, st)
            try:
                result = self._match(path, st, engine)
            except Exception:
                result = self._failed(path)
            if progress is not None:
                progress()
            if isinstance(result, Outcome):
                ready.append(result)
            else:
                matched.append(result)
            if time.monotonic() - since >= COMMIT_SECONDS:
                ready += self._commit(matched)
                handled += self._hand_over(ready, done)
                matched, ready, since = [], [], time.monotonic()
        ready += self._commit(matched)
        handled += self._hand_over(ready, done)
        order = {path: i for i, path in enumerate(paths)}
        return sorted(handled, key=lambda o: order[o.path])

    @staticmethod
    def _hand_over(
        outcomes: list[Outcome], done: Callable[[list[Outcome]], None] | None
    ) -> list[Outcome]:
        if done is not None and outcomes:
            done(outcomes)
        return outcomes

    def _commit(self, matched: list[_Matched]) -> list[Outcome]:
        """Record matched files in one transaction, then move each out of the inbox."""
        if self.inflight is not None:
            self.inflight.clear()
        recorded = self._record_all(matched)
        return [
            self._disposed(outcome, item.st) if outcome.status == "processed" else outcome
            for item, outcome in zip(matched, recorded, strict=True)
        ]

    def _failed(self, path: Path, st: os.stat_result | None = None) -> Outcome:
        """A file that hit a bug (not bad input): logged, left in the inbox, tried again later."""
        log.exception(
            "failed to process %s; will try it again in %.0f s",
            shown_path(path),
            RETRY_MOVE_SECONDS[0],
        )
        try:
            st = st or path.lstat()
        except OSError:
            pass
        else:
            self._remember(path, st, "read")
        return Outcome(path, "skipped", reason="internal error (logged)")

    def _remember(self, path: Path, st: os.stat_result, what: Literal["move", "read"]) -> None:
        """Leave the file alone until its retry time (or a change), backing off each time."""
        later = self._later.get(path)
        if (
            later is not None
            and later.what == what
            and (later.size, later.mtime_ns) == (st.st_size, st.st_mtime_ns)
        ):
            later.again()
        else:
            self._later[path] = _Later(st.st_size, st.st_mtime_ns, what)

    def _record_all(self, matched: list[_Matched]) -> list[Outcome]:
        """Record every matched file in one transaction (a savepoint each)."""
        recorded: list[Outcome] = []
        if not matched:
            return recorded
        with self.store.batch():
            for item in matched:
                try:
                    recorded.append(self._record(item))
                except Exception:
                    recorded.append(self._failed(item.path, item.st))
        return recorded

    def _disposed(self, outcome: Outcome, st: os.stat_result) -> Outcome:
        """The outcome once the file has left the inbox (unchanged if it could not).

        A file that changed since it was read (a writer came back to it) stays: the inbox
        events or the next rescan bring it back, and its new content is read in full.
        """
        path = outcome.path
        moved, where = self._move_out(path, st)
        return replace(outcome, moved_to=where) if moved else outcome

    def _move_out(self, path: Path, st: os.stat_result) -> tuple[bool, Path | None]:
        """Dispose of a processed file: (moved, where to); on failure, say so, retry later."""
        try:
            where = self._dispose(path, st)
        except FileNotFoundError:
            return False, None  # gone already: nothing to move
        except _Changed:
            log.warning(
                "%s changed after it was read; leaving it in the inbox to be read again",
                shown_path(path),
            )
            return False, None
        except OSError as exc:
            self._remember(path, st, "move")
            folder = "the archive" if self.inbox.after == "archive" else "the inbox"
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

    def _retry_later(self, path: Path, st: os.stat_result) -> Outcome | None:
        """Handle a file that failed before: an Outcome, or None to process it as new."""
        later = self._later.get(path)
        if later is None:
            return None
        if (later.size, later.mtime_ns) != (st.st_size, st.st_mtime_ns):
            del self._later[path]  # changed since: a new file as far as we know
            return None
        if time.monotonic() < later.next_at:
            return Outcome(path, "ignored", reason="failed before; waiting to try again")
        if later.what == "read":
            return None
        moved, where = self._move_out(path, st)
        if not moved:
            return Outcome(path, "ignored", reason="still cannot be moved out")
        log.info("moved %s out of the inbox at last", shown_path(path))
        return Outcome(path, "ignored", reason="moved out at last", moved_to=where)

    def _match(self, path: Path, st: os.stat_result | None, engine: Engine) -> _Matched | Outcome:
        """Read and match one file (`st`: its lstat, None if gone); an Outcome if there is
        nothing to record."""
        started = time.perf_counter()
        if not path.is_relative_to(self.inbox.path):  # queued before [inbox] path changed
            return Outcome(
                path,
                "skipped",
                reason="no longer in the inbox ([inbox] path was changed); left where it is",
            )
        if st is None:
            return Outcome(path, "ignored", reason="gone before it could be read")
        if not stat.S_ISREG(st.st_mode):
            kind = (
                "a symbolic link (never followed)"
                if stat.S_ISLNK(st.st_mode)
                else ("not a regular file")
            )
            return Outcome(path, "skipped", reason=kind)
        waiting = self._retry_later(path, st) if self._later else None
        if waiting is not None:
            return waiting
        shown = shown_path(path)
        if self.inbox.after == "keep" and self.store.item_unchanged(
            INBOX_SOURCE, shown, _fingerprint(st)
        ):
            return Outcome(path, "ignored", reason="already processed (after = keep)")
        try:
            with time_limit(self.inbox.max_seconds):
                article, st = read_inbox_article(
                    self.inbox.path,
                    path,
                    shown,
                    max_bytes=int(self.inbox.max_size_mb * 1024 * 1024),
                )
                matches = engine.matcher.match(article)
        except NotFinished as exc:
            self._still_open(path)
            return Outcome(path, "ignored", reason=f"{exc}; read again once it is finished")
        except NotRegular as exc:
            return Outcome(path, "skipped", reason=str(exc))
        except ArticleError as exc:
            if not path.exists():
                return Outcome(path, "ignored", reason="gone before it could be read")
            return self._quarantined(path, str(exc), started)
        except ArticleTimeout:
            return self._quarantined(
                path,
                f"reading and matching it took longer than the {self.inbox.max_seconds:g} "
                "s one file may take ([inbox] max_seconds): a pathological file, or one far "
                "larger than an article; it was stopped so that other articles do not wait",
                started,
            )
        if self._open_since:
            self._open_since.pop(path, None)
        rules = engine.rules
        records = [
            (rules[m.rule], alert_record(article, m, rules[m.rule].description)) for m in matches
        ]
        return _Matched(
            path,
            st,
            article,
            tuple(m.rule for m in matches),
            records,
            time.perf_counter() - started,
        )

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

    def _quarantined(self, path: Path, reason: str, started: float) -> Outcome:
        moved = self._quarantine(path, reason)
        ms = (time.perf_counter() - started) * 1000
        if moved is None:  # said why already; left in the inbox for a later try
            return Outcome(path, "skipped", reason=f"could not be quarantined ({reason})", ms=ms)
        return Outcome(path, "quarantined", reason=reason, moved_to=moved, ms=ms)

    def _record(self, item: _Matched) -> Outcome:
        """Queue a matched file's alerts (past the flood guard) and record its article."""
        started = time.perf_counter()
        article = item.article
        alerts: list[QueuedAlert] = []
        for rule, record in item.records:
            targets = rule.notify if rule.notify is not None else self.channels
            queued = [QueuedAlert(rule=rule.id, channel=c, record=record) for c in targets]
            alerts.extend(self._flood_guard(rule, article.id, queued, targets))
        new = self.store.record_article(article.id, article.path, article.title, alerts)
        if self.inbox.after == "keep":
            self.store.remember_item(INBOX_SOURCE, article.path, _fingerprint(item.st), article.id)
        return Outcome(
            item.path,
            "processed",
            article_id=article.id,
            rules=item.rules,
            new_alerts=new,
            ms=(item.seconds + time.perf_counter() - started) * 1000,
        )

    def _flood_guard(
        self, rule: Rule, article_id: str, queued: list[QueuedAlert], targets: list[str]
    ) -> list[QueuedAlert]:
        """Hold back a rule's alerts past its `max_alerts_per_hour`, with one summary instead.

        Held-back alerts are stored as `suppressed` (counted, never sent), so nothing vanishes
        without a trace; the summary tells the channel that the rule is misfiring.
        """
        cap = rule.max_alerts_per_hour
        if cap is None or self.store.already_alerted(article_id, rule.id):
            return queued
        now = datetime.now(UTC)
        since = (now - timedelta(hours=1)).isoformat(timespec="seconds").replace("+00:00", "Z")
        if self.store.alerted_articles(rule.id, since) < cap:
            return queued
        summary = flood_summary(rule.id, rule.description, cap, now.strftime("%Y-%m-%dT%H"))
        log.warning(
            "rule %s is over its limit of %d alerts per hour; holding back its alert "
            "for article %s",
            rule.id,
            cap,
            article_id,
        )
        held = [QueuedAlert(a.rule, a.channel, a.record, status="suppressed") for a in queued]
        return held + [
            QueuedAlert(rule.id, c, summary, article_id=summary["article"]["id"]) for c in targets
        ]

    def _dispose(self, path: Path, st: os.stat_result) -> Path | None:
        """Archive or delete a processed file, if it is still the file that was read.

        Reached from the inbox folder by folder (`monitor.safepath`): a sub-folder swapped
        for a link after the read cannot turn the move into one of a file elsewhere (the
        state database, say). `_Changed` if the name now holds another file or new content.
        """
        after = self.inbox.after
        if after == "keep":
            return None
        folder_fd = open_folder_below(self.inbox.path, path)
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
            folder = self.inbox.archive / date.today().isoformat()
            try:
                return move_out(path, folder, folder_fd)
            except FileNotFoundError:  # the day's folder, made on its first file
                folder.mkdir(parents=True, exist_ok=True)
                return move_out(path, folder, folder_fd)
        finally:
            os.close(folder_fd)

    def recover(self) -> None:
        """Deal with the file the last process died reading, if any (see `monitor.inflight`).

        After a second death the file is read once more, alone, in a forked child: a
        `kill -9`, an OOM kill or a power cut from outside that twice landed while a big,
        valid article was read must not cost its alerts. Only if the child dies too (or
        hangs past the time budget) is the file quarantined unread. Called at start, before
        any other thread runs, so the fork copies nothing half-done.
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
        death = self._read_alone(path)
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
        if self._quarantine(path, reason) is not None:
            log.warning("quarantined %s: %s", shown, reason)
            if self.inflight is not None:
                self.inflight.clear()

    def _read_alone(self, path: Path) -> str | None:
        """Read and match `path` in a forked child: None if it got through, else how it died."""
        limit = self.inbox.max_seconds + 5
        pid = os.fork()
        if pid == 0:  # the child: no logging, no database, no cleanup, just the read
            # Bad input, a file gone or the budget spent: the normal path deals with those.
            with contextlib.suppress(BaseException), time_limit(self.inbox.max_seconds):
                article, _ = read_inbox_article(
                    self.inbox.path,
                    path,
                    shown_path(path),
                    max_bytes=int(self.inbox.max_size_mb * 1024 * 1024),
                )
                self.engine.matcher.match(article)
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

    def _quarantine(self, path: Path, reason: str) -> Path | None:
        folder = self.inbox.quarantine
        try:
            folder.mkdir(parents=True, exist_ok=True)
            folder_fd = open_folder_below(self.inbox.path, path)
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
