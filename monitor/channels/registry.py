"""Every channel type, by its `type = "..."` name: the one list to extend for a new type.

Each module named here defines `CHANNEL = ChannelType(ItsConfig, build)` (see
`monitor.channels.base`). `monitor.config` builds the `[channels.NAME]` union from this
table, and `build_channel` looks the factory up in it: there is no other list of types.
Imported by name so that adding a type is one module plus one line here.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from monitor.channels.base import ChannelType

_MODULES = (
    "console",
    "file",
    "slack",
    "email",
    "webhook",
    "apprise",
)

CHANNEL_TYPES: dict[str, ChannelType[Any]] = {
    channel.name: channel
    for channel in (import_module(f"monitor.channels.{module}").CHANNEL for module in _MODULES)
}
