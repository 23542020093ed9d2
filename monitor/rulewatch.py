"""Watching the rules folder, so a saved rule file is reloaded without a SIGHUP.

The folder is polled: a thread of its own lists it every `POLL_SECONDS` (with every folder
below it, iteratively, as the loader does) and compares each rule file's size, times and
inode with the last poll's. It used to be a recursive inotify watch (watchdog), which walks
new folders recursively: a folder nested 1,100 deep in the rules folder crashed
`monitor run` at start with a RecursionError, and the same tree made while the daemon ran
killed the watching thread without a word, so saved rules were no longer reloaded. A rules
folder holds a handful of files, so a poll costs microseconds; it also sees what inotify on
the folder did not, such as a file changed behind a symbolic link (a Kubernetes ConfigMap
swaps a hidden `..data` link). A poll that takes long (a huge tree) makes the next one
wait, so that polling takes at most about a twentieth of a core.

Editors save in several steps (write a temporary file, rename, touch), so the watcher
records *when* the last change was seen; `due()` says to reload once a poll at least
`QUIET_SECONDS` later saw nothing new, so a file still being written is not read half-way.

A rule file that was not empty and now is (0 bytes) holds the reload back for up to
`EMPTY_GRACE_SECONDS`: editors, `cat > file` and `: > file` truncate first and write
after, and a reload in between drops every rule of the file silently. Should it stay empty,
the reload goes ahead with a warning naming the file. A SIGHUP reloads at once, held or not
(the daemon does not ask `due()` then).

Nothing that goes wrong while polling stops the thread: the failure is logged once with its
reason and the next poll tries again. `alive()` says whether the thread runs.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from monitor.rules.loader import RULE_SUFFIXES, list_rule_folder
from monitor.rules.model import RuleSet, SourceRef
from monitor.textsafe import shorten, shown_path

__all__ = [
    "EMPTY_GRACE_SECONDS",
    "POLL_SECONDS",
    "QUIET_SECONDS",
    "RULE_SUFFIXES",
    "RulesWatcher",
    "describe_change",
]

log = logging.getLogger("monitor.rules")

QUIET_SECONDS = 0.3
"""How long after the last change seen the rules are reloaded (at least one poll later)."""

POLL_SECONDS = 0.25
"""How often the rules folder is listed when a listing is quick (see `_MAX_SHARE`)."""

EMPTY_GRACE_SECONDS = 5.0
"""How long a rule file emptied (0 bytes, and not empty before) holds back the reload."""

_MAX_SHARE = 20
"""A poll that took T seconds is followed by one after at least T times this: polling a
huge tree (the loader lists every folder below the rules folder) keeps to a twentieth of
a core."""

_SHOWN_IDS = 20
"""Most rule ids named in one line of `describe_change`; the rest are counted."""


@dataclass(frozen=True)
class _Seen:
    """What one poll saw of a rule file: enough to notice any write, rename or swap."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


_Snapshot = dict[Path, _Seen | str]
"""Each rule file with what a poll saw of it, or why it could not be looked at (the
error's text: a change of reason is a change too, and the load reports it)."""


