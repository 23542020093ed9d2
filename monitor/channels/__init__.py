"""Channel types behind one interface; `build_channel` turns a config entry into a channel."""

from __future__ import annotations

from monitor import config as cfg
from monitor.channels.base import Channel, DeliveryError
from monitor.channels.console import ConsoleChannel
from monitor.channels.file import FileChannel

__all__ = ["Channel", "DeliveryError", "UnsupportedChannel", "build_channel"]


class UnsupportedChannel(Exception):
    """A channel type the config accepts but this version cannot send to yet."""


def build_channel(name: str, conf: cfg.ChannelConfig) -> Channel:
    if isinstance(conf, cfg.ConsoleChannel):
        return ConsoleChannel(name)
    if isinstance(conf, cfg.FileChannel):
        return FileChannel(name, conf.path)
    raise UnsupportedChannel(
        f"channel `{name}`: type `{conf.type}` is not available in this version yet; "
        "remove the channel or comment it out")
