"""`console`: one readable line per alert on standard output, for people watching a terminal.

The title, file name and hit texts come from the article and its file: a newline in them
would print a second, forged `ALERT` line, and an ESC or a bidi override would drive or
confuse the terminal. The whole line goes through `printable`, which shows them escaped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Literal, TextIO

from monitor.alerts import AlertRecord, HitInfo
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.digests import DigestRecord
from monitor.errors import DeliveryError
from monitor.templates import MessageTemplate, Style, load_template, render_message
from monitor.textsafe import printable


class ConsoleChannelConfig(ChannelConfig):
    type: Literal["console"]


MAX_RULE_LINES = 20
"""Rules detailed under a story's header line; the header names them all."""


def _quoted(hits: Iterable[HitInfo]) -> str:
    # A phrase can match across a line break: that is layout, shown as a space.
    return ", ".join(dict.fromkeys(" ".join(h.text.split()) for h in hits))


def rule_line(record: AlertRecord) -> str:
    """`ALERT [rule] TITLE  (where; hits: a, b)`: one line per rule alert."""
    article = record.article
    rules = ", ".join(record.rule_ids)
    details = [
        part for part in (article.where, record.hits and f"hits: {_quoted(record.hits)}") if part
    ]
    where = f"  ({'; '.join(details)})" if details else ""  # a flood summary has neither
    return printable(f"ALERT [{rules}] {article.title}{where}")


def story_lines(record: AlertRecord) -> list[str]:
    """A story: `ALERT [rule, rule] TITLE (where)`, then one indented line per rule with
    its description and hits, and one for the other copies known ("also in")."""
    article = record.article
    lines = [printable(f"ALERT [{', '.join(record.rule_ids)}] {article.title} ({article.where})")]
    for rule in record.rules[:MAX_RULE_LINES]:
        about = f"{rule.description}; " if rule.description else ""
        lines.append(printable(f"    {rule.rule}: {about}hits: {_quoted(rule.hits)}"))
    if len(record.rules) > MAX_RULE_LINES:
        lines.append(f"    … and {len(record.rules) - MAX_RULE_LINES} more rules")
    if record.also_in:
        copies = ", ".join(c.source or c.path or c.url or "?" for c in record.also_in[:5])
        more = f" and {len(record.also_in) - 5} more" if len(record.also_in) > 5 else ""
        lines.append(printable(f"    also in: {copies}{more}"))
    return lines


def _console_link(url: str, text: str) -> str:
    return printable(f"{text} ({url})" if url and text != url else url or text)


#: Values a template inserts: unsafe characters (line breaks too) as visible escapes.
CONSOLE_STYLE = Style(escape=printable, link=_console_link)


def templated_lines(builtin: list[str], title: str | None, body: str | None) -> list[str]:
    """The built-in lines with a template's title as the first line and its body as the
    lines after it; each line passes `printable` (the template's own text too)."""
    first = printable(" ".join(title.split())) if title is not None else builtin[0]
    rest = (
        builtin[1:] if body is None else [printable(line) for line in body.strip("\n").split("\n")]
    )
    return [first, *rest]


class ConsoleChannel:
    def __init__(
        self, name: str, stream: TextIO | None = None, template: MessageTemplate | None = None
    ) -> None:
        self.name = name
        self._stream = stream
        self._template = template

    def _lines(self, record: AlertRecord | DigestRecord) -> list[str]:
        if isinstance(record, DigestRecord):
            lines = digest_lines(record)
        else:
            lines = story_lines(record) if record.is_story else [rule_line(record)]
        if self._template is not None:
            parts = render_message(
                self._template, record.data, CONSOLE_STYLE, CONSOLE_STYLE, self.name
            )
            if parts is not None:
                return templated_lines(lines, *parts)
        return lines

    def send(self, record: AlertRecord | DigestRecord) -> None:
        stream = self._stream or sys.stdout
        text = "\n".join(self._lines(record))
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


CHANNEL = ChannelType(
    ConsoleChannelConfig,
    lambda name, conf: ConsoleChannel(name, template=load_template(conf.template)),
)
