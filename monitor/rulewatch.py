"""Watching the rules folder, so a saved rule file is reloaded without a SIGHUP.

Editors save in several steps (write a temporary file, rename, touch), so the watcher only
records *when* the last change happened; the daemon reloads once the folder has been quiet
for `QUIET_SECONDS`, and a half-written file therefore never reaches the loader.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver

from monitor.inbox import make_observer

log = logging.getLogger("monitor.rules")

QUIET_SECONDS = 0.3
RULE_SUFFIXES = (".yaml", ".yml")


class _Handler(FileSystemEventHandler):
    def __init__(self, changed: threading.Event, stamp: list[float]) -> None:
        self.changed = changed
        self.stamp = stamp

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(str(p).endswith(RULE_SUFFIXES) for p in paths if p):
            self.stamp[0] = time.monotonic()
            self.changed.set()


class RulesWatcher:
    """Reports, through `due()`, that rule files changed and have since been quiet."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._changed = threading.Event()
        self._stamp = [0.0]
        self._observer: BaseObserver | None = None

    def start(self) -> None:
        if not self.folder.is_dir():
            log.warning("rules folder %s does not exist; not watching it", self.folder)
            return
        observer = make_observer()
        observer.schedule(_Handler(self._changed, self._stamp), str(self.folder), recursive=True)
        observer.start()
        self._observer = observer

    def due(self) -> bool:
        """True once after rule files changed and then stayed quiet for QUIET_SECONDS."""
        if self._changed.is_set() and time.monotonic() - self._stamp[0] >= QUIET_SECONDS:
            self._changed.clear()
            return True
        return False

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