def _snapshot(folder: Path) -> _Snapshot:
    """Every rule file below `folder` (and every folder that cannot be listed) as now."""
    listing = list_rule_folder(folder)
    seen: _Snapshot = {path: f"cannot list: {exc}" for path, exc in listing.unreadable}
    for path in listing.files:
        try:
            status = os.stat(path)
        except OSError as exc:
            seen[path] = f"{type(exc).__name__}: {exc.strerror or exc}"
            continue
        seen[path] = _Seen(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    return seen


def _size(seen: _Seen | str | None) -> int | None:
    return seen.size if isinstance(seen, _Seen) else None


class RulesWatcher:
    """Reports, through `due()`, that rule files changed and have since been quiet.

    `start()` takes the first look at the folder and starts the polling thread; it never
    raises. The rules the daemon runs are those of the last time `due()` said True (or of
    the start): an emptied file is judged against them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: _Snapshot = {}
        self._applied: _Snapshot = {}  # as of the last reload `due()` allowed, or the start
        self._changed_at: float | None = None  # when the last change was seen; None: none
        self._polled_at = 0.0  # when the last poll finished
        self._emptied: dict[Path, float] = {}  # emptied since `_applied`: since when
        self._held_logged: set[Path] = set()
        self._failure: str | None = None  # the reason the last poll failed, logged once

    def start(self) -> None:
        """Look at the folder now, then poll it from a thread. Never raises."""
        if not os.path.isdir(self.folder):  # never raises, unlike Path.is_dir on EACCES
            log.warning(
                "rules folder %s does not exist; it is watched for rule files to appear",
                shown_path(self.folder),
            )
        self._poll()
        with self._lock:
            self._applied = dict(self._seen)
            self._changed_at = None
        thread = threading.Thread(target=self._run, name="rules-watcher", daemon=True)
        try:
            thread.start()
        except RuntimeError as exc:  # no thread to be had: run without, and say so
            log.error(
                "cannot watch the rules folder %s: %s; saved rule files are not "
                "reloaded (a SIGHUP still reloads)",
                shown_path(self.folder),
                exc,
            )
            return
        self._thread = thread

    def alive(self) -> bool:
        """True while the polling thread runs: after `start()`, until `stop()`."""
        return self._thread is not None and self._thread.is_alive()

    def due(self) -> bool:
        """True once after rule files changed and then stayed quiet for QUIET_SECONDS.

        False while a rule file emptied since the rules in force were read stays empty for
        less than EMPTY_GRACE_SECONDS; after that, True with a warning naming the file.
        """
        with self._lock:
            if self._changed_at is None or self._polled_at - self._changed_at < QUIET_SECONDS:
                return False
            now = time.monotonic()
            held = sorted(
                p for p, since in self._emptied.items() if now - since < EMPTY_GRACE_SECONDS
            )
            for path in held:
                if path not in self._held_logged:
                    self._held_logged.add(path)
                    log.warning(
                        "rule file %s is now empty (it held %s bytes): holding the "
                        "reload for up to %.0f s, as it may be being written; a "
                        "SIGHUP applies it at once",
                        shown_path(path),
                        _size(self._applied.get(path)),
                        EMPTY_GRACE_SECONDS,
                    )
            if held:
                return False
            for path in sorted(self._emptied):
                log.warning(
                    "rule file %s has stayed empty for %.0f s (it held %s bytes): "
                    "reloading without its rules",
                    shown_path(path),
                    EMPTY_GRACE_SECONDS,
                    _size(self._applied.get(path)),
                )
            self._applied = dict(self._seen)
            self._emptied.clear()
            self._held_logged.clear()
            self._changed_at = None
            return True

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)

    def _run(self) -> None:
        """Poll until stopped; each poll's failure is logged (once per reason), not fatal."""
        wait = POLL_SECONDS
        while not self._stop.wait(wait):
            started = time.monotonic()
            self._poll()
            wait = max(POLL_SECONDS, (time.monotonic() - started) * _MAX_SHARE)

    def _poll(self) -> None:
        try:
            seen = _snapshot(self.folder)
        except Exception as exc:  # never seen; a listing that fails must not end the thread
            reason = f"{type(exc).__name__}: {exc}"[:300]
            if reason != self._failure:
                self._failure = reason
                log.error(
                    "cannot look at the rules folder %s (%s); saved rule files are not "
                    "reloaded until this clears (a SIGHUP still reloads)",
                    shown_path(self.folder),
                    reason,
                )
            return
        if self._failure is not None:
            self._failure = None
            log.info("watching the rules folder %s again", shown_path(self.folder))
        now = time.monotonic()
        with self._lock:
            if seen != self._seen:
                self._seen = seen
                self._changed_at = now
                self._emptied = {
                    path: self._emptied.get(path, now)
                    for path, status in seen.items()
                    if _size(status) == 0 and _size(self._applied.get(path))
                }
            self._polled_at = now


def describe_change(old: RuleSet, new: RuleSet) -> list[str]:
    """Warning lines for the rules a reload from `old` to `new` removes, one per file.

    A reload that drops rules is legitimate (a rule deleted on purpose) but also what an
    emptied or half-written file does, silently: alerts stop and nothing says so. Each line
    names the file the rules were defined in and their ids (at most `_SHOWN_IDS`, then a
    count), and says when the file now defines no rule at all:
    `rules removed from rules/x.yaml (it now defines none): a, b`.
    The daemon logs them at warning level when it swaps in a reloaded rule set.
    """
    kept = {rule.id for rule in new.rules}
    now_in = {ref.file for ref in new.sources.values()}
    removed: dict[str, list[str]] = {}
    for rule in old.rules:
        if rule.id not in kept:
            ref = old.sources.get(rule.id, SourceRef("(unknown file)", 0))
            removed.setdefault(ref.file, []).append(rule.id)
    lines = []
    for file, ids in sorted(removed.items()):
        shown = ", ".join(shorten(rule_id) for rule_id in ids[:_SHOWN_IDS])
        if len(ids) > _SHOWN_IDS:
            shown += f" and {len(ids) - _SHOWN_IDS} more"
        gone = "" if file in now_in else " (it now defines none)"
        lines.append(
            f"{len(ids)} rule{'s' if len(ids) != 1 else ''} removed from {file}{gone}: {shown}"
        )
    return lines
