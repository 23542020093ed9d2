"""Logging set-up: journald-friendly plain lines by default, one JSON object per line on request.

Log messages carry file names and article text, which anyone who can write to the inbox
chooses. Both formatters make sure one record is one line (under systemd every stderr line
is a journal entry, so a newline in a file name would forge a whole entry) and that no
terminal escape or bidi override reaches the admin's terminal; see `monitor.textsafe`.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from types import TracebackType
from typing import Literal

from monitor.textsafe import json_safe, printable, printable_lines

LogFormat = Literal["plain", "json"]

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class PlainFormatter(logging.Formatter):
    """`logging.Formatter` whose every record is one harmless line, plus a readable
    traceback when there is one.

    The formatted message (not the raw `msg`) is escaped, so `log.info("processed %s", path)`
    is covered wherever the path comes in. A traceback stays several lines, as people read
    it, but the messages of its exceptions (which may quote a file name or a title) are
    escaped like the log message, and every line of it is stripped of escapes.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record))

    def formatException(self, ei: _ExcInfo) -> str:
        exc = ei[1]
        if exc is None:
            return printable_lines(super().formatException(ei))
        formatted = traceback.TracebackException(type(exc), exc, ei[2], compact=True)
        messages = _exception_messages(formatted)
        chunks = [
            printable(chunk.removesuffix("\n")) + "\n" if chunk in messages else chunk
            for chunk in formatted.format(chain=True)
        ]
        return printable_lines("".join(chunks).removesuffix("\n"))

    def formatStack(self, stack_info: str) -> str:
        return printable_lines(stack_info)


def _exception_messages(formatted: traceback.TracebackException) -> set[str]:
    """The `Type: message` chunks (and notes) of every exception in a traceback's chain,
    which is where text from outside (a file name in an error) shows up."""
    messages: set[str] = set()
    todo, seen = [formatted], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        messages.update(current.format_exception_only())
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]
        todo += current.exceptions or []
    return messages


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with `extra=` fields kept, for log shippers.

    Values stay exact; json already escapes newlines and C0 controls, and `json_safe`
    escapes what it leaves raw (C1 controls, bidi overrides), so the line is harmless on a
    terminal too.
    """

    _STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json_safe(json.dumps(data, ensure_ascii=False, default=str))


def setup_logging(fmt: LogFormat = "plain", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(PlainFormatter(PLAIN_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # apscheduler logs every job run at INFO; that is noise in a daemon's log.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Libraries' warnings (watchdog warns when a folder is moved in and out quickly) would
    # go to stderr raw, outside the log format: with --log-format json, not JSON at all.
    logging.captureWarnings(True)
