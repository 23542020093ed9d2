"""Channel types behind one interface; `build_channel` turns a config entry into a channel.

This package never imports `monitor.config`: `monitor.config` imports the channel modules'
config models (through `monitor.channels.registry`) to build its union of channel tables.
"""

from __future__ import annotations

import logging

from monitor.channels.base import Channel, ChannelConfig
from monitor.channels.registry import CHANNEL_TYPES
from monitor.errors import DeliveryError

__all__ = [
    "Channel",
    "ChannelConfig",
    "DeliveryError",
    "build_channel",
]

log = logging.getLogger("monitor.channels")


def build_channel(name: str, conf: ChannelConfig) -> Channel:
    """The channel for one `[channels.NAME]` entry; secrets are unwrapped only here.

    The entry was validated with the config, so this cannot fail on its contents. Settings
    that work but endanger something (SMTP AUTH in cleartext) are logged, so the daemon says
    so at every start and reload; `monitor check` prints the same with FILE:LINE
    (`config.config_warnings`) without building anything.
    """
    for _key, warning in conf.warnings(name):
        log.warning("%s", warning)
    return CHANNEL_TYPES[conf.type].build(name, conf)
