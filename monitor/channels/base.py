"""The one interface every channel type implements, its config base, and its registry entry.

The dispatcher only needs to know whether a failed send may succeed later (retry, honouring
`retry_after` when the service said so) or never will (dead letter). Messages in a
`DeliveryError` are shown to users and stored, so they must never contain secrets.

A channel type is one module that defines three things: a config model (a subclass of
`ChannelConfig` whose `type` is a one-value `Literal`), the channel class, and
`CHANNEL = ChannelType(ThatConfig, build)`; `monitor.channels.registry` lists the modules.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Generic, Literal, Protocol, TypeVar

from pydantic import Field, PrivateAttr, field_validator

from monitor.alerts import AlertRecord
from monitor.digests import DigestRecord
from monitor.schedule import (
    Schedule,
    parse_digest,
    parse_quiet_days,
    parse_quiet_hours,
    parse_timezone,
    schedule_of,
)
from monitor.settings import ConfigPath, StrictModel


class Channel(Protocol):
    """Delivers complete alert records (see `monitor.alerts`) and digests (see
    `monitor.digests`) to one destination."""

    name: str

    def send(self, record: AlertRecord | DigestRecord) -> None:
        """Deliver one alert or digest, or raise `DeliveryError`."""

    def close(self) -> None:
        """Release files or connections."""


class ChannelConfig(StrictModel):
    """One `[channels.NAME]` table; subclasses narrow `type` to their own `Literal`.

    Everything a channel needs is checked here, by pydantic validators, so `monitor check`
    finds every mistake without building a channel (and without its secrets). A value that
    still holds an unset `${VAR}` (see `monitor.settings.unresolved`) is not checked.
    """

    type: str
    # One message per story listing every rule it matched ("story"), or one per matching
    # rule ("rule", today's records, for programs that consume them): `grouping()`.
    group: Literal["story", "rule"] | None = None

    # A Jinja2 file shaping the title and body of this channel's messages (monitor.templates);
    # relative to the config file's folder.
    template: ConfigPath | None = None

    # A digest of the template file's bytes when the config was loaded (`monitor.config`):
    # part of the channel's equality, so a reload rebuilds a channel whose template file
    # changed even though its config did not.
    _template_digest: str | None = PrivateAttr(default=None)

    DEFAULT_GROUP: ClassVar[str] = "story"
    """What people read gets one message per story; file and webhook say "rule"."""

    TEMPLATES: ClassVar[bool] = True
    """Whether `template` applies: not to file and webhook, which send JSON records."""

    @field_validator("template")
    @classmethod
    def _template_applies(cls, value: Path | None) -> Path | None:
        if value is not None and not cls.TEMPLATES:
            raise ValueError(
                "file and webhook channels send JSON records; templates shape messages for "
                "people (console, slack, email, apprise): remove `template`"
            )
        return value

    def grouping(self) -> str:
        """`group` as set, else this channel type's default."""
        return self.group or self.DEFAULT_GROUP

    # When to send (see `monitor.schedule`), valid for every channel type: one digest per
    # period instead of an alert each, and/or nothing during quiet hours and days.
    digest: str | None = None
    timezone: str = "UTC"
    quiet_hours: str | None = None
    quiet_days: list[str] = Field(default_factory=list)

    @field_validator("digest")
    @classmethod
    def _valid_digest(cls, value: str | None) -> str | None:
        if value is not None:
            parse_digest(value, parse_timezone("UTC"))
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        parse_timezone(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _valid_quiet_hours(cls, value: str | None) -> str | None:
        if value is not None:
            parse_quiet_hours(value)
        return value

    @field_validator("quiet_days")
    @classmethod
    def _valid_quiet_days(cls, value: list[str]) -> list[str]:
        parse_quiet_days(value)
        return value

    def schedule(self) -> Schedule | None:
        """When this channel sends (None: every alert at once); the pipeline asks it for
        each alert's `release_at` and queues the alert held until then."""
        return schedule_of(self.digest, self.timezone, self.quiet_hours, tuple(self.quiet_days))

    def warnings(self, name: str) -> list[tuple[str, str]]:
        """(key, message) for settings that work but endanger something; none by default.

        `monitor check` prints them as `FILE:LINE: warning: ...` and still exits 0; the
        daemon logs them whenever it builds the channel (start and reload).
        """
        return []


C = TypeVar("C", bound=ChannelConfig)


@dataclass(frozen=True)
class ChannelType(Generic[C]):
    """A channel type: its config model and how to build a channel from one entry."""

    config: type[C]
    build: Callable[[str, C], Channel]

    @property
    def name(self) -> str:
        """The `type = "..."` value, taken from the model's `Literal`, so it is said once."""
        (name,) = typing.get_args(self.config.model_fields["type"].annotation)
        return str(name)
