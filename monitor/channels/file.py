"""`file`: alert records as JSON lines, appended and fsynced so a delivered alert is on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from monitor.channels.base import DeliveryError


class FileChannel:
    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self._checked_tail = False

    def _terminate_partial_line(self, fd: int) -> None:
        """If a previous run died mid-write, end its partial line so ours starts clean."""
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            os.write(fd, b"\n")

    def send(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write per line in append mode: concurrent readers never see half a record.
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if not self._checked_tail:
                    self._terminate_partial_line(fd)
                    self._checked_tail = True
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise DeliveryError(f"cannot append to {self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        return None
