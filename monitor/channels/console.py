"""`console`: one readable line per alert on standard output, for people watching a terminal.

The title, file name and hit texts come from the article and its file: a newline in them
would print a second, forged `ALERT` line, and an ESC or a bidi override would drive or
confuse the terminal. The whole line goes through `printable`, which shows them escaped.
"""

from __future__ import annotations

import sys
from typing import Literal, TextIO

from monitor.alerts import AlertRecord
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.digests import DigestRecord
from monitor.errors import DeliveryError
from monitor.textsafe import printable


class ConsoleChannelConfig(ChannelConfig):
    type: Literal["console"]


class ConsoleChannel:
    def __init__(self, name: str, stream: TextIO | None = None) -> None:
        self.name = name
        self._stream = stream

    def send(self, record: AlertRecord | DigestRecord) -> None:
        stream = self._stream or sys.stdout
        if isinstance(record, DigestRecord):
            text = "\n".join(digest_lines(record))
        else:
            article = record.article
            # A phrase can match across a line break: that is layout, shown as a space.
            quoted = ", ".join(dict.fromkeys(" ".join(h.text.split()) for h in record.hits))
            rules = ", ".join(record.rule_ids)
            text = printable(f"ALERT [{rules}] {article.title}  ({article.where}; hits: {quoted})")
        try:
            print(text, file=stream, flush=True)
        except OSError as exc:
            raise DeliveryError(f"cannot write to the console: {exc.strerror or exc}") from None

    def close(self) -> None:
        return None


def digest_lines(record: DigestRecord) -> list[str]:
    """`DIGEST <channel> <from> - <to>: N stories`, then one indented line per story.

    Each line goes through `printable` on its own, so a newline in a title is shown escaped
    and can never start a line of its own.
    """
    count = record.count
    lines = [
        printable(
            f"DIGEST {record.channel} {record.start} - {record.end}: "
            f"{count} {'story' if count == 1 else 'stories'}"
        )
    ]
    for story in record.stories:
        copies = f" +{story.copies} {'copy' if story.copies == 1 else 'copies'}"
        lines.append(
            "  "
            + printable(
                f"[{', '.join(story.rule_ids)}] {story.article.title} ({story.article.where})"
                + (copies if story.copies else "")
            )
        )
    if record.omitted:
        lines.append(f"  +{record.omitted} more")
    return lines


CHANNEL = ChannelType(ConsoleChannelConfig, lambda name, conf: ConsoleChannel(name))
