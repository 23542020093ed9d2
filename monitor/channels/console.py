"""`console`: one readable line per alert on standard output, for people watching a terminal."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from monitor.channels.base import DeliveryError


class ConsoleChannel:
    def __init__(self, name: str, stream: TextIO | None = None) -> None:
        self.name = name
        self._stream = stream

    def send(self, record: dict[str, Any]) -> None:
        stream = self._stream or sys.stdout
        article = record["article"]
        quoted = ", ".join(dict.fromkeys(h["text"] for h in record["hits"]))
        line = f"ALERT [{record['rule']}] {article['title']}  ({article['path']}; hits: {quoted})"
        try:
            print(line, file=stream, flush=True)
        except OSError as exc:
            raise DeliveryError(f"cannot write to the console: {exc.strerror or exc}") from None

    def close(self) -> None:
        return None
